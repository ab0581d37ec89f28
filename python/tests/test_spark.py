"""neardup.spark in Spark local mode on loopback gives the CLI's clusters, whatever the
partitioning. Needs pyspark (a test extra) and Java 17; without `java` these tests are
skipped, unless NEARDUP_REQUIRE_SPARK=1 (as .ci/run sets) makes that a failure."""

from __future__ import annotations

import json
import os
import random
import shutil
import subprocess
import sys

import pytest

from conftest import SAMPLE, run_cli

if shutil.which("java") is None and not os.environ.get("JAVA_HOME"):
    if os.environ.get("NEARDUP_REQUIRE_SPARK") == "1":
        raise RuntimeError("NEARDUP_REQUIRE_SPARK=1 but no java: install openjdk-17-jre-headless")
    pytest.skip("no java: the Spark tests need Java 17", allow_module_level=True)

if os.environ.get("NEARDUP_REQUIRE_SPARK") != "1":
    pytest.importorskip("pyspark")
from pyspark.sql import SparkSession  # noqa: E402

import neardup.spark as nds  # noqa: E402


def session(master: str) -> SparkSession:
    os.environ["PYSPARK_PYTHON"] = sys.executable
    return (
        SparkSession.builder.master(master)
        .appName("neardup-tests")
        .config("spark.driver.host", "127.0.0.1")
        .config("spark.driver.bindAddress", "127.0.0.1")
        .config("spark.ui.enabled", "false")
        .config("spark.sql.shuffle.partitions", "4")
        .getOrCreate()
    )


@pytest.fixture(scope="module")
def spark():
    s = session("local[2]")
    s.sparkContext.setLogLevel("ERROR")
    yield s
    s.stop()


def frame(spark, docs: list[dict], partitions: int):
    """The documents as a DataFrame of `partitions` partitions, in their order (so that
    "first" means the same as in the file)."""
    rows = [(i, str(d["id"]), d.get("text"), d.get("date")) for i, d in enumerate(docs)]
    df = spark.createDataFrame(rows, "order long, id string, text string, date string")
    return df.repartitionByRange(partitions, "order")


def cli_clusters(cli, path, *flags) -> dict[str, tuple]:
    """Per member id: its cluster's members, joined_by, score and keep, from the CLI."""
    out = run_cli(cli, "cluster", str(path), "--output-format", "jsonl", "-q", *flags)
    found = {}
    for line in out.splitlines():
        c = json.loads(line)
        ids = frozenset(str(m["id"]) for m in c["members"])
        for m in c["members"]:
            joined = None if m["joined_by"] is None else str(m["joined_by"])
            found[str(m["id"])] = (ids, joined, m["score"], m["keep"])
    return found


def spark_clusters(out) -> dict[str, tuple]:
    rows = out.select("id", "cluster", "joined_by", "score", "keep").collect()
    members: dict[int, set] = {}
    for r in rows:
        members.setdefault(r["cluster"], set()).add(r["id"])
    found = {}
    for r in rows:
        ids = frozenset(members[r["cluster"]])
        if len(ids) > 1:
            found[r["id"]] = (ids, r["joined_by"], r["score"], r["keep"])
    return found


def same(ours: dict, theirs: dict) -> bool:
    """Equal clusters, joined_by and keep, and scores equal to the CLI's 4 printed decimals."""
    def score(x, y):
        return (x is None and y is None) or (x is not None and y is not None and abs(x - y) <= 5.01e-5)
    return ours.keys() == theirs.keys() and all(
        o[0] == t[0] and o[1] == t[1] and o[3] == t[3] and score(o[2], t[2])
        for o, t in ((ours[k], theirs[k]) for k in theirs)
    )


def read(path) -> list[dict]:
    return [json.loads(line) for line in open(path, encoding="utf-8") if line.strip()]


OFF = {"template_df": None}


@pytest.mark.parametrize("partitions", [1, 3, 16])
def test_the_sample_clusters_as_the_cli(spark, cli, partitions):
    docs = read(SAMPLE)
    out = nds.dedup(frame(spark, docs, partitions), keep="first", **OFF)
    ours = spark_clusters(out)
    theirs = cli_clusters(cli, SAMPLE, "--keep", "first", "--template-df", "off")
    assert len({v[0] for v in theirs.values()}) > 20
    assert same(ours, theirs)
    assert out.count() == len(docs)
    assert out.where("keep").count() == len(docs) - sum(1 for v in theirs.values() if not v[3])


def test_the_template_rule_as_the_cli(spark, cli):
    """The CLI's default: template shingles and figures learnt over the whole corpus."""
    out = nds.dedup(frame(spark, read(SAMPLE), 3), keep="first")
    assert same(spark_clusters(out), cli_clusters(cli, SAMPLE, "--keep", "first"))


def test_the_join_path_gives_the_same_clusters(spark, cli):
    """Sketches over the broadcast limit: candidates joined with their sets instead."""
    out = nds.dedup(frame(spark, read(SAMPLE), 3), keep="first", broadcast_limit=0, components_limit=0, **OFF)
    assert same(spark_clusters(out), cli_clusters(cli, SAMPLE, "--keep", "first", "--template-df", "off"))
    # The template rule, learnt from the corpus's even sample, each pair with its figures.
    out = nds.dedup(frame(spark, read(SAMPLE), 3), keep="first", broadcast_limit=0)
    assert same(spark_clusters(out), cli_clusters(cli, SAMPLE, "--keep", "first"))


def test_the_template_sample_is_every_step_th_document_in_order(spark):
    """The sample the template rule learns from: documents 0, step, 2 step, ... in the
    frame's order, whatever the partitioning (here step 3 of 122)."""
    docs = read(SAMPLE)
    for partitions in (1, 5):
        sketched = nds.sketch(frame(spark, docs, partitions))
        ids = dict(sketched.select("_nd_doc", "id").collect())
        dense, offsets, _, figure_offsets, _ = nds._template_sample(sketched, len(docs), step=3)
        assert dense.tolist() == list(range(0, len(docs), 3))
        order = sorted(ids)
        assert [ids[order[i]] for i in dense] == [d["id"] for d in docs[::3]]
        assert len(offsets) == len(figure_offsets) == len(dense) + 1
        # Numbers not from monotonically_increasing_id: ranked instead.
        shuffled = sketched.withColumn("_nd_doc", sketched["_nd_doc"] * 7 + 3)
        assert nds._template_sample(shuffled, len(docs), step=3)[0].tolist() == dense.tolist()


def test_the_join_path_walks_large_buckets_as_the_cli(spark, cli, tmp_path):
    """A bucket over max_bucket (300 variants of one article) is walked in a window of
    signature order, each pair taken up only in the first band where the two meet: the
    same pairs as the CLI, by either path."""
    rng = random.Random(11)
    base = read(SAMPLE)
    words = base[0]["text"].split()
    docs = [{"id": d["id"], "text": d["text"]} for d in base[1:]]
    for i in range(300):
        w = list(words)
        for _ in range(4):
            w[rng.randrange(len(w))] = f"x{rng.randrange(10**6)}"
        docs.insert(rng.randrange(len(docs) + 1), {"id": f"v{i}", "text": " ".join(w)})
    path = tmp_path / "crowd.jsonl"
    path.write_text("".join(json.dumps(d) + "\n" for d in docs))
    out = run_cli(cli, "pairs", str(path), "--max-bucket", "150", "--template-df", "off", "--output-format", "jsonl", "-q")
    theirs = {(p["a"], p["b"]) for p in map(json.loads, out.splitlines())}
    variants = sum(1 for a, b in theirs if a[0] == "v" and b[0] == "v")
    # Windowed: far fewer than every pair of variants, but more than one window's worth.
    assert 100 * 150 < variants < 300 * 299 // 2
    sketched = nds.sketch(frame(spark, docs, 3), template_df=None).select("id", "_nd_doc", "_nd_prints", "_nd_signature")
    ids = {r["_nd_doc"]: r["id"] for r in sketched.select("id", "_nd_doc").collect()}
    pos = {d["id"]: i for i, d in enumerate(docs)}
    for limit in (0, nds.BROADCAST_LIMIT):
        rows = nds.pairs(sketched, broadcast_limit=limit, max_bucket=150, template_df=None).collect()
        ours = {tuple(sorted((ids[r["a"]], ids[r["b"]]), key=pos.get)) for r in rows}
        assert len(rows) == len(ours), limit
        assert ours == theirs, limit


def test_copies_spread_over_partitions_and_crowded_buckets(spark, cli, tmp_path):
    """Copies of each story far apart in the order (so in different partitions), bucket
    splitting on (a cap of 3), every keep rule, with the template rule (the default) and
    without."""
    rng = random.Random(7)
    base = read(SAMPLE)
    docs = []
    for i, d in enumerate(base):
        words = d["text"].split()
        docs.append({"id": f"o{i}", "text": d["text"], "date": f"2024-06-{1 + i % 28:02d}"})
        cut = words[: max(10, int(len(words) * rng.uniform(0.6, 1.0)))]
        docs.append({"id": f"c{i}", "text": " ".join(cut) + " Read more.", "date": f"2024-05-{1 + i % 28:02d}"})
    rng.shuffle(docs)
    path = tmp_path / "spread.jsonl"
    path.write_text("".join(json.dumps(d) + "\n" for d in docs))
    df = frame(spark, docs, 16)
    # A limit of 0 takes the paths for corpora beyond one task: candidates joined with
    # their sets, and components by large-star and small-star rounds.
    for keep, template_df, limit in [("first", None, None), ("earliest", "auto", None), ("longest", None, None),
                                     ("first", "auto", None), ("earliest", "auto", 0), ("longest", None, 0)]:
        kw = {} if limit is None else {"broadcast_limit": limit, "components_limit": limit}
        ours = spark_clusters(nds.dedup(df, keep=keep, bucket_cap=3, template_df=template_df, **kw))
        theirs = cli_clusters(cli, path, "--keep", keep, "--bucket-cap", "3", "--template-df", template_df or "off")
        assert len(theirs) > len(base)
        assert same(ours, theirs), (keep, template_df, limit)


def test_a_roundup_joins_one_story_as_in_the_cli(spark, cli, tmp_path):
    # A roundup that retells three stories (each with a copy of its own) contains them all:
    # it joins the cluster of one, and the others stay apart, on both paths of `dedup`.
    docs = read(SAMPLE)
    text = {str(d["id"]): d["text"] for d in docs}
    stories = ["s00001-0", "s00004-0", "s00005-0"]
    docs.append({"id": "roundup", "text": "\n\n".join(text[s] for s in stories)})
    path = tmp_path / "roundup.jsonl"
    path.write_text("".join(json.dumps(d) + "\n" for d in docs))
    theirs = cli_clusters(cli, path, "--template-df", "off")
    assert len({theirs[s][0] for s in stories}) == 3
    assert sum("roundup" in theirs[s][0] for s in stories) == 1
    df = frame(spark, docs, 4)
    for limit in (None, 0):
        kw = {} if limit is None else {"broadcast_limit": limit, "components_limit": limit}
        ours = spark_clusters(nds.dedup(df, keep="first", **OFF, **kw))
        assert same(ours, theirs), limit


def test_reports_whose_figures_conflict_stay_apart_as_in_the_cli(spark, cli, tmp_path):
    # Two days' reports that differ in an amount conflict; a third text that names no
    # amount matches both and joins only the first, on both paths of `dedup`.
    report = (
        "The Federal Reserve entered the U.S. Government securities market to arrange "
        "{}customer repurchase agreements, a Fed spokesman said. Dealers said Federal funds "
        "were trading at 6-1/4 pct when the Fed began its temporary and indirect supply of "
        "reserves to the banking system."
    )
    docs = read(SAMPLE)
    for id, amount in [("march30", "two billion dlrs of "), ("march31", "1.5 billion dlrs of "), ("overnight", "")]:
        docs.append({"id": id, "text": report.format(amount)})
    path = tmp_path / "repos.jsonl"
    path.write_text("".join(json.dumps(d) + "\n" for d in docs))
    theirs = cli_clusters(cli, path)
    assert theirs["march30"][0] == {"march30", "overnight"}
    assert "march31" not in theirs
    df = frame(spark, docs, 3)
    for limit in (None, 0):
        kw = {} if limit is None else {"broadcast_limit": limit, "components_limit": limit}
        ours = spark_clusters(nds.dedup(df, keep="first", **kw))
        assert same(ours, theirs), limit
        # The pairs leave the pair kept apart out; both pairs with the third text are in.
        sketched = nds.sketch(df)
        ids = dict(sketched.select("_nd_doc", "id").collect())
        rows = nds.pairs(sketched, **({} if limit is None else {"broadcast_limit": limit})).collect()
        found = {frozenset((ids[r["a"]], ids[r["b"]])) for r in rows}
        assert {r["match"] for r in rows} <= {0, 1}
        assert frozenset(("march30", "march31")) not in found
        assert {frozenset(("march30", "overnight")), frozenset(("march31", "overnight"))} <= found


def test_a_notice_filled_in_anew_weeks_later_stays_apart_as_in_the_cli(spark, cli, tmp_path):
    # The same weekly notice two weeks on, its week changed: another notice, by its date,
    # whatever is kept; the first week's re-sent the next day is a copy.
    notice = (
        "GRAIN LEVIES UNCHANGED NEXT WEEK. Levies on grain will stay unchanged for the week "
        "starting {}, commission officials said. They are plus 2.4 points for Ruritania and "
        "the Netherlands, minus two points for Freedonia, minus eight points for Grand "
        "Fenwick and minus 25.7 points for Sylvania."
    )
    # The next issue of certificates, its sentence worded anew just before the amount
    # that changed: the words after the amount tell it apart.
    issue = (
        "RURITANIA ISSUES MORE CERTIFICATES OF DEPOSIT. The central bank {} billion crowns "
        "worth of certificates of deposit, a bank official told reporters. The new certificates, "
        "with maturities of six months, one year and two years, carry interest rates ranging "
        "from 4.07 pct to 5.12 pct. The issues are designed to help curb the growth of money "
        "supply, which is expanding as a result of large foreign exchange reserves."
    )
    docs = read(SAMPLE)
    for id, date, week in [("march", "2024-03-18", "March 25"), ("march-resent", "2024-03-19", "March 25"),
                           ("april", "2024-04-01", "April 8")]:
        docs.append({"id": id, "date": date, "text": notice.format(week)})
    for id, date, lead in [("cd", "2024-03-24", "said it issued 4.96"), ("cd-resent", "2024-03-25", "said it issued 4.96"),
                           ("cd-next", "2024-04-03", "issued 5.65")]:
        docs.append({"id": id, "date": date, "text": issue.format(lead)})
    # A daily forecast worded its own way around its one figure two weeks on: no figure
    # in common.
    forecast = (
        "MONEY MARKET OFFERED EARLY HELP. The Bank of Ruritania said it had invited an early round "
        "of bill offers from the discount houses after forecasting {}. Dealers expect the bank to "
        "help again in the afternoon as bills mature in official hands and the take-up of treasury "
        "bills drains the system."
    )
    same_day = "a shortage in the system of around 1.1 billion crowns, dealers said"
    for id, date, shortage in [("fc", "2024-03-18", same_day), ("fc-resent", "2024-03-19", same_day),
                               ("fc-later", "2024-04-01", "a very large shortage of around 1.75 billion crowns in the money market")]:
        docs.append({"id": id, "date": date, "text": forecast.format(shortage)})
    path = tmp_path / "notices.jsonl"
    path.write_text("".join(json.dumps(d) + "\n" for d in docs))
    for keep in ("first", "longest"):
        theirs = cli_clusters(cli, path, "--keep", keep)
        assert theirs["march"][0] == {"march", "march-resent"}
        assert "april" not in theirs
        assert theirs["cd"][0] == {"cd", "cd-resent"}
        assert "cd-next" not in theirs
        assert theirs["fc"][0] == {"fc", "fc-resent"}
        assert "fc-later" not in theirs
        ours = spark_clusters(nds.dedup(frame(spark, docs, 3), keep=keep))
        assert same(ours, theirs), keep


def test_stage_outputs_are_the_native_sketches(spark, sample):
    import numpy as np
    import neardup

    df = frame(spark, sample[:40], 3)
    rows = nds.sketch(df, **OFF).orderBy("order").select("_nd_signature", "_nd_prints", "_nd_doc").collect()
    ours = np.array([r["_nd_signature"] for r in rows], dtype=np.int32).view(np.uint32)
    theirs = neardup.Sketcher().sketch([d["text"] for d in sample[:40]])
    assert (ours == theirs).all()
    assert all(len(r["_nd_prints"]) > 0 for r in rows)
    docs = [r["_nd_doc"] for r in rows]
    assert docs == sorted(docs) and len(set(docs)) == 40
    b = nds.bands(nds.sketch(df, **OFF), **OFF).collect()
    assert {r["band"] for r in b} == set(range(len({r["band"] for r in b})))
    assert len(b) % 40 == 0


def test_a_stage_written_to_parquet_resumes(spark, tmp_path):
    df = frame(spark, read(SAMPLE), 3)
    nds.sketch(df).write.parquet(str(tmp_path / "sketch.parquet"))
    back = spark.read.parquet(str(tmp_path / "sketch.parquet"))
    resumed = {(r["a"], r["b"]) for r in nds.pairs(back).collect()}
    assert len(resumed) > 50
    assert resumed == {(r["a"], r["b"]) for r in nds.pairs(nds.sketch(df)).collect()}
    with pytest.raises(ValueError, match=r"other settings: num_perm=128 \(asked 64\)"):
        nds.pairs(back, num_perm=64)
    with pytest.raises(ValueError, match="not a neardup sketch stage"):
        nds.bands(df)
    without = nds.sketch(df, **OFF)
    with pytest.raises(ValueError, match="the template rule needs the figures"):
        nds.pairs(without)


def test_the_clis_sketch_stage_resumes_in_spark(spark, cli, tmp_path):
    # `neardup sketch` writes the sketch stage with Spark's schema and stage metadata: Spark
    # continues from it to the CLI's pairs, with and without the template rule.
    ids = [str(d["id"]) for d in read(SAMPLE)]
    for flags, kw in (([], {}), (["--template-df", "off"], OFF)):
        path = tmp_path / f"cli{len(flags)}.sketch.parquet"
        run_cli(cli, "sketch", str(SAMPLE), "-o", str(path), "-q", *flags)
        back = spark.read.parquet(str(path))
        assert [r["id"] for r in back.orderBy("_nd_doc").select("id").collect()] == ids
        ours = {(ids[r["a"]], ids[r["b"]]) for r in nds.pairs(back, **kw).collect()}
        out = run_cli(cli, "pairs", str(SAMPLE), "--output-format", "jsonl", "-q", *flags)
        theirs = {(str(p["a"]), str(p["b"])) for p in map(json.loads, out.splitlines())}
        assert len(theirs) > 50 and ours == theirs
    with pytest.raises(ValueError, match=r"other settings: shingle='word:3' \(asked 'word:5'\)"):
        nds.pairs(back, shingle="word:5", **OFF)


def test_sparks_sketch_stage_resumes_in_the_cli(spark, cli, tmp_path):
    # A Spark job stops after its sketch stage (a folder of part files, in any partition
    # order); the CLI continues from it to the clusters it finds from the input itself,
    # with and without the template rule, for every keep rule the stage carries.
    docs = read(SAMPLE)
    for partitions, flags, kw in ((3, [], {}), (16, ["--template-df", "off"], OFF)):
        stage = tmp_path / f"spark{partitions}.sketch.parquet"
        nds.sketch(frame(spark, docs, partitions), date="date", **kw).write.parquet(str(stage))
        assert len(list(stage.glob("*.parquet"))) > 1
        for keep in ("first", "earliest", "longest"):
            resumed = cli_clusters(cli, stage, "--keep", keep, *flags)
            assert len({v[0] for v in resumed.values()}) > 20
            assert resumed == cli_clusters(cli, SAMPLE, "--keep", keep, *flags), (partitions, keep)
    # The stage's settings are checked: a run with other settings is refused.
    r = subprocess.run([str(cli), "pairs", str(stage), "--shingle", "word:5", "--template-df", "off"],
                       capture_output=True, text=True)
    assert r.returncode == 2 and "sketched with other settings" in r.stderr and str(stage) in r.stderr


def test_a_workers_table_follows_the_broadcast_not_its_python_object():
    # A reused worker can meet a new broadcast in the object a freed one had: the cached
    # native table must be the new broadcast's (it was keyed by id() and went stale).
    import numpy as np

    from neardup import _native

    s = nds.settings(template_df=None)

    class Shared:
        value = None

    def table_of(texts):
        out = _native.sketch_part(texts, s)
        offsets = np.asarray(out["offsets"], np.int64)
        ids = np.arange(len(texts), dtype=np.int64)
        return (nds.uuid.uuid4().hex, s, len(texts), ids, offsets, out["prints"], out["signatures"], None)

    shared = Shared()
    same = "one two three four five six seven eight nine ten"
    shared.value = table_of([same, "other words entirely here and there", same])
    first = nds._table(shared).group_pairs(0, 0, 1)
    assert list(zip(first["a"], first["b"])) == [(0, 2)]
    shared.value = table_of([same, same, "other words entirely here and there"])
    second = nds._table(shared).group_pairs(0, 0, 1)
    assert list(zip(second["a"], second["b"])) == [(0, 1)]


def test_a_band_split_into_key_ranges_gives_the_whole_bands_pairs():
    # Each task of the broadcast path takes one key range of a band (whole buckets): over
    # the ranges, a band's pairs are those of the band taken whole, for any number of them.
    import numpy as np

    from neardup import _native

    s = nds.settings(template_df=None, bucket_cap=3)
    base = "the council approved the budget for the new harbour bridge after a long debate on {}"
    texts = [base.format(f"item {i % 40} of the list and more words {i % 7}") for i in range(400)]
    out = _native.sketch_part(texts, s)
    ids = np.arange(len(texts), dtype=np.int64) * 3
    offsets = np.asarray(out["offsets"], np.int64)
    table = _native.SketchTable(
        s, len(texts), None, ids, offsets, out["prints"], out["signatures"], None, count_buckets=True
    )
    everything = set()
    for band in range(_native.band_count(s)):
        whole = table.group_pairs(band, 0, 1)
        expected = set(zip(whole["a"], whole["b"]))
        everything |= expected
        for groups in (2, 3, 7):
            found = set()
            for g in range(groups):
                part = table.group_pairs(band, g, groups)
                found |= set(zip(part["a"], part["b"]))
            assert found == expected, (band, groups)
    assert len(everything) > 100


def test_bad_rows_are_errors_or_documented_skips(spark):
    rows = [(0, "a", "one two three four five six seven"), (1, "b", None), (2, "c", "one two three four five six seven")]
    df = spark.createDataFrame(rows, "order long, id string, text string")
    out = {r["id"]: r for r in nds.dedup(df).collect()}
    # A null text is an empty document: kept, in no cluster, never lost.
    assert len(out) == 3
    assert out["b"]["keep"] and out["b"]["joined_by"] is None
    assert out["a"]["cluster"] == out["c"]["cluster"] != out["b"]["cluster"]
    assert [out[i]["keep"] for i in "ac"] == [True, False]
    bad = spark.createDataFrame([(0, 5)], "id long, text long")
    with pytest.raises(TypeError, match="text column 'text': strings are needed, not bigint"):
        nds.dedup(bad)
    with pytest.raises(KeyError, match="no text column 'body'"):
        nds.dedup(df, text="body")
    with pytest.raises(ValueError, match="invalid num_perm"):
        nds.dedup(df, num_perm=0)
    with pytest.raises(ValueError, match="keep='earliest' needs a date column"):
        nds.dedup(df, keep="earliest")


def test_components_equal_union_find_on_random_graphs(spark):
    rng = random.Random(1)
    for m in [40, 150, 400]:
        n = 200
        edges = [(rng.randrange(n), rng.randrange(n)) for _ in range(m)]
        parent = list(range(n))

        def root(x: int) -> int:
            while parent[x] != x:
                parent[x] = parent[parent[x]]
                x = parent[x]
            return x

        for a, b in edges:
            ra, rb = root(a), root(b)
            parent[max(ra, rb)] = min(ra, rb)
        smallest: dict[int, int] = {}
        for x in range(n):
            smallest[root(x)] = min(smallest.get(root(x), x), x)
        want = {x: smallest[root(x)] for a, b in edges if a != b for x in (a, b)}
        got = nds.components(spark.createDataFrame(edges, "a long, b long")).collect()
        assert {r["doc"]: r["component"] for r in got} == want
        assert len(got) == len(want)


def test_local_1_gives_the_same_clusters(spark, cli):
    spark.stop()
    one = session("local[1]")
    try:
        ours = spark_clusters(nds.dedup(frame(one, read(SAMPLE), 3), keep="first"))
        assert same(ours, cli_clusters(cli, SAMPLE, "--keep", "first"))
        ours = spark_clusters(nds.dedup(frame(one, read(SAMPLE), 3), keep="first", **OFF))
        assert same(ours, cli_clusters(cli, SAMPLE, "--keep", "first", "--template-df", "off"))
    finally:
        one.stop()
