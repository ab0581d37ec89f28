#!/usr/bin/env bash
# Coverage-guided fuzzing of the readers and the index with AFL++ through `cargo afl`
# (stable toolchain; cargo-fuzz/libFuzzer needs nightly). Targets (fuzz/targets/mod.rs):
#   read     JSONL, CSV, .txt and the raw form (first byte picks the reader), then sketched,
#            paired and clustered
#   parquet  a Parquet file, read by row group, then the same
#   index    an index file (optionally with its checksums re-sealed), opened, verified,
#            read section by section and queried
#
#   scripts/fuzz.sh [SECONDS_PER_TARGET] [TARGET...]     (default 1800 s = 30 CPU-minutes,
#                                                        all three, one after another)
#
# Each target runs on one core for the time given (AFL's -V), starting from seeds made from
# the bundled sample and from the kept corpus fuzz/corpus/<target>/; afterwards the queue's
# smallest entries (at most 300 files, 2 MB) become fuzz/corpus/<target>/ (replayed by tests/fuzz_corpus.rs),
# and the figures (executions, CPU time, crashes, hangs) are printed. Findings stay under
# target/fuzz/<target>/default/{crashes,hangs}; replay one with
#   FUZZ_TARGET=<target> FUZZ_INPUT=FILE cargo test --release --test fuzz_corpus replay_one -- --ignored
# and, once fixed, keep it as fuzz/corpus/<target>/crash-NAME or hang-NAME (kept by every later run). Needs `cargo install cargo-afl` (done here
# when missing).
set -euo pipefail
cd "$(dirname "$0")/.."
secs=${1:-1800}
shift || true
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(read parquet index)

command -v cargo-afl >/dev/null || cargo install cargo-afl --locked
cargo build --release --quiet
# AFL++'s runtime is built once per Rust version. `cargo afl config --build` must not be run
# again once it is built: it then fails half way and later builds fail too, until it is
# rebuilt with --force. cargo also caches a failed rustc probe in
# fuzz/target/.rustc_info.json, so that cache is made afresh.
build_targets() { rm -f fuzz/target/.rustc_info.json; (cd fuzz && cargo afl build --release --quiet); }
if ! build_targets 2>/dev/null; then
  cargo afl config --build --force >/dev/null
  build_targets
fi
bin=target/release/neardup
work=target/fuzz
mkdir -p "$work"

# Seeds: small real inputs of every kind, made from the bundled sample.
seeds=$work/seeds
rm -rf "$seeds" && mkdir -p "$seeds"/{read,parquet,index}
python3 - "$seeds" <<'PY'
import json, sys, os
d = sys.argv[1]
docs = [json.loads(l) for l in open("datasets/sample/news.jsonl")][:4]
short = [dict(id=x["id"], outlet=x.get("outlet", ""), date=x.get("date", ""),
              text=x["text"][:300]) for x in docs]
jsonl = "".join(json.dumps(x) + "\n" for x in short).encode()
csv = ("id,outlet,date,text\n" + "".join(
    '{},{},{},"{}"\n'.format(x["id"], x["outlet"], x["date"], x["text"].replace('"', '""'))
    for x in short)).encode()
raw = "[{}] date {} {}".format(short[0]["outlet"], short[0]["date"], short[0]["text"]).encode()
for name, body in [("0-jsonl", b"\x00" + jsonl), ("1-csv", b"\x01" + csv),
                   ("2-txt", b"\x02" + short[1]["text"].encode()), ("3-raw", b"\x03" + raw)]:
    open(os.path.join(d, "read", name), "wb").write(body)
open(os.path.join(d, "small.jsonl"), "wb").write(jsonl)
PY
"$bin" dedup "$seeds/small.jsonl" -o "$seeds/parquet/small.parquet" --quiet
rm -f "$seeds"/parquet/*.dropped.*
"$bin" index build --single-file "$seeds/small.jsonl" -o "$seeds/small.ndx" --num-perm 16
for flag in 0 1; do
  { printf "\\x0$flag"; cat "$seeds/small.ndx"; } > "$seeds/index/small-$flag"
done
rm -f "$seeds/small.ndx" "$seeds/small.jsonl"

export AFL_SKIP_CPUFREQ=1 AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES=1 AFL_NO_UI=1 \
  AFL_NO_AFFINITY=1 RAYON_NUM_THREADS=1
for t in "${targets[@]}"; do
  in=$work/in-$t
  rm -rf "$in" "$work/$t" && mkdir -p "$in"
  cp "$seeds/$t"/* "$in"/
  [ -d "fuzz/corpus/$t" ] && cp fuzz/corpus/"$t"/* "$in"/ 2>/dev/null || true
  echo "== $t: $secs s"
  cargo afl fuzz -i "$in" -o "$work/$t" -V "$secs" -t 5000 -m none \
    "fuzz/target/release/$t" > "$work/$t.log" 2>&1 || { tail -20 "$work/$t.log"; exit 1; }
  stats=$work/$t/default/fuzzer_stats
  crashes=$(ls "$work/$t/default/crashes" | grep -vc README || true)
  hangs=$(ls "$work/$t/default/hangs" | grep -vc README || true)
  awk -v t="$t" -v c="$crashes" -v h="$hangs" -F' *: *' '
    {v[$1]=$2}
    END {printf "%s: %s executions in %.1f CPU-minutes (%s/s), %s paths, edges %s, crashes %d, hangs %d\n",
         t, v["execs_done"], v["run_time"]/60, v["execs_per_sec"], v["corpus_count"], v["bitmap_cvg"], c, h}' "$stats"
  # Keep the queue (every entry found new coverage) as the regression corpus: the
  # smallest entries (at most 300 and 2 MB), under short names (afl's carry commas and colons).
  q=$work/$t/default/queue
  # Inputs that once crashed or hung a target (crash-*, hang-*) stay, whatever the queue holds.
  keep=$work/keep-$t
  rm -rf "$keep" && mkdir -p "$keep"
  cp fuzz/corpus/"$t"/crash-* fuzz/corpus/"$t"/hang-* "$keep"/ 2>/dev/null || true
  rm -rf "fuzz/corpus/$t" && mkdir -p "fuzz/corpus/$t"
  cp "$keep"/* "fuzz/corpus/$t"/ 2>/dev/null || true
  i=0 bytes=0
  for f in $(cd "$q" && find . -maxdepth 1 -type f -printf "%s %f\n" | sort -n | cut -d" " -f2); do
    bytes=$((bytes + $(stat -c %s "$q/$f")))
    [ "$i" -lt 300 ] && [ "$bytes" -le 2000000 ] || break
    cp "$q/$f" "fuzz/corpus/$t/$(printf '%04d' $i)"; i=$((i + 1))
  done
  echo "$t: $i inputs kept in fuzz/corpus/$t ($(du -sh "fuzz/corpus/$t" | cut -f1))"
done
