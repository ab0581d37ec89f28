"""neardup for polars DataFrames.

>>> import polars as pl, neardup.polars
>>> df = pl.DataFrame({"text": ["one two three four five six", "one two three four five six seven", "x"]})
>>> neardup.polars.dedup(df)["keep"].to_list()
[True, False, True]
"""

from __future__ import annotations

from typing import Any

from ._frames import dedup_columns


def dedup(
    df: Any,
    text: str = "text",
    id: str | None = "id",
    date: str | None = "date",
    keep: str | None = None,
    **settings: Any,
) -> Any:
    """The frame with ``cluster``, ``joined_by``, ``score`` and ``keep`` columns added
    (the text column is read in place, through Arrow). Parameters as
    :func:`neardup.pandas.dedup`'s.

    >>> import polars as pl
    >>> dedup(pl.DataFrame({"id": [7, 8], "text": ["a b c d e f", "a b c d e f"]}))["joined_by"].to_list()
    [None, 7]
    """
    import polars as pl

    added = dedup_columns(df.to_arrow(), text, id, date, keep, **settings)
    return df.with_columns(pl.from_arrow(added).get_columns())
