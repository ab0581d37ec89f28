#!/usr/bin/env python3
"""Checks `neardup dedup` against `neardup cluster` on one corpus, and measures both.

    scripts/check-dedup.py CORPUS.jsonl [--keep earliest|first|longest] [neardup options...]

The deduplicated file must be exactly the input's records (byte for byte, in order) minus
the members that `cluster --output-format jsonl --keep RULE` marks `"keep": false`; peak
RSS (GNU time) of `pairs`, `cluster` and `dedup` on the same corpus is printed alongside.
Needs a release build (cargo build --release).
"""
import json
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NEARDUP = ROOT / "target" / "release" / "neardup"


def timed(args):
    r = subprocess.run(["/usr/bin/time", "-f", "%e %M", str(NEARDUP), *args, "-q"],
                       capture_output=True, text=True)
    if r.returncode not in (0, 1):
        sys.exit(f"neardup {' '.join(args)} failed:\n{r.stderr}")
    secs, kb = r.stderr.strip().splitlines()[-1].split()
    return float(secs), int(kb) / 1024


def main():
    corpus, rest = sys.argv[1], sys.argv[2:]
    keep = "earliest"
    if "--keep" in rest:
        i = rest.index("--keep")
        keep = rest[i + 1]
        del rest[i:i + 2]
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        out, clusters = tmp / "dedup.jsonl", tmp / "clusters.jsonl"
        rows = {}
        rows["pairs"] = timed(["pairs", corpus, *rest, "-o", str(tmp / "pairs.tsv")])
        rows["cluster"] = timed(["cluster", corpus, *rest, "--keep", keep,
                                 "--output-format", "jsonl", "-o", str(clusters)])
        rows["dedup"] = timed(["dedup", corpus, *rest, "--keep", keep, "-o", str(out)])
        dropped = set()
        with open(clusters) as f:
            for line in f:
                for m in json.loads(line)["members"]:
                    if not m["keep"]:
                        dropped.add(str(m["id"]))
        expected = []
        with open(corpus, "rb") as f:
            for line in f:
                if not line.strip():
                    continue
                if str(json.loads(line)["id"]) not in dropped:
                    expected.append(line if line.endswith(b"\n") else line + b"\n")
        got = out.read_bytes().splitlines(keepends=True)
        sidecar = sum(1 for _ in open(str(out) + ".dropped.jsonl"))
    for verb, (secs, mb) in rows.items():
        print(f"{verb:8} {secs:6.2f} s  peak RSS {mb:7.1f} MB")
    print(f"input {len(expected) + len(dropped)} records, kept {len(got)}, dropped {len(dropped)} "
          f"(sidecar {sidecar} rows), --keep {keep}")
    if got != expected or sidecar != len(dropped):
        sys.exit("MISMATCH: dedup output is not the input minus cluster's non-kept members")
    print("OK: dedup output == input records minus those cluster marks keep=false")


if __name__ == "__main__":
    main()
