#!/usr/bin/env python3
"""What a rule "texts a week or more apart are copies only when one nearly contains the
other" would cost: the pairs of `neardup pairs` (defaults) published at least --days apart,
counted by their containment, on Reuters-21578 (both parts: which of them are the later
steps of a story, read in docs/benchmarks.md) and on the held-out re-runs up to three weeks
on (`scripts/eval-core.sh` step 1b writes them: every pair there is a true copy).

    scripts/eval-late-pairs.py            # needs ../shared, a release build, eval-core.sh run

Prints, for each corpus, how many pairs lie at least --days apart and how many of those
have containment below each bound; and how many pairs more than 3 days apart both say
"today" (or "tonight"), which a rule "texts that each say today, days apart, report other
days" would set apart.
"""
import argparse
import datetime
import json
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(os.environ.get("SHARED", ROOT.parent / "shared")) / "datasets" / "reuters21578"
NEARDUP = ROOT / "target" / "release" / "neardup"
BOUNDS = (0.6, 0.65, 0.7, 0.8, 0.9)


def day(date: str) -> datetime.date:
    """The day of a Reuters date ("26-FEB-1987 15:01:01.79") or an ISO one."""
    head = date.split()[0]
    try:
        return datetime.date.fromisoformat(head[:10])
    except ValueError:
        return datetime.datetime.strptime(head.title(), "%d-%b-%Y").date()


TODAY = re.compile(r"\btoday'?s?\b|\btonight\b", re.IGNORECASE)


def late_pairs(inputs: list, days: int) -> tuple:
    dates, today = {}, set()
    for path in inputs:
        for line in open(path, encoding="utf-8"):
            d = json.loads(line)
            dates[str(d["id"])] = day(d["date"])
            if TODAY.search(d["text"]):
                today.add(str(d["id"]))
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "pairs.tsv"
        r = subprocess.run([str(NEARDUP), "pairs", *map(str, inputs), "-q", "--output-format",
                            "tsv", "-o", str(out)], capture_output=True, text=True)
        if r.returncode not in (0, 1):
            sys.exit(r.stderr)
        rows = [l.split("\t") for l in out.read_text(encoding="utf-8").splitlines()[1:]]
    late = [(a, b, float(c)) for a, b, _, c, _ in rows
            if abs((dates[a] - dates[b]).days) >= days]
    both_today = sum(1 for a, b, *_ in rows
                     if a in today and b in today and abs((dates[a] - dates[b]).days) > 3)
    return len(rows), late, both_today


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--days", type=int, default=7)
    ap.add_argument("--list", action="store_true", help="print Reuters' late pairs below 0.9")
    args = ap.parse_args()
    corpora = [("Reuters-21578", [DATA / "documents-part1.jsonl", DATA / "documents-part2.jsonl"])]
    for i in (1, 2):
        late = ROOT / "target" / "eval" / f"reuters-late-{i}" / "news.jsonl"
        if late.exists():
            corpora.append((f"re-runs part {i}", [late]))
        else:
            print(f"({late} missing: run scripts/eval-core.sh first)")
    for name, inputs in corpora:
        total, late, both_today = late_pairs(inputs, args.days)
        below = ", ".join(f"< {b}: {sum(1 for *_, c in late if c < b)}" for b in BOUNDS)
        print(f"{name}: {total} pairs, {len(late)} at least {args.days} days apart; "
              f"containment {below}; {both_today} more than 3 days apart both say today")
        if args.list and name.startswith("Reuters"):
            for a, b, c in sorted(late, key=lambda x: x[2]):
                if c < 0.9:
                    print(f"  {a}\t{b}\t{c:.4f}")


if __name__ == "__main__":
    main()
