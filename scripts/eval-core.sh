#!/usr/bin/env bash
# Reproduces the core figures of docs/design.md and docs/benchmarks.md from ../shared data:
#  1. F1 of `neardup pairs` (defaults) on Reuters stories re-published with realistic edits
#     (within two days, then up to three weeks after the original);
#  2. the 230 exact-duplicate groups of Reuters-21578 inside one cluster, and the run time.
# Needs ../shared (evaluation data); not part of the tests.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
data=${SHARED:-$root/../shared}/datasets
out=$root/target/eval
mkdir -p "$out"
cd "$root"
cargo build --release --quiet --bin neardup
cargo build --release --quiet -p neardup-tools --bin gen_news
bin=$root/target/release/neardup
gen=$root/target/release/gen_news

echo "== 1. Reuters re-published with realistic edits (defaults)"
$gen --base "$data/reuters21578/documents-part1.jsonl" --stories 3000 --seed 1 --out "$out/reuters-rewrites"
$gen --base "$data/reuters21578/documents-part2.jsonl" --stories 3000 --seed 2 --out "$out/reuters-rewrites-part2"
for d in reuters-rewrites reuters-rewrites-part2; do
  echo "-- $d"
  $bin pairs "$out/$d/news.jsonl" -o "$out/$d/pairs.tsv"
  python3 scripts/score_pairs.py "$out/$d/truth.tsv" "$out/$d/pairs.tsv"
done

echo "== 1b. The same, copies re-run up to three weeks after the original (--spread 21)"
# Copies in 1. come out within two days, where the rules for texts published days apart
# never apply; here they do. Undated (the date field dropped), for comparison.
for i in 1 2; do
  d=reuters-late-$i
  $gen --base "$data/reuters21578/documents-part$i.jsonl" --stories 3000 --seed $i --spread 21 --out "$out/$d"
  echo "-- $d"
  $bin pairs "$out/$d/news.jsonl" -o "$out/$d/pairs.tsv"
  python3 scripts/score_pairs.py "$out/$d/truth.tsv" "$out/$d/pairs.tsv"
  python3 -c 'import json, sys
for line in sys.stdin:
    d = json.loads(line); d.pop("date", None); print(json.dumps(d))' <"$out/$d/news.jsonl" >"$out/$d/undated.jsonl"
  echo "-- $d, undated"
  $bin pairs "$out/$d/undated.jsonl" -o "$out/$d/pairs-undated.tsv"
  python3 scripts/score_pairs.py "$out/$d/truth.tsv" "$out/$d/pairs-undated.tsv"
  # What the dates cost: pairs found undated but not dated, and how many of them join a
  # copy with a sentence dropped (the edit `dropN` of truth.tsv).
  python3 - "$out/$d" <<'PY'
import sys
d = sys.argv[1]
pairs = lambda f: {tuple(l.split("\t")[:2]) for l in open(f"{d}/{f}").read().splitlines()[1:]}
edits = {r[0]: r[3] for r in (l.split("\t") for l in open(f"{d}/truth.tsv").read().splitlines()[1:])}
lost = pairs("pairs-undated.tsv") - pairs("pairs.tsv")
drop = sum(1 for a, b in lost if "drop" in edits[a] + edits[b])
print(f"true pairs lost to the dates: {len(lost)}, {drop} of them with a sentence dropped")
PY
done

echo "== 2. Reuters-21578, both parts: exact-duplicate groups and time"
r=$data/reuters21578
/usr/bin/time -f "wall %e s, peak RSS %M KB" \
  $bin cluster "$r/documents-part1.jsonl" "$r/documents-part2.jsonl" --output-format jsonl -o "$out/reuters-clusters.jsonl"
python3 - "$out/reuters-clusters.jsonl" "$r/exact_duplicate_groups.jsonl" <<'PY'
import json, sys
cluster = {}
for line in open(sys.argv[1]):
    c = json.loads(line)
    for m in c["members"]:
        cluster[str(m["id"])] = c["cluster"]
groups = [json.loads(l)["ids"] for l in open(sys.argv[2])]
inside = sum(1 for g in groups if len({cluster.get(str(i)) for i in g} - {None}) == 1
             and all(str(i) in cluster for i in g))
print(f"exact-duplicate groups inside one cluster: {inside} of {len(groups)}")
PY
