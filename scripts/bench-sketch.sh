#!/usr/bin/env bash
# Sketching throughput against rensa's R-MinHash (issue 5): the same shingle strings (word
# 5-grams of the first N documents of the peers' 100k corpus, the harness's tokenizer), 128
# slots, one thread, in one run. rensa: RMinHash.from_token_sets as the peers harness calls
# it (strings in, hashing inside); neardup: xxh3 of each string, then each sketch.
#
#   scripts/bench-sketch.sh            # N=20000
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
work=$root/target/peers
N=${N:-20000}
[ -x "$work/.venv/bin/python" ] || { echo "run scripts/bench-peers.sh first (venv, corpus)" >&2; exit 2; }
corpus=$work/.cache/corpus-100k/corpus.jsonl
[ -f "$corpus" ] || { echo "missing $corpus: run scripts/bench-peers.sh" >&2; exit 2; }
out=$root/target/bench-sketch
mkdir -p "$out"
(cd "$root" && cargo build --release --quiet --example sketch_throughput)
cd "$work"
RAYON_NUM_THREADS=1 OMP_NUM_THREADS=1 .venv/bin/python - "$corpus" "$N" "$out/shingles.tsv" <<'PY'
import json, sys, time
sys.path.insert(0, ".")
from common import shingle_set
corpus, n, dest = sys.argv[1], int(sys.argv[2]), sys.argv[3]
docs = []
with open(corpus) as f:
    for i, line in enumerate(f):
        if i >= n: break
        docs.append(sorted(shingle_set(json.loads(line)["text"], 5)))
with open(dest, "w") as f:
    for d in docs: f.write("\t".join(d) + "\n")
total = sum(map(len, docs))
from rensa import RMinHash
best = float("inf")
for _ in range(3):
    t = time.perf_counter()
    m = RMinHash.from_token_sets(docs, num_perm=128, seed=42)
    best = min(best, time.perf_counter() - t)
print(f"{len(docs)} documents, {total} shingles")
print(f"rensa RMinHash     hash+sketch {best:7.3f} s  {total / best / 1e6:6.1f} M shingles/s")
PY
"$root/target/release/examples/sketch_throughput" "$out/shingles.tsv" 3
