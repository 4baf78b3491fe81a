"""CLI: ``teamweave analyze`` writes the interaction events of recognitions (one batch, idempotent), computes
ties and metrics per week, month and quarter from the stored events, then finds the manager–report 1:1s held in
imported calendars (for the check-ins' cadence)."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

import typer
from rich.table import Table

from teamweave.analytics.windows import PERIODS
from teamweave.checkins.calendar_detection import detect_held_one_on_ones
from teamweave.cli.context import err, open_runtime, out
from teamweave.cli.progress_bar import progress_for
from teamweave.network.analysis import AnalysisSummary, analyze
from teamweave.recognition import service as recognition
from teamweave.store.session import session_scope


class Period(StrEnum):
    week = "week"
    month = "month"
    quarter = "quarter"
    all = "all"


def _summary_table(summary: AnalysisSummary) -> Table:
    table = Table("", "", title=f"Analysis of {summary.org}", show_header=False)
    table.add_row("periods", ", ".join(summary.periods))
    table.add_row("events read", f"{summary.events:,}")
    table.add_row("windows", f"{summary.windows:,}")
    table.add_row("people with metrics", f"{summary.people:,}")
    table.add_row("teams", f"{summary.teams:,}")
    table.add_row("ties (distinct pairs)", f"{summary.ties:,}")
    if summary.team_ties_hidden:
        table.add_row("team ties not stored (team under k)", f"{summary.team_ties_hidden:,}")
    if summary.communities is not None:
        match = f", match with the teams: NMI {summary.team_nmi:.2f}" if summary.team_nmi is not None else ""
        table.add_row("communities (latest month)", f"{summary.communities:,}{match}")
    table.add_row("runtime", f"{summary.runtime_s:.2f} s")
    return table


def analyze_command(
    period: Period = typer.Option(
        Period.all,
        "--period",
        help="Which windows to compute: week, month, quarter (with its months: a quarter is combined from them) "
        "or all.",
    ),
    since: datetime | None = typer.Option(
        None,
        "--since",
        formats=["%Y-%m-%d"],
        help="Incremental: recompute only the windows that events from this UTC day on can change "
        "(the events before it were analysed already). Runs in full, and says why, when people or settings "
        "changed since the last run in a way that reaches back (an opt-out, a team move). Default: everything.",
    ),
    by_month: bool | None = typer.Option(
        None,
        "--by-month/--all-at-once",
        help="A full run one month of events at a time (memory follows a month's events; the same results) "
        "or all at once. Default: by month above 2,000,000 events.",
        show_default=False,
    ),
) -> None:
    """Compute ties and person and team metrics per week, month and quarter (replaces earlier results); find held
    1:1s."""
    periods = PERIODS if period is Period.all else (period.value,)
    with open_runtime() as runtime:
        settings = runtime.settings
        with session_scope(runtime.sessions) as session, progress_for(err) as progress:
            recognition.record_events(
                session,
                org=settings.org,
                events=runtime.events,
                pseudonymiser=runtime.pseudonymiser,
                progress=progress,
            )
        with session_scope(runtime.sessions) as session, progress_for(err) as progress:
            summary = analyze(
                session,
                org=settings.org,
                events=runtime.events,
                k=settings.min_group_size,
                work_day_start=settings.work_day_start,
                work_day_end=settings.work_day_end,
                periods=periods,
                progress=progress,
                since=since.date() if since else None,
                by_month=by_month,
            )
        with session_scope(runtime.sessions) as session:
            held = detect_held_one_on_ones(session, org=settings.org, events=runtime.events)
    out.print(_summary_table(summary))
    if summary.full_because is not None:
        out.print(f"Ran in full, not from --since: {summary.full_because}.", markup=False)
    out.print(f"1:1s found in calendars: {held.found:,} ({held.added:,} new)")
    if summary.events == 0:
        out.print("No events stored yet: import some first (teamweave import <export>).")


def register(app: typer.Typer) -> None:
    """Add this module's commands to the root app."""
    app.command("analyze")(analyze_command)
