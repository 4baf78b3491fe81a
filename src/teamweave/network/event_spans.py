"""The org's events (the DuckDB view ``tw_store`` over the event store) by UTC span: what an analysis loads."""

from __future__ import annotations

from datetime import UTC, date, datetime

import duckdb


def instant(day: date) -> datetime:
    """Midnight UTC at the start of ``day``."""
    return datetime(day.year, day.month, day.day, tzinfo=UTC)


def days_from(con: duckdb.DuckDBPyConnection, since: date | None = None) -> tuple[date, date] | None:
    """The first and last UTC days of the events (view ``tw_store``; from ``since`` on, when given); None without
    any."""
    where = "" if since is None else " WHERE ts >= $since"
    params = {} if since is None else {"since": instant(since)}
    row = con.execute(
        f"SELECT timezone('UTC', min(ts))::DATE, timezone('UTC', max(ts))::DATE FROM tw_store{where}", params
    ).fetchall()[0]
    return None if row[0] is None else (row[0], row[1])


def span(con: duckdb.DuckDBPyConnection, start: datetime, end: datetime | None = None) -> duckdb.DuckDBPyRelation:
    """The events (view ``tw_store``) from ``start`` (to ``end``, excluded): Parquet statistics skip the rest."""
    query = "SELECT * FROM tw_store WHERE ts >= $start" + ("" if end is None else " AND ts < $end")
    return con.sql(query, params={"start": start, **({} if end is None else {"end": end})})
