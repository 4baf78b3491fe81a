"""Whether an incremental run may keep the stored rows it does not recompute: what the last runs read besides the
events (``analytics.run_inputs``), kept per period and for the newcomers' curves (``store.tie_cache``), compared
with what this run reads.

Kept inputs count only when the run that kept them was saved: each is stamped with its run (id and start time),
and a stamp without a finished run of that id and start in the database (its commit failed, or it is this run's
own, still going) counts as nothing kept. A run forgets the kept inputs of what it recomputes when it starts,
so one that fails halfway leaves none.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, date
from typing import Final

import duckdb
from sqlalchemy.orm import Session

from teamweave.analytics.run_inputs import RunInputs, as_tables, from_tables, history_change
from teamweave.network import repository
from teamweave.network.event_spans import days_from
from teamweave.network.models import AnalysisRun
from teamweave.store.tie_cache import TieCache

CURVES: Final = "integration"
"""The key of the newcomers' integration curves' kept inputs: every run, of any period, replaces those curves."""


def kept_keys(periods: Sequence[str]) -> tuple[str, ...]:
    """What a run of ``periods`` recomputes, each with its own kept inputs: its periods and the newcomers' curves.

    Examples
    --------
    >>> kept_keys(("week", "month"))
    ('week', 'month', 'integration')
    """
    return (*periods, CURVES)


def _stamp(run: AnalysisRun) -> str:
    started = run.started_at
    if started.tzinfo is not None:  # SQLite gives the stored time back without its zone (UTC)
        started = started.astimezone(UTC).replace(tzinfo=None)
    return f"{run.id} {started.isoformat()}"


def _saved(session: Session, *, org: str, stamp: str | None) -> bool:
    """Whether the run that kept inputs with ``stamp`` finished and is in the database."""
    run_id = (stamp or "").split(" ", 1)[0]
    if not run_id.isdigit():
        return False
    run = repository.analysis_run(session, org=org, run_id=int(run_id))
    return run is not None and run.finished_at is not None and _stamp(run) == stamp


def full_because(
    session: Session,
    con: duckdb.DuckDBPyConnection,
    cache: TieCache,
    *,
    org: str,
    periods: Sequence[str],
    now: RunInputs,
    since: date,
) -> str | None:
    """Why an incremental run of ``periods`` from ``since`` cannot keep the rows of the windows it does not
    recompute (or the newcomers' curves it does not): the inputs it reads besides the events changed since the
    last saved run of one of them in a way that reaches back into history (``analytics.run_inputs``), or
    nothing says what they were. None: it can."""
    days = days_from(con, since)
    for key in kept_keys(periods):
        kept = cache.run_inputs(org, key)
        if kept is None or not _saved(session, org=org, stamp=kept[2]):
            what = "newcomers' curves" if key == CURVES else f"{key}s"
            return f"nothing is kept of the people and settings of the last saved run of the {what}"
        change = history_change(from_tables(kept[0], kept[1]), now, first_new=days[0] if days is not None else since)
        if change is not None:
            return change
    return None


def forget(cache: TieCache, *, org: str, periods: Sequence[str]) -> None:
    """A run of ``periods`` starts: until it ends, their stored rows may mix two runs."""
    cache.forget_run_inputs(org, kept_keys(periods))


def keep(cache: TieCache, *, org: str, periods: Sequence[str], now: RunInputs, run: AnalysisRun) -> None:
    """A run of ``periods`` computed everything (``run`` flushed, with its id and start time): keep what it read."""
    people, aliases = as_tables(now)
    cache.keep_run_inputs(org, kept_keys(periods), people, aliases, run=_stamp(run))
