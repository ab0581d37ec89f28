#!/usr/bin/env python3
"""Scores clusters against the same-story truth of a generated corpus, over pairs of
documents: a pair inside one cluster is a true positive when both come from one story.

usage: score_clusters.py TRUTH.tsv CLUSTERS.jsonl [PAIRS.tsv]

TRUTH.tsv: `id <tab> story ...` (gen_news's truth.tsv, or the peers' clusters.tsv; a
header line starting `id` is skipped). CLUSTERS.jsonl: `neardup cluster --output-format
jsonl`. With PAIRS.tsv (`neardup pairs`), the connected components of the pairs are
scored as well: the clusters before any pair is left out of them (roundups).
"""
import json
import sys
from collections import Counter


def score(story: dict, truth: int, groups: list, name: str) -> None:
    tp = fp = 0
    for g in groups:
        n = len(g)
        same = sum(k * (k - 1) // 2 for k in Counter(story[i] for i in g).values())
        tp += same
        fp += n * (n - 1) // 2 - same
    p = tp / (tp + fp) if tp + fp else 1.0
    r = tp / truth if truth else 1.0
    f1 = 2 * p * r / (p + r) if p + r else 0.0
    print(f"{name}: groups {len(groups)}  precision {p:.4f}  recall {r:.4f}  F1 {f1:.4f}")


def components(pairs_path: str) -> list:
    parent: dict = {}

    def find(x):
        parent.setdefault(x, x)
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    with open(pairs_path, encoding="utf-8") as f:
        for line in f:
            a, b = line.rstrip("\n").split("\t")[:2]
            if (a, b) == ("a", "b"):
                continue
            ra, rb = find(a), find(b)
            if ra != rb:
                parent[ra] = rb
    groups: dict = {}
    for x in list(parent):
        groups.setdefault(find(x), []).append(x)
    return list(groups.values())


def main(truth_path: str, clusters_path: str, pairs_path: str | None) -> None:
    story = {}
    with open(truth_path, encoding="utf-8") as f:
        for line in f:
            i, s = line.rstrip("\n").split("\t")[:2]
            if i != "id":
                story[i] = s
    truth = sum(k * (k - 1) // 2 for k in Counter(story.values()).values())
    with open(clusters_path, encoding="utf-8") as f:
        clusters = [[str(m["id"]) for m in json.loads(line)["members"]] for line in f if line.strip()]
    if pairs_path:
        score(story, truth, components(pairs_path), "components of the pairs")
    score(story, truth, clusters, "clusters")


if __name__ == "__main__":
    if len(sys.argv) not in (3, 4):
        sys.exit(__doc__)
    main(sys.argv[1], sys.argv[2], sys.argv[3] if len(sys.argv) == 4 else None)
