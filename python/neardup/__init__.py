"""Near-duplicate and reworded text at scale, from Python.

The whole pipeline runs in native code, with the GIL released and on several threads:
texts are normalised (NFKC, case folding) and shingled, sketched with MinHash, paired by
LSH banding, every candidate verified on the exact shingle sets (Jaccard, or containment
for truncated and padded copies), and joined into clusters. A TF-IDF side ranks related
coverage. Results are the CLI's, byte for byte where the CLI prints them.

Texts may be a list of ``str``, a pandas Series, or a pyarrow string array or chunked
array (read in place, without a copy of the text). Results are pyarrow Tables
(``.to_pandas()``, ``polars.from_arrow``) or numpy arrays.

>>> import neardup
>>> texts = [
...     "The central bank raised its main interest rate by half a point on Tuesday.",
...     "The central bank raised its main interest rate by half a point on Tuesday, officials said.",
...     "A local football club won its cup final on penalties.",
... ]
>>> neardup.pairs(texts).to_pylist()
[{'a': 0, 'b': 1, 'jaccard': 0.8571428571428571, 'containment': 1.0, 'match': 'jaccard'}]
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Literal, NamedTuple

import numpy as np
import pyarrow as pa

from . import _native
from ._native import IndexFileError

__all__ = [
    "DEFAULT_CONTAINMENT",
    "DEFAULT_MAX_BUCKET",
    "DEFAULT_THRESHOLD",
    "Index",
    "IndexFileError",
    "LSH",
    "QueryResult",
    "Sketcher",
    "cluster",
    "compare",
    "dedup",
    "jaccard",
    "pairs",
    "rank",
]

DEFAULT_THRESHOLD: float = _native.DEFAULT_THRESHOLD
DEFAULT_CONTAINMENT: float = _native.DEFAULT_CONTAINMENT
DEFAULT_MAX_BUCKET: int = _native.DEFAULT_MAX_BUCKET
_MATCH = np.array(["jaccard", "containment"])


# --- inputs -------------------------------------------------------------------------------


def _texts(texts: Any) -> Any:
    """Texts as the native side reads them: Arrow in place, anything else as a sequence."""
    if hasattr(texts, "__arrow_c_stream__") or hasattr(texts, "__arrow_c_array__"):
        return texts
    array = getattr(texts, "array", None)  # a pandas Series
    if array is not None and hasattr(array, "__arrow_array__"):
        return array.__arrow_array__()  # pyarrow-backed strings, no copy
    if isinstance(texts, np.ndarray):
        return texts.tolist()
    if array is not None:
        return texts.tolist()
    return texts


def _ids(ids: Any, n: int) -> tuple[list[str] | None, pa.Array]:
    """Ids for the native side (their text, for duplicate checks) and as an Arrow array."""
    if ids is None:
        return None, pa.array(np.arange(n, dtype=np.int64))
    if isinstance(ids, (pa.Array, pa.ChunkedArray)):
        arr = ids
    elif hasattr(ids, "__arrow_c_array__") or hasattr(ids, "__arrow_c_stream__"):
        arr = pa.array(ids)
    else:
        arr = pa.array(list(ids) if not isinstance(ids, np.ndarray) else ids)
    if isinstance(arr, pa.ChunkedArray):
        arr = arr.combine_chunks()
    if len(arr) != n:
        raise ValueError(f"ids: {len(arr)} ids for {n} texts")
    if arr.null_count:
        raise ValueError("ids: an id is missing (null)")
    if pa.types.is_string(arr.type) or pa.types.is_large_string(arr.type):
        text = arr.to_pylist()
    elif pa.types.is_integer(arr.type):
        text = [str(x) for x in arr.to_numpy()]
    else:
        raise TypeError(f"ids: strings or integers are needed, not {arr.type}")
    return text, arr


def _meta(**columns: Any) -> dict[str, list[str | None] | None]:
    """Metadata columns as lists of optional strings (dates as ISO text when given as dates)."""
    out: dict[str, list[str | None] | None] = {}
    for name, values in columns.items():
        if values is None:
            out[name] = None
            continue
        if isinstance(values, (pa.Array, pa.ChunkedArray)):
            values = values.to_pylist()
        elif hasattr(values, "tolist"):
            values = values.tolist()
        out[name] = [None if v is None or v != v else (v.isoformat() if hasattr(v, "isoformat") else str(v)) for v in values]
    return out


def _settings(
    threshold: float,
    containment: float | None,
    min_contained: int,
    shingle: str,
    num_perm: int,
    seed: int,
    sketch: str,
    bucket_cap: int | None = None,
    template_df: int | str | None = "auto",
    max_bucket: int | None = DEFAULT_MAX_BUCKET,
) -> dict[str, Any]:
    """The settings as the native side takes them (the CLI's flags)."""
    if max_bucket is not None and int(max_bucket) <= 0:
        raise ValueError(f"max_bucket: a positive number of documents or None, not {max_bucket!r}")
    return dict(
        max_bucket=None if max_bucket is None else int(max_bucket),
        template_df="off" if template_df is None else str(template_df),
        threshold=float(threshold),
        containment=None if containment is None else float(containment),
        min_contained=int(min_contained),
        shingle=str(shingle),
        num_perm=int(num_perm),
        seed=int(seed),
        sketch=str(sketch),
        bucket_cap=None if bucket_cap is None else int(bucket_cap),
    )


def _validate(settings: dict[str, Any]) -> None:
    """Raises what the native side would for bad settings (for inputs with no texts)."""
    _native.validate(settings)


def _match(codes: np.ndarray) -> pa.Array:
    codes = np.asarray(codes)
    valid = codes >= 0
    names = _MATCH[np.where(valid, codes, 0)]
    return pa.array(names, mask=~valid)


# --- the common case ----------------------------------------------------------------------


def pairs(
    texts: Any,
    ids: Any = None,
    *,
    dates: Any = None,
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
    threads: int | None = None,
) -> pa.Table:
    """Near-duplicate pairs, as ``neardup pairs`` finds them.

    Two texts are near-duplicates when the Jaccard similarity of their shingle sets is at
    least ``threshold``, or when at least ``containment`` of the smaller set lies in the
    larger (``None``: Jaccard alone; texts under ``min_contained`` shingles never count as
    contained). Candidates come from LSH banding and every one is verified exactly.
    Shingles found in at least ``template_df`` texts (wire templates, boilerplate) weigh
    less in both measures (``"auto"``: max(5, n / 4000); ``None`` or ``"off"``: plain set
    measures), so filled-in templates are not copies, nor texts whose figures differ in
    the same places, as with ``neardup pairs``. An LSH bucket of more than ``max_bucket``
    texts after splitting (one text copied thousands of times) pairs each text with its 100
    neighbours in signature order, as ``neardup pairs --max-bucket`` does (``None``: every
    pair, at a cost quadratic in the bucket). With ``dates`` (one per text, read as the CLI
    reads a ``date`` field), two texts published more than three days apart are not copies
    when a figure changed in place: the same notice filled in anew, as with the CLI on
    input with dates.

    Returns a table with the CLI's columns ``a``, ``b`` (ids, ``a`` before ``b`` in input
    order), ``jaccard``, ``containment`` and ``match`` (which rule held), in pair order.

    >>> t = ["one two three four five six", "one two three four five six seven", "other words"]
    >>> pairs(t, ids=["x", "y", "z"]).to_pydict()
    {'a': ['x'], 'b': ['y'], 'jaccard': [0.8], 'containment': [1.0], 'match': ['jaccard']}
    """
    texts = _texts(texts)
    n = len(texts)
    id_text, id_arr = _ids(ids, n)
    schema = pa.schema(
        [
            ("a", id_arr.type),
            ("b", id_arr.type),
            ("jaccard", pa.float64()),
            ("containment", pa.float64()),
            ("match", pa.string()),
        ]
    )
    settings = _settings(
        threshold, containment, min_contained, shingle, num_perm, seed, sketch, bucket_cap, template_df, max_bucket
    )
    if n == 0:
        _validate(settings)
        return schema.empty_table()
    date_strings = None if dates is None else _date_strings(dates, n)
    r = _native.pairs(texts, id_text, settings, threads, date_strings)
    return pa.table(
        [
            id_arr.take(pa.array(r["a"])),
            id_arr.take(pa.array(r["b"])),
            pa.array(r["jaccard"]),
            pa.array(r["containment"]),
            _match(r["match"]),
        ],
        schema=schema,
    )


def cluster(
    texts: Any,
    ids: Any = None,
    *,
    dates: Any = None,
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
    threads: int | None = None,
) -> pa.Table:
    """Clusters of copies, one row per text, as ``neardup cluster --singletons``.

    Columns: ``id``; ``cluster`` (numbered in order of each cluster's first text, every
    text in one, a text without copies alone); ``size``; ``joined_by`` (the member it was
    joined to, null for a cluster's first); ``score`` (that pair's Jaccard or containment)
    and ``match`` (which rule held). Parameters (``dates`` too) as for :func:`pairs`.

    >>> t = ["one two three four five six", "one two three four five six seven", "other words"]
    >>> cluster(t).select(["id", "cluster", "size", "joined_by"]).to_pydict()
    {'id': [0, 1, 2], 'cluster': [0, 0, 1], 'size': [2, 2, 1], 'joined_by': [None, 0, None]}
    """
    settings = _settings(
        threshold, containment, min_contained, shingle, num_perm, seed, sketch, bucket_cap, template_df, max_bucket
    )
    return _cluster_table(texts, ids, settings, threads, dates=dates)


def _cluster_table(
    texts: Any, ids: Any, settings: dict[str, Any], threads: int | None, dates: Any = None, keep: str | None = None
) -> pa.Table:
    """:func:`cluster`'s table, with a ``keep`` column when ``keep`` names a rule."""
    texts = _texts(texts)
    n = len(texts)
    id_text, id_arr = _ids(ids, n)
    if n == 0:
        _validate(settings)
        r = {
            "cluster": np.zeros(0, np.int64),
            "size": np.zeros(0, np.int64),
            "joined_by": np.zeros(0, np.int64),
            "score": np.zeros(0),
            "match": np.zeros(0, np.int8),
            "keep": np.zeros(0, bool),
        }
    else:
        date_strings = None if dates is None else _date_strings(dates, n)
        r = _native.cluster(texts, id_text, settings, threads, date_strings, keep)
    joined = r["joined_by"]
    has = joined >= 0
    columns = {
        "id": id_arr,
        "cluster": pa.array(r["cluster"]),
        "size": pa.array(r["size"]),
        "joined_by": id_arr.take(pa.array(np.where(has, joined, 0), mask=~has)),
        "score": pa.array(r["score"], mask=~has),
        "match": _match(r["match"]),
    }
    if keep is not None:
        columns["keep"] = pa.array(r["keep"])
    return pa.table(columns)


def dedup(
    texts: Any,
    ids: Any = None,
    *,
    keep: Literal["first", "earliest", "longest"] = "first",
    dates: Any = None,
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
    threads: int | None = None,
) -> pa.Table:
    """Which texts to keep: one per cluster of copies.

    ``keep`` picks each cluster's survivor, as ``neardup dedup --keep``: ``"first"`` in
    input order, ``"earliest"`` by ``dates`` (read as the CLI reads dates: ISO 8601 with or
    without a time and zone, RFC 2822, ``14 June 2013``...; dates and timestamps; epoch
    seconds or milliseconds; missing or unreadable dates last; ties by input order),
    ``"longest"`` by text length in characters (ties by input order). Returns
    :func:`cluster`'s table with a boolean ``keep`` column.

    >>> t = ["one two three four five six", "one two three four five six seven", "other words"]
    >>> dedup(t, keep="longest").column("keep").to_pylist()
    [False, True, True]
    >>> dedup(t, dates=["2024-06-02", "2024-06-01", None], keep="earliest")["keep"].to_pylist()
    [False, True, True]
    """
    if keep not in ("first", "earliest", "longest"):
        raise ValueError(f"keep: 'first', 'earliest' or 'longest', not {keep!r}")
    if keep == "earliest" and dates is None:
        raise ValueError("keep='earliest' needs dates")
    settings = _settings(
        threshold, containment, min_contained, shingle, num_perm, seed, sketch, bucket_cap, template_df, max_bucket
    )
    return _cluster_table(texts, ids, settings, threads, dates=dates, keep=keep)


def _as_list(values: Any) -> list[Any]:
    """Any column as a Python list (Arrow arrays, pandas/polars Series, numpy, sequences)."""
    values = _texts(values)
    if isinstance(values, (pa.Array, pa.ChunkedArray)):
        return values.to_pylist()
    if hasattr(values, "__arrow_c_stream__") or hasattr(values, "__arrow_c_array__"):
        return pa.array(values).to_pylist()
    return list(values)


def _date_strings(dates: Any, n: int) -> list[str | None]:
    """Dates as the text the native side reads (as the CLI reads a ``date`` field): strings
    as they are, dates and timestamps in ISO form, numbers as epoch seconds or milliseconds."""
    arr = dates if isinstance(dates, (pa.Array, pa.ChunkedArray)) else pa.array(_as_list(dates))
    if isinstance(arr, pa.ChunkedArray):
        arr = arr.combine_chunks()
    if len(arr) != n:
        raise ValueError(f"dates: {len(arr)} dates for {n} texts")
    if pa.types.is_timestamp(arr.type) or pa.types.is_date(arr.type):
        return [None if v is None else v.isoformat() for v in arr.to_pylist()]
    return [None if v is None else str(v) for v in arr.to_pylist()]


def rank(
    texts: Any,
    ids: Any = None,
    *,
    top: int = 10,
    rerank_neighbours: int = _native.DEFAULT_RERANK_NEIGHBOURS,
    threads: int | None = None,
) -> pa.Table:
    """Every text's ``top`` most related texts, as ``neardup rank``.

    ``cosine`` is the TF-IDF cosine (idf from these texts, sublinear tf, smoothed idf as
    scikit-learn's); ``score``, which orders each list, mixes it with how many close
    neighbours the two share (``rerank_neighbours=0`` for cosine alone). Columns ``id``,
    ``neighbour``, ``rank`` (from 1), ``cosine``, ``score``. A text that shares no term
    with any other has no rows.

    >>> t = ["rates rise at the central bank", "the central bank lifts rates", "cup final won on penalties"]
    >>> rank(t, top=1, rerank_neighbours=0).select(["id", "neighbour"]).to_pydict()
    {'id': [0, 1], 'neighbour': [1, 0]}
    """
    texts = _texts(texts)
    n = len(texts)
    id_text, id_arr = _ids(ids, n)
    if n == 0:
        r = {k: np.zeros(0, np.uint32) for k in ("doc", "neighbour", "rank")}
        r.update(cosine=np.zeros(0, np.float32), score=np.zeros(0, np.float32))
    else:
        r = _native.rank(texts, id_text, top=int(top), rerank_neighbours=int(rerank_neighbours), threads=threads)
    return pa.table(
        {
            "id": id_arr.take(pa.array(r["doc"])),
            "neighbour": id_arr.take(pa.array(r["neighbour"])),
            "rank": pa.array(r["rank"]),
            "cosine": pa.array(r["cosine"]),
            "score": pa.array(r["score"]),
        }
    )


def compare(
    a: str,
    b: str,
    *,
    threshold: float = DEFAULT_THRESHOLD,
    containment: float | None = DEFAULT_CONTAINMENT,
    min_contained: int = 20,
    shingle: str = "word:3",
    num_perm: int = 128,
    seed: int = 42,
    sketch: str = "oph",
    template_df: int | str | None = "auto",
    date_a: str | None = None,
    date_b: str | None = None,
) -> dict[str, Any]:
    """Two texts compared, as ``neardup compare``: exact and estimated Jaccard,
    containment both ways, TF-IDF cosine (idf from the two texts), and whether the pair is
    a near-duplicate (``"jaccard"``, ``"containment"`` or ``False``), decided as ``pairs``
    decides on the two: their figures compared (``template_df=None`` for plain shingles),
    with their publication dates when given (``ValueError`` for one it cannot read).
    ``set_aside`` says why a pair that passes on plain shingles is not a near-duplicate
    (``"figures"``: the same report with other figures), else ``None``.

    >>> c = compare("one two three four five six", "one two three four five six seven")
    >>> c["jaccard"], c["containment_a_in_b"], c["near_duplicate"]
    (0.8, 1.0, 'jaccard')
    >>> compare("one two three four", "five six seven eight")["near_duplicate"]
    False
    """
    settings = _settings(threshold, containment, min_contained, shingle, num_perm, seed, sketch,
                         template_df=template_df)
    return _native.compare(a, b, settings, date_a, date_b)


# --- the sketch level ---------------------------------------------------------------------


class Sketcher:
    """Texts to MinHash signatures (numpy ``uint32``), the same as the CLI's.

    ``sketch`` is ``"oph"`` (one-permutation hashing, the default), ``"classic"`` or
    ``"cminhash"``; signatures of different kinds, seeds or sizes never compare.

    >>> s = Sketcher(num_perm=64, seed=7)
    >>> m = s.sketch(["one two three four five six", "one two three four five six seven"])
    >>> m.shape, m.dtype.name
    ((2, 64), 'uint32')
    >>> round(jaccard(m[0], m[1]), 1)
    0.8
    """

    def __init__(self, num_perm: int = 128, seed: int = 42, sketch: str = "oph", shingle: str = "word:3"):
        self._inner = _native.Sketcher(int(num_perm), int(seed), str(sketch), str(shingle))

    @property
    def num_perm(self) -> int:
        return self._inner.num_perm

    @property
    def seed(self) -> int:
        return self._inner.seed

    @property
    def kind(self) -> str:
        return self._inner.sketch

    @property
    def shingle(self) -> str:
        return self._inner.shingle

    def sketch(self, texts: Any, threads: int | None = None) -> np.ndarray:
        """An ``n × num_perm`` matrix, one signature per text (an empty text: all 2**32-1).

        >>> Sketcher(num_perm=4).sketch(["a b c d", ""]).shape
        (2, 4)
        """
        return self._inner.sketch_many(_texts(texts), threads)

    def sketch_one(self, text: str) -> np.ndarray:
        """The signature of one text.

        >>> s = Sketcher(num_perm=8)
        >>> bool((s.sketch_one("a b c d") == s.sketch(["a b c d"])[0]).all())
        True
        """
        return self._inner.sketch_one(text)

    def __reduce__(self):
        return (Sketcher, (self.num_perm, self.seed, self.kind, self.shingle))

    def __repr__(self) -> str:
        return f"Sketcher(num_perm={self.num_perm}, seed={self.seed}, sketch={self.kind!r}, shingle={self.shingle!r})"


def jaccard(a: np.ndarray, b: np.ndarray) -> float | np.ndarray:
    """Estimated Jaccard similarity: the share of equal slots. ``a`` may be a matrix (one
    estimate per row against ``b``).

    >>> jaccard(np.array([1, 2, 3, 4], np.uint32), np.array([1, 2, 0, 4], np.uint32))
    0.75
    """
    a = np.ascontiguousarray(a, dtype=np.uint32)
    b = np.ascontiguousarray(b, dtype=np.uint32)
    if a.ndim == 2:
        return _native.estimate_jaccard_many(a, b)
    return _native.estimate_jaccard(a, b)


class LSH:
    """An LSH banding index of signatures under keys, as datasketch's ``MinHashLSH``.

    Bands and rows are chosen from ``threshold`` (the probability of a pair at the
    threshold becoming a candidate is at least 0.95), or given. Keys are any hashable.

    >>> s = Sketcher(num_perm=128)
    >>> m = s.sketch(["one two three four five six seven eight", "one two three four five six seven nine", "other"])
    >>> lsh = LSH(threshold=0.5, num_perm=128)
    >>> lsh.insert_many(["a", "b", "c"], m)
    >>> sorted(lsh.query(m[0])), "b" in lsh, len(lsh)
    (['a', 'b'], True, 3)
    >>> lsh.remove("b"); sorted(lsh.query(m[0]))
    ['a']
    """

    def __init__(
        self,
        threshold: float = DEFAULT_THRESHOLD,
        num_perm: int = 128,
        bands: int | None = None,
        rows: int | None = None,
    ):
        self.threshold = float(threshold)
        self.num_perm = int(num_perm)
        self._table = _native.BandTable(self.num_perm, self.threshold, bands, rows)
        self._slot: dict[Any, int] = {}
        self._keys: list[Any] = []
        self._signatures: dict[int, np.ndarray] = {}

    @property
    def bands(self) -> int:
        return self._table.bands

    @property
    def rows(self) -> int:
        return self._table.rows

    def _check(self, signature: np.ndarray) -> np.ndarray:
        s = np.ascontiguousarray(signature, dtype=np.uint32)
        if s.shape != (self.num_perm,):
            raise ValueError(f"a signature of {self.num_perm} slots is needed, not shape {s.shape}")
        return s

    def insert(self, key: Any, signature: np.ndarray) -> None:
        """Adds ``signature`` under ``key`` (a key already present is an error).

        >>> lsh = LSH(num_perm=8, bands=2, rows=4)
        >>> lsh.insert("a", Sketcher(num_perm=8).sketch_one("one two three four")); len(lsh)
        1
        """
        if key in self._slot:
            raise ValueError(f"key {key!r} is already in the index")
        s = self._check(signature)
        slot = len(self._keys)
        self._table.insert(slot, s)
        self._slot[key] = slot
        self._keys.append(key)
        self._signatures[slot] = s.copy()

    def insert_many(self, keys: Sequence[Any], signatures: np.ndarray) -> None:
        """Adds each row of ``signatures`` under the key of the same position.

        >>> lsh = LSH(num_perm=8, bands=2, rows=4)
        >>> lsh.insert_many(["a", "b"], Sketcher(num_perm=8).sketch(["x y z", "x y z"]))
        >>> lsh.query(Sketcher(num_perm=8).sketch_one("x y z"))
        ['a', 'b']
        """
        signatures = np.asarray(signatures)
        if len(keys) != len(signatures):
            raise ValueError(f"{len(keys)} keys for {len(signatures)} signatures")
        for key, s in zip(keys, signatures):
            self.insert(key, s)

    def query(self, signature: np.ndarray) -> list[Any]:
        """Keys that share a band with ``signature`` (candidates, not verified), in
        insertion order."""
        slots = self._table.query(self._check(signature))
        return [self._keys[s] for s in slots]

    def remove(self, key: Any) -> None:
        """Removes ``key`` (a missing key is a ``KeyError``).

        >>> lsh = LSH(num_perm=8, bands=2, rows=4)
        >>> lsh.insert("a", Sketcher(num_perm=8).sketch_one("x y z")); lsh.remove("a"); "a" in lsh
        False
        """
        slot = self._slot.pop(key)
        self._table.remove(slot)
        del self._signatures[slot]

    def __contains__(self, key: Any) -> bool:
        return key in self._slot

    def __len__(self) -> int:
        return len(self._slot)

    def __getstate__(self) -> dict[str, Any]:
        keys = list(self._slot)
        matrix = np.stack([self._signatures[self._slot[k]] for k in keys]) if keys else np.zeros((0, self.num_perm), np.uint32)
        return {
            "threshold": self.threshold,
            "num_perm": self.num_perm,
            "bands": self.bands,
            "rows": self.rows,
            "keys": keys,
            "signatures": matrix,
        }

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__init__(state["threshold"], state["num_perm"], state["bands"], state["rows"])
        self.insert_many(state["keys"], state["signatures"])


# --- the persistent index -----------------------------------------------------------------


class QueryResult(NamedTuple):
    """What :meth:`Index.query` found."""

    duplicates: pa.Table
    """Near-duplicates (LSH candidates that pass verification), best first: ``id``,
    ``jaccard``, ``containment``, ``match``, then ``outlet``, ``date``, ``title``, ``url``."""
    related: pa.Table
    """The most related documents by TF-IDF cosine, best first: ``id``, ``cosine``, then
    ``outlet``, ``date``, ``title``, ``url``."""
    candidates: int
    """LSH candidates looked at."""
    set_aside: int
    """Candidates set aside as ``pairs`` sets them aside: sharing only a template, or the
    same report with other figures."""


class Index:
    """A persistent, memory-mapped index, as ``neardup index build`` / ``index add`` /
    ``index remove`` / ``index merge`` / ``query`` make and read it (the same formats;
    versioned and checksummed).

    By default an index is a folder of immutable segments with a manifest replaced
    atomically on each change (as the CLI writes it): :meth:`add` writes a new segment in
    time proportional to what is added, :meth:`remove` records deletions, :meth:`merge`
    compacts. Queries see every live document, scored with the TF-IDF statistics of the
    whole live index. Writers (this process, another, the CLI, ``neardup serve``) take
    the folder's writer lock in turn; an open :class:`Index` shows the state it last
    read (:meth:`refresh` reads the latest).

    >>> import tempfile, os
    >>> d = tempfile.mkdtemp()
    >>> t = ["one two three four five six seven", "a b c d e f g", "other words entirely"]
    >>> ix = Index.build(os.path.join(d, "archive"), t, ids=["x", "y", "z"])
    >>> ix.add(["one two three four five six seven eight"], ids=["w"])
    >>> r = ix.query("one two three four five six seven", top=2)
    >>> r.duplicates.column("id").to_pylist(), len(ix)
    (['x', 'w'], 4)
    >>> ix.remove(["y", "nope"])
    ['nope']
    >>> ix.merge(); ix.ids().to_pylist(), ix.settings()["segments"]
    (['x', 'z', 'w'], 1)
    >>> ix.similar("w").duplicates.column("id").to_pylist()
    ['x']
    """

    def __init__(self, handle: Any):
        self._handle = handle
        self._ids: pa.Array | None = None

    @classmethod
    def build(
        cls,
        path: str | Any,
        texts: Any,
        ids: Any = None,
        *,
        threshold: float = DEFAULT_THRESHOLD,
        containment: float | None = DEFAULT_CONTAINMENT,
        min_contained: int = 20,
        shingle: str = "word:3",
        num_perm: int = 128,
        seed: int = 42,
        sketch: str = "oph",
        threads: int | None = None,
        single_file: bool = False,
        titles: Any = None,
        outlets: Any = None,
        dates: Any = None,
        urls: Any = None,
    ) -> "Index":
        """Builds the index of ``texts`` at ``path`` and opens it: a folder of segments
        (replacing the folder's contents), or with ``single_file=True`` one index file
        (written atomically; it can be added to, by rewriting it, but not removed from or
        merged). ``titles``, ``outlets``, ``dates`` and ``urls`` (one per text, ``None``
        for none) are kept with each document and come back with query results.

        >>> import tempfile, os
        >>> ix = Index.build(os.path.join(tempfile.mkdtemp(), "b.ndx"), ["a b c d e", "f g h i j"],
        ...                  single_file=True)
        >>> len(ix), ix.ids().to_pylist(), ix.settings()["folder"]
        (2, ['0', '1'], False)
        """
        texts = _texts(texts)
        id_text, _ = _ids(ids, len(texts))
        settings = _settings(threshold, containment, min_contained, shingle, num_perm, seed, sketch)
        meta = _meta(titles=titles, outlets=outlets, dates=dates, urls=urls)
        return cls(
            _native.IndexHandle.build(str(path), texts, id_text, settings, threads, single_file, **meta)
        )

    @classmethod
    def open(cls, path: str | Any) -> "Index":
        """Opens the index folder or file at ``path`` (memory-mapped; a damaged file is an
        :class:`IndexFileError`).

        >>> import tempfile, os
        >>> path = os.path.join(tempfile.mkdtemp(), "o")
        >>> _ = Index.build(path, ["a b c d e", "f g h i j"], ids=["x", "y"])
        >>> Index.open(path).settings()["shingle"]
        'word:3'
        """
        return cls(_native.IndexHandle.open(str(path)))

    def refresh(self) -> None:
        """Reads the latest committed state (another writer's changes included)."""
        self._handle.refresh()
        self._ids = None

    def add(
        self,
        texts: Any,
        ids: Any = None,
        *,
        threads: int | None = None,
        titles: Any = None,
        outlets: Any = None,
        dates: Any = None,
        urls: Any = None,
    ) -> None:
        """Adds texts, sketched with the index's own settings; ids must stay unique among
        the live documents (without ``ids``, numbers not in use). A folder gains a segment
        (an add leaving more than 10 merges the smallest neighbours); a single file is
        rewritten in place atomically.

        >>> import tempfile, os
        >>> ix = Index.build(os.path.join(tempfile.mkdtemp(), "a"), ["a b c d e"], ids=["x"])
        >>> ix.add(["f g h i j"], ids=["y"]); ix.ids().to_pylist(), ix.settings()["segments"]
        (['x', 'y'], 2)
        """
        texts = _texts(texts)
        id_text, _ = _ids(ids, len(texts))
        meta = _meta(titles=titles, outlets=outlets, dates=dates, urls=urls)
        self._ids = None
        self._handle.add(texts, id_text, threads, **meta)

    def remove(self, ids: Any) -> list[str]:
        """Deletes the live documents with these ids (an index folder only; one commit);
        returns the ids that were not found. Their space is reclaimed by :meth:`merge`.

        >>> import tempfile, os
        >>> ix = Index.build(os.path.join(tempfile.mkdtemp(), "r"), ["a b c", "d e f"], ids=["x", "y"])
        >>> ix.remove(["x"]), len(ix), ix.settings()["deleted"]
        ([], 1, 1)
        """
        if isinstance(ids, str):
            ids = [ids]
        elif isinstance(ids, (pa.Array, pa.ChunkedArray)):
            ids = ids.to_pylist()
        elif hasattr(ids, "tolist"):  # numpy, pandas
            ids = ids.tolist()
        self._ids = None
        return self._handle.remove([str(i) for i in ids])

    def merge(self) -> None:
        """Rewrites the index folder as one segment without its deleted documents."""
        self._ids = None
        self._handle.merge()

    def ids(self) -> pa.Array:
        """Every live document's id, in index order."""
        if self._ids is None:
            self._ids = pa.array(self._handle.ids(), pa.string())
        return self._ids

    def settings(self) -> dict[str, Any]:
        """The settings the index was built with, and its state: ``documents`` (live),
        ``deleted`` (awaiting a merge), ``segments``, ``generation`` (commits so far),
        ``folder``."""
        return self._handle.settings()

    @property
    def path(self) -> str:
        return str(self._handle.path)

    def __len__(self) -> int:
        return len(self._handle)

    def query(
        self, text: str, top: int = 10, *, date: str | None = None, bucket_cap: int | None = 100
    ) -> QueryResult:
        """Near-duplicates of ``text`` and its ``top`` most related documents, as
        ``neardup query``. With ``date`` (any form the readers take, as ``--date``), the
        text is decided as ``pairs`` decides a dated document: a notice filled in anew
        with other figures more than 3 days from an indexed one is not its near-duplicate;
        ``ValueError`` when the date cannot be read.

        >>> import tempfile, os
        >>> ix = Index.build(os.path.join(tempfile.mkdtemp(), "q"),
        ...                  ["the bank raised rates again today", "cup final won on penalties"])
        >>> r = ix.query("the bank raised rates again today", top=1)
        >>> r.duplicates.column("id").to_pylist(), r.related.column("id").to_pylist()
        (['0'], ['0'])
        """
        return self._result(self._handle.query(text, int(top), bucket_cap, date))

    def similar(self, id: str, top: int = 10, *, bucket_cap: int | None = 100) -> QueryResult:
        """Near-duplicates and the ``top`` most related documents of the live document
        ``id`` (itself left out), as ``neardup query --id``; ``KeyError`` when there is
        none."""
        return self._result(self._handle.similar(str(id), int(top), bucket_cap))

    def _result(self, r: dict[str, Any]) -> QueryResult:
        def meta(docs: np.ndarray) -> dict[str, pa.Array]:
            ids, titles, outlets, dates, urls = self._handle.docs(docs.tolist())
            return {
                "id": pa.array(ids, pa.string()),
                "outlet": pa.array(outlets, pa.string()),
                "date": pa.array(dates, pa.string()),
                "title": pa.array(titles, pa.string()),
                "url": pa.array(urls, pa.string()),
            }

        d, rel = meta(r["dup_doc"]), meta(r["rel_doc"])
        duplicates = pa.table(
            {
                "id": d.pop("id"),
                "jaccard": pa.array(r["dup_jaccard"]),
                "containment": pa.array(r["dup_containment"]),
                "match": _match(r["dup_match"]),
                **d,
            }
        )
        related = pa.table({"id": rel.pop("id"), "cosine": pa.array(r["rel_cosine"]), **rel})
        return QueryResult(duplicates, related, int(r["candidates"]), int(r["set_aside"]))

    def __repr__(self) -> str:
        return f"Index({self.path!r}, {len(self)} documents)"
