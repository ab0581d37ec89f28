"""neardup for pandas DataFrames.

>>> import pandas as pd, neardup.pandas
>>> df = pd.DataFrame({"id": ["a", "b", "c"], "text": [
...     "one two three four five six", "one two three four five six seven", "other words"]})
>>> out = neardup.pandas.dedup(df)
>>> out[["id", "cluster", "keep"]].to_dict("list")
{'id': ['a', 'b', 'c'], 'cluster': [0, 0, 1], 'keep': [True, False, True]}
>>> out["joined_by"].fillna("-").tolist()
['-', 'a', '-']
"""

from __future__ import annotations

from typing import Any

import pyarrow as pa

from ._frames import dedup_columns


def dedup(
    df: Any,
    text: str = "text",
    id: str | None = "id",
    date: str | None = "date",
    keep: str | None = None,
    **settings: Any,
) -> Any:
    """The frame with ``cluster``, ``joined_by``, ``score`` and ``keep`` columns added.

    ``id`` and ``date`` are used when the frame has those columns (``joined_by`` then
    names ids, else row positions); ``keep`` is ``"earliest"`` when there is a date column,
    else ``"first"`` (or ``"longest"``). Other settings as :func:`neardup.pairs`'s.
    ``df[df["keep"]]`` is the deduplicated frame, in its order.

    >>> import pandas as pd
    >>> df = pd.DataFrame({"text": ["a b c d e f", "a b c d e f g", "x y"], "date": ["2024-02", "2024-01", None]})
    >>> out = dedup(df)   # the date column is there: keep the earliest
    >>> out["keep"].tolist()
    [False, True, True]
    """
    columns = [c for c in (text, id, date) if c is not None and c in df.columns]
    table = pa.Table.from_pandas(df[columns], preserve_index=False)
    added = dedup_columns(table, text, id, date, keep, **settings)
    out = df.copy()
    for name in added.column_names:
        out[name] = added.column(name).to_pandas().to_numpy()
    return out
