"""DataFrame helpers: pandas, pyarrow and polars give the frame back with dedup columns."""

from __future__ import annotations

import pandas as pd
import polars as pl
import pyarrow as pa

import neardup
import neardup.arrow
import neardup.pandas
import neardup.polars

from conftest import SAMPLE


def test_pandas_dedup_keeps_the_earliest_of_each_cluster(sample):
    df = pd.read_json(SAMPLE, lines=True, dtype={"date": str})
    out = neardup.pandas.dedup(df, text="text", id="id", date="date")
    assert list(out.columns) == list(df.columns) + ["cluster", "joined_by", "score", "keep"]
    assert list(out["id"]) == list(df["id"])
    kept = out[out["keep"]]
    assert kept["cluster"].is_unique
    assert set(kept["cluster"]) == set(out["cluster"])
    for _, group in out.groupby("cluster"):
        dates = group["date"].tolist()
        keeper = group[group["keep"]]
        assert keeper["date"].iloc[0] == min(dates)
    # s00000-0 (2024-07-12) is the earliest of its three.
    assert out.set_index("id").loc["s00000-0", "keep"]
    assert not out.set_index("id").loc["s00000-1", "keep"]


def test_arrow_and_polars_agree_with_pandas(sample):
    table = pa.Table.from_pylist(sample)
    a = neardup.arrow.dedup(table)
    p = neardup.polars.dedup(pl.from_arrow(table))
    d = neardup.pandas.dedup(table.to_pandas())
    assert a.column("keep").to_pylist() == p["keep"].to_list() == d["keep"].tolist()
    assert a.column("cluster").to_pylist() == p["cluster"].to_list()
    assert a.num_columns == table.num_columns + 4


def test_keep_longest_and_first(sample):
    texts = [d["text"] for d in sample]
    longest = neardup.dedup(texts, keep="longest").to_pylist()
    by_cluster = {}
    for i, r in enumerate(longest):
        by_cluster.setdefault(r["cluster"], []).append((len(texts[i]), -i, r["keep"]))
    for members in by_cluster.values():
        assert max(members)[2] is True
        assert sum(m[2] for m in members) == 1
    first = neardup.dedup(texts).to_pylist()
    seen = set()
    for r in first:
        assert r["keep"] == (r["cluster"] not in seen)
        seen.add(r["cluster"])
