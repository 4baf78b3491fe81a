"""The library's DuckDB queries, one a file in ``sql/``, loaded as package resources."""

from __future__ import annotations

from functools import cache
from importlib.resources import files

import duckdb
import pyarrow as pa

from teamweave.errors import TeamweaveError


@cache
def load_query(name: str) -> str:
    """The text of ``sql/<name>.sql``.

    Examples
    --------
    >>> "tw_participants" in load_query("ties")
    True
    """
    resource = files("teamweave.analytics").joinpath("sql", f"{name}.sql")
    if not resource.is_file():
        raise TeamweaveError(f"no query named {name!r}", where="teamweave/analytics/sql")
    return resource.read_text(encoding="utf-8")


def load_table(con: duckdb.DuckDBPyConnection, name: str, table: pa.Table) -> None:
    """Copy an Arrow table into the temporary DuckDB table ``name`` (replacing it).

    A native table carries the statistics DuckDB's join planner needs; joining a registered Arrow table
    twice in one query was ~30x slower here.

    Examples
    --------
    >>> con = duckdb.connect()
    >>> load_table(con, "t", pa.table({"x": [1, 2]}))
    >>> con.execute("SELECT sum(x) FROM t").fetchall()
    [(3,)]
    """
    view = f"{name}__arrow"
    con.register(view, table)
    try:
        con.execute(f'CREATE OR REPLACE TEMP TABLE "{name}" AS SELECT * FROM "{view}"')
    finally:
        con.unregister(view)
