"""CLI: ``teamweave people import FILE`` (the HR CSV, docs/hr-csv.md) and ``teamweave people list``."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.table import Table
from rich.text import Text
from sqlalchemy.orm import Session

from teamweave.cli.context import err, open_runtime, out
from teamweave.cli.progress_bar import progress_for
from teamweave.errors import TeamweaveError
from teamweave.imports import service as imports_service
from teamweave.imports.models import ImportRun
from teamweave.people import service
from teamweave.people.schemas import HrImportResult
from teamweave.store.org_lock import hold_org
from teamweave.store.session import session_scope

people_app = typer.Typer(help="People, teams and sites from the HR system.", no_args_is_help=True)

ORG_OPTION = typer.Option(None, "--org", help="Organisation id (default: the org setting).")


@people_app.command("import")
def import_command(
    file: Path = typer.Argument(..., help="HR CSV file: email,name,team,manager_email,site,timezone,..."),
    org: str | None = ORG_OPTION,
) -> None:
    """Create or update people from an HR CSV file; bad rows are reported with line numbers and skipped."""
    with open_runtime() as runtime:
        chosen = org or runtime.settings.org
        failure: TeamweaveError | None = None
        with session_scope(runtime.sessions) as session, progress_for(err) as progress:
            hold_org(session, org=chosen, progress=progress)  # before the run's row: an erasure may be running
            run = imports_service.start_run(session, org=chosen, source="hr", file_name=file.name)
            try:
                result = service.import_people(session, org=chosen, path=file, pseudonymiser=runtime.pseudonymiser)
            except TeamweaveError as error:
                session.rollback()
                run = imports_service.start_run(session, org=chosen, source="hr", file_name=file.name)
                imports_service.fail_run(session, run=run, error=str(error))
                failure = error
            else:
                _record(session, run, result)
        if failure is not None:
            raise failure
    _print_result(result)


def _record(session: Session, run: ImportRun, result: HrImportResult) -> None:
    """Add the import to the history the Imports page shows: counts, and where the problems are (no values)."""
    imports_service.finish_run(
        session,
        run=run,
        added=result.created,
        duplicates=result.unchanged,
        skipped=result.rejected,
        counts={"created": result.created, "updated": result.updated, "unchanged": result.unchanged},
        errors=[error.where or result.file for error in result.errors],
        quarantine_file=None,
    )


def _print_result(result: HrImportResult) -> None:
    table = Table("people", "count", title=f"HR import of {result.file}")
    table.add_row("created", str(result.created))
    table.add_row("updated", str(result.updated))
    table.add_row("unchanged", str(result.unchanged))
    table.add_row("rejected rows", str(result.rejected))
    table.add_row("teams created", str(result.teams_created))
    table.add_row("sites created", str(result.sites_created))
    out.print(table)
    for warning in result.warnings:
        out.print(f"note: {warning}", markup=False, soft_wrap=True)
    if result.errors:
        out.print(f"{len(result.errors)} problem(s):", markup=False)
    for error in result.errors:
        out.print(str(error), markup=False, soft_wrap=True)


@people_app.command("list")
def list_command(org: str | None = ORG_OPTION) -> None:
    """Show the teams and how many people each has."""
    with open_runtime() as runtime, session_scope(runtime.sessions) as session:
        chosen = org or runtime.settings.org
        summaries = service.teams(session, org=chosen)
        without_team = service.people_without_team(session, org=chosen)
    table = Table("team", "people", title=f"Teams of {chosen}")
    for team in summaries:
        table.add_row(Text(team.name), str(team.head_count))
    if without_team:
        table.add_row("(no team)", str(without_team))
    table.add_row("total", str(sum(team.head_count for team in summaries) + without_team), style="bold")
    out.print(table)


def register(app: typer.Typer) -> None:
    """Add this module's commands to the root app."""
    app.add_typer(people_app, name="people")
