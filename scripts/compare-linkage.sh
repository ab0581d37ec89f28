#!/usr/bin/env bash
# The linkage comparison behind stories mode (docs/stories.md): ARI on NewsWCL50 and ECB+
# for single, complete, average and weighted linkage over full similarity matrices, on
# the plain TF-IDF cosine and on the shared-neighbour score with 6 (ranking) or 3
# (stories) neighbours, across thresholds. Uses scipy and scikit-learn from the peers' venv
# (scripts/bench-peers.sh makes it).
#
#   scripts/compare-linkage.sh
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
data=${DATA:-$root/../shared/datasets}
py=$root/target/peers/.venv/bin/python
[ -x "$py" ] || { echo "needs the peers venv: run scripts/bench-peers.sh first" >&2; exit 2; }
nd=$root/target/release/neardup
out=$root/target/eval/linkage
mkdir -p "$out"
(cd "$root" && cargo build --release --quiet)
for m in 6 3; do
  "$nd" rank "$data/newswcl50/documents.jsonl" --top 49 --rerank-neighbours $m -q -o "$out/wcl-m$m.tsv"
  "$nd" rank "$data/ecbplus_news_events/documents.jsonl" --top 981 --rerank-neighbours $m -q -o "$out/ecb-m$m.tsv"
done
"$py" - "$data" "$out" <<'PY'
import csv, json, sys
import numpy as np
from scipy.cluster.hierarchy import fcluster, linkage
from scipy.spatial.distance import squareform
from sklearn.metrics import adjusted_rand_score

data, out = sys.argv[1], sys.argv[2]

def load(docs_path, rank_path, field, column):
    docs = [json.loads(l) for l in open(docs_path)]
    index = {str(d["id"]): i for i, d in enumerate(docs)}
    truth = [str(d[field]) for d in docs]
    sim = np.zeros((len(docs), len(docs)))
    with open(rank_path) as f:
        for row in csv.DictReader(f, delimiter="\t"):
            a, b = index[row["id"]], index[row["neighbour"]]
            s = float(row[column])
            sim[a, b] = sim[b, a] = max(sim[a, b], s)
    np.fill_diagonal(sim, 1.0)
    return truth, sim

thresholds = [0.10, 0.13, 0.15, 0.20, 0.25, 0.28, 0.30, 0.35, 0.40, 0.45, 0.50]
print("ARI at thresholds " + " ".join(f"{t:.2f}" for t in thresholds))
for label, m, column in [("cosine", 6, "cosine"), ("score, 6 neighbours", 6, "score"), ("score, 3 neighbours", 3, "score")]:
    sets = {
        "NewsWCL50": load(f"{data}/newswcl50/documents.jsonl", f"{out}/wcl-m{m}.tsv", "event", column),
        "ECB+": load(f"{data}/ecbplus_news_events/documents.jsonl", f"{out}/ecb-m{m}.tsv", "subtopic", column),
    }
    for method in ["single", "complete", "average", "weighted"]:
        for name, (truth, sim) in sets.items():
            z = linkage(squareform(1 - sim, checks=False), method=method)
            aris = [adjusted_rand_score(truth, fcluster(z, 1 - t, "distance")) for t in thresholds]
            print(f"{label:20} {method:9} {name:10} " + " ".join(f"{a:.3f}" for a in aris))
PY
