"""CLI: ``teamweave import PATH`` — a Slack export (zip or folder) or .ics calendars into the event store."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import typer
from rich.table import Table

from teamweave.cli.context import err, open_runtime, out
from teamweave.cli.progress_bar import progress_for
from teamweave.errors import InputFormatError, TeamweaveError
from teamweave.imports.schemas import ImportSummary
from teamweave.ingest.pipeline import import_path
from teamweave.store.session import session_scope

SHOWN_ERRORS = 10
SHOWN_IDENTITIES = 20


def _date(value: str | None, option: str) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError as exc:
        raise InputFormatError(f"not a date: {value!r}", field=option, hint="use YYYY-MM-DD") from exc


def import_command(
    path: Path = typer.Argument(
        ..., help="A Slack export (.zip or unzipped folder), an .ics file or a folder of them."
    ),
    fmt: str | None = typer.Option(
        None,
        "--format",
        help="slack, ics, git, github, teams, email, csv or vivainsights (default: detected from the path).",
    ),
    since: str | None = typer.Option(None, "--since", help="Only events on or after this day (YYYY-MM-DD)."),
    until: str | None = typer.Option(None, "--until", help="Only events up to and including this day (YYYY-MM-DD)."),
) -> None:
    """Import interactions (metadata only, never content) and print what went in and what was skipped."""
    since_day, until_day = _date(since, "--since"), _date(until, "--until")
    failure: TeamweaveError | None = None
    with open_runtime() as runtime, progress_for(err) as progress:
        with session_scope(runtime.sessions) as session:
            try:
                summary = import_path(
                    session,
                    org=runtime.settings.org,
                    path=path,
                    events=runtime.events,
                    pseudonymiser=runtime.pseudonymiser,
                    quarantine_dir=runtime.settings.quarantine_dir,
                    fmt=fmt,
                    since=since_day,
                    until=until_day,
                    progress=progress,
                )
            except TeamweaveError as error:
                failure = error  # the failed run is still recorded (committed) for the Imports page
    if failure is not None:
        raise failure
    print_summary(summary)


def _listing(title: str, items: list[str], limit: int, total: int | None = None) -> None:
    """The first ``limit`` items under a title with the count; ``total`` when the list itself is capped."""
    if not items:
        return
    count = max(total or 0, len(items))
    out.print(f"[bold]{title}[/] ({count:,}):")
    for item in items[:limit]:
        out.print(f"  {item}", markup=False)
    if count > limit:
        out.print(f"  … and {count - limit:,} more")


def print_summary(summary: ImportSummary) -> None:
    """The import's counts per kind, duplicates, skipped records with reasons, identities, quarantine, rate."""
    out.print(f"[bold]Import #{summary.run_id}[/] of {summary.file_name} ({summary.source})", markup=True)
    table = Table()
    table.add_column("kind")
    table.add_column("read", justify="right")
    for kind, count in summary.counts_by_kind.items():
        table.add_row(kind, f"{count:,}")
    table.add_row("[bold]total[/]", f"[bold]{summary.read:,}[/]")
    out.print(table)
    out.print(
        f"added [bold green]{summary.added:,}[/], duplicates (already stored) {summary.duplicates:,}, "
        f"skipped {summary.skipped:,}"
    )
    if summary.skip_reasons:
        reasons = Table(title="Skipped records")
        reasons.add_column("reason")
        reasons.add_column("count", justify="right")
        for reason, count in summary.skip_reasons.items():
            reasons.add_row(reason, f"{count:,}")
        out.print(reasons)
    _listing("Errors", summary.errors, SHOWN_ERRORS)
    _listing(
        "Unmatched identities (no person with that e-mail; resolve them on the Imports page)",
        summary.unmatched,
        SHOWN_IDENTITIES,
        summary.unmatched_total,
    )
    _listing("Bots", summary.bots, SHOWN_IDENTITIES, summary.bots_total)
    if summary.dropped_targets:
        out.print(f"{summary.dropped_targets} user ids named as targets are unknown to the source and were left out")
    if summary.erased:
        out.print(
            f"{summary.erased} events of people erased earlier were left out (and they were struck from the "
            "targets of others); `teamweave privacy readmit EMAIL` lets a person back in"
        )
    if summary.quarantine_file:
        out.print(f"quarantine file (locations and reasons only): {summary.quarantine_file}", markup=False)
    out.print(f"{summary.read:,} events in {summary.seconds:.2f} s ({summary.events_per_second:,.0f} events/s)")


def register(app: typer.Typer) -> None:
    """Add this module's commands to the root app."""
    app.command("import")(import_command)
