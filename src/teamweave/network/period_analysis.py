"""One period of an analysis: the metrics of its windows computed from the participants loaded in DuckDB,
the org's rows of those windows replaced, the month structure, and the latest windows' ties kept for the
next incremental run. ``network.analysis`` and ``network.incremental_run`` decide which events are loaded and which
windows are kept."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from functools import partial
from pathlib import Path

import duckdb
import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
from sqlalchemy.orm import Session

from teamweave.analytics.incremental import keep_windows
from teamweave.analytics.pipeline import period_tables
from teamweave.analytics.quarters import MonthPiece, save_month_people
from teamweave.analytics.structure import STRUCTURE_PERIODS, structure_loaded
from teamweave.analytics.tie_store import no_window_ties, save_window_ties
from teamweave.analytics.ties import load_participants
from teamweave.analytics.windows import months_of, previous_window
from teamweave.network import writer
from teamweave.privacy.thresholds import effective_k, passes
from teamweave.progress import ProgressReporter
from teamweave.store.tie_cache import KEEP, TieCache


@dataclass
class PeriodResult:
    """What :func:`analyze_period` did, for the run's summary."""

    windows: int
    people: set[str]
    pairs: int  # distinct pairs with a tie in some window (the same pairs whatever the period)
    hidden: int
    structure: dict[str, object] | None = None  # the latest window's network structure row, if computed


@dataclass(frozen=True)
class Inputs:
    """What ``ties.load_participants`` needs besides the events: the nodes, identity map, opt-outs, bots."""

    people: pa.Table
    aliases: dict[str, str]
    opted_out: list[str]
    bots: list[str]
    work_day: tuple[int, int]

    def load(self, con: duckdb.DuckDBPyConnection, events: duckdb.DuckDBPyRelation) -> int:
        return load_participants(
            con,
            events,
            people=self.people,
            aliases=self.aliases,
            excluded=self.opted_out,
            bots=self.bots,
            work_day_start=self.work_day[0],
            work_day_end=self.work_day[1],
        )


def visible_team_ties(table: pa.Table, teams: pa.Table, *, k: int) -> tuple[pa.Table, int]:
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


def _with_structure(persons: pa.Table, placed: pa.Table) -> pa.Table:
    """The person rows with each person's structural metrics of the same window (None where there are none)."""
    day = placed.column("window_start").cast(persons.schema.field("window_start").type)
    placed = placed.set_column(0, "window_start", day)
    return persons.join(placed, keys=["window_start", "person"], join_type="left outer")


def analyze_period(
    session: Session,
    con: duckdb.DuckDBPyConnection,
    *,
    org: str,
    period: str,
    inputs: Inputs,
    k: int,
    progress: ProgressReporter,
    cache: TieCache,
    keep: list[date] | None = None,
    context: Mapping[date, pa.Table | Path] | None = None,
    first_window: date | None = None,
    months: Mapping[date, MonthPiece] | None = None,
) -> PeriodResult:
    """Metrics of every window of ``period`` in the loaded participants, stored; with ``keep``, only those of
    the windows ``keep`` are stored (an incremental run), replacing the stored rows of those windows; with
    ``context``, the kept ties of windows whose events were not loaded, and ``first_window``, the data's first
    window when it was not loaded (``pipeline.period_tables``); with ``months``, the quarters are combined from
    those month pieces (``analytics.quarters``). The ties of the latest windows computed go to ``cache`` for the
    next incremental run (or the next monthly pass), with the people pieces of months."""
    work_day = inputs.work_day
    tables = period_tables(
        con,
        people=inputs.people,
        period=period,
        k=effective_k(k),
        work_day_start=work_day[0],
        work_day_end=work_day[1],
        context=context,
        first_window=first_window,
        keep=keep,
        months=months,
    )
    keep_latest_ties(con, cache, org=org, period=period, keep=keep, work_day=work_day)
    progress.advance(2)
    persons, teams, between = tables.persons, tables.teams, tables.team_ties
    if keep is not None:
        persons, teams, between = (keep_windows(t, keep) for t in (persons, teams, between))
    between, hidden = visible_team_ties(between, teams, k=k)
    progress.advance()
    latest = None
    if period in STRUCTURE_PERIODS:
        windows = keep if keep is not None else persons.column("window_start").unique().to_pylist()
        placed, structure = structure_loaded(con, period=period, people=inputs.people, windows=windows)
        persons = _with_structure(persons, placed)
        writer.replace_network_structure(session, org=org, period=period, rows=structure, windows=keep)
        latest = structure.slice(structure.num_rows - 1).to_pylist()[0] if structure.num_rows else None
    writer.replace_person_metrics(session, org=org, period=period, rows=persons, windows=keep)
    writer.replace_team_metrics(session, org=org, period=period, rows=teams, windows=keep)
    writer.replace_team_ties(session, org=org, period=period, rows=between, windows=keep)
    progress.advance()
    windows = tables.windows if keep is None else len(set(teams.column("window_start").to_pylist()))
    return PeriodResult(windows, set(persons.column("person").to_pylist()), tables.pairs, hidden, latest)


def analyze_quarters(
    session: Session,
    con: duckdb.DuckDBPyConnection,
    *,
    org: str,
    quarters: list[date],
    inputs: Inputs,
    k: int,
    progress: ProgressReporter,
    cache: TieCache,
    first: date | None,
) -> PeriodResult:
    """:func:`analyze_period` of ``quarters`` (in order) combined from the kept pieces of their months
    (:func:`month_pieces`; the months a run computes are kept before it combines them), with the kept ties of the
    quarter before them (none kept: it had no ties), unless the first of them is ``first``, the data's first
    quarter, or comes before it (``None``: the data began earlier). Needs the people loaded (``tw_nodes``)."""
    before = previous_window(quarters[0], period="quarter")
    context = None
    if first is None or quarters[0] > first:
        context = {before: cache.file(org, "quarter", before) or no_window_ties()}
    return analyze_period(
        session,
        con,
        org=org,
        period="quarter",
        inputs=inputs,
        k=k,
        progress=progress,
        cache=cache,
        keep=quarters,
        context=context,
        first_window=first,
        months=month_pieces(cache, org=org, months=[m for q in quarters for m in months_of(q)]),
    )


def month_pieces(cache: TieCache, *, org: str, months: Iterable[date]) -> dict[date, MonthPiece]:
    """The kept pieces of ``months`` (``analytics.quarters``): those whose people piece is kept, with their ties
    (none kept: the month had no ties). A month left out had no events."""
    pieces = {}
    for month in months:
        people = cache.people_file(org, "month", month)
        if people is not None:
            pieces[month] = MonthPiece(cache.file(org, "month", month) or no_window_ties(), people)
    return pieces


def keep_latest_ties(
    con: duckdb.DuckDBPyConnection,
    cache: TieCache,
    *,
    org: str,
    period: str,
    keep: list[date] | None,
    work_day: tuple[int, int],
) -> None:
    """Keep the ties of the latest computed windows that have ties or activity (all windows in a full run, which
    first forgets what was kept; the recomputed ones in an incremental run or a monthly pass) for the next
    incremental run, and the people pieces of months (``analytics.quarters``): also of a month with only the
    focus of local days (an event late on the last UTC day of a month is the next morning in Auckland)."""
    if keep is None:
        cache.clear(org, period)
    rows = con.execute("SELECT window_start FROM tw_ties UNION SELECT window_start FROM tw_activity").fetchall()
    computed = sorted(r[0] for r in rows if keep is None or r[0] in keep)
    people = None
    if period == "month":
        rows += con.execute("SELECT DISTINCT window_start FROM tw_focus").fetchall()
        pieces = sorted({r[0] for r in rows if keep is None or r[0] in keep})
        saver = partial(save_month_people, con, work_day_start=work_day[0], work_day_end=work_day[1])
        people = (pieces[-KEEP:], saver)
    cache.write(org, period, computed[-KEEP:], partial(save_window_ties, con), people=people)
