#!/usr/bin/env python3
"""Scores the report's "who copied whom" on the bundled sample, whose generator knows each
copy's true source (datasets/sample/truth.tsv: `id story source edits`).

    scripts/eval-sources.py          # after cargo build --release

Each copy link of `neardup report --output-format json` is a claim "COPY <- SOURCE", or, when
the report says both come from a common source (a credited agency, or an article before
both that holds the later one's text as well), no claim of direction. Prints how many claims
name the true source, and what the common-source links would have claimed.
"""
import collections
import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "datasets" / "sample"


def main() -> None:
    truth = {}
    for line in list(open(SAMPLE / "truth.tsv", encoding="utf-8"))[1:]:
        doc, _story, source, _edits = line.rstrip("\n").split("\t")
        truth[doc] = source
    out = subprocess.run([str(ROOT / "target" / "release" / "neardup"), "report", str(SAMPLE / "news.jsonl"),
                          "-q", "--output-format", "json"], capture_output=True, text=True, check=True)
    report = json.loads(out.stdout)
    ids = {a["doc"]: a["id"] for s in report["stories"] for a in s["articles"]}
    c = collections.Counter()
    for s in report["stories"]:
        for link in s["copies"]:
            copy, source = ids[link["copy"]], ids[link["source"]]
            right = truth.get(copy) == source
            common = link["common_source"]
            if common is None:
                c["copy claims, true source"] += right
                c["copy claims, wrong source"] += not right
            else:
                earlier = ids.get(common.get("earlier")) if isinstance(common, dict) else None
                if truth.get(copy) == earlier:
                    c["common source: the copy came from the earlier article"] += 1
                elif right:
                    c["common source: the likely source was right"] += 1
                else:
                    c["common source: neither"] += 1
    for k, v in sorted(c.items()):
        print(f"{v:4}  {k}")
    claims = c["copy claims, true source"] + c["copy claims, wrong source"]
    print(f"claims that name the true source: {c['copy claims, true source']} of {claims}")
    sys.exit(0)


if __name__ == "__main__":
    main()
