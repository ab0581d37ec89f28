#!/usr/bin/env python3
"""Wire templates on Reuters-21578 (both parts): clusters with template shingles weighing
less (the default) and with every shingle alike (--template-df off).

    scripts/eval-templates.py            # needs ../shared (evaluation data) and a release build

Prints, for each setting: documents with a readable date, the number of clusters, how many
of the 230 exact-duplicate groups fall inside one cluster, the largest cluster holding a
Eurobond announcement, the clusters that hold a pair verification set aside (a pair of
`pairs --template-df off` that the default does not pass: there should be none), how many
texts are flashes (`cluster/flashes.rs`) and how many of the default's pairs join two of
them (and two different texts, whitespace aside: re-sends the flashes' rule must not set
apart), the clusters with two members that each hold numbers the other lacks (past the first 12 words;
`--list` prints them, to read: most are one story re-sent with figures rounded, corrected
or with more paragraphs), and the ten largest clusters with their titles (and how many
different texts each holds, whitespace aside).
"""
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
PARTS = [DATA / "documents-part1.jsonl", DATA / "documents-part2.jsonl"]


def run(template_df: str, out: Path) -> str:
    r = subprocess.run([str(NEARDUP), "cluster", *map(str, PARTS), "--output-format", "jsonl",
                        "--template-df", template_df, "-o", str(out)],
                       capture_output=True, text=True)
    if r.returncode not in (0, 1):
        sys.exit(r.stderr)
    return r.stderr


def pair_ids(template_df: str, out: Path) -> set:
    """The pairs of `neardup pairs` with --template-df `template_df`, as id pairs."""
    r = subprocess.run([str(NEARDUP), "pairs", *map(str, PARTS), "-q", "--output-format", "tsv",
                        "--template-df", template_df, "-o", str(out)],
                       capture_output=True, text=True)
    if r.returncode not in (0, 1):
        sys.exit(r.stderr)
    rows = [l.split("\t") for l in open(out, encoding="utf-8").read().splitlines()[1:]]
    return {tuple(sorted((a, b))) for a, b, *_ in rows}


# The longest text `cluster/flashes.rs` reads as a flash.
FLASH_BYTES = 500

NUMBER = re.compile(r"\d[\d.,/-]*\d|\d")


def numbers_apart(members: list, texts: dict) -> list:
    """The pairs of members that each hold a number (past the first 12 words, the
    dateline) that the other lacks."""
    nums = {i: set(NUMBER.findall(" ".join(texts[i].split()[12:]))) for i in members}
    return [(a, b) for k, a in enumerate(members) for b in members[k + 1:]
            if texts[a] != texts[b] and nums[a] - nums[b] and nums[b] - nums[a]]


def main() -> None:
    titles, texts, sizes, undated = {}, {}, {}, 0
    for p in PARTS:
        for line in open(p, encoding="utf-8"):
            d = json.loads(line)
            titles[str(d["id"])] = (d.get("title") or d["text"][:60]).replace("\n", " ")
            texts[str(d["id"])] = " ".join(d["text"].split())
            sizes[str(d["id"])] = len(d["text"].encode("utf-8"))
    groups = [[str(i) for i in json.loads(l)["ids"]] for l in open(DATA / "exact_duplicate_groups.jsonl")]
    with tempfile.TemporaryDirectory() as tmp:
        for setting in ["auto", "off"]:
            out = Path(tmp) / f"{setting}.jsonl"
            log = run(setting, out)
            undated = "could not be read" in log
            clusters = [json.loads(l) for l in open(out)]
            where = {str(m["id"]): c["cluster"] for c in clusters for m in c["members"]}
            inside = sum(1 for g in groups if all(i in where for i in g) and len({where[i] for i in g}) == 1)
            clusters.sort(key=lambda c: (-c["size"], c["cluster"]))
            bonds = [c["size"] for c in clusters
                     if any("EUROBOND" in titles[str(m["id"])].upper() for m in c["members"])]
            print(f"## --template-df {setting}")
            print(f"summary: {log.strip().splitlines()[0]}")
            print(f"dates: {'some unreadable' if undated else 'every date read'}")
            print(f"clusters: {len(clusters)}, documents in them: {sum(c['size'] for c in clusters)}")
            print(f"exact-duplicate groups inside one cluster: {inside} of {len(groups)}")
            print(f"largest cluster with a Eurobond announcement: {max(bonds, default=0)} "
                  f"(clusters holding one: {len(bonds)})")
            if setting == "auto":
                kept = pair_ids("auto", Path(tmp) / "auto.tsv")
                aside = pair_ids("off", Path(tmp) / "off.tsv") - kept
                mixed = {where[a] for a, b in aside if a in where and where.get(b) == where[a]}
                print(f"pairs set aside: {len(aside)}; clusters holding one: {len(mixed)}")
                flash = {i for i, n in sizes.items() if n <= FLASH_BYTES}
                both = [(a, b) for a, b in kept if a in flash and b in flash]
                print(f"flashes (texts of at most {FLASH_BYTES} bytes): {len(flash)} of {len(sizes)}; "
                      f"pairs joining two: {len(both)}, of different texts: "
                      f"{sum(texts[a] != texts[b] for a, b in both)}")
                apart = [(c, numbers_apart([str(m["id"]) for m in c["members"]], texts))
                         for c in clusters]
                apart = [(c, p) for c, p in apart if p]
                print(f"clusters with two members that each hold numbers the other lacks: {len(apart)}")
                if "--list" in sys.argv[1:]:
                    for c, p in apart:
                        print(f"  cluster {c['cluster']}: " + ", ".join(
                            f"{a} ({titles[a][:40]}) / {b} ({titles[b][:40]})" for a, b in p))
            print("ten largest clusters:")
            print("| size | distinct titles | distinct texts | first titles |")
            print("|---|---|---|---|")
            for c in clusters[:10]:
                ts = [titles[str(m["id"])] for m in c["members"]]
                bodies = {texts[str(m["id"])] for m in c["members"]}
                shown = "; ".join(list(dict.fromkeys(t[:38] for t in ts))[:3])
                print(f"| {c['size']} | {len(set(ts))} | {len(bodies)} | {shown} |")
            print()


if __name__ == "__main__":
    main()
