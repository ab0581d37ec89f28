#!/usr/bin/env python3
"""Time of the whole process against corpus size, log-log, as a self-contained SVG.

  python3 scripts/plot-scale.py            # -> docs/img/scale.svg

Reads target/scale/scale.csv (scripts/bench-scale.sh: neardup on our generator's corpora,
1 and 2 threads) and the peers' whole-process times from target/peers/results/corpus-*_t1.jsonl
(scripts/bench-peers.sh: the harness's corpora, 1 thread, neardup included). Standard
library only.
"""
import csv, glob, json, math, os, sys

root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
series = {}  # name -> [(docs, seconds)]
with open(os.path.join(root, "target/scale/scale.csv")) as f:
    for r in csv.DictReader(f):
        series.setdefault(f"neardup, our corpus, {r['threads']} thread{'s' if r['threads'] != '1' else ''}", []).append(
            (int(r["docs"]), float(r["seconds"])))
for path in sorted(glob.glob(os.path.join(root, "target/peers/results/corpus-*_t1.jsonl"))):
    for line in open(path):
        d = json.loads(line)
        if d.get("phase") == "process" and d.get("status") == "ok":
            name = d["peer"] + ", peers' corpus, 1 thread"
            series.setdefault(name, []).append((d["n_docs"], d["wall_s"]))
colours = {"datasketch, peers' corpus, 1 thread": "#d62728", "rensa, peers' corpus, 1 thread": "#ff7f0e", "gaoya, peers' corpus, 1 thread": "#9467bd"}
W, H, L, R, T, B = 820, 480, 70, 300, 30, 50
xs = [x for s in series.values() for x, _ in s]
ys = [y for s in series.values() for _, y in s]
x0, x1 = math.log10(min(xs)) - 0.1, math.log10(max(xs)) + 0.1
y0, y1 = math.floor(math.log10(min(ys))), math.ceil(math.log10(max(ys)))
px = lambda x: L + (math.log10(x) - x0) / (x1 - x0) * (W - L - R)
py = lambda y: H - B - (math.log10(y) - y0) / (y1 - y0) * (H - T - B)
out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{W}" height="{H}" font-family="sans-serif" font-size="12">',
       f'<rect width="{W}" height="{H}" fill="white"/>',
       f'<text x="{L}" y="18" font-size="14" font-weight="bold">Whole-process time against corpus size (log-log)</text>']
for e in range(y0, y1 + 1):
    y = py(10 ** e)
    out.append(f'<line x1="{L}" y1="{y:.1f}" x2="{W - R}" y2="{y:.1f}" stroke="#e5e5e5"/>')
    out.append(f'<text x="{L - 8}" y="{y + 4:.1f}" text-anchor="end">{10 ** e:g} s</text>')
for n in sorted(set(xs)):
    x = px(n)
    out.append(f'<line x1="{x:.1f}" y1="{T}" x2="{x:.1f}" y2="{H - B}" stroke="#e5e5e5"/>')
    label = f"{n // 1000}k" if n < 1_000_000 else f"{n // 1_000_000}M"
    out.append(f'<text x="{x:.1f}" y="{H - B + 18}" text-anchor="middle">{label}</text>')
out.append(f'<text x="{(L + W - R) / 2}" y="{H - 12}" text-anchor="middle">documents</text>')
# Linear growth for reference: through neardup's 2-thread point at the smallest size.
for i, (name, pts) in enumerate(sorted(series.items())):
    pts.sort()
    c = colours.get(name, ["#1f77b4", "#2ca02c", "#17becf", "#8c564b"][i % 4])
    dash = ' stroke-dasharray="5,3"' if "peers' corpus" in name else ""
    path = " ".join(f"{'M' if k == 0 else 'L'}{px(x):.1f},{py(y):.1f}" for k, (x, y) in enumerate(pts))
    out.append(f'<path d="{path}" fill="none" stroke="{c}" stroke-width="2"{dash}/>')
    for x, y in pts:
        out.append(f'<circle cx="{px(x):.1f}" cy="{py(y):.1f}" r="3.5" fill="{c}"><title>{name}: {x} docs, {y:.2f} s</title></circle>')
    ly = T + 20 + 20 * i
    out.append(f'<line x1="{W - R + 15}" y1="{ly}" x2="{W - R + 40}" y2="{ly}" stroke="{c}" stroke-width="2"{dash}/>')
    out.append(f'<text x="{W - R + 46}" y="{ly + 4}">{name}</text>')
ly = T + 20 + 20 * len(series) + 10
out.append(f'<text x="{W - R + 15}" y="{ly}" fill="#555">slope 1 = linear growth</text>')
out.append("</svg>")
dest = os.path.join(root, "docs/img/scale.svg")
os.makedirs(os.path.dirname(dest), exist_ok=True)
open(dest, "w").write("\n".join(out) + "\n")
print(dest)
