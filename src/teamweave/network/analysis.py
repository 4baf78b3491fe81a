"""The analysis service: events -> ties and metrics per week and month, persisted for the pages.

Reads every event of an org with DuckDB, maps identities to people through the alias map, keeps only the
people of the directory who have not opted out of analytics, computes ties and metrics with
:mod:`teamweave.analytics`, and replaces the org's metric rows of each analysed period. Never commits.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

import duckdb
import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
from sqlalchemy.orm import Session

from teamweave.analytics.integration import integration_curve
from teamweave.analytics.person_metrics import person_metrics
from teamweave.analytics.team_metrics import team_metrics, team_ties
from teamweave.analytics.ties import load_participants, people_table, tie_table
from teamweave.analytics.windows import PERIODS, check_period, windows_between
from teamweave.imports import service as imports_service
from teamweave.network import writer
from teamweave.network.models import AnalysisRun
from teamweave.people import service as people_service
from teamweave.privacy.thresholds import effective_k, passes
from teamweave.progress import NullProgress, ProgressReporter
from teamweave.store.events import EventStore

STEPS_PER_PERIOD = 4


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


@dataclass
class _PeriodResult:
    windows: int
    people: set[str]
    pairs: pa.Table
    hidden: int


def _store_integration(session: Session, con: duckdb.DuckDBPyConnection, *, org: str) -> int:
    """Newcomers' integration curves, keyed by person (rows go when the person is erased)."""
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
        for r in integration_curve(con).to_pylist()
        if r["person"] in entries
    ]
    return writer.replace_integration(session, org=org, rows=rows)


def _nodes(session: Session, *, org: str) -> tuple[pa.Table, list[str]]:
    """The people who may become nodes, and the pseudonyms of those who opted out of analytics."""
    entries = people_service.directory(session, org=org)
    kept = [e for e in entries if not e.analytics_opt_out]
    opted_out = [e.pseudonym for e in entries if e.analytics_opt_out]
    return people_table((e.pseudonym, e.team_id, e.timezone, e.start_date) for e in kept), opted_out


def _visible_team_ties(table: pa.Table, teams: pa.Table, *, k: int) -> tuple[pa.Table, int]:
    """Team ties of a window between teams that both had at least k members in that window (``teams``: the
    team metrics, with ``window_start, team_id, members``); ties to smaller teams would expose people.

    Done as two Arrow semi-joins (no Python loop over the ties: 2.4M team ties took 3 s that way)."""
    sizes = pc.unique(teams.column("members")).drop_null()
    passing = pa.array([n for n in sizes.to_pylist() if passes(n, k)], type=sizes.type)
    shown = teams.filter(pc.is_in(teams.column("members"), value_set=passing))
    shown = shown.select(["window_start", "team_id"])
    kept = table.append_column("_row", pa.array(np.arange(table.num_rows, dtype=np.int64)))
    for end in ("team_a", "team_b"):
        kept = kept.join(shown.rename_columns(["window_start", end]), keys=["window_start", end], join_type="left semi")
    order = pc.sort_indices(kept.column("_row"))
    kept = kept.take(order).drop_columns(["_row"])
    return kept, table.num_rows - kept.num_rows


def _analyze_period(
    session: Session,
    con: duckdb.DuckDBPyConnection,
    *,
    org: str,
    period: str,
    people: pa.Table,
    k: int,
    progress: ProgressReporter,
    work_day: tuple[int, int] = (8, 19),
) -> _PeriodResult:
    ties = tie_table(con, period=period)
    progress.advance()
    persons = person_metrics(
        con, ties, people=people, period=period, work_day_start=work_day[0], work_day_end=work_day[1]
    )
    progress.advance()
    starts = persons.column("window_start").to_pylist()
    windows = windows_between(min(starts), max(starts), period=period) if starts else []
    teams = team_metrics(con, ties, persons, people=people, windows=windows, period=period, k=effective_k(k))
    between, hidden = _visible_team_ties(team_ties(con, ties, people=people), teams, k=k)
    progress.advance()
    writer.replace_person_metrics(session, org=org, period=period, rows=persons)
    writer.replace_team_metrics(session, org=org, period=period, rows=teams)
    writer.replace_team_ties(session, org=org, period=period, rows=between)
    progress.advance()
    return _PeriodResult(len(windows), set(persons.column("person").to_pylist()), ties.select(["a", "b"]), hidden)


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
) -> AnalysisSummary:
    """Compute ties and person and team metrics per window of each period and store them.

    Replaces the org's PersonMetric, TeamMetric and TeamTie rows of every analysed period (so re-running
    changes nothing when the events did not change) and records an AnalysisRun. Team ties of a window are
    stored only between teams that both had at least ``k`` members in that window (people who had started by
    its end), and a team's E-I index and external share count only ties to such teams. Never commits.
    """
    chosen = tuple(check_period(p) for p in periods)
    reporter: ProgressReporter = progress or NullProgress()
    clock = time.perf_counter()
    run = AnalysisRun(org=org, started_at=datetime.now(UTC), events=events.count(org), windows=0)
    session.add(run)
    session.flush()
    people, opted_out = _nodes(session, org=org)
    aliases = imports_service.alias_map(session, org=org)
    reporter.start("Analysing interactions", total=1 + STEPS_PER_PERIOD * len(chosen))
    # large analyses spill to disk: next to the event store, not into whatever folder the command ran in
    con = duckdb.connect(config={"temp_directory": str(events.root.parent / "duckdb-spill")})
    try:
        load_participants(
            con,
            events.read(org, con),
            people=people,
            aliases=aliases,
            excluded=opted_out,
            bots=imports_service.bot_identities(session, org=org),
            work_day_start=work_day_start,
            work_day_end=work_day_end,
        )
        _store_integration(session, con, org=org)
        reporter.advance()
        results = [
            _analyze_period(
                session,
                con,
                org=org,
                period=p,
                people=people,
                k=k,
                progress=reporter,
                work_day=(work_day_start, work_day_end),
            )
            for p in chosen
        ]
        pairs = pa.concat_tables([r.pairs for r in results]) if results else pa.table({"a": [], "b": []})
        distinct_ties = pairs.group_by(["a", "b"]).aggregate([]).num_rows
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
        people=len(set().union(*(r.people for r in results))),
        teams=len(team_ids),
        ties=distinct_ties,
        team_ties_hidden=sum(r.hidden for r in results),
        runtime_s=time.perf_counter() - clock,
    )
