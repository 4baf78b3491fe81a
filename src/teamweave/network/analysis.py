"""The analysis service: events -> ties and metrics per week, month and quarter, persisted for the pages.

Reads every event of an org with DuckDB, maps identities to people through the alias map, keeps only the
people of the directory who have not opted out of analytics, computes ties and metrics with
:mod:`teamweave.analytics`, and replaces the org's metric rows of each analysed period. Never commits.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

import pyarrow as pa
from sqlalchemy.orm import Session

from teamweave import __version__
from teamweave.analytics.integration import curves_from_contacts, newcomer_contacts
from teamweave.analytics.pipeline import connect
from teamweave.analytics.run_inputs import RunInputs
from teamweave.analytics.ties import people_table
from teamweave.analytics.windows import PERIODS, check_period
from teamweave.imports import service as imports_service
from teamweave.network import run_history
from teamweave.network.event_spans import days_from
from teamweave.network.incremental_run import analyze_new_events
from teamweave.network.models import AnalysisRun
from teamweave.network.monthly import analyze_by_month, period_runs
from teamweave.network.newcomer_curves import keep_contacts, store_integration
from teamweave.network.period_analysis import Inputs, PeriodResult, analyze_period
from teamweave.people import service as people_service
from teamweave.progress import NullProgress, ProgressReporter
from teamweave.store.events import EventStore
from teamweave.store.org_lock import hold_org
from teamweave.store.tie_cache import TieCache

STEPS_PER_PERIOD = 4
ONE_PASS_EVENTS = 2_000_000
"""Up to this many events a full run loads them all at once (fewest queries, and they fit in memory); above,
one month at a time (``network.monthly``)."""


@dataclass(frozen=True)
class AnalysisSummary:
    """What one run of :func:`analyze` did."""

    run_id: int
    org: str
    periods: tuple[str, ...]
    events: int
    windows: int
    people: int
    teams: int
    ties: int
    team_ties_hidden: int
    runtime_s: float
    communities: int | None = None
    """Communities found in the latest analysed month (None: no month analysed)."""
    team_nmi: float | None = None
    """Their agreement with the formal teams (normalised mutual information, 0..1)."""
    full_because: str | None = None
    """Why a run asked to be incremental (``since``) ran in full instead (None: it did not, or was not asked)."""


def _nodes(session: Session, *, org: str) -> tuple[pa.Table, list[str]]:
    """The people who may become nodes (with team, zone, start date and site), and the pseudonyms of those who
    opted out of analytics."""
    entries = people_service.directory(session, org=org)
    kept = [e for e in entries if not e.analytics_opt_out]
    opted_out = [e.pseudonym for e in entries if e.analytics_opt_out]
    return people_table((e.pseudonym, e.team_id, e.timezone, e.start_date, e.site_id) for e in kept), opted_out


def analyze(
    session: Session,
    *,
    org: str,
    events: EventStore,
    k: int,
    work_day_start: int = 8,
    work_day_end: int = 19,
    periods: Sequence[str] = PERIODS,
    progress: ProgressReporter | None = None,
    since: date | None = None,
    by_month: bool | None = None,
) -> AnalysisSummary:
    """Compute ties and person and team metrics per window of each period and store them.

    Replaces the org's PersonMetric, TeamMetric and TeamTie rows of every analysed period (so re-running
    changes nothing when the events did not change) and records an AnalysisRun. Team ties of a window are
    stored only between teams that both had at least ``k`` members in that window (people who had started by
    its end), and a team's E-I index and external share count only ties to such teams. Never commits.

    With ``since`` (incremental: the events before that UTC day were all analysed by an earlier run, and no
    event is later than the new ones), only the windows the events from ``since`` on can change are recomputed
    and replaced (``analytics.incremental``), and the integration curves of the newcomers they can change; the
    rows equal those of a full run. The summary then counts the recomputed windows, their people and ties.
    When the people, opt-outs, aliases, bots or settings changed since the last run in a way that can reach
    the windows before (``analytics.run_inputs``: anything but people who start from the new events on), or
    the last run's are not known, the run is a full one and the summary says why (``full_because``).

    A full run loads all the events at once, or one month at a time (``network.monthly``: the same rows, in
    memory that follows the size of a month) with ``by_month``; by default, when the org has more than
    :data:`ONE_PASS_EVENTS` events.

    The run holds the org's lock (``store.org_lock``) until the session's transaction ends: an erasure waits for
    it, so that it removes what the run wrote; a run that starts during an erasure waits, then reads after it.
    """
    chosen = with_months(periods)
    reporter: ProgressReporter = progress or NullProgress()
    hold_org(session, org=org, progress=reporter)  # an erasure waits for this run's commit, or this run for it
    clock = time.perf_counter()
    run = AnalysisRun(org=org, started_at=datetime.now(UTC), events=events.count(org), windows=0)
    session.add(run)
    session.flush()
    people, opted_out = _nodes(session, org=org)
    inputs = Inputs(
        people,
        imports_service.alias_map(session, org=org),
        opted_out,
        list(imports_service.bot_identities(session, org=org)),
        (work_day_start, work_day_end),
    )
    read = RunInputs(
        people,
        frozenset(opted_out),
        inputs.aliases,
        frozenset(inputs.bots),
        {"work_day_start": work_day_start, "work_day_end": work_day_end, "k": k, "version": __version__},
    )
    # large analyses spill to disk: next to the event store, not into whatever folder the command ran in
    con = connect(spill_directory=events.root.parent / "duckdb-spill")
    cache = TieCache.beside(events)
    full_because = None
    try:
        events.read(org, con).create_view("tw_store", replace=True)
        if since is not None:
            full_because = run_history.full_because(session, con, cache, org=org, periods=chosen, now=read, since=since)
            since = None if full_because is not None else since
        run_history.forget(cache, org=org, periods=chosen)
        days = None if since is not None else days_from(con)
        monthly = days is not None and (by_month if by_month is not None else run.events > ONE_PASS_EVENTS)
        runs = period_runs(days[0], days[1], periods=chosen) if monthly and days is not None else len(chosen)
        reporter.start("Analysing interactions", total=1 + STEPS_PER_PERIOD * runs)
        if since is not None:
            results = analyze_new_events(
                session, con, org=org, chosen=chosen, inputs=inputs, k=k, since=since, progress=reporter, cache=cache
            )
        elif monthly and days is not None:
            done = analyze_by_month(
                session, con, org=org, periods=chosen, days=days, inputs=inputs, k=k, progress=reporter, cache=cache
            )
            store_integration(session, done.curves, org=org)
            keep_contacts(cache, org=org, contacts=done.contacts, people=inputs.people, last_day=done.last_day)
            reporter.advance()
            results = done.results
        else:
            inputs.load(con, con.table("tw_store"))
            contacts = newcomer_contacts(con)
            store_integration(session, curves_from_contacts(con, contacts), org=org)
            last_day = con.execute("SELECT max(local_ts)::DATE FROM tw_participants").fetchall()[0][0]
            keep_contacts(cache, org=org, contacts=contacts, people=inputs.people, last_day=last_day)
            reporter.advance()
            results = [
                analyze_period(session, con, org=org, period=p, inputs=inputs, k=k, progress=reporter, cache=cache)
                for p in chosen
            ]
        distinct_ties = max((r.pairs for r in results), default=0)
        run_history.keep(cache, org=org, periods=chosen, now=read, run=run)
    finally:
        con.close()
        reporter.finish()
    run.windows = sum(r.windows for r in results)
    run.finished_at = datetime.now(UTC)
    session.flush()
    team_ids = people.column("team_id").drop_null().unique()
    return AnalysisSummary(
        run_id=run.id,
        org=org,
        periods=chosen,
        events=run.events,
        windows=run.windows,
        people=len(set().union(set(), *(r.people for r in results))),
        teams=len(team_ids),
        ties=distinct_ties,
        team_ties_hidden=sum(r.hidden for r in results),
        runtime_s=time.perf_counter() - clock,
        communities=_latest(results, "communities"),
        team_nmi=_latest(results, "team_nmi"),
        full_because=full_because,
    )


def with_months(periods: Sequence[str]) -> tuple[str, ...]:
    """The periods to analyse, in the order of :data:`PERIODS`: quarters need months (a quarter is combined from
    the pieces of its months in a run that goes month by month or adds a week), so months come with them.

    Examples
    --------
    >>> with_months(["quarter", "week"])
    ('week', 'month', 'quarter')
    """
    chosen = {check_period(p) for p in periods}
    if "quarter" in chosen:
        chosen.add("month")
    return tuple(p for p in PERIODS if p in chosen)


def _latest(results: Sequence[PeriodResult], field: str) -> Any:
    """A field of the latest network structure row any period computed (None without one)."""
    rows = [r.structure for r in results if r.structure is not None]
    return rows[-1][field] if rows else None
