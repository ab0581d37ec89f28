#!/usr/bin/env bash
# Runs ../shared/peers (datasketch, rensa, gaoya, simhash, scikit-learn) with neardup plugged
# in through its --ours hook, on the harness's synthetic corpus, in one run.
#
#   scripts/bench-peers.sh              # 100k documents, one thread, MinHash peers
#   N=10000 scripts/bench-peers.sh      # corpus size
#   THREADS=2 PEERS=rensa,datasketch scripts/bench-peers.sh
#
# The harness directory is read-only, so it is copied to target/peers (venv and corpora are
# cached there). Results: target/peers/results/<label>.md and .jsonl.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
shared=${SHARED:-$root/../shared/peers}
work=$root/target/peers
N=${N:-100000}
THREADS=${THREADS:-1}
PEERS=${PEERS:-datasketch,rensa,gaoya}
mkdir -p "$work"
cp -f "$shared"/*.py "$shared"/requirements.txt "$work"/
chmod u+w "$work"/*
cd "$work"
if [ ! -x .venv/bin/python ]; then
  python3 -m venv .venv
  .venv/bin/pip install -q -r requirements.txt
fi
(cd "$root" && cargo build --release --quiet)
name=$N; [ $((N % 1000)) -eq 0 ] && name=$((N / 1000))k
dir=.cache/corpus-$name
[ -f "$dir/meta.json" ] || .venv/bin/python gen_corpus.py --n "$N" --seed 1 --out "$dir"
# The harness scores pairs against J >= threshold on word 5-grams, so neardup is run with
# the same shingles and plain Jaccard alone (containment off, every shingle weighing the
# same: --template-df off).
.venv/bin/python bench_peers.py --corpus "$dir" --threads "$THREADS" --peers "$PEERS" \
  --label "corpus-${name}_t${THREADS}" \
  --ours-name neardup \
  --ours "$root/target/release/neardup pairs {corpus} --threshold {threshold} --shingle word:{shingle} --containment off --template-df off --threads {threads} --quiet --output-format tsv -o {out}"
cat "results/corpus-${name}_t${THREADS}.md"
