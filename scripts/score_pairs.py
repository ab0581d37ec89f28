#!/usr/bin/env python3
"""Scores predicted pairs against the same-story truth of a gen_news corpus.

usage: score_pairs.py TRUTH.tsv PAIRS.tsv
A pair is positive when both documents come from the same story. Prints precision,
recall and F1 over pairs, and the recall per edit of the later document.
"""
import sys
from collections import defaultdict
from itertools import combinations


def main(truth_path, pairs_path):
    story, edits = {}, {}
    with open(truth_path, encoding="utf-8") as f:
        next(f)
        for line in f:
            i, s, _src, e = line.rstrip("\n").split("\t")
            story[i], edits[i] = s, e
    by_story = defaultdict(list)
    for i, s in story.items():
        by_story[s].append(i)
    truth = {frozenset(p) for ids in by_story.values() for p in combinations(ids, 2)}
    pred = set()
    with open(pairs_path, encoding="utf-8") as f:
        for line in f:
            a, b = line.rstrip("\n").split("\t")[:2]
            if (a, b) == ("a", "b") or a == b:
                continue
            pred.add(frozenset((a, b)))
    tp = len(truth & pred)
    p = tp / len(pred) if pred else 0.0
    r = tp / len(truth) if truth else 0.0
    f1 = 2 * p * r / (p + r) if p + r else 0.0
    print(f"documents {len(story)}  same-story pairs {len(truth)}  predicted {len(pred)}")
    print(f"precision {p:.4f}  recall {r:.4f}  F1 {f1:.4f}")
    missed = defaultdict(int)
    for pair in truth - pred:
        for i in pair:
            for e in edits[i].split("+"):
                missed[e.rstrip("0123456789.")] += 1
    if missed:
        print("edits in missed pairs:", dict(sorted(missed.items(), key=lambda x: -x[1])))


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    main(sys.argv[1], sys.argv[2])
