#!/usr/bin/env python3
"""`neardup serve` under load (issue 16): queries per second and p50/p99 latency at 1, 8
and 64 concurrent clients on an index of N generated articles, with inserts mixed in (10%
of requests), and the service's memory over the run.

The load generator is oha (`cargo install oha`), one process for queries (POST /query,
held-out articles' texts, in turn) and one for inserts (POST /documents, new articles
drawn at random from a pool of 100,000: a repeated id is refused with 409 and counted), both on loopback for the same duration. The insert rate is set to a ninth of
the query rate measured just before at the same concurrency, so inserts are about 10% of
the requests; inserts come from their own clients (an insert waits for its commit, so
enough of them to keep that rate: half the rate, at least 2). Each concurrency starts from a fresh copy of the index.

    scripts/bench-serve.py                      # N=100000, 20 s per level
    scripts/bench-serve.py --long 1000000       # also one run of that many requests (c=8)
    scripts/bench-serve.py --concurrency "" --long 1000000 --long-inserts 10000
                                                # only that run, 10,000 of its requests inserts

Prints one CSV line per level and writes target/serve-bench/results.json.
"""
import argparse
import json
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
import urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(ROOT, "target", "serve-bench")
ND = os.path.join(ROOT, "target", "release", "neardup")


def sh(*cmd, **kw):
    return subprocess.run(cmd, check=True, **kw)


def prepare(n, inserts):
    corpus = os.path.join(OUT, f"corpus-{n}")
    news = os.path.join(corpus, "news.jsonl")
    total = n + 10_000 + inserts
    have = sum(1 for _ in open(news)) if os.path.exists(news) else 0
    if have < total:
        sh(os.path.join(ROOT, "target", "release", "gen_news"), "--docs", str(total), "--text", "zipf",
           "--seed", "11", "--out", corpus, stderr=subprocess.DEVNULL)
    lines = open(news).read().splitlines()
    head = os.path.join(corpus, "head.jsonl")
    with open(head, "w") as f:
        f.write("\n".join(lines[:n]) + "\n")
    with open(os.path.join(corpus, "query.lines"), "w") as f:
        for l in lines[n:n + 10_000]:
            f.write(json.dumps({"text": json.loads(l)["text"]}) + "\n")
    index = os.path.join(corpus, "index")
    if not os.path.exists(os.path.join(index, "manifest.ndx")):
        shutil.rmtree(index, ignore_errors=True)
        sh(ND, "index", "build", "-q", head, "-o", index)
    return corpus, index, lines[n + 10_000:]


class Server:
    def __init__(self, index, port):
        self.port = port
        self.proc = subprocess.Popen([ND, "serve", index, "--bind", f"127.0.0.1:{port}"],
                                     stderr=subprocess.PIPE, text=True)
        self.proc.stderr.readline()  # "serving ..." once listening
        self.rss = []
        self.stop = False
        self.sampler = threading.Thread(target=self.sample, daemon=True)
        self.sampler.start()

    def status(self, key):
        for line in open(f"/proc/{self.proc.pid}/status"):
            if line.startswith(key + ":"):
                return int(line.split()[1]) // 1024
        return 0

    def sample(self):
        while not self.stop and self.proc.poll() is None:
            try:
                self.rss.append(self.status("VmRSS"))
            except OSError:
                break
            time.sleep(0.5)

    def health(self):
        with urllib.request.urlopen(f"http://127.0.0.1:{self.port}/health") as r:
            return json.load(r)

    def close(self):
        peak = self.status("VmHWM")
        self.stop = True
        self.proc.send_signal(signal.SIGTERM)
        self.proc.wait(timeout=120)
        return peak


def oha(url, body_lines, concurrency, seconds=None, requests=None, qps=None):
    cmd = ["oha", "--no-tui", "--output-format", "json", "-c", str(concurrency), "-m", "POST",
           "-H", "content-type: application/json", "-Z", body_lines]
    cmd += ["-z", f"{seconds}s"] if seconds else ["-n", str(requests)]
    if qps:
        cmd += ["-q", str(qps)]
    return subprocess.Popen(cmd + [url], stdout=subprocess.PIPE, text=True)


def summary(proc):
    out, _ = proc.communicate()
    r = json.loads(out)
    codes = r.get("statusCodeDistribution", {})
    lat = r["latencyPercentiles"]
    return {
        "requests": sum(codes.values()),
        "ok": codes.get("200", 0),
        "per_second": r["summary"]["requestsPerSec"],
        "p50_ms": lat["p50"] * 1000,
        "p99_ms": lat["p99"] * 1000,
        "codes": codes,
    }


def level(corpus, index, fresh, c, seconds, port, n_requests=None, n_inserts=None):
    run = os.path.join(OUT, "run-index")
    shutil.rmtree(run, ignore_errors=True)
    shutil.copytree(index, run)
    server = Server(run, port)
    base = f"http://127.0.0.1:{port}"
    queries = os.path.join(corpus, "query.lines")
    # The query rate alone at this concurrency, to set the insert rate.
    cal = summary(oha(base + "/query", queries, c, seconds=5))
    insert_qps = max(1, round(cal["per_second"] / 9))
    if n_requests:
        seconds = None
        n_i = n_requests // 10 if n_inserts is None else n_inserts
        n_q = n_requests - n_i
        # Inserts spread over the run: its length guessed from the query rate alone (the
        # mixed rate is lower, so the last stretch may be queries only).
        insert_qps = max(1, round(n_i / (n_q / cal["per_second"])))
    else:
        n_q = n_i = None
    # oha takes body lines at random: a large pool keeps repeated ids (answered 409) rare.
    inserts = os.path.join(OUT, "insert.lines")
    if not os.path.exists(inserts) or sum(1 for _ in open(inserts)) != len(fresh):
        with open(inserts, "w") as f:
            f.write("\n".join(fresh) + "\n")
    start = time.time()
    q = oha(base + "/query", queries, c, seconds=seconds, requests=n_q)
    # An insert waits for its commit and the new snapshot (a few hundred ms at 100k): enough
    # insert clients to keep the rate, their writes committed together.
    insert_clients = min(64, max(2, -(-insert_qps // 2)))
    i = oha(base + "/documents", inserts, insert_clients, seconds=seconds, requests=n_i, qps=insert_qps)
    qs, ins = summary(q), summary(i)
    took = time.time() - start
    health = server.health()
    rss = server.rss
    peak = server.close()
    return {
        "query_only": cal, "concurrency": c, "insert_clients": insert_clients, "seconds": round(took, 1), "queries": qs, "inserts": ins,
        "documents_after": health["documents"], "segments_after": health["segments"],
        "rss_mib_first": rss[0] if rss else None, "rss_mib_last": rss[-1] if rss else None,
        "rss_mib_median": sorted(rss)[len(rss) // 2] if rss else None, "peak_rss_mib": peak,
        "rss_mib_by_tenth": [rss[len(rss) * k // 10] for k in range(10)] if rss else [],
    }


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--docs", type=int, default=100_000)
    ap.add_argument("--seconds", type=int, default=20)
    ap.add_argument("--concurrency", default="1,8,64")
    ap.add_argument("--long", type=int, default=0, help="also one run of this many requests at c=8")
    ap.add_argument("--long-inserts", type=int, default=None,
                    help="how many of the long run's requests are inserts (default: a tenth)")
    ap.add_argument("--port", type=int, default=18090)
    a = ap.parse_args()
    if shutil.which("oha") is None:
        sys.exit("oha is missing: cargo install oha")
    sh("cargo", "build", "--release", "--quiet", "--bin", "neardup", cwd=ROOT)
    sh("cargo", "build", "--release", "--quiet", "-p", "neardup-tools", "--bin", "gen_news", cwd=ROOT)
    os.makedirs(OUT, exist_ok=True)
    levels = [int(c) for c in a.concurrency.split(",") if c]
    inserts = max(100_000, a.long // 10 if a.long_inserts is None else a.long_inserts)
    corpus, index, fresh = prepare(a.docs, inserts)
    results = []
    print("clients,alone_query_per_s,alone_p50_ms,alone_p99_ms,insert_clients,query_per_s,query_p50_ms,query_p99_ms,insert_per_s,insert_p50_ms,insert_p99_ms,"
          "non_200,docs_after,segments_after,rss_mib_median,peak_rss_mib", flush=True)
    runs = [(c, None) for c in levels] + ([(8, a.long)] if a.long else [])
    for c, n in runs:
        r = level(corpus, index, fresh, c, a.seconds, a.port, n, a.long_inserts)
        results.append(r)
        q, i = r["queries"], r["inserts"]
        bad = q["requests"] - q["ok"] + i["requests"] - i["ok"]
        a0 = r["query_only"]
        print(f"{c}{'' if not n else f' ({n} requests)'},{a0['per_second']:.0f},{a0['p50_ms']:.1f},{a0['p99_ms']:.1f},{r['insert_clients']},{q['per_second']:.0f},{q['p50_ms']:.1f},{q['p99_ms']:.1f},"
              f"{i['per_second']:.1f},{i['p50_ms']:.1f},{i['p99_ms']:.1f},{bad},{r['documents_after']},"
              f"{r['segments_after']},{r['rss_mib_median']},{r['peak_rss_mib']}", flush=True)
    with open(os.path.join(OUT, "results.json"), "w") as f:
        json.dump(results, f, indent=1)


if __name__ == "__main__":
    main()
