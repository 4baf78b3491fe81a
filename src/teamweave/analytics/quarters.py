"""Quarters combined from months: a quarter's ties, activity and focus are sums over its three months, so a run
that goes a month at a time (``analytics.chunks``) or adds a new week (``analytics.incremental``) builds a
quarter from *month pieces* instead of loading the quarter's events (three months of them at once would break
the memory a month at a time keeps, and a new week would cost a quarter of events).

A month piece is what the quarter needs of one month:

- its ties (``tie_store.save_window_ties``): pairs with their weight, channel weights and the two direction
  flags. A tie is reciprocated over the quarter when some month had an act each way, not only when one month
  had both, so the flags are kept rather than the month's ``reciprocated``;
- its people piece (:func:`save_month_people`): per person, the counts ``sql/activity.sql`` takes, the meeting
  seconds, and the sums over the month's working days of ``sql/focus_days.sql``.

Combined, they give the quarter's ``tw_ties`` and the activity and focus tables that
``person_metrics.person_metrics_loaded`` would compute from the quarter's events: the same rows, up to the order
in which floats are added (``tests/analytics/test_quarters.py`` compares them with the quarter computed from its
events).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import duckdb
import pyarrow as pa

from teamweave.analytics.focus import load_focus_days
from teamweave.analytics.load import with_activity_shares
from teamweave.analytics.queries import load_query, load_table
from teamweave.analytics.tie_store import CARRIED_COLUMNS, no_window_ties

PEOPLE_PIECE_SCHEMA = pa.schema(
    [
        pa.field("person", pa.string()),
        *(pa.field(name, pa.int64()) for name in ("human_events", "tool_events", "acts", "after_hours_acts")),
        pa.field("messages_sent", pa.int64()),
        pa.field("meeting_s", pa.int64()),
        pa.field("focus_hours_sum", pa.float64()),
        pa.field("focus_blocks_sum", pa.int64()),
        pa.field("working_days", pa.int64()),
    ]
)
"""The columns of a month's people piece (``sql/month_people.sql``)."""


@dataclass(frozen=True)
class MonthPiece:
    """One month's ties (:data:`tie_store.CARRIED_COLUMNS`) and people piece (:data:`PEOPLE_PIECE_SCHEMA`), each
    an Arrow table or the Parquet file it was saved to."""

    ties: pa.Table | Path
    people: pa.Table | Path


def month_people(
    con: duckdb.DuckDBPyConnection, window: date, *, work_day_start: int = 8, work_day_end: int = 19
) -> duckdb.DuckDBPyRelation:
    """The people piece of the month starting on ``window`` from the participants loaded
    (``ties.load_participants``, with the same working day), as a DuckDB relation (to save or fetch)."""
    load_focus_days(con, work_day_start=work_day_start, work_day_end=work_day_end)
    return con.sql(load_query("month_people"), params={"window": window})


def save_month_people(
    con: duckdb.DuckDBPyConnection, window: date, path: Path, *, work_day_start: int = 8, work_day_end: int = 19
) -> None:
    """Write the people piece of one month (:func:`month_people`) to a Parquet file at ``path``, straight from
    DuckDB."""
    month_people(con, window, work_day_start=work_day_start, work_day_end=work_day_end).write_parquet(str(path))


def combine_quarters(con: duckdb.DuckDBPyConnection, months: Mapping[date, MonthPiece]) -> int:
    """Build ``tw_ties`` of every quarter that holds one of ``months`` (``sql/quarter_ties.sql``) and the table
    ``tw_month_people`` of their people pieces (read by :func:`quarter_activity` and :func:`quarter_focus`), with
    the ids and teams of the people loaded (``tw_nodes``, from ``ties.load_participants``); return the tie rows.
    A month missing from ``months`` had no events.

    Examples
    --------
    a writes to b in January, b to a in February (with a meeting): one reciprocated tie in the first quarter.

    >>> con = duckdb.connect()
    >>> load_table(con, "tw_nodes", pa.table({"pid": [1, 2], "pseudonym": ["a", "b"], "team_id": [7, 7]}))
    >>> def ties(weight, a_to_b, meeting):
    ...     return pa.table({"a": ["a"], "b": ["b"], "weight": [weight], "reciprocated": [False],
    ...                      "a_to_b": [a_to_b], "b_to_a": [not a_to_b], "chat_weight": [weight - meeting],
    ...                      "email_weight": [0.0], "meeting_weight": [meeting], "code_review_weight": [0.0],
    ...                      "in_person_weight": [0.0]})
    >>> people = PEOPLE_PIECE_SCHEMA.empty_table()
    >>> combine_quarters(con, {date(2024, 1, 1): MonthPiece(ties(1.0, True, 0.0), people),
    ...                        date(2024, 2, 1): MonthPiece(ties(3.0, False, 2.0), people)})
    1
    >>> con.execute("SELECT window_start, weight, reciprocated, meeting_weight FROM tw_ties").fetchall()
    [(datetime.date(2024, 1, 1), 4.0, True, 2.0)]
    """
    _create(con, "tw_month_ties", no_window_ties())
    _create(con, "tw_month_people", PEOPLE_PIECE_SCHEMA.empty_table())
    for month, piece in sorted(months.items()):
        _append(con, "tw_month_ties", month, piece.ties, list(CARRIED_COLUMNS))
        _append(con, "tw_month_people", month, piece.people, PEOPLE_PIECE_SCHEMA.names)
    con.execute(load_query("quarter_ties"))
    con.execute("CREATE OR REPLACE TEMP VIEW tw_tie_names AS SELECT pid AS id, pseudonym AS name FROM tw_nodes")
    rows = con.execute("SELECT count(*) FROM tw_ties").fetchall()
    return int(rows[0][0]) if rows else 0


def quarter_activity(con: duckdb.DuckDBPyConnection) -> pa.Table:
    """Per person and quarter of ``tw_month_people`` (:func:`combine_quarters`): the table
    ``load.activity_table`` gives for a quarter (counts summed over the months, and their shares)."""
    return with_activity_shares(con.sql(load_query("quarter_activity")).to_arrow_table())


def quarter_focus(con: duckdb.DuckDBPyConnection) -> pa.Table:
    """Per person and quarter of ``tw_month_people`` (:func:`combine_quarters`): the table
    ``focus.focus_table`` gives for a quarter (means over the quarter's working days)."""
    return con.sql(load_query("quarter_focus")).to_arrow_table()


def _create(con: duckdb.DuckDBPyConnection, name: str, empty: pa.Table) -> None:
    """Make the temporary table ``name`` with a ``month`` column and the columns of ``empty``."""
    load_table(con, name, empty.add_column(0, "month", pa.array([], type=pa.date32())))


def _append(con: duckdb.DuckDBPyConnection, name: str, month: date, rows: pa.Table | Path, columns: list[str]) -> None:
    """Add one month's rows (an Arrow table or a Parquet file, read by DuckDB) to the table ``name``."""
    select = f"SELECT $month::DATE AS month, {', '.join(columns)}"
    if isinstance(rows, Path):  # (the cache's folders are named org=...: no hive partitions)
        con.execute(
            f"INSERT INTO {name} BY NAME {select} FROM read_parquet($path, hive_partitioning = false)",
            {"month": month, "path": str(rows)},
        )
        return
    load_table(con, "tw_piece", rows.select(columns))
    con.execute(f"INSERT INTO {name} BY NAME {select} FROM tw_piece", {"month": month})
    con.execute("DROP TABLE tw_piece")
