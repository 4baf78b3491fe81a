"""An incremental analysis run (``analyze(..., since=day)``): only the windows new events can change are recomputed
(``analytics.incremental``), from the kept ties of the windows before them when the last run kept them
(``store.tie_cache``), each changed quarter combined from month pieces, and the integration curves of the
newcomers the new events can change."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

import duckdb
import pyarrow as pa
from sqlalchemy.orm import Session

from teamweave.analytics.incremental import INTEGRATION_REACH, MARGIN, changed_windows, plan
from teamweave.analytics.integration import contacts_of_newcomers, curves_from_contacts, newcomer_contacts, newcomers
from teamweave.analytics.queries import load_table
from teamweave.analytics.windows import months_of, previous_window, window_start
from teamweave.network.event_spans import days_from, instant, span
from teamweave.network.newcomer_curves import store_integration
from teamweave.network.period_analysis import Inputs, PeriodResult, analyze_period, analyze_quarters
from teamweave.progress import ProgressReporter
from teamweave.store.tie_cache import KEEP, TieCache


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


def analyze_new_events(
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
    store_integration(session, curves, org=org, only=hires)
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
