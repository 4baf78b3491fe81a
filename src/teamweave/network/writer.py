"""Writes analysis results: the org's rows of a period are replaced as a whole (or, in an incremental run, those
of the recomputed windows), so re-running is idempotent."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import date
from typing import Any

import pyarrow as pa
from sqlalchemy import delete, insert
from sqlalchemy.orm import Session

from teamweave.network.models import NetworkStructure, NewHireIntegration, PersonMetric, TeamMetric, TeamTie

BATCH_ROWS = 5000


def _batches(table: pa.Table, extra: dict[str, Any], rename: dict[str, str]) -> Iterator[list[dict[str, Any]]]:
    for batch in table.to_batches(max_chunksize=BATCH_ROWS):
        rows = batch.to_pylist()
        if rows:
            yield [{**extra, **{rename.get(k, k): v for k, v in row.items()}} for row in rows]


def _replace(
    session: Session,
    model: Any,
    table: pa.Table,
    *,
    org: str,
    period: str,
    windows: Sequence[date] | None = None,
    **rename: str,
) -> int:
    stale = delete(model).where(model.org == org, model.period == period)
    if windows is not None:  # an incremental run: only these windows were recomputed
        stale = stale.where(model.window_start.in_(list(windows)))
    session.execute(stale)
    written = 0
    for rows in _batches(table, {"org": org, "period": period}, rename):
        session.execute(insert(model), rows)
        written += len(rows)
    return written


def replace_person_metrics(
    session: Session, *, org: str, period: str, rows: pa.Table, windows: Sequence[date] | None = None
) -> int:
    """Delete the org's person metrics of ``period`` (of ``windows`` only, when given) and insert ``rows``
    (columns of PersonMetric, with ``person`` for the pseudonym); return how many were written."""
    return _replace(session, PersonMetric, rows, org=org, period=period, windows=windows, person="pseudonym")


def replace_team_metrics(
    session: Session, *, org: str, period: str, rows: pa.Table, windows: Sequence[date] | None = None
) -> int:
    """Delete the org's team metrics of ``period`` (of ``windows`` only, when given) and insert ``rows``."""
    return _replace(session, TeamMetric, rows, org=org, period=period, windows=windows)


def replace_team_ties(
    session: Session, *, org: str, period: str, rows: pa.Table, windows: Sequence[date] | None = None
) -> int:
    """Delete the org's team ties of ``period`` (of ``windows`` only, when given) and insert ``rows``."""
    return _replace(session, TeamTie, rows, org=org, period=period, windows=windows)


def replace_network_structure(
    session: Session, *, org: str, period: str, rows: pa.Table, windows: Sequence[date] | None = None
) -> int:
    """Delete the org's network structure rows of ``period`` (of ``windows`` only, when given) and insert ``rows``
    (columns of NetworkStructure)."""
    return _replace(session, NetworkStructure, rows, org=org, period=period, windows=windows)


def clear_period(session: Session, *, org: str, period: str) -> None:
    """Delete every row of the org's analysis of ``period`` (person and team metrics, team ties, network
    structure): a full analysis that writes window by window (``network.monthly``) starts from nothing."""
    for model in (PersonMetric, TeamMetric, TeamTie, NetworkStructure):
        session.execute(delete(model).where(model.org == org, model.period == period))


def replace_integration(
    session: Session, *, org: str, rows: list[dict[str, Any]], person_ids: Sequence[int] | None = None
) -> int:
    """Delete the org's new-hire integration rows (only those of ``person_ids`` when given: an incremental
    run) and insert ``rows`` (columns of NewHireIntegration)."""
    stale = delete(NewHireIntegration).where(NewHireIntegration.org == org)
    if person_ids is not None:
        stale = stale.where(NewHireIntegration.person_id.in_(list(person_ids)))
    session.execute(stale)
    for start in range(0, len(rows), BATCH_ROWS):
        session.execute(insert(NewHireIntegration), [{**row, "org": org} for row in rows[start : start + BATCH_ROWS]])
    return len(rows)
