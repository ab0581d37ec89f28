#!/usr/bin/env python3
"""neardup from Python against the Python peers, texts in memory -> duplicate pairs.

Each tool runs in its own process (peak RSS of that process from ``wait4``), one thread,
in one run, on the peers' synthetic news corpus (``../shared/peers``). Inside the worker the
corpus is loaded first (not timed), then the timed part starts from the texts in memory and
ends with the pairs, each tool used the fastest way its own docs show:

- ``neardup``: ``neardup.pairs(texts, ids)`` on a Python list of ``str``;
- ``neardup-arrow``: the same on the ``text`` column of a pyarrow table (read in place: the
  peak RSS shows no copy of the text);
- ``rensa``: Python shingles, ``RMinHash.from_token_sets`` (its batch path),
  ``RMinHashLSH.insert_many`` / ``query_all``, estimated-Jaccard verification;
- ``datasketch``: Python shingles, ``MinHash.bulk``, ``MinHashLSH`` insertion session,
  ``query`` per document, estimated-Jaccard verification.

The peers' code is the harness's own (``bench_peers.run_rensa`` / ``run_datasketch`` and
``common.shingle_set``); pairs are scored by the harness's ``Truth`` (J >= threshold on
word 5-grams, and same story). neardup runs with the harness's shingles (word 5-grams) and
Jaccard alone (containment and template weighting off), so it answers the same question.

    scripts/bench-python.py                       # 100k corpus, all tools
    scripts/bench-python.py --n 10000 --tools neardup,rensa

Needs the harness's venv with pyarrow and the neardup wheel installed into it; the script
prepares both under target/peers (as scripts/bench-peers.sh does) unless ``--no-setup``.
Prints a markdown table; results also go to target/peers/results/python-<n>.md.
"""

from __future__ import annotations

import argparse
import json
import os
import pathlib
import subprocess
import sys
import time

ROOT = pathlib.Path(__file__).resolve().parent.parent
WORK = ROOT / "target" / "peers"
TOOLS = ["neardup", "neardup-arrow", "rensa", "datasketch"]


def setup(a) -> pathlib.Path:
    """The harness copied to target/peers, its venv with pyarrow and a fresh neardup wheel,
    and the corpus; returns the venv's python."""
    shared = pathlib.Path(os.environ.get("SHARED", ROOT.parent / "shared")) / "peers"
    WORK.mkdir(parents=True, exist_ok=True)
    for f in list(shared.glob("*.py")) + [shared / "requirements.txt"]:
        target = WORK / f.name
        target.write_bytes(f.read_bytes())
    py = WORK / ".venv" / "bin" / "python"
    if not py.exists():
        subprocess.run([sys.executable, "-m", "venv", str(WORK / ".venv")], check=True)
        subprocess.run([str(py), "-m", "pip", "install", "-q", "-r", str(WORK / "requirements.txt")], check=True)
    subprocess.run([str(py), "-m", "pip", "install", "-q", "pyarrow", "maturin>=1.9,<2"], check=True)
    wheels = ROOT / "target" / "bench-wheels"
    subprocess.run(["rm", "-rf", str(wheels)], check=True)
    subprocess.run(
        [str(WORK / ".venv" / "bin" / "maturin"), "build", "--release", "-q", "-m",
         str(ROOT / "python" / "Cargo.toml"), "-o", str(wheels)],
        check=True,
    )
    wheel = next(wheels.glob("neardup-*.whl"))
    subprocess.run([str(py), "-m", "pip", "install", "-q", "--force-reinstall", "--no-deps", str(wheel)], check=True)
    corpus = corpus_dir(a)
    if not (corpus / "meta.json").exists():
        subprocess.run([str(py), "gen_corpus.py", "--n", str(a.n), "--seed", "1", "--out", str(corpus)],
                       check=True, cwd=WORK)
    return py


def corpus_dir(a) -> pathlib.Path:
    name = f"{a.n // 1000}k" if a.n % 1000 == 0 else str(a.n)
    return WORK / ".cache" / f"corpus-{name}"


# --- worker -------------------------------------------------------------------------------


def rss_mb() -> float:
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def worker(a) -> None:
    sys.path.insert(0, str(WORK))
    corpus = corpus_dir(a) / "corpus.jsonl"
    out = {"tool": a.worker}
    if a.worker == "neardup-arrow":
        import pyarrow.json as pj

        table = pj.read_json(corpus)
        texts, ids = table.column("text"), table.column("id")
        out["text_bytes"] = int(texts.nbytes)
    else:
        texts, ids = [], []
        with open(corpus, encoding="utf-8") as f:
            for line in f:
                d = json.loads(line)
                texts.append(d["text"])
                ids.append(d["id"])
    out["rss_loaded_mb"] = rss_mb()
    start = time.perf_counter()
    if a.worker.startswith("neardup"):
        import neardup

        # The harness's contract is a Jaccard join: containment and template weighting off.
        table = neardup.pairs(texts, ids, threshold=a.threshold, containment=None, template_df=None,
                              shingle=f"word:{a.shingle}", num_perm=a.num_perm, threads=a.threads)
        elapsed = time.perf_counter() - start
        pairs = zip(table.column("a").to_pylist(), table.column("b").to_pylist())
    else:
        import bench_peers
        from common import shingle_set

        args = argparse.Namespace(num_perm=a.num_perm, threshold=a.threshold, bands=a.bands, rows=a.rows)
        bench_peers.emit = lambda rec: None  # the harness's phase records are not needed here
        sh = [list(shingle_set(t, a.shingle)) for t in texts]
        run = bench_peers.run_rensa if a.worker == "rensa" else bench_peers.run_datasketch
        _, found = run(sh, args)
        elapsed = time.perf_counter() - start
        pairs = ((ids[i], ids[j]) for i, j in found)
    out["e2e_s"] = elapsed
    out["rss_peak_in_worker_mb"] = rss_mb()
    path = WORK / ".cache" / "python-bench" / f"{a.worker}.tsv"
    path.parent.mkdir(parents=True, exist_ok=True)
    n = 0
    with open(path, "w", encoding="utf-8") as f:
        for x, y in pairs:
            f.write(f"{x}\t{y}\n")
            n += 1
    out["pairs"] = n
    out["path"] = str(path)
    print(json.dumps(out))


# --- parent -------------------------------------------------------------------------------


def measure(cmd: list[str], env: dict[str, str]) -> tuple[dict, float, float]:
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, env=env, cwd=WORK)
    stdout = proc.stdout.read()
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    if status != 0:
        raise SystemExit(f"{cmd[-1]} failed ({status})")
    return json.loads(stdout.decode().strip().splitlines()[-1]), wall, usage.ru_maxrss / 1024


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--n", type=int, default=100_000)
    p.add_argument("--tools", default=",".join(TOOLS))
    p.add_argument("--threshold", type=float, default=0.5)
    p.add_argument("--shingle", type=int, default=5)
    p.add_argument("--num-perm", type=int, default=128)
    p.add_argument("--bands", type=int, default=32)
    p.add_argument("--rows", type=int, default=4)
    p.add_argument("--threads", type=int, default=1)
    p.add_argument("--no-setup", action="store_true")
    p.add_argument("--worker", help=argparse.SUPPRESS)
    a = p.parse_args()
    if a.worker:
        worker(a)
        return
    py = WORK / ".venv" / "bin" / "python" if a.no_setup else setup(a)
    if pathlib.Path(sys.prefix).resolve() != (WORK / ".venv").resolve():
        # The scoring needs the harness's venv (numpy): carry on there.
        os.execv(str(py), [str(py), str(pathlib.Path(__file__).resolve()), *sys.argv[1:], "--no-setup"])
    env = dict(os.environ)
    for var in ("RAYON_NUM_THREADS", "OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
        env[var] = str(a.threads)
    sys.path.insert(0, str(WORK))
    from bench_peers import Truth

    corpus = corpus_dir(a)
    truth = Truth(str(corpus), str(corpus / "corpus.jsonl"), a.shingle, a.threshold)
    rows = []
    for tool in a.tools.split(","):
        cmd = [str(py), str(pathlib.Path(__file__).resolve()), "--worker", tool, "--n", str(a.n),
               "--threshold", str(a.threshold), "--shingle", str(a.shingle), "--num-perm",
               str(a.num_perm), "--bands", str(a.bands), "--rows", str(a.rows), "--threads", str(a.threads)]
        rec, wall, peak = measure(cmd, env)
        s = truth.score(rec["path"])
        rec.update(process_s=wall, peak_rss_mb=peak, score=s)
        rows.append(rec)
        print(f"{tool}: e2e {rec['e2e_s']:.2f} s, peak {peak:.0f} MB, F1 {s['jaccard']['f1']:.4f}",
              file=sys.stderr)
    base = {r["tool"]: r for r in rows}
    lines = [
        f"{a.n:,} documents ({corpus.name}), word {a.shingle}-grams, {a.num_perm} slots, "
        f"J >= {a.threshold}, {a.threads} thread(s), {time.strftime('%Y-%m-%d')}",
        "",
        "| tool | texts -> pairs s | vs neardup | process s | peak RSS MB | RSS after load MB | pairs | P / R / F1, J>=t | P / R / F1, same story |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    ref = base.get("neardup", rows[0])["e2e_s"]
    for r in rows:
        j, c = r["score"]["jaccard"], r["score"]["cluster"]
        lines.append(
            f"| {r['tool']} | {r['e2e_s']:.2f} | {r['e2e_s'] / ref:.1f}x | {r['process_s']:.2f} | "
            f"{r['peak_rss_mb']:.0f} | {r['rss_loaded_mb']:.0f} | {r['pairs']} | "
            f"{j['precision']:.4f} / {j['recall']:.4f} / {j['f1']:.4f} | "
            f"{c['precision']:.3f} / {c['recall']:.3f} / {c['f1']:.3f} |"
        )
    # The same pairs as the CLI's on the same corpus (byte for byte as the CLI prints them).
    cli_out = WORK / ".cache" / "python-bench" / "cli.tsv"
    subprocess.run(["cargo", "build", "--release", "--quiet", "--bin", "neardup"], cwd=ROOT, check=True)
    subprocess.run(
        [str(ROOT / "target" / "release" / "neardup"), "pairs", str(corpus / "corpus.jsonl"),
         "--threshold", str(a.threshold), "--shingle", f"word:{a.shingle}", "--containment", "off", "--template-df", "off",
         "--num-perm", str(a.num_perm), "--threads", str(a.threads), "--quiet",
         "--output-format", "tsv", "-o", str(cli_out)],
        check=True, env=env,
    )
    cli_pairs = [tuple(line.split("\t")[:2]) for line in cli_out.read_text().splitlines()[1:]]
    for r in rows:
        if r["tool"].startswith("neardup"):
            ours = [tuple(line.split("\t")) for line in pathlib.Path(r["path"]).read_text().splitlines()]
            same = "the same pairs, in the same order" if ours == cli_pairs else "DIFFERENT pairs"
            lines.append(f"\n{r['tool']} and `neardup pairs` (CLI): {same} ({len(cli_pairs)} pairs)")
    text = "\n".join(lines) + "\n"
    print(text)
    out = WORK / "results" / f"python-{corpus.name}_t{a.threads}.md"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(text)
    (out.with_suffix(".jsonl")).write_text("".join(json.dumps(r) + "\n" for r in rows))


if __name__ == "__main__":
    main()
