#!/usr/bin/env python3
"""Does an index decide as `pairs` does? On Reuters-21578 (both parts): `pairs` on the
corpus, an index of the same corpus (one segment, and built in two parts: two segments),
then `query --id` for every document `pairs` pairs and for an even sample of the others.
With --text, also the same documents asked as new articles (`query --file`, a one-line
JSONL of the record: its text with its date, and again without the date) on the index
of one segment: a dated article is decided as `pairs` decides it, an undated one not
always (the publication-day rules need a day).

    scripts/eval-index-agreement.py            # needs ../shared (evaluation data) and a release build
    scripts/eval-index-agreement.py --unpaired 400 --text

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
    ap.add_argument("--text", action="store_true",
                    help="also ask each document's text with --file, dated and undated")
    a = ap.parse_args()
    partners = defaultdict(set)
    for line in run("pairs", "-q", "--output-format", "tsv", *PARTS).splitlines()[1:]:
        x, y = line.split("\t")[:2]
        partners[x].add(y)
        partners[y].add(x)
    ids, records = [], {}
    for part in PARTS:
        with open(part, encoding="utf-8") as f:
            for line in f:
                if line.strip():
                    r = json.loads(line)
                    ids.append(str(r["id"]))
                    records[str(r["id"])] = r
    unpaired = [i for i in ids if i not in partners]
    step = max(1, len(unpaired) // max(1, a.unpaired))
    sample = unpaired[::step][: a.unpaired]
    print(f"pairs: {sum(len(v) for v in partners.values()) // 2} pairs over "
          f"{len(partners)} documents; {len(unpaired)} documents unpaired")
    bad = 0
    with tempfile.TemporaryDirectory() as tmp:
        # The pairs of the corpus without its dates: an undated article is decided so.
        undated = defaultdict(set)
        if a.text:
            plain = Path(tmp) / "undated.jsonl"
            with open(plain, "w", encoding="utf-8") as out:
                for d in ids:
                    out.write(json.dumps({"id": d, "text": records[d]["text"]}) + "\n")
            for line in run("pairs", "-q", "--output-format", "tsv", str(plain)).splitlines()[1:]:
                x, y = line.split("\t")[:2]
                undated[x].add(y)
                undated[y].add(x)
            only = {d for d in undated if undated[d] != partners.get(d, set())}
            print(f"pairs without the dates: {sum(len(v) for v in undated.values()) // 2} pairs; "
                  f"{len(only)} documents have other partners than with them")
            sample += sorted(only - set(partners) - set(sample))
        one, two = Path(tmp) / "one.ndx", Path(tmp) / "two.ndx"
        run("index", "build", "-q", "-o", str(one), *PARTS)
        run("index", "build", "-q", "-o", str(two), PARTS[0])
        run("index", "add", "-q", str(two), PARTS[1])
        asked = Path(tmp) / "asked.jsonl"

        def ask_file(index: Path, d: str, dated: bool) -> str:
            r = records[d]
            row = {"id": d, "text": r["text"], **({"date": r["date"]} if dated else {})}
            asked.write_text(json.dumps(row) + "\n", encoding="utf-8")
            return run("query", str(index), "--file", str(asked), "--output-format", "tsv",
                       "--top", "1")

        def by_id(i: Path, d: str) -> str:
            return run("query", str(i), "--id", d, "--output-format", "tsv", "--top", "1")

        ways = [("one segment", one, by_id), ("two segments", two, by_id)]
        if a.text:
            ways += [("one segment, --file with its date", one,
                      lambda i, d: ask_file(i, d, True)),
                     ("one segment, --file without a date", one,
                      lambda i, d: ask_file(i, d, False))]
        for name, index, ask in ways:
            differ, listed, as_undated = 0, 0, 0
            for d in list(partners) + sample:
                out = ask(index, d)
                got = {r.split("\t")[1] for r in out.splitlines() if r.startswith("duplicate\t")}
                if got != partners.get(d, set()) and got == undated.get(d, set()):
                    as_undated += 1
                if d in partners and got != partners[d]:
                    differ += 1
                    print(f"  {d}: query only {sorted(got - partners[d])}, "
                          f"pairs only {sorted(partners[d] - got)}")
                elif d not in partners and got:
                    listed += 1
                    print(f"  {d} (unpaired): query lists {sorted(got)}")
            print(f"{name}: {differ} of {len(partners)} paired documents disagree; "
                  f"{listed} of {len(sample)} sampled unpaired documents list any"
                  + (f" ({as_undated} of them as pairs decides without the dates)"
                     if as_undated else ""))
            if "without a date" not in name:
                bad += differ + listed
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
