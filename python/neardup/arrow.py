"""neardup for pyarrow Tables.

>>> import pyarrow as pa, neardup.arrow
>>> t = pa.table({"text": ["one two three four five six", "one two three four five six seven", "x"]})
>>> neardup.arrow.dedup(t).column("keep").to_pylist()
[True, False, True]
"""

from __future__ import annotations

from typing import Any

import pyarrow as pa

from ._frames import dedup_columns


def dedup(
    table: pa.Table,
    text: str = "text",
    id: str | None = "id",
    date: str | None = "date",
    keep: str | None = None,
    **settings: Any,
) -> pa.Table:
    """The table with ``cluster``, ``joined_by``, ``score`` and ``keep`` columns appended
    (the text column is read in place). Parameters as :func:`neardup.pandas.dedup`'s.

    >>> t = pa.table({"text": ["a b c d e f", "a b c d e f g"]})
    >>> dedup(t, keep="longest").column("keep").to_pylist()
    [False, True]
    """
    added = dedup_columns(table, text, id, date, keep, **settings)
    for name in added.column_names:
        table = table.append_column(name, added.column(name))
    return table
