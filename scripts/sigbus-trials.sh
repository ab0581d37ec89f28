#!/usr/bin/env bash
# Queries an index while another process copies other indexes over it in place (as `cp`
# does: the same file truncated and rewritten), and counts how each query ended: answered
# (0/1), a clear error (2), or killed by a signal (SIGBUS is 135). Issue 15. Half the runs
# are `query`, half `index info --verify` (which reads every page).
#
#   scripts/sigbus-trials.sh [RUNS]        (default 300)
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-300}
cargo build --release --quiet
bin=$PWD/target/release/neardup
work=target/sigbus-trials
mkdir -p "$work"
if [ ! -e "$work/a.ndx" ]; then
  cargo run --release --quiet -p neardup-tools --bin gen_news -- --stories 3000 --seed 5 \
    --out "$work/big" > /dev/null
  "$bin" index build --single-file "$work/big/news.jsonl" -o "$work/a.ndx" --quiet
  "$bin" index build --single-file datasets/sample/news.jsonl -o "$work/b.ndx" --quiet
fi
rm -f "$work/errors.log"
cp "$work/a.ndx" "$work/live.ndx"
( while true; do cp "$work/b.ndx" "$work/live.ndx"; cp "$work/a.ndx" "$work/live.ndx"; done ) &
copier=$!
trap 'kill $copier 2>/dev/null || true' EXIT
declare -A ended
for i in $(seq 1 "$runs"); do
  rc=0
  if [ $((i % 2)) = 0 ]; then
    "$bin" index info "$work/live.ndx" --verify > /dev/null 2>> "$work/errors.log" || rc=$?
  else
    "$bin" query "$work/live.ndx" --text "The central bank raised its key rate by half a point" \
      > /dev/null 2>> "$work/errors.log" || rc=$?
  fi
  ended[$rc]=$(( ${ended[$rc]:-0} + 1 ))
done
kill $copier 2>/dev/null || true
for rc in "${!ended[@]}"; do
  case $rc in
    0 | 1) what="answered" ;;
    2) what="clear error (exit 2)" ;;
    135) what="killed by SIGBUS" ;;
    *) what="exit $rc" ;;
  esac
  echo "$what: ${ended[$rc]} of $runs"
done
echo "errors seen (first 3 kinds):"
sed 's/[0-9]\+/N/g' "$work/errors.log" | sort | uniq -c | sort -rn | head -3
