#!/usr/bin/env bash
# An index folder that grows (issue 16): adding 1,000 articles to an index of N, removing
# 1,000, a query after each (open included: the archive's statistics are computed on
# open), and a merge. Corpora from our generator (`gen_news --text zipf`, seed 11): the
# first N documents are indexed, the next 1,000 added. Prints CSV: step, wall seconds,
# peak RSS MiB.
#
#   scripts/bench-archive.sh               # SIZES="100000 1000000"
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
SIZES=${SIZES:-"100000 1000000"}
cargo build --release --quiet --bin neardup
cargo build --release --quiet -p neardup-tools --bin gen_news
nd=$root/target/release/neardup
out=target/archive-bench
mkdir -p "$out"
timed() { # label, command...
  local label=$1; shift
  /usr/bin/time -f "%e %M" -o "$out/time.txt" "$@" > /dev/null
  read -r secs kb < "$out/time.txt"
  echo "$n,$label,$secs,$((kb / 1024))"
}
echo "documents,step,seconds,peak_rss_mib"
for n in $SIZES; do
  dir=$out/zipf-$n
  if [ ! -f "$dir/head.jsonl" ]; then
    ./target/release/gen_news --docs $((n + 1000)) --text zipf --seed 11 --out "$dir" 2>/dev/null
    head -n "$n" "$dir/news.jsonl" > "$dir/head.jsonl"
    tail -n 1000 "$dir/news.jsonl" > "$dir/tail.jsonl"
  fi
  # 1,000 ids spread over the indexed documents.
  python3 -c "
import json, sys
ids = [json.loads(l)['id'] for l in open(sys.argv[1])]
print('\n'.join(str(i) for i in ids[:: max(1, len(ids) // 1000)][:1000]))" "$dir/head.jsonl" > "$dir/remove.txt"
  idx=$dir/index
  rm -rf "$idx"
  timed "index build" "$nd" index build -q "$dir/head.jsonl" -o "$idx"
  q=$(head -n 1 "$dir/tail.jsonl" | python3 -c "import json,sys; print(json.loads(sys.stdin.read())['id'])")
  timed "index add 1000" "$nd" index add -q "$idx" "$dir/tail.jsonl"
  timed "query --id (2 segments)" "$nd" query "$idx" --id "$q"
  timed "index remove 1000" "$nd" index remove -q "$idx" --ids-from "$dir/remove.txt"
  timed "query --id (deletions)" "$nd" query "$idx" --id "$q"
  timed "index merge" "$nd" index merge -q "$idx"
  timed "query --id (merged)" "$nd" query "$idx" --id "$q"
done
