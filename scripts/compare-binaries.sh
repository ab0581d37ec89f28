#!/usr/bin/env bash
# Byte-for-byte comparison of two builds of the neardup binary: `pairs`, `cluster` (copies
# and stories), `rank`, `report` (text, JSON and HTML), `compare` and an index built,
# extended and queried, on the bundled sample and on ECB+ (from ../shared when present).
#
#   scripts/compare-binaries.sh REV            # the binary at git REV against this work tree's
#   scripts/compare-binaries.sh OLD_BIN NEW_BIN
#
# Prints one line per output and exits 1 if any differs.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
work=$root/target/compare-binaries
mkdir -p "$work"
if [ $# -eq 1 ]; then
  rev=$1
  tree=$work/tree-$rev
  if [ ! -d "$tree" ]; then
    git -C "$root" worktree add --detach "$tree" "$rev" >/dev/null
  fi
  (cd "$tree" && CARGO_TARGET_DIR=$work/target-old cargo build --release --quiet --bin neardup)
  (cd "$root" && cargo build --release --quiet --bin neardup)
  old=$work/target-old/release/neardup
  new=$root/target/release/neardup
elif [ $# -eq 2 ]; then
  old=$(realpath "$1") new=$(realpath "$2")
else
  echo "usage: $0 REV | OLD_BIN NEW_BIN" >&2
  exit 2
fi

inputs=("$root/datasets/sample/news.jsonl")
ecb=$root/../shared/datasets/ecbplus_news_events/documents.jsonl
[ -f "$ecb" ] && inputs+=("$ecb")

# run BIN OUTDIR INPUT: every verb's outputs for one input, into OUTDIR
run() {
  local nd=$1 out=$2 in=$3
  mkdir -p "$out"
  # Relative names inside OUTDIR, so paths echoed into the outputs are the same for both.
  (cd "$out" && run_here "$nd" "$in")
}
run_here() {
  local nd=$1 in=$2 out=.
  "$nd" pairs "$in" --output-format tsv -o "$out/pairs.tsv" -q || true
  "$nd" pairs "$in" --output-format jsonl --sketch classic -o "$out/pairs-classic.jsonl" -q || true
  "$nd" pairs "$in" --output-format csv --sketch cminhash --shingle char:5 -o "$out/pairs-cmin.csv" -q || true
  "$nd" cluster "$in" -o "$out/cluster.txt" -q || true
  "$nd" cluster "$in" --output-format jsonl --singletons -o "$out/cluster.jsonl" -q || true
  "$nd" cluster "$in" --mode stories --output-format tsv -o "$out/stories.tsv" -q || true
  "$nd" rank "$in" --top 5 --output-format tsv -o "$out/rank.tsv" -q || true
  "$nd" report "$in" -o "$out/report.txt" -q || true
  "$nd" report "$in" --output-format json -o "$out/report.json" -q || true
  "$nd" report "$in" --html "$out/report.html" -q >/dev/null || true
  "$nd" index build "$in" -o "$out/index.ndx" -q || true
  head -n 20 "$in" > "$out/head.jsonl"
  rm -rf "$out/index-added.ndx"
  cp -R "$out/index.ndx" "$out/index-added.ndx"
  "$nd" index add "$out/index-added.ndx" "$out/head.jsonl" -q 2>/dev/null || true
  "$nd" index info "$out/index.ndx" --verify > "$out/index-info.txt" 2>&1 || true
  head -n 1 "$in" | python3 -c 'import json,sys; print(json.loads(sys.stdin.readline())["text"])' > "$out/q.txt"
  "$nd" query "$out/index.ndx" --file "$out/q.txt" --output-format jsonl > "$out/query.jsonl" 2>&1 || true
  sed -n 2p "$in" | python3 -c 'import json,sys; print(json.loads(sys.stdin.readline())["text"])' > "$out/q2.txt"
  "$nd" compare "$out/q.txt" "$out/q2.txt" --output-format json --passages > "$out/compare.json" 2>&1 || true
}

for nd in "$old" "$new"; do
  [ -x "$nd" ] || { echo "not an executable: $nd" >&2; exit 2; }
done
status=0
for in in "${inputs[@]}"; do
  name=$(basename "$(dirname "$in")")
  rm -rf "$work/old-$name" "$work/new-$name"
  run "$old" "$work/old-$name" "$in"
  run "$new" "$work/new-$name" "$in"
  for f in "$work/old-$name"/*; do
    b=$(basename "$f")
    [ "$b" = head.jsonl ] || [ "$b" = q.txt ] || [ "$b" = q2.txt ] && continue
    if [ -d "$f" ]; then
      # An index is a folder: the same files, byte for byte.
      if diff -rq "$f" "$work/new-$name/$b" >/dev/null; then
        echo "same      $name/$b ($(du -sb "$f" | cut -f1) bytes)"
      else
        echo "DIFFERENT $name/$b"
        status=1
      fi
    elif cmp -s "$f" "$work/new-$name/$b"; then
      echo "same      $name/$b ($(wc -c <"$f") bytes)"
    else
      echo "DIFFERENT $name/$b"
      status=1
    fi
  done
done
exit $status
