#!/usr/bin/env bash
# Evaluates `neardup rank` and `neardup compare` on the shared real-news sets (issue 3).
#
#   scripts/eval-ranking.sh
#
# 1. ECB+ (982 articles, 86 events in 43 look-alike pairs): mean average precision of
#    `neardup rank` with default settings, relevant = same `subtopic`, over all documents
#    (full ranking, --top 981) and with the default --top 10; also per split (topics 1-35,
#    used to choose the defaults, and 36-45, held out), and for plain TF-IDF cosine.
# 2. The two seed articles: Jaccard, containment and cosine (idf from an index of
#    Reuters-21578 and ECB+), against their cosine to the 22,560 unrelated archive articles.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
data=${DATA:-$root/../shared/datasets}
nd=${NEARDUP_BIN:-$root/target/release/neardup}
out=$root/target/eval
mkdir -p "$out"
(cd "$root" && cargo build --release --quiet)
ecb=$data/ecbplus_news_events/documents.jsonl
map() { # RANK.tsv -> MAP overall, topics 1-35, topics 36-45
  python3 - "$data/metrics.py" "$ecb" "$1" <<'PY'
import importlib.util, json, sys
spec = importlib.util.spec_from_file_location("metrics", sys.argv[1]); m = importlib.util.module_from_spec(spec); spec.loader.exec_module(m)
docs = [json.loads(l) for l in open(sys.argv[2])]
ranked = m.ranking(sys.argv[3])
truth = {str(d["id"]): str(d["subtopic"]) for d in docs}
topic = {str(d["id"]): int(d["topic"]) for d in docs}
def sub(lo, hi):
    # Rank lists stay over all documents; only the queries are restricted.
    keep = {i for i in truth if lo <= topic[i] <= hi}
    groups = {}
    aps = []
    from collections import Counter
    g = Counter(truth.values())
    for i in keep:
        rel = g[truth[i]] - 1
        if rel == 0: continue
        hits, s = 0, 0.0
        for k, (_, n, _) in enumerate(ranked.get(i, []), 1):
            if truth.get(n) == truth[i]:
                hits += 1; s += hits / k
        aps.append(s / rel)
    return sum(aps) / len(aps)
print(f"all {m.mean_ap(truth, ranked):.4f}  topics 1-35 {sub(1, 35):.4f}  topics 36-45 {sub(36, 45):.4f}")
PY
}
echo "== ECB+ same-event retrieval (MAP, relevant = same subtopic)"
"$nd" rank "$ecb" --top 981 -q -o "$out/ecb-rank-full.tsv"
echo "neardup rank --top 981 (defaults):              $(map "$out/ecb-rank-full.tsv")"
"$nd" rank "$ecb" -q -o "$out/ecb-rank-top10.tsv"
echo "neardup rank (defaults, --top 10):              $(map "$out/ecb-rank-top10.tsv")"
"$nd" rank "$ecb" --top 981 --rerank-neighbours 0 -q -o "$out/ecb-rank-cosine.tsv"
echo "plain cosine (--rerank-neighbours 0):           $(map "$out/ecb-rank-cosine.tsv")"
"$nd" rank "$ecb" --top 981 --rerank-neighbours 0 --tf raw -q -o "$out/ecb-rank-raw.tsv"
echo "plain cosine, raw tf (scikit-learn's default):  $(map "$out/ecb-rank-raw.tsv")"

echo "== The seed articles (same diplomat, different events)"
seeds=$data/seeds
r=$data/reuters21578
"$nd" index build "$r/documents-part1.jsonl" "$r/documents-part2.jsonl" "$ecb" -q -o "$out/news.ndx"
a=$seeds/000_f58d678dcbd53a80.txt
b=$seeds/002_c5daea6af1ae3222.txt
"$nd" compare --index "$out/news.ndx" "$a" "$b"
for f in "$a" "$b"; do
  "$nd" query "$out/news.ndx" --file "$f" --top 100000 --output-format tsv |
    awk -F'\t' -v f="$(basename "$f")" 'NR>1 && $1=="related" {n++; s+=$6; if (n==1) top=$6}
      END {printf "%s vs %d archive articles: best cosine %.4f, mean %.4f\n", f, 22560, top, s/22560}'
done
