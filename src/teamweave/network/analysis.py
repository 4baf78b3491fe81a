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
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa
from sqlalchemy.orm import Session

from teamweave import __version__
from teamweave.analytics.incremental import INTEGRATION_REACH, MARGIN, changed_windows, plan
from teamweave.analytics.integration import contacts_of_newcomers, curves_from_contacts, newcomer_contacts, newcomers
from teamweave.analytics.pipeline import connect
from teamweave.analytics.queries import load_table
from teamweave.analytics.run_inputs import RunInputs
from teamweave.analytics.ties import people_table
from teamweave.analytics.windows import PERIODS, check_period, months_of, previous_window, window_start
from teamweave.imports import service as imports_service
from teamweave.network import run_history, writer
from teamweave.network.event_spans import days_from, instant, span
from teamweave.network.models import AnalysisRun
from teamweave.network.monthly import analyze_by_month, period_runs
from teamweave.network.period_analysis import Inputs, PeriodResult, analyze_period, analyze_quarters
from teamweave.people import service as people_service
from teamweave.progress import NullProgress, ProgressReporter
from teamweave.store.events import EventStore
from teamweave.store.tie_cache import KEEP, TieCache

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


def _store_integration(session: Session, curves: pa.Table, *, org: str, only: set[str] | None = None) -> int:
    """Newcomers' integration curves (``analytics.integration``), keyed by person (rows go when the person is
    erased). With ``only`` (an incremental run: the participants hold part of the data), the curves of those
    pseudonyms alone are replaced."""
    entries = {e.pseudonym: e for e in people_service.directory(session, org=org)}
    rows = [
        {
            "person_id": entries[r["person"]].person_id,
            "team_id": entries[r["person"]].team_id,
            "start_date": r["start_date"],
            "ties_30": r["ties_30"],
            "ties_60": r["ties_60"],
            "ties_90": r["ties_90"],
        }
        for r in curves.to_pylist()
        if r["person"] in entries and (only is None or r["person"] in only)
    ]
    ids = None if only is None else [entries[p].person_id for p in sorted(only) if p in entries]
    return writer.replace_integration(session, org=org, rows=rows, person_ids=ids)


def _nodes(session: Session, *, org: str) -> tuple[pa.Table, list[str]]:
    """The people who may become nodes (with team, zone, start date and site), and the pseudonyms of those who
    opted out of analytics."""
    entries = people_service.directory(session, org=org)
    kept = [e for e in entries if not e.analytics_opt_out]
    opted_out = [e.pseudonym for e in entries if e.analytics_opt_out]
    return people_table((e.pseudonym, e.team_id, e.timezone, e.start_date, e.site_id) for e in kept), opted_out


def _contexts(cache: TieCache, *, org: str, keep: dict[str, list[date]]) -> dict[str, dict[date, Path]] | None:
    """The files of the kept ties of the window before the first recomputed window of each period; None unless
    all are kept."""
    found: dict[str, dict[date, Path]] = {}
    for period, windows in keep.items():
        before = previous_window(min(windows), period=period)
        ties = cache.file(org, period, before)
        if ties is None:
            return None
        found[period] = {before: ties}
    return found


def _incremental(
    session: Session,
    con: duckdb.DuckDBPyConnection,
    *,
    org: str,
    chosen: tuple[str, ...],
    inputs: Inputs,
    k: int,
    since: date,
    progress: ProgressReporter,
    cache: TieCache,
) -> list[PeriodResult]:
    """Recompute only what the events from ``since`` on can change (``analytics.incremental``): per period,
    the windows they touch, from the events of those windows and of the windows before them (or, when the
    ties of those windows before were kept by the last run, from those ties: then only the events of the
    recomputed windows are loaded); and the integration curves of the newcomers who started within 92 days of
    them, from those newcomers' events."""
    days = days_from(con, since)
    if days is None:
        return []
    quarters = _quarter_plan(con, cache, org=org, days=days) if "quarter" in chosen else None
    loaded = tuple(p for p in chosen if p != "quarter" or quarters is None)
    keep, start, end = plan(days[0], days[1], periods=loaded)
    contexts = _contexts(cache, org=org, keep=keep)
    if contexts is not None:
        start = min(instant(min(windows)) for windows in keep.values()) - MARGIN
    inputs.load(con, span(con, start, end))
    last_local = con.execute("SELECT max(local_ts)::DATE FROM tw_participants").fetchall()[0][0]
    results = []
    for p in chosen:
        if p == "quarter" and quarters is not None:
            results.append(
                analyze_quarters(
                    session,
                    con,
                    org=org,
                    quarters=quarters.quarters,
                    inputs=inputs,
                    k=k,
                    progress=progress,
                    cache=cache,
                    first=quarters.first,
                )
            )
            continue
        results.append(
            analyze_period(
                session,
                con,
                org=org,
                period=p,
                inputs=inputs,
                k=k,
                progress=progress,
                cache=cache,
                keep=keep[p],
                context=None if contexts is None else contexts[p],
            )
        )
    _store_new_integration(session, con, org=org, inputs=inputs, since=since, last_day=last_local, cache=cache)
    progress.advance()
    return results


@dataclass(frozen=True)
class _QuarterPlan:
    """The quarters a new week changes, to combine from month pieces (``analytics.quarters``)."""

    quarters: list[date]
    first: date | None
    """The data's first quarter, when it is among ``quarters`` (else the kept ties of the one before are read)."""


def _quarter_plan(
    con: duckdb.DuckDBPyConnection, cache: TieCache, *, org: str, days: tuple[date, date]
) -> _QuarterPlan | None:
    """How an incremental run combines the quarters the events on the UTC days ``days`` change from month
    pieces: the months of those quarters from the data's first month up to the new events' last must be
    recomputed by this run or kept (and stay kept once this run's months are), and the ties of the quarter
    before them kept. None when they are not (a cache cleared, a long ``since``): the quarters are then
    computed from their events, like weeks and months."""
    quarters = changed_windows(days[0], days[1], period="quarter")
    recomputed = changed_windows(days[0], days[1], period="month")
    row = con.execute("SELECT timezone('UTC', min(ts))::DATE FROM tw_store").fetchall()[0]
    first_month = window_start(row[0] - MARGIN, period="month")
    last_month = window_start(days[1] + MARGIN, period="month")
    needed = [m for q in quarters for m in months_of(q) if first_month <= m <= last_month]
    pieces = set(cache.windows(org, "month", people=True))
    kept = pieces & set(sorted(pieces | set(recomputed))[-KEEP:])  # what stays once this run's months are kept
    if any(m not in recomputed and m not in kept for m in needed):
        return None
    before = previous_window(quarters[0], period="quarter")
    if before < window_start(first_month, period="quarter"):
        return _QuarterPlan(quarters, quarters[0])
    return None if cache.file(org, "quarter", before) is None else _QuarterPlan(quarters, None)


def _store_new_integration(
    session: Session,
    con: duckdb.DuckDBPyConnection,
    *,
    org: str,
    inputs: Inputs,
    since: date,
    last_day: date | None,
    cache: TieCache,
) -> None:
    """Integration curves of the newcomers whose first 90 days reach the new events (start date from
    ``since`` - 92 days on); the other curves cannot change. Their contacts are those the last run kept (when
    it kept all of these newcomers') plus those in the loaded participants (the recomputed windows' events,
    which hold the new ones); else gathered from every event that involves them. Keeps the result for the next
    run."""
    cutoff = since - INTEGRATION_REACH
    hires = set(newcomers(inputs.people, started_from=cutoff).to_pylist())
    kept = cache.contacts(org, complete_from=cutoff)
    if kept is not None:
        fresh = newcomer_contacts(con, first_day=cutoff)  # before _first_day, which may load other events
        first = _first_day(con, inputs, cutoff)
        contacts = pa.concat_tables([kept, fresh.cast(kept.schema)])
    else:
        first = _first_day(con, inputs, cutoff)
        _load_newcomers_events(con, inputs, hires, cutoff)
        contacts = newcomer_contacts(con, first_day=first)
    contacts = contacts_of_newcomers(contacts, inputs.people, started_from=cutoff)
    curves = curves_from_contacts(con, contacts, first_day=first, last_day=last_day)
    _store_integration(session, curves, org=org, only=hires)
    cache.keep_contacts(org, contacts, complete_from=cutoff)


def _load_newcomers_events(con: duckdb.DuckDBPyConnection, inputs: Inputs, hires: set[str], cutoff: date) -> None:
    """Load the participants of every event from ``cutoff`` (less a day) on that involves one of ``hires`` (the
    newcomers who started on or after ``cutoff``) under any of their identities."""
    identities = sorted({*hires, *(i for i, p in inputs.aliases.items() if p in hires)})
    load_table(con, "tw_hire_ids", pa.table({"identity": pa.array(identities, pa.string())}))
    start = {"start": instant(cutoff - MARGIN)}
    con.execute(  # their events' ids, found once (load_participants reads the events more than once)
        "CREATE OR REPLACE TEMP TABLE tw_hire_events AS SELECT DISTINCT event_id FROM"
        " (SELECT event_id, unnest(targets) AS t FROM tw_store WHERE ts >= $start)"
        " WHERE t IN (SELECT identity FROM tw_hire_ids)",  # a semi-join: list_intersect per row was 30x slower
        start,
    )
    events = con.sql(
        "SELECT * FROM tw_store WHERE ts >= $start AND (actor IN (SELECT identity FROM tw_hire_ids)"
        " OR event_id IN (SELECT event_id FROM tw_hire_events))",
        params=start,
    )
    inputs.load(con, events)


def _keep_contacts(cache: TieCache, *, org: str, contacts: pa.Table, people: pa.Table, last_day: date | None) -> None:
    """Keep, for the next incremental run, the contacts of the newcomers whose first 90 days can still reach
    new events (those who started within 92 days of the data's last local day)."""
    if last_day is not None:
        started_from = last_day - INTEGRATION_REACH
        recent = contacts_of_newcomers(contacts, people, started_from=started_from)
        cache.keep_contacts(org, recent, complete_from=started_from)


def _first_day(con: duckdb.DuckDBPyConnection, inputs: Inputs, cutoff: date) -> date | None:
    """The first local day of the whole data, as a full run's integration curves see it; ``cutoff`` when the
    data began well before it (no newcomer who started from ``cutoff`` on can be told apart by it then)."""
    row = con.execute("SELECT timezone('UTC', min(ts))::DATE FROM tw_store").fetchall()[0]
    if row[0] is None:
        return None
    first: date = row[0]
    if first < cutoff - 2 * MARGIN:
        return cutoff
    inputs.load(con, span(con, instant(first), instant(first + 8 * MARGIN)))  # local days shift by <= 1
    found: date | None = con.execute("SELECT min(local_ts)::DATE FROM tw_participants").fetchall()[0][0]
    return found if found is not None else cutoff


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
    """
    chosen = with_months(periods)
    reporter: ProgressReporter = progress or NullProgress()
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
            results = _incremental(
                session, con, org=org, chosen=chosen, inputs=inputs, k=k, since=since, progress=reporter, cache=cache
            )
        elif monthly and days is not None:
            done = analyze_by_month(
                session, con, org=org, periods=chosen, days=days, inputs=inputs, k=k, progress=reporter, cache=cache
            )
            _store_integration(session, done.curves, org=org)
            _keep_contacts(cache, org=org, contacts=done.contacts, people=inputs.people, last_day=done.last_day)
            reporter.advance()
            results = done.results
        else:
            inputs.load(con, con.table("tw_store"))
            contacts = newcomer_contacts(con)
            _store_integration(session, curves_from_contacts(con, contacts), org=org)
            last_day = con.execute("SELECT max(local_ts)::DATE FROM tw_participants").fetchall()[0][0]
            _keep_contacts(cache, org=org, contacts=contacts, people=inputs.people, last_day=last_day)
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
