#!/usr/bin/env bash
# neardup rank against scikit-learn's TF-IDF top-k (the `tfidf` peer of ../shared/peers), in
# one run of the harness, on its synthetic corpus.
#
#   scripts/bench-rank.sh                 # 100k documents, one thread
#   N=10000 THREADS=2 scripts/bench-rank.sh
#
# Both sides do the same work: TF-IDF with raw tf and smoothed idf over the harness's
# tokens, the exact top 10 cosine neighbours of every document, and the pairs with cosine
# >= 0.8 written out (neardup: --tf raw --rerank-neighbours 0, i.e. plain cosine).
# Results: target/peers/results/rank-<size>_t<threads>.md
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
shared=${SHARED:-$root/../shared/peers}
work=$root/target/peers
N=${N:-100000}
THREADS=${THREADS:-1}
TIMEOUT=${TIMEOUT:-2400}
mkdir -p "$work"
cp -f "$shared"/*.py "$shared"/requirements.txt "$work"/
chmod u+w "$work"/*
cd "$work"
if [ ! -x .venv/bin/python ]; then
  python3 -m venv .venv
  .venv/bin/pip install -q -r requirements.txt
fi
(cd "$root" && cargo build --release --quiet)
name=$N; [ $((N % 1000)) -eq 0 ] && name=$((N / 1000))k
dir=.cache/corpus-$name
[ -f "$dir/meta.json" ] || .venv/bin/python gen_corpus.py --n "$N" --seed 1 --out "$dir"
.venv/bin/python bench_peers.py --corpus "$dir" --threads "$THREADS" --peers tfidf \
  --tfidf-topk 10 --tfidf-min-cos 0.8 --timeout "$TIMEOUT" \
  --label "rank-${name}_t${THREADS}" \
  --ours-name "neardup rank" \
  --ours "$root/target/release/neardup rank {corpus} --top 10 --tf raw --rerank-neighbours 0 --min-cosine 0.8 --threads {threads} --quiet -o {out}.rank && tail -n +2 {out}.rank > {out} && rm {out}.rank"
cat "results/rank-${name}_t${THREADS}.md"
