#!/usr/bin/env bash
# Parquet in and out (issue 14): the round trip JSONL -> Parquet -> results equals the
# JSONL results, and the peak memory of reading Parquet, on synthetic corpora from our
# generator (`gen_news --text zipf`, seed 11, as scripts/bench-scale.sh) of 100k and 1M
# documents, deduplicated at J >= 0.5 on word 5-grams.
#
#   scripts/bench-parquet.sh                 # SIZES="100000 1000000"
#
# Prints, per size: wall time and peak RSS of `neardup pairs` on the JSONL and on the
# Parquet file, whether the two outputs are identical, and the same for `dedup` (the
# Parquet result's ids against the JSONL result's). Not a test: minutes of machine time.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
SIZES=${SIZES:-"100000 1000000"}
cargo build --release --quiet --bin neardup
cargo build --release --quiet -p neardup-tools --bin gen_news --bin to_parquet --bin parquet_column
nd=$root/target/release/neardup
flags=(--threshold 0.5 --shingle word:5 --containment off -q)
for n in $SIZES; do
  dir=$root/target/scale/zipf-$n
  mkdir -p "$dir"
  [ -f "$dir/news.jsonl" ] || ./target/release/gen_news --docs "$n" --text zipf --seed 11 --out "$dir" 2>/dev/null
  [ -f "$dir/news.parquet" ] || ./target/release/to_parquet "$dir/news.jsonl" "$dir/news.parquet"
  echo "== $n documents: $(du -m "$dir/news.jsonl" | cut -f1) MB JSONL, $(du -m "$dir/news.parquet" | cut -f1) MB Parquet"
  for f in jsonl parquet; do
    /usr/bin/time -f "pairs $f: wall %e s, peak RSS %M KB" "$nd" pairs "$dir/news.$f" "${flags[@]}" -o "$dir/pairs-$f.tsv"
  done
  cmp -s "$dir/pairs-jsonl.tsv" "$dir/pairs-parquet.tsv" && echo "pairs: identical ($(($(wc -l < "$dir/pairs-jsonl.tsv") - 1)) pairs)" || echo "pairs: DIFFERENT"
  for f in jsonl parquet; do
    /usr/bin/time -f "dedup $f: wall %e s, peak RSS %M KB" "$nd" dedup "$dir/news.$f" "${flags[@]}" -o "$dir/dedup.$f"
  done
  ./target/release/parquet_column "$dir/dedup.parquet" id > "$dir/dedup-parquet.ids"
  python3 -c 'import json,sys; [print(json.loads(l)["id"]) for l in open(sys.argv[1])]' "$dir/dedup.jsonl" > "$dir/dedup-jsonl.ids"
  cmp -s "$dir/dedup-jsonl.ids" "$dir/dedup-parquet.ids" && echo "dedup: identical rows kept ($(wc -l < "$dir/dedup-jsonl.ids") of $n, in input order)" || echo "dedup: DIFFERENT"
done
