#!/usr/bin/env python3
"""An index folder after add, remove and merge answers as a fresh index of its live
documents, on ECB+ (issue 16): every live document is queried by id (`query --id`, top
10) in the folder and in a fresh single-file index of the live documents; the answers
must agree (the same duplicates with the same Jaccard, the same related articles with
cosines within 2e-5; ties may swap).

    scripts/eval-archive.py          # needs ../shared (evaluation data) and a release build

Steps: build from the first half and add the second (checked), remove every 7th document
(checked), merge (checked).
"""
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(os.environ.get("SHARED", ROOT.parent / "shared")) / "datasets" / "ecbplus_news_events" / "documents.jsonl"
ND = str(ROOT / "target" / "release" / "neardup")


def nd(*args: str) -> str:
    r = subprocess.run([ND, *args], capture_output=True, text=True)
    if r.returncode not in (0, 1):
        sys.exit(f"neardup {' '.join(args)}: {r.stderr}")
    return r.stdout


def answers(index: Path, ids: list[str]) -> dict:
    out = {}
    for i in ids:
        rows = [json.loads(l) for l in nd("query", str(index), "--id", i, "--top", "10", "--output-format", "jsonl").splitlines()]
        out[i] = ([(r["id"], r["jaccard"]) for r in rows if r["kind"] == "duplicate"],
                  [(r["id"], r["cosine"]) for r in rows if r["kind"] == "related"])
    return out


def same(a, b) -> bool:
    if a[0] != b[0] or len(a[1]) != len(b[1]):
        return False
    return all(abs(x[1] - y[1]) <= 2e-5 + 1e-4 for x, y in zip(a[1], b[1]))


def check(folder: Path, live: list[dict], tmp: Path, what: str) -> None:
    fresh_in = tmp / f"{what}.jsonl"
    fresh_in.write_text("".join(json.dumps(d) + "\n" for d in live))
    fresh = tmp / f"{what}.ndx"
    nd("index", "build", "-q", "--single-file", str(fresh_in), "-o", str(fresh))
    ids = [str(d["id"]) for d in live]
    a, b = answers(folder, ids), answers(fresh, ids)
    bad = [i for i in ids if not same(a[i], b[i])]
    dups = sum(len(a[i][0]) for i in ids)
    order = sum(1 for i in ids if [x[0] for x in a[i][1]] == [x[0] for x in b[i][1]])
    print(f"{what}: {len(ids)} live documents queried by id, {dups} duplicates found, "
          f"answers equal to a fresh index: {len(ids) - len(bad)} of {len(ids)} "
          f"(related ids in the very same order: {order})")
    for i in bad[:3]:
        print(f"  {i}: folder {a[i]}\n  {' ' * len(i)}  fresh  {b[i]}")


def main() -> None:
    docs = [json.loads(l) for l in open(DATA)]
    docs = [{"id": d["id"], "title": d.get("title"), "text": d["text"]} for d in docs]
    half = len(docs) // 2
    with tempfile.TemporaryDirectory() as t:
        tmp = Path(t)
        (tmp / "first.jsonl").write_text("".join(json.dumps(d) + "\n" for d in docs[:half]))
        (tmp / "second.jsonl").write_text("".join(json.dumps(d) + "\n" for d in docs[half:]))
        folder = tmp / "archive"
        nd("index", "build", "-q", str(tmp / "first.jsonl"), "-o", str(folder))
        nd("index", "add", "-q", str(folder), str(tmp / "second.jsonl"))
        check(folder, docs, tmp, "added")
        gone = [d["id"] for d in docs[::7]]
        nd("index", "remove", "-q", str(folder), *gone)
        live = [d for d in docs if d["id"] not in set(gone)]
        check(folder, live, tmp, "removed")
        nd("index", "merge", "-q", str(folder))
        check(folder, live, tmp, "merged")


if __name__ == "__main__":
    main()
