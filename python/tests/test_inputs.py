"""Every kind of input gives the same answer; bad input is a clear Python exception."""

from __future__ import annotations

import numpy as np
import pandas as pd
import polars as pl
import pyarrow as pa
import pytest

import neardup


@pytest.fixture(scope="module")
def texts(sample) -> list[str]:
    return [d["text"] for d in sample]


@pytest.fixture(scope="module")
def expected(texts) -> pa.Table:
    return neardup.pairs(texts)


@pytest.mark.parametrize("convert", [
    lambda t: t,
    tuple,
    lambda t: np.array(t, dtype=object),
    pd.Series,
    lambda t: pd.Series(t, dtype="string[pyarrow]"),
    pa.array,
    lambda t: pa.array(t, pa.large_string()),
    lambda t: pa.array(t, pa.string_view()),
    lambda t: pa.chunked_array([t[:50], t[50:]]),
    lambda t: pl.Series(t),
])
def test_every_text_column_gives_the_same_pairs(texts, expected, convert):
    assert neardup.pairs(convert(texts)).equals(expected)


def test_arrow_slices_and_nulls_are_read_in_place(texts, expected):
    arr = pa.array(["pad"] * 3 + texts)[3:]
    assert neardup.pairs(arr).equals(expected)
    with_null = pa.array([None, "one two three four five six", "one two three four five six"])
    assert neardup.pairs(with_null).column("a").to_pylist() == [1]


def test_ids_of_every_kind(texts):
    by_str = neardup.pairs(texts, [f"d{i}" for i in range(len(texts))])
    by_int = neardup.pairs(texts, np.arange(len(texts)) * 10)
    by_arrow = neardup.pairs(texts, pa.array([f"d{i}" for i in range(len(texts))]))
    assert by_str.equals(by_arrow)
    assert by_int.column("a").to_pylist() == [int(x[1:]) * 10 for x in by_str.column("a").to_pylist()]
    assert by_int.schema.field("a").type == pa.int64()


def test_empty_input_is_an_empty_table():
    assert neardup.pairs([]).num_rows == 0
    assert neardup.pairs([]).column_names == ["a", "b", "jaccard", "containment", "match"]
    assert neardup.cluster([]).num_rows == 0
    assert neardup.rank([]).num_rows == 0
    assert neardup.dedup([]).num_rows == 0
    assert neardup.pairs(["", "", ""]).num_rows == 0


def test_bad_parameters_are_value_errors_naming_them():
    with pytest.raises(ValueError, match="invalid threshold"):
        neardup.pairs(["a"], threshold=1.5)
    with pytest.raises(ValueError, match="invalid num_perm"):
        neardup.pairs(["a"], num_perm=0)
    with pytest.raises(ValueError, match="invalid sketch"):
        neardup.pairs(["a"], sketch="nope")
    with pytest.raises(ValueError, match="invalid shingle"):
        neardup.Sketcher(shingle="word:0")
    # The setting is named once, as the CLI names it.
    with pytest.raises(ValueError, match=r'^invalid template_df: "often": expected auto, off'):
        neardup.pairs(["a"], template_df="often")
    with pytest.raises(ValueError, match="^invalid sketch: `nope` is not one of"):
        neardup.pairs(["a"], sketch="nope")
    with pytest.raises(ValueError, match="threads"):
        neardup.pairs(["a"], threads=0)
    with pytest.raises(ValueError, match="keep"):
        neardup.dedup(["a"], keep="newest")
    with pytest.raises(ValueError, match="dates"):
        neardup.dedup(["a"], keep="earliest")


def test_bad_input_names_its_place():
    with pytest.raises(ValueError, match=r'<memory>:3: duplicate id "x" \(first seen at <memory>:1\)'):
        neardup.pairs(["a", "b", "c"], ["x", "y", "x"])
    with pytest.raises(ValueError, match="2 ids for 3 texts"):
        neardup.pairs(["a", "b", "c"], ["x", "y"])
    with pytest.raises(TypeError, match=r"texts\[1\]: a str is needed, not int"):
        neardup.pairs(["a", 5])
    with pytest.raises(TypeError, match="not one string"):
        neardup.pairs("just one text")
    with pytest.raises(TypeError, match="strings is needed"):
        neardup.pairs(pa.array([1, 2, 3]))


def test_index_errors(tmp_path):
    with pytest.raises(OSError):
        neardup.Index.open(tmp_path / "missing.ndx")
    bad = tmp_path / "bad.ndx"
    bad.write_bytes(b"not an index at all, just some bytes" * 10)
    with pytest.raises(neardup.IndexFileError, match="bad.ndx"):
        neardup.Index.open(bad)
    path = tmp_path / "ok.ndx"
    ix = neardup.Index.build(path, ["one two three four", "five six seven eight"], ["a", "b"],
                             single_file=True)
    with pytest.raises(ValueError, match="index folder only"):
        ix.remove(["a"])
    with pytest.raises(ValueError, match="index folder only"):
        ix.merge()
    with pytest.raises(ValueError, match='document id "a" is already in the index'):
        ix.add(["nine ten eleven twelve"], ["a"])
    assert len(neardup.Index.open(path)) == 2
    data = bytearray(path.read_bytes())
    data[100] ^= 0xFF
    path.write_bytes(bytes(data))
    with pytest.raises(neardup.IndexFileError):
        neardup.Index.open(path).query("one two three four")
