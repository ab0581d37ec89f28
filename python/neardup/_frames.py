"""What the DataFrame helpers share: dedup columns for a table of texts."""

from __future__ import annotations

from typing import Any

import pyarrow as pa

import neardup


def dedup_columns(
    table: pa.Table,
    text: str,
    id: str | None,
    date: str | None,
    keep: str | None,
    **settings: Any,
) -> pa.Table:
    """``cluster``, ``joined_by``, ``score`` and ``keep`` for the rows of ``table``.

    ``id`` and ``date`` name columns to use when the table has them; ``keep`` defaults to
    ``"earliest"`` when there is a date column, else ``"first"``.
    """
    if text not in table.column_names:
        raise KeyError(f"no text column {text!r} (columns: {', '.join(table.column_names)})")
    ids = table.column(id) if id is not None and id in table.column_names else None
    dates = table.column(date) if date is not None and date in table.column_names else None
    if keep is None:
        keep = "earliest" if dates is not None else "first"
    result = neardup.dedup(table.column(text), ids, keep=keep, dates=dates, **settings)
    return result.select(["cluster", "joined_by", "score", "keep"])
