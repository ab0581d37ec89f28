#!/usr/bin/env bash
# Time and peak memory of the whole `neardup pairs` process against corpus size (issue 5):
# synthetic corpora from our generator (`gen_news --text zipf`, seed 11) of 10k, 100k and
# 1M documents, deduplicated at J >= 0.5 on word 5-grams (the peers harness's setting),
# with 1 and 2 threads. Writes target/scale/scale.csv; scripts/plot-scale.py draws it
# (with the peers' figures from target/peers/results) into docs/img/scale.svg.
#
#   scripts/bench-scale.sh               # SIZES="10000 100000 1000000"
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
SIZES=${SIZES:-"10000 100000 1000000"}
cargo build --release --quiet -p neardup-tools --bin gen_news
out=target/scale
mkdir -p "$out"
echo "docs,threads,seconds,peak_rss_mb,pairs" > "$out/scale.csv"
for n in $SIZES; do
  dir=$out/zipf-$n
  [ -f "$dir/news.jsonl" ] || ./target/release/gen_news --docs "$n" --text zipf --seed 11 --out "$dir" 2>/dev/null
  for t in 1 2; do
    /usr/bin/time -f "%e %M" -o "$out/time.txt" ./target/release/neardup pairs "$dir/news.jsonl" \
      --threshold 0.5 --shingle word:5 --threads "$t" -q -o "$out/pairs-$n.tsv"
    read -r secs kb < "$out/time.txt"
    pairs=$(($(wc -l < "$out/pairs-$n.tsv") - 1))
    echo "$n,$t,$secs,$((kb / 1024)),$pairs" | tee -a "$out/scale.csv"
  done
done
