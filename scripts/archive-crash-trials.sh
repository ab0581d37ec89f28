#!/usr/bin/env bash
# Crash safety of an index folder by trial (issue 16): kills `neardup index add`,
# `index remove` and `index merge` with SIGKILL at random moments, then checks that the
# folder opens, verifies (`index info --verify`) and answers exactly as one of its
# committed states (before or after the interrupted write), and that the next writer
# leaves no file the manifest does not name.
#
#   scripts/archive-crash-trials.sh          # TRIALS=100
#
# Prints one line per trial and a summary; exits 1 on any failure. Not a test: minutes of
# machine time. Needs only the repository (a generated corpus).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
TRIALS=${TRIALS:-100}
cargo build --release --quiet --bin neardup
cargo build --release --quiet -p neardup-tools --bin gen_news
nd=$root/target/release/neardup
work=$root/target/archive-crash-trials
rm -rf "$work" && mkdir -p "$work/corpus"
./target/release/gen_news --docs 24000 --text zipf --seed 5 --out "$work/corpus" 2>/dev/null
head -n 20000 "$work/corpus/news.jsonl" > "$work/base.jsonl"
tail -n +20001 "$work/corpus/news.jsonl" > "$work/batch.jsonl"
python3 -c "import json,sys; [print(json.loads(l)['id']) for i, l in enumerate(open(sys.argv[1])) if i % 13 == 0]" \
  "$work/corpus/news.jsonl" > "$work/remove.txt"
probe=$(tail -n 1 "$work/batch.jsonl" | python3 -c 'import json,sys; print(json.loads(sys.stdin.read())["text"][:400])')

answer() { # the state a folder answers as: live documents and a query's answer
  "$nd" index info "$1" --output-format json | python3 -c 'import json,sys; print(json.load(sys.stdin)["documents"])'
  "$nd" query "$1" --text "$probe" --top 5 --output-format tsv || true
}
# The committed states: s0 (built), s1 (s0 + batch), s2 (s1 - ids), s3 (s2 merged).
"$nd" index build -q "$work/base.jsonl" -o "$work/s0"
cp -a "$work/s0" "$work/s1" && "$nd" index add -q "$work/s1" "$work/batch.jsonl"
cp -a "$work/s1" "$work/s2" && "$nd" index remove -q "$work/s2" --ids-from "$work/remove.txt"
cp -a "$work/s2" "$work/s3" && "$nd" index merge -q "$work/s3"
for s in s0 s1 s2 s3; do answer "$work/$s" > "$work/$s.answer"; done
cmp -s "$work/s2.answer" "$work/s3.answer" || { echo "merging changed the answers"; exit 1; }
span_add=$(rm -rf "$work/t"; cp -a "$work/s0" "$work/t"; s=$(date +%s%N); "$nd" index add -q "$work/t" "$work/batch.jsonl"; echo $(( ($(date +%s%N) - s) / 1000000 )))
span_rm=$(rm -rf "$work/t"; cp -a "$work/s1" "$work/t"; s=$(date +%s%N); "$nd" index remove -q "$work/t" --ids-from "$work/remove.txt"; echo $(( ($(date +%s%N) - s) / 1000000 )))
span_merge=$(rm -rf "$work/t"; cp -a "$work/s2" "$work/t"; s=$(date +%s%N); "$nd" index merge -q "$work/t"; echo $(( ($(date +%s%N) - s) / 1000000 )))
echo "writes take about: add ${span_add} ms, remove ${span_rm} ms, merge ${span_merge} ms; kills land uniformly in [0, 1.2 x that]"

idx=$work/live
failures=0 before=0 after=0 strays=0
trial() { # number
  local n=$1 verb from to span cmd
  case $(( n % 3 )) in
    0) verb=add; from=s0; to=s1; span=$span_add; cmd=("$nd" index add -q "$idx" "$work/batch.jsonl") ;;
    1) verb=remove; from=s1; to=s2; span=$span_rm; cmd=("$nd" index remove -q "$idx" --ids-from "$work/remove.txt") ;;
    2) verb=merge; from=s2; to=s3; span=$span_merge; cmd=("$nd" index merge -q "$idx") ;;
  esac
  rm -rf "$idx" && cp -a "$work/$from" "$idx"
  local delay=$(( RANDOM * span * 12 / 10 / 32768 ))
  "${cmd[@]}" & local pid=$!
  python3 -c "import time; time.sleep($delay / 1000)"
  kill -s KILL "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  local state
  if ! "$nd" index info --verify "$idx" > /dev/null 2>&1; then
    state=UNREADABLE
  else
    answer "$idx" > "$work/now.answer"
    if cmp -s "$work/now.answer" "$work/$from.answer"; then state=before; before=$((before + 1))
    elif cmp -s "$work/now.answer" "$work/$to.answer"; then state=after; after=$((after + 1))
    else state=WRONG; fi
  fi
  case $state in before|after) ;; *) failures=$((failures + 1)) ;; esac
  # The next writer (a remove of no id: it commits and cleans up) leaves only named files;
  # a dead writer's temporary file goes once it is over 2 s old.
  python3 -c "import time; time.sleep(2.1)"
  "$nd" index remove -q "$idx" __no_such_id__ > /dev/null 2>&1 || true
  local left
  left=$(python3 - "$idx" <<'PY'
import json, os, subprocess, sys
d = sys.argv[1]
info = json.loads(subprocess.run([os.environ["ND"], "index", "info", d, "--output-format", "json"], capture_output=True, text=True).stdout)
named = {"manifest.ndx", "writer.lock"}
for s in info["segments"]:
    named.add(s["file"])
    if s["deletions"]:
        named.add(s["deletions"])
print(" ".join(sorted(set(os.listdir(d)) - named)))
PY
)
  if [ -n "$left" ]; then echo "stray after the next writer: $left"; strays=$((strays + 1)); fi
  printf 'trial %3d  SIGKILL %-6s at %5d ms: %s\n' "$n" "$verb" "$delay" "$state"
}
export ND=$nd
for n in $(seq 1 "$TRIALS"); do trial "$n"; done
echo "summary: $TRIALS SIGKILL trials (add, remove, merge in turn): $before answered as before the write, $after as after, $failures unreadable or wrong, $strays with stray files after the next writer"
[ "$failures" -eq 0 ] && [ "$strays" -eq 0 ]
