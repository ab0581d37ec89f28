#!/usr/bin/env python3
"""Does an index decide as `pairs` does? On Reuters-21578 (both parts): `pairs` on the
corpus, an index of the same corpus (one segment, and built in two parts: two segments),
then `query --id` for every document `pairs` pairs and for an even sample of the others.

    scripts/eval-index-agreement.py            # needs ../shared (evaluation data) and a release build
    scripts/eval-index-agreement.py --unpaired 400

Prints, for each index: documents whose query lists other near-duplicates than their
`pairs` partners (there should be none), and sampled unpaired documents whose query lists
any (none). Exit status 1 when any disagrees.
"""
import argparse
import json
import os
import subprocess
import sys
import tempfile
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(os.environ.get("SHARED", ROOT.parent / "shared")) / "datasets" / "reuters21578"
NEARDUP = str(ROOT / "target" / "release" / "neardup")
PARTS = [str(DATA / "documents-part1.jsonl"), str(DATA / "documents-part2.jsonl")]


def run(*args: str) -> str:
    """The command's output; exit status 1 is "nothing found" (as for grep)."""
    r = subprocess.run([NEARDUP, *args], capture_output=True, text=True)
    if r.returncode not in (0, 1):
        sys.exit(f"neardup {' '.join(args)}: {r.stderr}")
    return r.stdout


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--unpaired", type=int, default=400, help="unpaired documents to query")
    a = ap.parse_args()
    partners = defaultdict(set)
    for line in run("pairs", "-q", "--output-format", "tsv", *PARTS).splitlines()[1:]:
        x, y = line.split("\t")[:2]
        partners[x].add(y)
        partners[y].add(x)
    ids = []
    for part in PARTS:
        with open(part, encoding="utf-8") as f:
            ids.extend(str(json.loads(line)["id"]) for line in f if line.strip())
    unpaired = [i for i in ids if i not in partners]
    step = max(1, len(unpaired) // max(1, a.unpaired))
    sample = unpaired[::step][: a.unpaired]
    print(f"pairs: {sum(len(v) for v in partners.values()) // 2} pairs over "
          f"{len(partners)} documents; {len(unpaired)} documents unpaired")
    bad = 0
    with tempfile.TemporaryDirectory() as tmp:
        one, two = Path(tmp) / "one.ndx", Path(tmp) / "two.ndx"
        run("index", "build", "-q", "-o", str(one), *PARTS)
        run("index", "build", "-q", "-o", str(two), PARTS[0])
        run("index", "add", "-q", str(two), PARTS[1])
        for name, index in [("one segment", one), ("two segments", two)]:
            differ, listed = 0, 0
            for d in list(partners) + sample:
                out = run("query", str(index), "--id", d, "--output-format", "tsv", "--top", "1")
                got = {r.split("\t")[1] for r in out.splitlines() if r.startswith("duplicate\t")}
                if d in partners and got != partners[d]:
                    differ += 1
                    print(f"  {d}: query only {sorted(got - partners[d])}, "
                          f"pairs only {sorted(partners[d] - got)}")
                elif d not in partners and got:
                    listed += 1
                    print(f"  {d} (unpaired): query lists {sorted(got)}")
            print(f"{name}: {differ} of {len(partners)} paired documents disagree; "
                  f"{listed} of {len(sample)} sampled unpaired documents list any")
            bad += differ + listed
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
