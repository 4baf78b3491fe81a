"""Writes analysis results: the org's rows of a period are replaced as a whole, so re-running is idempotent."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pyarrow as pa
from sqlalchemy import delete, insert
from sqlalchemy.orm import Session

from teamweave.network.models import NewHireIntegration, PersonMetric, TeamMetric, TeamTie

BATCH_ROWS = 5000


def _batches(table: pa.Table, extra: dict[str, Any], rename: dict[str, str]) -> Iterator[list[dict[str, Any]]]:
    for batch in table.to_batches(max_chunksize=BATCH_ROWS):
        rows = batch.to_pylist()
        if rows:
            yield [{**extra, **{rename.get(k, k): v for k, v in row.items()}} for row in rows]


def _replace(session: Session, model: Any, table: pa.Table, *, org: str, period: str, **rename: str) -> int:
    session.execute(delete(model).where(model.org == org, model.period == period))
    written = 0
    for rows in _batches(table, {"org": org, "period": period}, rename):
        session.execute(insert(model), rows)
        written += len(rows)
    return written


def replace_person_metrics(session: Session, *, org: str, period: str, rows: pa.Table) -> int:
    """Delete the org's person metrics of ``period`` and insert ``rows`` (columns of PersonMetric, with
    ``person`` for the pseudonym); return how many were written."""
    return _replace(session, PersonMetric, rows, org=org, period=period, person="pseudonym")


def replace_team_metrics(session: Session, *, org: str, period: str, rows: pa.Table) -> int:
    """Delete the org's team metrics of ``period`` and insert ``rows`` (columns of TeamMetric)."""
    return _replace(session, TeamMetric, rows, org=org, period=period)


def replace_team_ties(session: Session, *, org: str, period: str, rows: pa.Table) -> int:
    """Delete the org's team ties of ``period`` and insert ``rows`` (columns of TeamTie)."""
    return _replace(session, TeamTie, rows, org=org, period=period)


def replace_integration(session: Session, *, org: str, rows: list[dict[str, Any]]) -> int:
    """Delete the org's new-hire integration rows and insert ``rows`` (columns of NewHireIntegration)."""
    session.execute(delete(NewHireIntegration).where(NewHireIntegration.org == org))
    for start in range(0, len(rows), BATCH_ROWS):
        session.execute(insert(NewHireIntegration), [{**row, "org": org} for row in rows[start : start + BATCH_ROWS]])
    return len(rows)
