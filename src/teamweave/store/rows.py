"""A table row as JSON-ready data, for a person's own export of what is held about them."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import inspect

from teamweave.store.base import Base

SKIPPED_COLUMNS = frozenset({"id", "org"})


def plain(row: Base) -> dict[str, Any]:
    """Every column of ``row`` but its id and org; dates and times as ISO 8601 text."""
    values: dict[str, Any] = {}
    for column in inspect(type(row)).columns:
        if column.key in SKIPPED_COLUMNS:
            continue
        value = getattr(row, column.key)
        values[column.key] = value.isoformat() if isinstance(value, date | datetime) else value
    return values
