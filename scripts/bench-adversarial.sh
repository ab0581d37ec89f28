#!/usr/bin/env bash
# Time and peak memory of every verb on adversarial corpora (issue 15's list): 50,000
# identical documents, 50,000 documents sharing one long paragraph, one 100 MB document,
# 200,000 empty lines, two 168 KB documents of one repeated phrase, and two texts (2.4 and
# 3.6 MB) sharing 32,000 ten-word phrases in shuffled order (both for passage alignment). Each run is capped at $LIMIT seconds (default 300); a capped run prints
# "over". Prints a Markdown table for docs/benchmarks.md.
#
#   scripts/bench-adversarial.sh [OUT_DIR]        (default target/adversarial)
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:-target/adversarial}
limit=${LIMIT:-300}
mkdir -p "$out"
cargo build --release --quiet
bin=$PWD/target/release/neardup

python3 - "$out" <<'PY'
import json, os, random, sys
out = sys.argv[1]
def make(name, write):
    path = os.path.join(out, name)
    if not os.path.exists(path):
        with open(path + ".tmp", "w") as f:
            write(f)
        os.rename(path + ".tmp", path)
rng = random.Random(7)
vocab = ["".join(rng.choice("abcdefghijklmnopqrstuvwxyz") for _ in range(rng.randint(3, 9)))
         for _ in range(20000)]
words = lambda n: " ".join(rng.choice(vocab) for _ in range(n))
story = ("The central bank raised its key interest rate by a quarter point on Tuesday, citing "
         "persistent inflation and a tight labour market, officials said in a statement.")
make("identical-50k.jsonl", lambda f: [f.write(json.dumps({"id": str(i), "text": story}) + "\n")
                                       for i in range(50000)])
para = words(400)
make("shared-paragraph-50k.jsonl", lambda f: [
    f.write(json.dumps({"id": str(i), "text": words(60) + "\n\n" + para}) + "\n")
    for i in range(50000)])
def big(f):
    n = 0
    while n < 100_000_000:
        line = words(1000) + "\n"
        f.write(line)
        n += len(line)
make("one-100mb.txt", big)
make("empty-lines-200k.jsonl", lambda f: f.write("\n" * 200000))
make("empty-docs-200k.jsonl", lambda f: [f.write(json.dumps({"id": str(i), "text": ""}) + "\n")
                                         for i in range(200000)])
phrase = "the minister said that the talks would continue "
make("repeated-phrase-2.jsonl", lambda f: [
    f.write(json.dumps({"id": f"r{i}", "text": phrase * (168_000 // len(phrase))}) + "\n")
    for i in range(2)])
def scattered(f):
    # 320,000 words; the second text holds them as shuffled ten-word pieces, each followed
    # by 5 other words: 32,000 passages that no gap joins (a copy by containment).
    a = [rng.choice(vocab) + str(i % 97) for i in range(320_000)]
    pieces = [a[i:i + 10] for i in range(0, len(a), 10)]
    rng.shuffle(pieces)
    b = []
    for p in pieces:
        b += p + words(5).split()
    for i, t in enumerate((a, b)):
        f.write(json.dumps({"id": f"s{i}", "text": " ".join(t)}) + "\n")
make("scattered-phrases-2.jsonl", scattered)
PY

run() { # name corpus args...
  local name=$1 corpus=$2 rc=0 s
  shift 2
  local log=$out/run.log
  /usr/bin/time -f "%e %M" -o "$out/time" timeout "$limit" "$bin" "$@" > /dev/null 2> "$log" || rc=$?
  case $rc in
    0 | 1) s=$(tail -n1 "$out/time" | awk '{printf "%.1f s, %.0f MB", $1, $2 / 1024}') ;; # 1: nothing found
    124) s="over ${limit} s" ;;
    *) s="exit $rc: $( (grep -m1 error "$log" || tail -n1 "$log") | cut -c1-80)" ;;
  esac
  printf '| %s | %s | %s |\n' "$corpus" "$name" "$s"
}

echo "| corpus | command | time, peak RSS |"
echo "|---|---|---|"
for c in identical-50k shared-paragraph-50k empty-docs-200k; do
  f=$out/$c.jsonl
  run pairs "$c" pairs "$f" -o "$out/o.tsv" --quiet
  run cluster "$c" cluster "$f" -o "$out/o.txt" --quiet
  run "cluster --mode stories" "$c" cluster --mode stories "$f" -o "$out/o.txt" --quiet
  run dedup "$c" dedup "$f" -o "$out/o.jsonl" --quiet
  run rank "$c" rank "$f" -o "$out/o.tsv" --quiet
  run report "$c" report "$f" -o "$out/o.txt" --quiet
  run "report --html" "$c" report "$f" -o "$out/o.txt" --html "$out/o.html" --quiet
  run "index build" "$c" index build "$f" -o "$out/o.ndx" --quiet
  run "query --id 0" "$c" query "$out/o.ndx" --id 0 -o "$out/o.txt"
done
f=$out/empty-lines-200k.jsonl
run pairs empty-lines-200k pairs "$f" -o "$out/o.tsv" --quiet
b=$out/one-100mb.txt
[ -e "$out/one-100mb-copy.txt" ] || cp "$b" "$out/one-100mb-copy.txt"
c=$out/one-100mb-copy.txt
run pairs one-100mb pairs "$b" -o "$out/o.tsv" --quiet
run "pairs (two copies)" one-100mb pairs "$b" "$c" -o "$out/o.tsv" --quiet
run "rank (two copies)" one-100mb rank "$b" "$c" -o "$out/o.tsv" --quiet
run "report --html (two copies)" one-100mb report "$b" "$c" -o "$out/o.txt" --html "$out/o.html" --quiet
run "compare --passages" one-100mb compare "$b" "$c" --passages -o "$out/o.txt"
r=$out/repeated-phrase-2.jsonl
run report repeated-phrase-2 report "$r" -o "$out/o.txt" --quiet
run "compare --passages" repeated-phrase-2 compare --input "$r" --id r0 --id r1 --passages -o "$out/o.txt"
r=$out/scattered-phrases-2.jsonl
run "compare --passages" scattered-phrases-2 compare --input "$r" --id s0 --id s1 --passages -o "$out/o.txt"
run report scattered-phrases-2 report "$r" -o "$out/o.txt" --quiet
