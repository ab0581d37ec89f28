#!/usr/bin/env python3
"""neardup on Spark against the CLI and against a pure-PySpark MinHash job, one run, one
machine, the same generated corpus.

    target/test-venv/bin/python scripts/bench-spark.py [--docs 100000[,1000000...]] [--partitions 1,3,16] \
        [--masters local[2],local[1]] [--no-baseline] \
        [--shingle word:3] [--threshold 0.3] [--containment 0.5|off] [--runs 1] [--stages]

(after scripts/test.sh, whose virtual environment has neardup, pyspark and pyarrow; needs
Java 17). Prints, for the corpus made by `gen_news` (documents, then copies of them):

1. the CLI: `neardup cluster --template-df off` wall and CPU time;
2. `neardup.spark.dedup` in Spark `local[2]` (and the other `--masters`) for each partition
   count: wall time (session
   start excluded; reading the input, every stage and writing the result to Parquet
   included), whether its clusters equal the CLI's (members, joined_by, score and keep);
3. a text-dedup-style pure-PySpark MinHash job (word 5-grams hashed with SHA-1 in Python,
   128 permutations with numpy, 16 bands of 8 rows, groupBy band, edges from each bucket,
   large-star/small-star components, no verification), on the same partitions: wall time
   and its clusters' size;
4. documents per second per core for each (2 cores for Spark local[2] and for the CLI's
   `--threads 2`).

With `--stages`, each stage of the path beyond one machine (candidates joined with their
sets, large-star/small-star components) is timed alone after a warm-up run, with its rows.

With `--runs N` the Spark jobs run N times in turn in one session (ours, then the
baseline, N times): the first run in a new JVM pays its warm-up (class loading, JIT, Python
workers), later runs show each job's own cost.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import re
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "target" / "spark-bench"
NEARDUP = ROOT / "target" / "release" / "neardup"


def sh(*args: str) -> None:
    subprocess.run(args, check=True, cwd=ROOT, stdin=subprocess.DEVNULL)


def corpus(docs: int) -> Path:
    """A generated corpus of about `docs` documents (stories and their copies)."""
    out = OUT / f"corpus-{docs}"
    if not (out / "news.jsonl").exists():
        sh("cargo", "build", "--release", "-q", "-p", "neardup-tools", "--bin", "gen_news")
        # gen_news makes about 2.04 documents per story.
        sh(str(ROOT / "target/release/gen_news"), "--stories", str(int(docs / 2.04)), "--seed", "11", "--out", str(out))
    return out / "news.jsonl"


def cli(path: Path, flags: list[str]) -> tuple[float, float, dict]:
    sh("cargo", "build", "--release", "-q", "--bin", "neardup")
    out = OUT / "cli.jsonl"
    t = time.time()
    r = subprocess.run(
        ["/usr/bin/time", "-f", "%e %U %S", str(NEARDUP), "cluster", str(path), "--template-df", "off",
         "--keep", "first", "--threads", "2", "--output-format", "jsonl", "-q", "-o", str(out), *flags],
        capture_output=True, text=True, check=False)
    wall = time.time() - t
    if r.returncode not in (0, 1):
        sys.exit(r.stderr)
    _, user, system = map(float, r.stderr.strip().splitlines()[-1].split())
    found = {}
    for line in open(out):
        c = json.loads(line)
        ids = frozenset(str(m["id"]) for m in c["members"])
        for m in c["members"]:
            joined = None if m["joined_by"] is None else str(m["joined_by"])
            found[str(m["id"])] = (ids, joined, m["score"], m["keep"])
    return wall, user + system, found


def same(ours: dict, theirs: dict) -> bool:
    """Equal clusters, joined_by and keep, and scores equal to the CLI's 4 printed decimals."""
    def score(x, y):
        return (x is None and y is None) or (x is not None and y is not None and abs(x - y) <= 5.01e-5)
    return ours.keys() == theirs.keys() and all(
        o[0] == t[0] and o[1] == t[1] and o[3] == t[3] and score(o[2], t[2])
        for o, t in ((ours[k], theirs[k]) for k in theirs)
    )


def spark_session(master: str = "local[2]"):
    from pyspark.sql import SparkSession

    os.environ["PYSPARK_PYTHON"] = sys.executable
    s = (SparkSession.builder.master(master).appName("neardup-bench")
         .config("spark.driver.host", "127.0.0.1").config("spark.driver.bindAddress", "127.0.0.1")
         .config("spark.ui.enabled", "false").config("spark.driver.memory", "6g")
         .config("spark.sql.shuffle.partitions", "16").getOrCreate())
    s.sparkContext.setLogLevel("ERROR")
    return s


def load(spark, path: Path, partitions: int):
    from pyspark.sql import functions as F

    df = spark.read.json(str(path)).select("id", "text", "date")
    # Rows in file order across the partitions, so "first" is the file's first.
    return df.withColumn("order", F.monotonically_increasing_id()).repartitionByRange(partitions, "order")


def ours(spark, path: Path, partitions: int, kw: dict) -> tuple[float, dict]:
    import neardup.spark as nds

    t = time.time()
    out = nds.dedup(load(spark, path, partitions), keep="first", template_df=None, **kw)
    dest = OUT / f"spark-{partitions}.parquet"
    out.select("id", "cluster", "joined_by", "score", "keep").write.mode("overwrite").parquet(str(dest))
    wall = time.time() - t
    rows = spark.read.parquet(str(dest)).collect()
    members: dict[int, set] = {}
    for r in rows:
        members.setdefault(r["cluster"], set()).add(r["id"])
    found = {}
    for r in rows:
        ids = frozenset(members[r["cluster"]])
        if len(ids) > 1:
            found[r["id"]] = (ids, r["joined_by"], r["score"], r["keep"])
    return wall, found


NON_ALPHA = re.compile(r"[^A-Za-z_0-9]")
MERSENNE = (1 << 61) - 1
MAX_HASH = (1 << 32) - 1


def pure_pyspark(spark, path: Path, partitions: int, num_perm: int = 128, bands: int = 16, ngram: int = 5) -> tuple[float, int]:
    """text-dedup's MinHash job as its Spark script does it, in plain PySpark and numpy."""
    import numpy as np

    rows = num_perm // bands
    rng = np.random.RandomState(42)
    a = rng.randint(1, MERSENNE, size=num_perm, dtype=np.uint64)
    b = rng.randint(0, MERSENNE, size=num_perm, dtype=np.uint64)

    def band_rows(doc):
        idx, text = doc
        words = [w for w in NON_ALPHA.split((text or "").lower()) if w]
        grams = {" ".join(words[i : i + ngram]) for i in range(max(1, len(words) - ngram + 1))}
        hv = np.array([int.from_bytes(hashlib.sha1(g.encode()).digest()[:4], "little") for g in grams], dtype=np.uint64)
        phv = ((hv[:, None] * a + b) % MERSENNE) & MAX_HASH
        sig = np.vstack([phv, np.full(num_perm, MAX_HASH, dtype=np.uint64)]).min(axis=0)
        return [(band, bytes(sig[band * rows : (band + 1) * rows].byteswap().data), idx) for band in range(bands)]

    def edges(bucket):
        nodes = sorted(bucket[1])
        return [(nodes[0], n) for n in nodes[1:]]

    def large_star(e):
        nb = e.flatMap(lambda x: [x, (x[1], x[0])]).groupByKey()
        return nb.flatMap(lambda kv: [(v, min(min(kv[1]), kv[0])) for v in kv[1] if v > kv[0]]).distinct()

    def small_star(e):
        nb = e.map(lambda x: (max(x), min(x))).groupByKey()
        def step(kv):
            m = min(min(kv[1]), kv[0])
            return [(v, m) for v in list(kv[1]) + [kv[0]] if v != m]
        return nb.flatMap(step).distinct()

    t = time.time()
    df = load(spark, path, partitions)
    records = df.select("order", "text").rdd.map(tuple)
    buckets = records.flatMap(band_rows).groupBy(lambda x: (x[0], x[1]))
    e = buckets.map(lambda kv: (kv[0], [x[2] for x in kv[1]])).flatMap(edges).distinct().cache()
    while True:
        new = small_star(large_star(e)).cache()
        new.localCheckpoint()
        changed = not (new.subtract(e).isEmpty() and e.subtract(new).isEmpty())
        e = new
        if not changed:
            break
    # A star: (document, its component's smallest document); the input minus the joined.
    joined = e.map(lambda x: (x[0], x[1]))
    kept = df.select("order").rdd.map(lambda r: (r[0], None)).subtractByKey(joined).count()
    wall = time.time() - t
    return wall, df.count() - kept


def stages(spark, path: Path, partitions: int, kw: dict) -> None:
    """Each stage of the path a corpus beyond one machine takes (``broadcast_limit=0``,
    ``components_limit=0``: candidates joined with their sets, large-star/small-star
    components), timed alone (each checkpointed) after a warm-up run, with the rows it
    makes and the bytes they stand for: what ``docs/scaling.md`` scales to 10^9."""
    import neardup.spark as nds
    from pyspark.sql import functions as F

    kw = {**kw, "template_df": None}
    s = nds.settings(**kw)
    for run in ("warm-up", "measured"):
        times, rows = {}, {}
        t = time.time()
        numbered = nds._checkpoint(nds._numbered(load(spark, path, partitions), "text", None))
        rows["read"] = numbered.count()
        times["read"] = time.time() - t
        t = time.time()
        sketched = nds._checkpoint(nds._sketch_stage(numbered, "text", None, s))
        size = sketched.agg(F.avg(F.size(nds.PRINTS)).alias("p"), F.count("*").alias("n")).first()
        rows["sketch"] = size["n"]
        times["sketch"] = time.time() - t
        t = time.time()
        bands = nds._checkpoint(nds.bands(sketched, **kw))
        rows["bands"] = bands.count()
        times["bands"] = time.time() - t
        t = time.time()
        pairs = nds._checkpoint(nds.pairs(sketched, broadcast_limit=0, **kw))
        rows["pairs"] = pairs.count()
        times["pairs"] = time.time() - t
        t = time.time()
        comp = nds._checkpoint(nds.components(pairs))
        rows["components"] = comp.count()
        times["components"] = time.time() - t
        t = time.time()
        out = nds.dedup(load(spark, path, partitions), keep="first", broadcast_limit=0, components_limit=0, **kw)
        out.select("id", "cluster", "joined_by", "score", "keep").write.mode("overwrite").parquet(str(OUT / "stages.parquet"))
        total = time.time() - t
        if run == "measured":
            k = s["num_perm"]
            print(f"stages (join path, {partitions} partitions; average set {size['p']:.0f} fingerprints, "
                  f"{4 * size['p'] + 4 * k + 16:.0f} B of sketch per document):")
            for name in times:
                print(f"  {name}: {times[name]:.1f} s, {rows[name]:,} rows")
            print(f"  dedup end to end (every stage and the joins back, written): {total:.1f} s")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--docs", default="100000",
                    help="corpus size, or comma-separated sizes for a time-vs-size table: 10000,100000,1000000")
    ap.add_argument("--partitions", default="1,3,16")
    ap.add_argument("--masters", default="local[2]", help="comma-separated: local[2],local[1]")
    ap.add_argument("--no-baseline", action="store_true")
    ap.add_argument("--shingle", default="word:3")
    ap.add_argument("--threshold", type=float, default=0.3)
    ap.add_argument("--containment", default="0.5", help="a fraction, or off")
    ap.add_argument("--stages", action="store_true",
                    help="time each stage of the path beyond one machine (join path, star components) instead")
    ap.add_argument("--runs", type=int, default=1,
                    help="run each Spark job this many times in turn (the first in a new JVM pays its warm-up)")
    args = ap.parse_args()
    OUT.mkdir(parents=True, exist_ok=True)
    for size in [int(x) for x in args.docs.split(",")]:
        measure(args, size)


def measure(args: argparse.Namespace, size: int) -> None:
    path = corpus(size)
    n = sum(1 for _ in open(path))
    print(f"corpus: {path} ({n} documents); machine: {os.cpu_count()} cores")
    flags = ["--shingle", args.shingle, "--threshold", str(args.threshold), "--containment", args.containment]
    kw = {"shingle": args.shingle, "threshold": args.threshold,
          "containment": None if args.containment == "off" else float(args.containment)}
    print(f"settings: {' '.join(flags)}")
    wall, cpu, theirs = cli(path, flags)
    print(f"CLI: neardup cluster --threads 2: wall {wall:.1f} s, CPU {cpu:.1f} s, "
          f"{n / wall / 2:,.0f} documents/s/core; {len({v[0] for v in theirs.values()})} clusters")
    if args.stages:
        spark = spark_session(args.masters.split(",")[0])
        stages(spark, path, int(args.partitions.split(",")[-1]), kw)
        spark.stop()
        return
    for master in args.masters.split(","):
        spark = spark_session(master)
        cores = int(master[len("local["):-1])
        for run in range(1, args.runs + 1):
            for p in [int(x) for x in args.partitions.split(",")]:
                w, found = ours(spark, path, p, kw)
                print(f"run {run}: neardup.spark {master}, {p} partitions: wall {w:.1f} s, {n / w / cores:,.0f} documents/s/core "
                      f"({(n / wall / 2) / (n / w / cores):.1f}x fewer than the CLI's); clusters equal the CLI's: {same(found, theirs)}")
            if not args.no_baseline and master == "local[2]":
                p = int(args.partitions.split(",")[-1])
                w, dups = pure_pyspark(spark, path, p)
                print(f"run {run}: pure PySpark MinHash (text-dedup style) {master}, {p} partitions: wall {w:.1f} s, "
                      f"{n / w / cores:,.0f} documents/s/core; {dups} documents joined to another")
        spark.stop()


if __name__ == "__main__":
    main()
