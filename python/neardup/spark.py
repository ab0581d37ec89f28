"""neardup on Spark: the CLI's copy detection over a Spark DataFrame, with the same answers.

Only Spark's own DataFrame API and ``mapInArrow`` / ``applyInArrow`` with neardup's native
code run; no GraphFrames. The driver collects the sketches only to broadcast them, where
they fit ``broadcast_limit``; beyond it nothing the size of the corpus reaches the driver
(only the bucket counters, a few hundred KB to a few MB, merged with ``treeReduce``), and
no edge list ever does.

Stages, each a DataFrame you can write out and read back (schemas in ``docs/spark.md``):

1. :func:`sketch` numbers the rows (``_nd_doc``, in the DataFrame's order) and adds each
   text's shingle fingerprints and MinHash signature: the same values as the CLI's, whatever
   the partitioning.
2. :func:`bands` gives every document's bucket in each LSH band, split by the next band's
   key where the bucket is crowded (counted over the whole corpus, as the CLI counts).
3. :func:`pairs` verifies each pair of documents that share a bucket on the exact
   fingerprint sets with the CLI's rule (Jaccard, then containment): where the sketches
   fit ``broadcast_limit`` each task takes whole bands of a broadcast copy (no bucket rows
   are shuffled); beyond it, candidates are joined with their sets.
4. :func:`dedup` joins the pairs into clusters and records each one's spanning tree as
   the CLI does: in one task where the pairs fit ``components_limit``, else by connected
   components (alternating large-star and small-star steps, Kiveris et al. 2014,
   checkpointed so the lineage stays short, :func:`components`) and the clusters and
   trees of each component (a roundup, containing two texts that are not copies of each
   other, splits its component as in the CLI);
   then it picks each cluster's survivor and joins ``cluster``, ``joined_by``, ``score``
   and ``keep`` back onto the input rows.

The template rule (``template_df``, on by default as in the CLI) needs statistics of the
whole corpus. Where the sketches fit ``broadcast_limit`` each worker learns them from its
copy of the sketches; beyond it, from a broadcast of the corpus's even sample (at most
20,000 documents, the sample the CLI counts on), and each candidate pair is verified with
its two documents' figures: the same verdicts either way.
"""

from __future__ import annotations

import uuid
from typing import Any, Iterator

import numpy as np
import pyarrow as pa

from . import DEFAULT_CONTAINMENT, DEFAULT_MAX_BUCKET, DEFAULT_THRESHOLD, _native, _settings

#: The version of the stage schemas below: with the sketch settings, in the column metadata
#: of ``_nd_prints`` (kept when a stage is written to Parquet and read back).
STAGE_VERSION = 26

#: The settings a sketch depends on: a later stage refuses sketches made with others.
_SKETCH_SETTINGS = ("shingle", "num_perm", "seed", "sketch")

DOC = "_nd_doc"
PRINTS = "_nd_prints"
SIGNATURE = "_nd_signature"
CHARS = "_nd_chars"
PUBLISHED = "_nd_published"
FIGURES = "_nd_figures"

__all__ = ["BROADCAST_LIMIT", "STAGE_VERSION", "bands", "components", "dedup", "pairs", "settings", "sketch"]


def settings(
    threshold: float = DEFAULT_THRESHOLD,
    containment: float | None = DEFAULT_CONTAINMENT,
    min_contained: int = 20,
    shingle: str = "word:3",
    num_perm: int = 128,
    seed: int = 42,
    sketch: str = "oph",
    bucket_cap: int | None = 100,
    template_df: int | str | None = "auto",
    max_bucket: int | None = DEFAULT_MAX_BUCKET,
) -> dict[str, Any]:
    """The settings of a Spark run, checked (the CLI's flags).

    >>> settings(threshold=0.8)["threshold"]
    0.8
    >>> settings(template_df=None)["template_df"]
    'off'
    >>> settings(num_perm=0)
    Traceback (most recent call last):
    ...
    ValueError: invalid num_perm: 0 is not in 1..=4096
    """
    s = _settings(
        threshold, containment, min_contained, shingle, num_perm, seed, sketch, bucket_cap, template_df, max_bucket
    )
    _native.validate(s)
    return s


def _spark():
    from pyspark.sql import functions as F, types as T

    return F, T


def _sketch_schema(T: Any, dated: bool, figures: bool) -> Any:
    fields = [
        T.StructField(DOC, T.LongType(), False),
        T.StructField(PRINTS, T.ArrayType(T.IntegerType(), False), False),
        T.StructField(SIGNATURE, T.ArrayType(T.IntegerType(), False), False),
        T.StructField(CHARS, T.LongType(), False),
    ]
    if dated:
        fields.append(T.StructField(PUBLISHED, T.LongType(), False))
    if figures:
        fields.append(T.StructField(FIGURES, T.ArrayType(T.LongType(), False), False))
    return T.StructType(fields)


def _list(offsets: np.ndarray, values: np.ndarray) -> pa.Array:
    """A list<int32> column from offsets and uint32 values (the same bits)."""
    return pa.ListArray.from_arrays(pa.array(offsets.astype(np.int32)), pa.array(values.view(np.int32)))


def _flat(column: pa.Array, bits: int = 32) -> tuple[np.ndarray, np.ndarray]:
    """Offsets (int64) and the unsigned values of a list<int32> (``bits=32``) or
    list<int64> (``bits=64``) column, as the same bits."""
    signed, unsigned = (pa.int32(), np.uint32) if bits == 32 else (pa.int64(), np.uint64)
    if isinstance(column, pa.ChunkedArray):
        column = column.combine_chunks()
    column = column.cast(pa.large_list(signed))
    offsets = column.offsets.to_numpy().astype(np.int64)
    values = column.values.to_numpy(zero_copy_only=False).astype(signed.to_pandas_dtype()).view(unsigned)
    start = offsets[0]
    return offsets - start, values[start : offsets[-1]]


def sketch(df: Any, text: str = "text", date: str | None = None, **kw: Any) -> Any:
    """The input's columns with ``_nd_doc`` (long: the row's number in the DataFrame's
    order, increasing but not dense), the text's shingle fingerprints ``_nd_prints`` and
    MinHash signature ``_nd_signature`` (array<int>: the bits of the CLI's unsigned 32-bit
    values), ``_nd_chars`` (its length in characters) and, with ``date``,
    ``_nd_published`` (ms since 1970 UTC, read as the CLI reads dates; the largest long
    when missing or unreadable). With ``date``, the day is among the figures too, as the
    CLI keeps it: texts published more than three days apart whose figures differ are two
    reports, not copies.

    A null text is an empty document (never matched); a text column that is not a string
    column is a ``TypeError``. Keyword arguments as :func:`settings`.
    """
    numbered = _numbered(df, text, date)
    return numbered.join(_sketch_stage(numbered, text, date, settings(**kw)), DOC)


def _numbered(df: Any, text: str, date: str | None) -> Any:
    """The input with its rows numbered (``_nd_doc``), its text and date columns checked."""
    F, T = _spark()
    if text not in df.columns:
        raise KeyError(f"no text column {text!r} (columns: {', '.join(df.columns)})")
    kind = df.schema[text].dataType
    if not isinstance(kind, T.StringType):
        raise TypeError(f"text column {text!r}: strings are needed, not {kind.simpleString()}")
    if date is not None and date not in df.columns:
        raise KeyError(f"no date column {date!r} (columns: {', '.join(df.columns)})")
    return df.withColumn(DOC, F.monotonically_increasing_id())


def _sketch_stage(numbered: Any, text: str, date: str | None, s: dict[str, Any]) -> Any:
    """The sketch columns of the numbered rows (see :func:`sketch`), without the input's."""
    F, T = _spark()
    inputs = [F.col(DOC), F.col(text).alias("_text")]
    if date is not None:
        inputs.append(F.col(date).cast("string").alias("_date"))
    dated = date is not None
    k = s["num_perm"]

    def run(batches: Iterator[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
        for batch in batches:
            dates = batch.column("_date").to_pylist() if dated else None
            out = _native.sketch_part(batch.column("_text"), s, dates)
            sig = np.asarray(out["signatures"]).view(np.int32)
            offsets = np.arange(batch.num_rows + 1, dtype=np.int64) * k
            columns = {
                DOC: batch.column(DOC),
                PRINTS: _list(out["offsets"], out["prints"]),
                SIGNATURE: _list(offsets, sig.view(np.uint32)),
                CHARS: pa.array(out["chars"]),
            }
            if dated:
                columns[PUBLISHED] = pa.array(_native.published(dates))
            if figured:
                values = np.asarray(out["figures"]).view(np.int64)
                columns[FIGURES] = pa.ListArray.from_arrays(pa.array(out["figure_offsets"].astype(np.int32)), pa.array(values))
            yield pa.RecordBatch.from_pydict(columns)

    figured = s["template_df"] != "off"
    stage = numbered.select(*inputs).mapInArrow(run, _sketch_schema(T, dated, figured))
    meta = {"neardup": {"stage_version": STAGE_VERSION, **{k: s[k] for k in _SKETCH_SETTINGS}}}
    return stage.withMetadata(PRINTS, meta)


def _check_stage(sketched: Any, s: dict[str, Any]) -> None:
    """Refuses a frame that is not a sketch stage of this version and these settings."""
    if PRINTS not in sketched.columns:
        raise ValueError(f"not a neardup sketch stage: no {PRINTS} column (see neardup.spark.sketch)")
    meta = sketched.schema[PRINTS].metadata.get("neardup")
    if meta is None:
        raise ValueError(f"not a neardup sketch stage: {PRINTS} carries no stage metadata")
    if meta.get("stage_version") != STAGE_VERSION:
        raise ValueError(f"sketch stage version {meta.get('stage_version')}, this neardup reads {STAGE_VERSION}")
    differ = [f"{k}={meta.get(k)!r} (asked {s[k]!r})" for k in _SKETCH_SETTINGS if meta.get(k) != s[k]]
    if differ:
        raise ValueError("the sketches were made with other settings: " + ", ".join(differ))
    if s["template_df"] != "off" and FIGURES not in sketched.columns:
        raise ValueError(f"the template rule needs the figures ({FIGURES}): sketch with it on, or pass template_df=None")


def _band_counts(sketched: Any, s: dict[str, Any], docs: int) -> bytes:
    """The bucket counters of the whole corpus: one table per partition, merged in a tree."""
    F, T = _spark()
    schema = T.StructType([T.StructField("counts", T.BinaryType(), False)])

    def count(batches: Iterator[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
        total = None
        for batch in batches:
            offsets, _ = _flat(batch.column(PRINTS))
            sig = _flat(batch.column(SIGNATURE))[1]
            part = _native.band_counts_part(s, docs, sig, np.diff(offsets) == 0)
            total = part if total is None else _native.merge_band_counts(s, docs, total, part)
        if total is not None:
            yield pa.RecordBatch.from_pydict({"counts": pa.array([total], pa.binary())})

    parts = sketched.select(PRINTS, SIGNATURE).mapInArrow(count, schema)
    return parts.rdd.map(lambda r: bytes(r[0])).treeReduce(lambda a, b: _native.merge_band_counts(s, docs, a, b))


def bands(sketched: Any, **kw: Any) -> Any:
    """Every document's bucket in each band: ``_nd_doc``, ``band`` (int), ``key`` and
    ``sub`` (long: the band's key and, where the whole corpus crowds that bucket, the next
    band's key, else 0). Documents without shingles have none. Two documents are candidates
    exactly when they share ``(band, key, sub)``, as in the CLI."""
    s = settings(**kw)
    _check_stage(sketched, s)
    docs, counts = _counts(sketched, s)
    return _bands(sketched, s, docs, counts)


def _size(sketched: Any) -> tuple[int, int]:
    """The number of documents with shingles and of 32-bit values in the sketches."""
    F, _ = _spark()
    row = sketched.agg(
        F.count(F.when(F.size(PRINTS) > 0, 1)).alias("docs"),
        F.sum(F.size(PRINTS) + F.size(SIGNATURE)).alias("values"),
    ).first()
    return row["docs"], row["values"] or 0


def _counts(sketched: Any, s: dict[str, Any]) -> tuple[int, bytes | None]:
    """The number of documents with shingles and the corpus's bucket counters (when
    buckets are split)."""
    docs, _ = _size(sketched)
    return docs, _split_counts(sketched, s, docs)


def _split_counts(sketched: Any, s: dict[str, Any], docs: int) -> bytes | None:
    """The corpus's bucket counters where buckets are split, else ``None``."""
    return _band_counts(sketched, s, docs) if s["bucket_cap"] is not None and docs > 0 else None


def _bands(sketched: Any, s: dict[str, Any], docs: int, counts: bytes | None) -> Any:
    """The rows of :func:`bands`, with the corpus's counts known."""
    F, T = _spark()
    schema = T.StructType(
        [
            T.StructField(DOC, T.LongType(), False),
            T.StructField("band", T.IntegerType(), False),
            T.StructField("key", T.LongType(), False),
            T.StructField("sub", T.LongType(), False),
        ]
    )

    def keys(batches: Iterator[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
        for batch in batches:
            offsets, _ = _flat(batch.column(PRINTS))
            sig = _flat(batch.column(SIGNATURE))[1]
            out = _native.bucket_keys_part(s, docs, counts, sig, np.diff(offsets) == 0)
            rows = np.asarray(out["row"]).astype(np.int64)
            doc = batch.column(DOC).to_numpy()[rows] if len(rows) else np.zeros(0, np.int64)
            yield pa.RecordBatch.from_pydict(
                {DOC: pa.array(doc, pa.int64()), "band": pa.array(out["band"]), "key": pa.array(out["key"]), "sub": pa.array(out["sub"])}
            )

    return sketched.select(DOC, PRINTS, SIGNATURE).mapInArrow(keys, schema)


#: Corpora whose sketches take at most this many bytes are verified from a copy of the
#: sketches in each worker (see :func:`pairs`); larger ones by joins.
BROADCAST_LIMIT = 1 << 30

_PAIRS_SCHEMA = [("a", "long"), ("b", "long"), ("jaccard", "double"), ("containment", "double"), ("match", "byte")]


def _pairs_schema(T: Any) -> Any:
    kinds = {"long": T.LongType(), "double": T.DoubleType(), "byte": T.ByteType()}
    return T.StructType([T.StructField(n, kinds[k], False) for n, k in _PAIRS_SCHEMA])


#: The ``match`` of a pair whose figures conflict (the same report with other figures):
#: not a copy, and kept apart in clusters.
APART = 2


def pairs(sketched: Any, broadcast_limit: int = BROADCAST_LIMIT, **kw: Any) -> Any:
    """The verified pairs: ``a < b`` (``_nd_doc`` numbers), ``jaccard``, ``containment``
    and ``match`` (0 Jaccard, 1 containment): the candidates of :func:`bands`, screened on
    their signatures and checked on their exact fingerprint sets with the CLI's rule.

    When the sketches take at most ``broadcast_limit`` bytes (about 2 KB per document of
    400 words), each worker holds a copy of them and whole buckets of each band are
    verified where their pairs meet first, as the CLI does: no row per candidate pair is
    ever made. Larger corpora join each candidate pair with its two fingerprint sets and
    signatures (and figures, under the template rule, learnt from the corpus's even
    sample); a pair is taken up only in the first band where the two meet, and a bucket
    over ``max_bucket`` pairs each document with the next ``BUCKET_WINDOW`` in signature
    order, as the CLI walks it.
    """
    F, _ = _spark()
    return _verified(sketched, broadcast_limit, settings(**kw)).where(F.col("match") != APART)


def _verified(sketched: Any, broadcast_limit: int, s: dict[str, Any]) -> Any:
    """The rows of :func:`pairs` and, with ``match`` :data:`APART` (and NaN measures),
    the pairs verification set aside because their figures conflict: clusters keep them
    apart."""
    _check_stage(sketched, s)
    docs, values = _size(sketched)
    if 4 * values + 24 * docs <= broadcast_limit:
        return _pairs_broadcast(sketched, s, docs)
    counts = _split_counts(sketched, s, docs)
    return _pairs_joined(sketched, _bands(sketched, s, docs, counts), s, docs, counts)


_TABLES: dict[str, Any] = {}


def _table(value: Any) -> Any:
    """This worker's native table of a broadcast's sketches (built once per process), keyed
    by the token the driver put in it: a reused worker outlives broadcasts, and a new one's
    Python object may take a freed one's ``id()``. The table counts the corpus's buckets
    itself (when they are split), from the whole corpus it holds."""
    token, s, total, docs, offsets, prints, signatures, figures = value.value
    if token not in _TABLES:
        _TABLES.clear()
        _TABLES[token] = _native.SketchTable(
            s, total, None, docs, offsets, prints, signatures, figures, count_buckets=s["bucket_cap"] is not None
        )
    return _TABLES[token]


def _pairs_broadcast(sketched: Any, s: dict[str, Any], docs: int) -> Any:
    """Each task takes one band (or one key range of a band: whole buckets) of the copy of
    the sketches its worker holds, and screens and verifies its pairs natively where they
    meet first: no bucket row is made or shuffled."""
    F, T = _spark()
    figured = s["template_df"] != "off"
    table = sketched.select(DOC, PRINTS, SIGNATURE, *([FIGURES] if figured else [])).toArrow().sort_by(DOC)
    offsets, prints = _flat(table.column(PRINTS))
    signatures = _flat(table.column(SIGNATURE))[1]
    figures = _flat(table.column(FIGURES), bits=64) if figured else None
    ids = table.column(DOC).to_numpy()
    token = uuid.uuid4().hex
    spark = sketched.sparkSession
    shared = spark.sparkContext.broadcast((token, s, docs, ids, offsets, prints, signatures, figures))
    parallelism = max(1, spark.sparkContext.defaultParallelism)
    bands = _native.band_count(s)
    # Enough tasks to keep every core busy (two per core) and to split a large corpus's
    # bands into key ranges: groups per band.
    groups = -(-2 * parallelism // bands)
    tasks = bands * groups

    def verify(batches: Iterator[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
        t = _table(shared)
        for batch in batches:
            for task in batch.column("id").to_numpy():
                band, group = divmod(int(task), groups)
                out = t.group_pairs(band, group, groups)
                yield pa.RecordBatch.from_pydict({n: pa.array(out[n]) for n, _ in _PAIRS_SCHEMA})

    units = spark.range(0, tasks, 1, min(tasks, 2 * parallelism))
    return units.mapInArrow(verify, _pairs_schema(T))


def _dense(sketched: Any) -> Any:
    """The frame with ``_nd_dense``: each row's position in ``_nd_doc`` order (0, 1, 2, ...),
    the CLI's document number. ``_nd_doc`` comes from ``monotonically_increasing_id``
    (partition << 33, then the row in it): per-partition counts give the positions
    without a sort; numbers made otherwise are ranked by a window over the whole frame."""
    F, _ = _spark()
    from pyspark.sql import Window

    part = F.shiftright(F.col(DOC), 33)
    spans = sketched.groupBy(part.alias("_part")).agg(
        F.count(F.lit(1)).alias("n"), F.min(DOC).alias("lo"), F.max(DOC).alias("hi")
    ).collect()
    if all(r["hi"] - r["lo"] + 1 == r["n"] for r in spans):
        shifts, at = [], 0
        for r in sorted(spans, key=lambda r: r["lo"]):
            shifts.append((r["_part"], at - r["lo"]))
            at += r["n"]
        shift = sketched.sparkSession.createDataFrame(shifts, "_part long, _shift long")
        return (
            sketched.withColumn("_part", part)
            .join(F.broadcast(shift), "_part")
            .withColumn("_nd_dense", F.col(DOC) + F.col("_shift"))
            .drop("_part", "_shift")
        )
    return sketched.withColumn("_nd_dense", F.row_number().over(Window.orderBy(DOC)) - 1)


def _template_sample(sketched: Any, n: int, step: int | None = None) -> tuple:
    """The sets and figures of the corpus's even sample, in order: documents 0, step,
    2 step, ... of the ``n`` (``step`` as the CLI's, unless given), as flat arrays."""
    F, _ = _spark()
    step = _native.template_sample_step(n) if step is None else step
    rows = (
        _dense(sketched.select(DOC, PRINTS, FIGURES))
        .where(F.col("_nd_dense") % step == 0)
        .select("_nd_dense", PRINTS, FIGURES)
        .toArrow()
        .sort_by("_nd_dense")
    )
    offsets, prints = _flat(rows.column(PRINTS))
    figure_offsets, figures = _flat(rows.column(FIGURES), bits=64)
    return rows.column("_nd_dense").to_numpy(), offsets, prints, figure_offsets, figures


_TEMPLATES: dict[str, Any] = {}


def _templates(value: Any) -> Any:
    """This worker's template table of a broadcast sample (built once per process)."""
    token, s, n, offsets, prints, figure_offsets, figures = value.value
    if token not in _TEMPLATES:
        _TEMPLATES.clear()
        _TEMPLATES[token] = _native.TemplateTable(s, n, offsets, prints, figure_offsets, figures)
    return _TEMPLATES[token]


def _pairs_joined(sketched: Any, b: Any, s: dict[str, Any], docs: int, counts: bytes | None) -> Any:
    """The join path: candidate pairs as rows, each with its two fingerprint sets and
    signatures, taken up (as the CLI does) only in the first band where the two meet.
    Buckets of at most ``max_bucket`` documents pair whole; a larger one pairs each
    document with the next ``BUCKET_WINDOW`` in signature order, as the CLI walks it."""
    F, T = _spark()
    from pyspark.sql import Window

    bucket = ["band", "key", "sub"]
    most, window = _native.bucket_walk(s)
    sized = b.withColumn("_n", F.count(F.lit(1)).over(Window.partitionBy(*bucket)))
    small = sized.where(F.col("_n") <= most) if most is not None else sized
    x, y = small.alias("x"), small.alias("y")
    candidates = (
        x.join(y, [F.col(f"x.{c}") == F.col(f"y.{c}") for c in bucket])
        .where(F.col(f"x.{DOC}") < F.col(f"y.{DOC}"))
        .select(F.col(f"x.{DOC}").alias("a"), F.col(f"y.{DOC}").alias("b"), F.col("x.band").alias("band"))
    )
    if most is not None:
        # Signature order: the unsigned values, compared element by element, then the number.
        order = sketched.select(DOC, F.transform(SIGNATURE, lambda v: v.cast("long").bitwiseAND(0xFFFFFFFF)).alias("_order"))
        ranked = (
            sized.where(F.col("_n") > most)
            .join(order, DOC)
            .withColumn("_rank", F.row_number().over(Window.partitionBy(*bucket).orderBy("_order", DOC)))
            .select(*bucket, DOC, "_rank")
        )
        ahead = ranked.select(
            *bucket, F.col(DOC).alias("_from"), F.explode(F.sequence(F.col("_rank") + 1, F.col("_rank") + window)).alias("_rank")
        )
        windowed = ahead.join(ranked, bucket + ["_rank"]).select(
            F.least("_from", DOC).alias("a"), F.greatest("_from", DOC).alias("b"), "band"
        )
        candidates = candidates.unionByName(windowed)
    # A pair found in several bands: only the first band it was found in can be the first
    # where the two meet (checked below), so one row per pair goes on to the joins.
    candidates = candidates.groupBy("a", "b").agg(F.min("band").alias("band"))
    figured = s["template_df"] != "off"
    shared = None
    if figured:
        # The template rule: learnt by each worker from the corpus's even sample (at most
        # 20,000 documents, as the CLI samples), each pair verified with its figures.
        n = sketched.count()
        _, *sample = _template_sample(sketched, n)
        token = uuid.uuid4().hex
        shared = sketched.sparkSession.sparkContext.broadcast((token, s, n, *sample))
    names = {DOC: "{}", PRINTS: "p{}", SIGNATURE: "s{}", **({FIGURES: "f{}"} if figured else {})}
    sets = sketched.select(*names)
    with_sets = candidates.join(sets.withColumnsRenamed({k: v.format("a") for k, v in names.items()}), "a").join(
        sets.withColumnsRenamed({k: v.format("b") for k, v in names.items()}), "b"
    )
    schema = _pairs_schema(T)

    def verify(batches: Iterator[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
        for batch in batches:
            first = _native.first_band_part(
                s, docs, counts, batch.column("band").to_numpy().astype(np.int32),
                _flat(batch.column("sa"))[1], _flat(batch.column("sb"))[1],
            )
            batch = batch.filter(pa.array(first))
            if batch.num_rows == 0:
                continue
            ao, ap = _flat(batch.column("pa"))
            bo, bp = _flat(batch.column("pb"))
            if shared is None:
                out = _native.verify_part(s, ao, ap, bo, bp)
            else:
                out = _templates(shared).verify(
                    ao, ap, bo, bp, *_flat(batch.column("fa"), bits=64), *_flat(batch.column("fb"), bits=64)
                )
            keep = pa.array(out["passed"])
            table = pa.RecordBatch.from_pydict(
                {
                    "a": batch.column("a"),
                    "b": batch.column("b"),
                    "jaccard": pa.array(out["jaccard"]),
                    "containment": pa.array(out["containment"]),
                    "match": pa.array(out["match"]),
                }
            )
            yield table.filter(keep)

    columns = ["a", "b", "band", "pa", "pb", "sa", "sb", *(["fa", "fb"] if figured else [])]
    return with_sets.select(*columns).mapInArrow(verify, schema)


def _checkpoint(df: Any) -> Any:
    """Cuts the lineage: a reliable checkpoint where the context has a folder for them, else
    a local one."""
    sc = df.sparkSession.sparkContext
    return df.checkpoint() if sc.getCheckpointDir() else df.localCheckpoint()


def _stars(e: Any) -> bool:
    """Whether edges ``a < b`` form stars: no node is both a centre (``a``) and a leaf
    (``b``), and no leaf has two centres. Then each star is a whole component (every step
    of :func:`components` keeps the components)."""
    F, _ = _spark()
    nodes = e.select(F.col("a").alias("n"), F.lit(1).alias("centre"), F.lit(0).alias("leaf")).union(
        e.select(F.col("b").alias("n"), F.lit(0).alias("centre"), F.lit(1).alias("leaf"))
    )
    counted = nodes.groupBy("n").agg(F.max("centre").alias("c"), F.sum("leaf").alias("l"))
    return counted.where((F.col("l") > 1) | ((F.col("c") == 1) & (F.col("l") >= 1))).isEmpty()


def components(edges: Any) -> Any:
    """Connected components of an edge list (columns ``a``, ``b``): ``doc`` and ``component``
    (the smallest document of its component), for every document in an edge. Alternating
    large-star and small-star steps (Kiveris et al. 2014) until the edges form stars
    (:func:`_stars`), each round checkpointed."""
    F, _ = _spark()
    e = edges.select(F.least("a", "b").alias("a"), F.greatest("a", "b").alias("b")).where(F.col("a") != F.col("b")).distinct()
    e = _checkpoint(e)
    while not _stars(e):
        # Large star: each node's larger neighbours attach to its neighbourhood's minimum.
        both = e.select("a", "b").union(e.select(F.col("b").alias("a"), F.col("a").alias("b")))
        low = both.groupBy("a").agg(F.least(F.min("b"), F.col("a")).alias("m"))
        large = (
            both.join(low, "a")
            .where(F.col("b") > F.col("a"))
            .select(F.col("b").alias("a"), F.col("m").alias("b"))
            .where(F.col("a") != F.col("b"))
        )
        # Small star: each node and its smaller neighbours attach to their minimum.
        directed = large.select(F.greatest("a", "b").alias("a"), F.least("a", "b").alias("b"))
        low = directed.groupBy("a").agg(F.min("b").alias("m"))
        small = (
            directed.join(low, "a")
            .select(F.col("b").alias("a"), F.col("m").alias("b"))
            .union(low.select("a", F.col("m").alias("b")))
            .where(F.col("a") != F.col("b"))
            .select(F.least("a", "b").alias("a"), F.greatest("a", "b").alias("b"))
            .distinct()
        )
        e = _checkpoint(small)
    # A star: every edge joins a node to its component's smallest node.
    return e.select(F.col("b").alias("doc"), F.col("a").alias("component")).union(
        e.select(F.col("a").alias("doc"), F.col("a").alias("component"))
    ).distinct()


#: Verified pairs up to this many bytes (33 bytes of columns per pair, counted as 40) are joined into
#: components and spanning trees in one task, natively, as the CLI does (see :func:`dedup`).
COMPONENTS_LIMIT = 1 << 28

_PAIR_BYTES = 40


def _forest_schema(T: Any) -> Any:
    return T.StructType(
        [
            T.StructField(DOC, T.LongType(), False),
            T.StructField("component", T.LongType(), False),
            T.StructField("joined_to", T.LongType(), False),
            T.StructField("score", T.DoubleType(), True),
        ]
    )


def _tree(table: pa.Table) -> pa.Table:
    """The spanning trees of the components of the pairs in ``table`` (native)."""
    out = _native.spanning_tree(
        table.column("a").to_numpy(),
        table.column("b").to_numpy(),
        table.column("jaccard").to_numpy(),
        table.column("containment").to_numpy(),
        table.column("match").to_numpy().astype(np.int8),
    )
    score = np.asarray(out["score"])
    return pa.table(
        {
            DOC: pa.array(out["doc"], pa.int64()),
            "component": pa.array(out["component"], pa.int64()),
            "joined_to": pa.array(out["joined_by"], pa.int64()),
            "score": pa.array(score, pa.float64(), mask=np.isnan(score)),
        }
    )


def _forest(verified: Any, limit: int) -> Any:
    """Every paired document's ``component`` (its first document), ``joined_to`` (-1 for a
    component's first) and ``score``: the CLI's spanning trees. Pairs up to ``limit``
    bytes go to one task that joins them natively (one stage, where the rounds of
    :func:`components` take a dozen); more are split into components by :func:`components`
    first, and each component's tree is built where its pairs meet."""
    F, T = _spark()
    schema = _forest_schema(T)
    # Pairs kept apart (``match`` APART) go with the copies to each tree, where they keep
    # their two documents in different clusters.
    if verified.count() * _PAIR_BYTES <= limit:

        def whole(batches: Iterator[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
            got = [b for b in batches if b.num_rows]
            if got:
                yield from _tree(pa.Table.from_batches(got)).to_batches()

        return verified.coalesce(1).mapInArrow(whole, schema)
    comp = _checkpoint(components(verified.where(F.col("match") != APART)))
    edges = verified.join(comp.withColumnsRenamed({"doc": "a"}), "a")
    return edges.groupBy("component").applyInArrow(_tree, schema)


def dedup(
    df: Any,
    text: str = "text",
    id: str | None = "id",
    date: str | None = "date",
    keep: str | None = None,
    broadcast_limit: int = BROADCAST_LIMIT,
    components_limit: int = COMPONENTS_LIMIT,
    **kw: Any,
) -> Any:
    """The DataFrame with ``cluster`` (long: the ``_nd_doc`` number of its cluster's first
    row; a row in no cluster is its own), ``joined_by`` (the ``id`` of the row it joined
    through, or its ``_nd_doc`` number without an id column; null for a cluster's first),
    ``score`` (that pair's similarity) and ``keep`` columns, as :func:`neardup.pandas.dedup`
    adds them (rows in no particular order, as Spark gives them: sort to compare). ``keep`` is ``"earliest"`` when there is a ``date`` column, else ``"first"``
    (or ``"longest"``). ``df.where("keep")`` is the deduplicated frame.

    ``broadcast_limit`` as in :func:`pairs`. Verified pairs up to ``components_limit``
    bytes (some 6.7 million pairs by default) are joined into clusters in one task;
    beyond it, by :func:`components` (large-star and small-star rounds). Other keyword
    arguments as :func:`settings` (the CLI's flags). Clusters are those of ``neardup
    cluster`` with the same settings on the same rows, whatever the partitioning.
    """
    F, T = _spark()
    s = settings(**kw)
    if id is not None and id not in df.columns:
        id = None
    if date is not None and date not in df.columns:
        date = None
    if keep is None:
        keep = "earliest" if date is not None else "first"
    if keep not in ("first", "earliest", "longest"):
        raise ValueError(f"keep: 'first', 'earliest' or 'longest', not {keep!r}")
    if keep == "earliest" and date is None:
        raise ValueError("keep='earliest' needs a date column")
    # The dates are read whatever is kept: the CLI reads them for verification too.
    numbered = _checkpoint(_numbered(df, text, date))
    sketched = _checkpoint(_sketch_stage(numbered, text, date, s))
    verified = _checkpoint(_verified(sketched, broadcast_limit, s))
    forest = _checkpoint(_forest(verified, components_limit))
    if keep == "first":
        # A component's first document is its smallest number: the survivor.
        info = forest.withColumn("_nd_survivor", F.col("component"))
    else:
        order = {
            "earliest": [F.col(PUBLISHED), F.col(DOC)],
            "longest": [-F.col(CHARS), F.col(DOC)],
        }[keep]
        members = sketched.join(forest.select(DOC, "component"), DOC)
        survivors = members.groupBy("component").agg(
            F.min(F.struct(*[c.alias(f"k{i}") for i, c in enumerate(order)], F.col(DOC).alias("d"))).alias("s")
        )
        survivors = survivors.select("component", F.col("s.d").alias("_nd_survivor"))
        info = forest.join(survivors, "component")
    out = numbered.join(info, DOC, "left")
    if id is not None:
        names = numbered.select(F.col(DOC).alias("joined_to"), F.col(id).alias("_nd_joined_id"))
        out = out.join(names, "joined_to", "left")
        joined_by = F.when(F.col("joined_to") >= 0, F.col("_nd_joined_id"))
    else:
        joined_by = F.when(F.col("joined_to") >= 0, F.col("joined_to"))
    out = out.select(
        *[F.col(c) for c in df.columns],
        F.coalesce(F.col("component"), F.col(DOC)).alias("cluster"),
        joined_by.alias("joined_by"),
        F.when(F.col("joined_to") >= 0, F.col("score")).alias("score"),
        (F.col("_nd_survivor").isNull() | (F.col("_nd_survivor") == F.col(DOC))).alias("keep"),
    )
    return out
