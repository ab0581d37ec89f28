#!/usr/bin/env bash
# Evaluates `neardup cluster --mode stories` on the shared same-event sets (issue 4):
# adjusted Rand index against the event labels, with default settings, then across story
# thresholds (the curve the default was chosen from).
#
#   scripts/eval-stories.sh            # defaults and the sweep
#   SWEEP=0 scripts/eval-stories.sh    # defaults only
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
data=${DATA:-$root/../shared/datasets}
nd=$root/target/release/neardup
out=$root/target/eval
mkdir -p "$out"
(cd "$root" && cargo build --release --quiet)
ari() { # DATASET LABEL [flags...] -> ARI
  local set=$1 label=$2; shift 2
  "$nd" cluster "$data/$set/documents.jsonl" --mode stories --singletons \
    --output-format jsonl -q -o "$out/stories-$set.jsonl" "$@"
  python3 "$data/metrics.py" ari "$data/$set/documents.jsonl" "$label" "$out/stories-$set.jsonl"
}
echo "== cluster --mode stories, defaults (ARI)"
echo "NewsWCL50 (event):              $(ari newswcl50 event)"
echo "ECB+ (subtopic):                $(ari ecbplus_news_events subtopic)"
# The same ECB+ clustering scored on topic ranges (a consistency check: the defaults were
# chosen on all topics).
python3 - "$data" "$out/stories-ecbplus_news_events.jsonl" <<'PY'
import json, sys
sys.path.insert(0, sys.argv[1])
import metrics
docs = [json.loads(l) for l in open(f"{sys.argv[1]}/ecbplus_news_events/documents.jsonl")]
label = metrics.clusters(sys.argv[2])
for lo, hi in [(1, 35), (36, 45)]:
    truth = {str(d["id"]): str(d["subtopic"]) for d in docs if lo <= int(d["topic"]) <= hi}
    print(f"ECB+ topics {lo}-{hi} ({len(truth)} articles): {metrics.ari(truth, label):.4f}")
PY
if [ "${SWEEP:-1}" != 0 ]; then
  echo "== across --story-threshold (NewsWCL50 / ECB+)"
  for t in 0.08 0.10 0.11 0.12 0.13 0.14 0.15 0.16 0.20 0.25 0.30; do
    echo "$t  $(ari newswcl50 event --story-threshold $t) / $(ari ecbplus_news_events subtopic --story-threshold $t)"
  done
fi
