#!/usr/bin/env python3
"""`neardup watch` on a generated feed (issue 16): articles per second with a 7-day window,
and peak memory for feeds of N/4, N/2 and N articles (bounded by the window, it should
not grow with the feed).

The feed is gen_news's zipf text (N articles over one year, about 2,500 inside any 7 days),
sorted by date as a feed arrives; it is read from a file as fast as `watch` takes it, so
articles come in batches. Each run starts from an empty window and writes its answers
(JSONL) to a file.

    scripts/bench-watch.py                 # N=100000, 7-day window
    scripts/bench-watch.py --docs 20000 --window 2d
    NEARDUP=/path/to/other/neardup scripts/bench-watch.py   # another build

Prints one CSV line per feed length and writes target/watch-bench/results.json.
"""
import argparse
import json
import os
import re
import subprocess
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(ROOT, "target", "watch-bench")
ND = os.environ.get("NEARDUP", os.path.join(ROOT, "target", "release", "neardup"))


def sh(*cmd, **kw):
    return subprocess.run(cmd, check=True, **kw)


def feed(n):
    corpus = os.path.join(OUT, f"corpus-{n}")
    news = os.path.join(corpus, "news.jsonl")
    if not os.path.exists(news) or sum(1 for _ in open(news)) < n:
        sh(os.path.join(ROOT, "target", "release", "gen_news"), "--docs", str(n), "--text", "zipf",
           "--seed", "11", "--out", corpus, stderr=subprocess.DEVNULL)
    rows = []
    with open(news) as f:
        for i, line in enumerate(f):
            if i >= n:
                break
            rows.append((json.loads(line)["date"], i, line))
    rows.sort()
    path = os.path.join(corpus, "feed.jsonl")
    with open(path, "w") as f:
        f.writelines(r[2] for r in rows)
    return path


def run(path, n, window):
    part = path + f".{n}"
    with open(path) as src, open(part, "w") as dst:
        for i, line in enumerate(src):
            if i >= n:
                break
            dst.write(line)
    out = os.path.join(OUT, f"answers-{n}.jsonl")
    t = time.perf_counter()
    with open(out, "w") as o:
        p = subprocess.Popen([ND, "watch", part, "--window", window, "--output-format", "jsonl"],
                             stdout=o, stderr=subprocess.PIPE, text=True)
        err = p.stderr.read()
        _, status, usage = os.wait4(p.pid, 0)
    secs = time.perf_counter() - t
    if status != 0:
        raise SystemExit(f"watch failed ({status}): {err}")
    answered = sum(1 for _ in open(out))
    copies = int(re.search(r"\((\d+) with copies", err).group(1))
    in_window = int(re.search(r"(\d+) in the window", err).group(1))
    os.remove(part)
    return {
        "articles": n,
        "answered": answered,
        "seconds": round(secs, 2),
        "articles_per_s": round(n / secs),
        "with_copies": copies,
        "in_window_at_end": in_window,
        "peak_rss_mib": round(usage.ru_maxrss / 1024),
    }


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--docs", type=int, default=100_000)
    ap.add_argument("--window", default="7d")
    a = ap.parse_args()
    os.makedirs(OUT, exist_ok=True)
    sh("cargo", "build", "--release", "--quiet", cwd=ROOT)
    sh("cargo", "build", "--release", "--quiet", "-p", "neardup-tools", "--bin", "gen_news", cwd=ROOT)
    path = feed(a.docs)
    results = []
    print("articles,answered,seconds,articles_per_s,with_copies,in_window_at_end,peak_rss_mib")
    for n in (a.docs // 4, a.docs // 2, a.docs):
        r = run(path, n, a.window)
        if r["answered"] != n:
            raise SystemExit(f"{n} articles in, {r['answered']} answers out")
        results.append(r)
        print(",".join(str(r[k]) for k in r), flush=True)
    with open(os.path.join(OUT, "results.json"), "w") as f:
        json.dump({"window": a.window, "runs": results}, f, indent=1)


if __name__ == "__main__":
    main()
