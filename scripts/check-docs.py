#!/usr/bin/env python3
"""Runs every command of README.md and docs/*.md as written, and fails on the first that does not.

    scripts/check-docs.py            # after a release build (cargo build --release)

Each ```sh block runs with `bash -euo pipefail` in a fresh folder holding a copy of the
repository's `datasets/`, `examples/` and `scripts/`, with `neardup` on the PATH as `cargo install
--path .` would put it (target/release), and `cargo` pointed at this checkout (so
`cargo run --release -- ...` runs the built binary in that folder). The README's usage
reference names files a reader has (`articles.jsonl`, `a.txt`, `archive.jsonl`...): for
the README's blocks the folder holds such files, made from the bundled sample by
`fixtures()` below; every other document must run on what a fresh clone has. Each
```python block runs with the Python of the test environment (target/test-venv, made by
scripts/test.sh) when it exists.

A block preceded by a line `<!-- not run: REASON -->` is skipped, and the reason printed:
commands that need ../shared (evaluation data a fresh clone does not have), the test
command itself, and fragments that continue the text around them.
"""
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DOCS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
SAMPLE = ROOT / "datasets" / "sample" / "news.jsonl"
ARTICLES = ROOT / "examples" / "articles"
BLOCK = re.compile(r"^```(sh|python)\n(.*?)^```", re.S | re.M)
TIMEOUT = 300  # seconds a block may take
SKIP = re.compile(r"<!-- not run: (.*?) -->\s*$")


def fixtures(at: Path) -> None:
    """The files the usage reference names, made from the sample."""
    lines = [l for l in SAMPLE.read_text(encoding="utf-8").splitlines() if l.strip()]
    (at / "articles.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    (at / "corpus.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    (at / "archive.jsonl").write_text("\n".join(lines[:100]) + "\n", encoding="utf-8")
    (at / "today.jsonl").write_text("\n".join(lines[100:]) + "\n", encoding="utf-8")
    (at / "feed.jsonl").write_text("\n".join(sorted(lines, key=lambda l: json.loads(l).get("date", ""))) + "\n", encoding="utf-8")
    (at / "a.jsonl").write_text("\n".join(lines[:60]) + "\n", encoding="utf-8")
    import csv

    with open(at / "b.csv", "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["id", "outlet", "date", "title", "text"])
        for l in lines[60:]:
            d = json.loads(l)
            w.writerow([d["id"], d.get("outlet", ""), d.get("date", ""), d.get("title", ""), d["text"]])
    shutil.copy(SAMPLE.with_suffix(".parquet"), at / "articles.parquet")
    shutil.copytree(ARTICLES, at / "folder")
    shutil.copy(ARTICLES / "s00000-0.txt", at / "a.txt")
    shutil.copy(ARTICLES / "s00000-1.txt", at / "b.txt")
    shutil.copy(ARTICLES / "s00000-1.txt", at / "story.txt")


def blocks():
    for doc in DOCS:
        text = doc.read_text(encoding="utf-8")
        for m in BLOCK.finditer(text):
            line = text.count("\n", 0, m.start()) + 1
            before = text[: m.start()].rstrip("\n").rsplit("\n", 1)[-1]
            skip = SKIP.search(before)
            yield doc.relative_to(ROOT), line, m.group(1), m.group(2), skip.group(1) if skip else None


def run(cmd, cwd, env) -> subprocess.CompletedProcess:
    """Runs a block in its own process group, so that on a timeout nothing it started survives."""
    p = subprocess.Popen(cmd, cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                         text=True, start_new_session=True)
    try:
        out, err = p.communicate(timeout=TIMEOUT)
        return subprocess.CompletedProcess(cmd, p.returncode, out, err)
    except subprocess.TimeoutExpired:
        # A command that never ends (a server, `tail -f`) belongs in a block marked not run.
        os.killpg(p.pid, signal.SIGKILL)
        out, err = p.communicate()
        return subprocess.CompletedProcess(cmd, 124, out, f"still running after {TIMEOUT} s\n{err}")


def main() -> int:
    neardup = ROOT / "target" / "release" / "neardup"
    if not neardup.exists():
        sys.exit("check-docs: build first (cargo build --release)")
    python = ROOT / "target" / "test-venv" / "bin" / "python"
    ran = skipped = 0
    failures = []
    with tempfile.TemporaryDirectory(prefix="neardup-docs-") as tmp:
        work = Path(tmp)
        env = dict(os.environ)
        env["PATH"] = f"{neardup.parent}{os.pathsep}{env['PATH']}"
        env["CARGO_TARGET_DIR"] = str(ROOT / "target")
        env["CARGO_INSTALL_ROOT"] = str(work / ".cargo-install")
        env["NO_COLOR"] = "1"
        # `cargo` acts on this checkout wherever a block runs it.
        prelude = (
            f'REPO={json.dumps(str(ROOT))}\n'
            'cargo() {\n'
            '  case "$1" in\n'
            '    install) command cargo install --quiet --locked --path "$REPO" ;;\n'
            '    *) local verb=$1; shift; command cargo "$verb" --manifest-path "$REPO/Cargo.toml" "$@" ;;\n'
            '  esac\n'
            '}\n'
        )
        for doc, line, lang, code, skip in blocks():
            where = f"{doc}:{line}"
            if skip:
                print(f"skip {where}: {skip}")
                skipped += 1
                continue
            if lang == "python" and not python.exists():
                print(f"skip {where}: no target/test-venv (scripts/test.sh makes it)")
                skipped += 1
                continue
            case = work / f"case{ran}"
            case.mkdir()
            shutil.copytree(ROOT / "datasets", case / "datasets")
            shutil.copytree(ROOT / "examples", case / "examples")
            shutil.copytree(ROOT / "scripts", case / "scripts")
            if doc.name == "README.md":
                fixtures(case)
            if lang == "python":
                cmd = [str(python), "-c", code]
            else:
                code = code.replace("cargo install --path .", "cargo install")
                cmd = ["bash", "-euo", "pipefail", "-c", prelude + code]
            r = run(cmd, case, env)
            ran += 1
            status = "ok" if r.returncode == 0 else f"FAILED (exit {r.returncode})"
            print(f"{status:>4} {where} ({lang}, {len(code.strip().splitlines())} lines)")
            if r.returncode != 0:
                failures.append(where)
                print("    " + (r.stderr.strip() or r.stdout.strip())[-2000:].replace("\n", "\n    "))
    print(f"check-docs: {ran} blocks ran, {skipped} skipped, {len(failures)} failed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
