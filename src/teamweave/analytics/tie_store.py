"""The tie table of one period kept inside DuckDB, so every metric reads it there instead of from Arrow.

``tw_ties`` holds ``window_start, a_id, b_id, weight, reciprocated``, the two direction flags (``a_to_b,
b_to_a``: acts from ``a`` to ``b`` and back, which a quarter combines from its months), the five channel weights
and the team of each end (``team_a_of, team_b_of``); ``tw_tie_names(id, name)`` names the integer ids
(``ties.NAMED_TIES`` adds the names to its rows), which are numbered in pseudonym order (so ``a_id < b_id``
exactly when ``a < b``). It is built two ways, with the same columns, so that every metric query runs on it the
same way whichever way it came:

- ``ties.build_ties`` straight from ``tw_participants`` (the pipeline: no tie table ever leaves DuckDB; on
  5M events each Arrow -> DuckDB copy of the tie table cost ~1 s and the tables ~7 GiB of Python memory);
- :func:`load_ties` from an Arrow tie table (the public functions that take one, e.g. in tests).
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import duckdb
import numpy as np
import numpy.typing as npt
import pyarrow as pa

from teamweave.analytics.queries import load_table
from teamweave.analytics.ties import NAMED_TIES, PEOPLE_SCHEMA, TIE_COLUMNS, with_channels, with_teams

_NULLABLE = (("weight", pa.float64()), ("reciprocated", pa.bool_()), ("a_to_b", pa.bool_()), ("b_to_a", pa.bool_()))


def load_ties(con: duckdb.DuckDBPyConnection, ties: pa.Table, *, people: pa.Table | None = None) -> None:
    """Copy an Arrow tie table (``window_start, a, b`` and any of ``weight, reciprocated``, the channel
    weights, the direction flags) into ``tw_ties``, with the team of each end from ``people`` (null without
    ``people``) and ids numbered in pseudonym order over the table's ends. Missing columns are null (unknown)."""
    fields = [PEOPLE_SCHEMA.field("pseudonym"), PEOPLE_SCHEMA.field("team_id")]
    if people is None:
        people = pa.table({"pseudonym": [], "team_id": []}, schema=pa.schema(fields))
    people = people.select(["pseudonym", "team_id"]).cast(pa.schema(fields))
    full = with_channels(with_teams(ties, people=people))
    for name, kind in _NULLABLE:
        if name not in full.column_names:
            full = full.append_column(name, pa.nulls(full.num_rows, kind))
    columns = [*TIE_COLUMNS, "a_to_b", "b_to_a", "team_a_of", "team_b_of"]
    load_table(con, "tw_ties_in", full.select(columns))
    con.execute(
        """CREATE OR REPLACE TEMP TABLE tw_tie_names_in AS
        SELECT (row_number() OVER (ORDER BY name))::INTEGER AS id, name
        FROM (SELECT a AS name FROM tw_ties_in UNION SELECT b FROM tw_ties_in)"""
    )
    con.execute("CREATE OR REPLACE TEMP VIEW tw_tie_names AS SELECT id, name FROM tw_tie_names_in")
    con.execute(
        """CREATE OR REPLACE TEMP TABLE tw_ties AS
        SELECT t.* EXCLUDE (a, b), na.id AS a_id, nb.id AS b_id
        FROM tw_ties_in AS t
        JOIN tw_tie_names_in AS na ON na.name = t.a
        JOIN tw_tie_names_in AS nb ON nb.name = t.b"""
    )
    con.execute("DROP TABLE tw_ties_in")


def tie_ids(con: duckdb.DuckDBPyConnection) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64], list[str]]:
    """The ends of ``tw_ties`` as an (n, 2) integer array (``a_id, b_id``, ordered by window), their windows as
    day numbers, and the names of the ids (``labels[id]``; index 0 unused)."""
    table = con.sql("SELECT window_start, a_id, b_id FROM tw_ties ORDER BY window_start").to_arrow_table()
    names = con.sql("SELECT id, name FROM tw_tie_names ORDER BY id").to_arrow_table()
    ids = names.column("id").to_numpy()
    labels: list[str] = [""] * (int(ids.max()) + 1 if len(ids) else 1)
    for i, name in zip(ids.tolist(), names.column("name").to_pylist(), strict=True):
        labels[i] = name
    ends = np.column_stack([table.column(c).to_numpy() for c in ("a_id", "b_id")]).astype(np.int64)
    days = table.column("window_start").cast(pa.int32()).to_numpy()
    return ends, days.astype(np.int64), labels


CARRIED_COLUMNS = (
    "a",
    "b",
    "weight",
    "reciprocated",
    "a_to_b",
    "b_to_a",
    "chat_weight",
    "email_weight",
    "meeting_weight",
    "code_review_weight",
    "in_person_weight",
)
"""What :func:`save_window_ties` takes out of ``tw_ties`` and :func:`put_window_ties` puts back: the pair by
pseudonym and what the metrics read of it (ids and teams are the run's own and are looked up again)."""


def no_window_ties() -> pa.Table:
    """The ties of a window without any, in the columns :func:`save_window_ties` writes (for :func:`put_window_ties`:
    a window before the loaded events that had no ties at all)."""
    fields = [pa.field("a", pa.string()), pa.field("b", pa.string()), pa.field("weight", pa.float64())]
    fields += [pa.field(name, pa.bool_()) for name in CARRIED_COLUMNS[3:6]]
    fields += [pa.field(name, pa.float64()) for name in CARRIED_COLUMNS[6:]]
    return pa.schema(fields).empty_table()


def save_window_ties(con: duckdb.DuckDBPyConnection, window: date, path: Path) -> None:
    """Write the rows of ``tw_ties`` of one window (:data:`CARRIED_COLUMNS`, ordered by pair) to a Parquet file
    at ``path``, straight from DuckDB: a month's ties at 100M events are millions of rows, and they never become
    a Python table."""
    columns = ", ".join(CARRIED_COLUMNS)
    query = f"SELECT {columns} FROM ({NAMED_TIES}) WHERE window_start = $window ORDER BY a_id, b_id"
    con.sql(query, params={"window": window}).write_parquet(str(path))


def put_window_ties(con: duckdb.DuckDBPyConnection, window: date, ties: pa.Table | Path) -> int:
    """Replace the rows of ``window`` in ``tw_ties`` (built by ``ties.build_ties``) by ``ties``: a table of
    :data:`CARRIED_COLUMNS` (:func:`no_window_ties`, say) or the Parquet file :func:`save_window_ties` wrote
    (read by DuckDB), with the ids and teams of this run's ``tw_nodes``; pairs with a person no longer among
    them are left out. Returns the rows put in."""
    if isinstance(ties, Path):
        con.execute(
            f"CREATE OR REPLACE TEMP TABLE tw_carried AS SELECT {', '.join(CARRIED_COLUMNS)}"
            " FROM read_parquet($path, hive_partitioning = false)",  # (the cache's folders are named org=...)
            {"path": str(ties)},
        )
    else:
        load_table(con, "tw_carried", ties.select(list(CARRIED_COLUMNS)))
    con.execute("DELETE FROM tw_ties WHERE window_start = $window", {"window": window})
    con.execute(
        """INSERT INTO tw_ties BY NAME
        SELECT $window::DATE AS window_start, na.pid AS a_id, nb.pid AS b_id, c.* EXCLUDE (a, b),
            na.team_id AS team_a_of, nb.team_id AS team_b_of
        FROM tw_carried AS c
        JOIN tw_nodes AS na ON na.pseudonym = c.a
        JOIN tw_nodes AS nb ON nb.pseudonym = c.b""",
        {"window": window},
    )
    rows = con.execute("SELECT count(*) FROM tw_ties WHERE window_start = $window", {"window": window}).fetchall()
    con.execute("DROP TABLE tw_carried")
    return int(rows[0][0])
