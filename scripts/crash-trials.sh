#!/usr/bin/env bash
# Crash safety by trial (issue 15): kills `neardup index add` and `neardup index build`
# (over an existing index) at random moments, then checks that the index opens, verifies
# (`index info --verify`) and answers exactly as one of its committed states (before or
# after the interrupted write), and that no temporary file outlives the next writer.
#
#   scripts/crash-trials.sh              # TRIALS=100 SIGKILL trials, INTS=20 SIGINT trials
#
# SIGINT trials also check that the interrupted writer removed its own temporary file.
# Prints one line per trial and a summary; exits 1 on any failure. Not a test: minutes of
# machine time. Needs only the repository (a generated corpus).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
TRIALS=${TRIALS:-100}
INTS=${INTS:-20}
cargo build --release --quiet --bin neardup
cargo build --release --quiet -p neardup-tools --bin gen_news
nd=$root/target/release/neardup
work=$root/target/crash-trials
rm -rf "$work" && mkdir -p "$work/corpus"
./target/release/gen_news --docs 40000 --text zipf --seed 5 --out "$work/corpus" 2>/dev/null
head -n 30000 "$work/corpus/news.jsonl" > "$work/base.jsonl"
tail -n +30001 "$work/corpus/news.jsonl" > "$work/batch.jsonl"
all=$work/corpus/news.jsonl
probe=$(tail -n 1 "$work/batch.jsonl" | python3 -c 'import json,sys; print(json.loads(sys.stdin.read())["text"][:400])')

answer() { # the state an index answers as: document count and a query's answer
  "$nd" index info "$1" --output-format json | python3 -c 'import json,sys; print(json.load(sys.stdin)["header"]["documents"])'
  "$nd" query "$1" --text "$probe" --top 5 --output-format tsv || true
}

"$nd" index build -q --single-file "$work/base.jsonl" -o "$work/s0.ndx"
"$nd" index build -q --single-file "$all" -o "$work/s1-build.ndx"
cp "$work/s0.ndx" "$work/s1-add.ndx" && "$nd" index add -q "$work/s1-add.ndx" "$work/batch.jsonl"
answer "$work/s0.ndx" > "$work/s0.answer"
answer "$work/s1-add.ndx" > "$work/s1.answer"
answer "$work/s1-build.ndx" > "$work/s1b.answer"
cmp -s "$work/s1.answer" "$work/s1b.answer" || { echo "adding and building differ"; exit 1; }
# How long a write takes, to spread the kills over it.
start=$(date +%s%N); cp "$work/s0.ndx" "$work/t.ndx"; "$nd" index add -q "$work/t.ndx" "$work/batch.jsonl"
span_ms=$(( ($(date +%s%N) - start) / 1000000 )); rm -f "$work/t.ndx"
echo "a write takes about ${span_ms} ms; kills land uniformly in [0, $((span_ms * 12 / 10))] ms"

idx=$work/live/c.ndx
mkdir -p "$work/live"
failures=0 before=0 after=0 strays=0 left_by_prev=""
strays_now() { find "$work/live" -maxdepth 1 -name '.neardup-*' -printf '%f\n' | sort; }
trial() { # signal, number
  local sig=$1 n=$2 verb cmd
  cp "$work/s0.ndx" "$idx"
  if (( n % 3 == 0 )); then
    verb=build; cmd=("$nd" index build -q --single-file "$all" -o "$idx")
  else
    verb=add; cmd=("$nd" index add -q "$idx" "$work/batch.jsonl")
  fi
  local delay=$(( RANDOM * span_ms * 12 / 10 / 32768 ))
  "${cmd[@]}" & local pid=$!
  python3 -c "import time; time.sleep($delay / 1000)"
  kill -s "$sig" "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  # The previous trial's temporaries are gone once this writer ran.
  for f in $left_by_prev; do
    if [ -e "$work/live/$f" ]; then echo "stray: $f outlived the next run"; strays=$((strays + 1)); fi
  done
  local state
  if ! "$nd" index info --verify "$idx" > /dev/null 2>&1; then
    state=UNREADABLE
  else
    answer "$idx" > "$work/now.answer"
    if cmp -s "$work/now.answer" "$work/s0.answer"; then state=before; before=$((before + 1))
    elif cmp -s "$work/now.answer" "$work/s1.answer"; then state=after; after=$((after + 1))
    else state=WRONG; fi
  fi
  left_by_prev=$(strays_now)
  if [ "$sig" = INT ] && [ -n "$left_by_prev" ]; then
    echo "SIGINT left $left_by_prev"; strays=$((strays + 1))
  fi
  case $state in before|after) ;; *) failures=$((failures + 1)) ;; esac
  printf 'trial %3d  SIG%-4s %-5s at %5d ms: %s%s\n' "$n" "$sig" "$verb" "$delay" "$state" \
    "${left_by_prev:+ (left: $(echo $left_by_prev | wc -w) temporary)}"
  # Dead writers' files are removed by a writer that finds them over 2 s old.
  python3 -c "import time; time.sleep(2.1)"
}
for n in $(seq 1 "$TRIALS"); do trial KILL "$n"; done
for n in $(seq 1 "$INTS"); do trial INT "$n"; done
# One more writer: it clears what the last trial left.
cp "$work/s0.ndx" "$idx" && "$nd" index add -q "$idx" "$work/batch.jsonl"
for f in $left_by_prev; do
  if [ -e "$work/live/$f" ]; then echo "stray: $f outlived the next run"; strays=$((strays + 1)); fi
done
echo "summary: $((TRIALS + INTS)) trials ($TRIALS SIGKILL, $INTS SIGINT): $before answered as before the write, $after as after, $failures unreadable or wrong, $strays stray temporary files"
[ "$failures" -eq 0 ] && [ "$strays" -eq 0 ]
