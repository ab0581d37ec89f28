#!/usr/bin/env bash
# Sketching throughput against rensa's R-MinHash (issue 5): the same shingle strings (word
# 5-grams of the first N documents of the peers' 100k corpus, the harness's tokenizer), 128
# slots, one thread, in one run, with two inputs:
#   strings           rensa: RMinHash.from_token_sets as the peers harness calls it (its own
#                     hashing inside); neardup: xxh3 of each string, then each sketch.
#   hashes in memory  the same u64 hashes (neardup's xxh3) in one flat buffer with offsets;
#                     rensa: RMinHash.digest_matrix_from_flat_token_hashes; neardup: each
#                     sketch over the same buffer.
# The example also prints the floors (reading the input without sketching) and neardup's
# sketch with each document's hashes in cache.
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
(cd "$root" && cargo build --release --quiet -p neardup-tools --bin sketch_throughput)
cd "$work"
RAYON_NUM_THREADS=1 OMP_NUM_THREADS=1 .venv/bin/python - "$corpus" "$N" "$out" "$root/target/release/sketch_throughput" <<'PY'
import json, subprocess, sys, time
import numpy as np
sys.path.insert(0, ".")
from common import shingle_set
corpus, n, out, ours = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]
docs = []
with open(corpus) as f:
    for i, line in enumerate(f):
        if i >= n: break
        docs.append(sorted(shingle_set(json.loads(line)["text"], 5)))
with open(f"{out}/shingles.tsv", "w") as f:
    for d in docs: f.write("\t".join(d) + "\n")
total = sum(map(len, docs))
# neardup first: it also writes the xxh3 hashes of the shingles for rensa's pre-hashed input.
subprocess.run([ours, f"{out}/shingles.tsv", "3", f"{out}/hashes"], check=True)
flat = np.fromfile(f"{out}/hashes.u64", dtype="<u8")
offsets = np.fromfile(f"{out}/hashes.offsets.u64", dtype="<u8")
assert len(flat) == total and len(offsets) == len(docs) + 1
from rensa import RMinHash
def best(f):
    b = float("inf")
    for _ in range(3):
        t = time.perf_counter(); f(); b = min(b, time.perf_counter() - t)
    return b
strings = best(lambda: RMinHash.from_token_sets(docs, num_perm=128, seed=42))
memory = best(lambda: RMinHash.digest_matrix_from_flat_token_hashes(flat, offsets, num_perm=128, seed=42))
print(f"rensa   R-MinHash strings {strings:7.3f} s {total / strings / 1e6:7.1f} M/s   "
      f"hashes in memory {memory:7.3f} s {total / memory / 1e6:7.1f} M/s   "
      "(from_token_sets; digest_matrix_from_flat_token_hashes)")
PY
