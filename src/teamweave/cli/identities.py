"""CLI: ``teamweave identities list|resolve|alias``: the identities imports saw, resolved to people later.

Resolving needs no re-import: the next ``teamweave analyze`` counts the identity's events as the person's.
The alias file format is in docs/connectors.md ("Resolving identities").
"""

from __future__ import annotations

from pathlib import Path

import typer
from rich.table import Table
from rich.text import Text

from teamweave.cli.context import open_runtime, out
from teamweave.imports import service
from teamweave.imports.schemas import AliasResult, IdentityView
from teamweave.people import service as people_service
from teamweave.store.session import session_scope

identities_app = typer.Typer(
    help="Identities the imports saw (Slack users, GitHub logins, addresses...) and the people they are.",
    no_args_is_help=True,
)

ORG_OPTION = typer.Option(None, "--org", help="Organisation id (default: the org setting).")


@identities_app.command("list")
def list_command(
    unresolved: bool = typer.Option(False, "--unresolved", help="Only identities not resolved to a person."),
    org: str | None = ORG_OPTION,
) -> None:
    """Show the identities with their id (for identities resolve), source, label and person."""
    with open_runtime() as runtime, session_scope(runtime.sessions) as session:
        chosen = org or runtime.settings.org
        rows = service.list_identities(session, org=chosen, unresolved_only=unresolved)
        email_of = {entry.person_id: entry.email for entry in people_service.directory(session, org=chosen)}
    _print_identities(rows, email_of, title=f"{'Unresolved identities' if unresolved else 'Identities'} of {chosen}")


def _print_identities(rows: list[IdentityView], email_of: dict[int, str], *, title: str) -> None:
    table = Table("id", "source", "identity", "bot", "person", title=title)
    for row in rows:
        person = "—" if row.person_id is None else email_of.get(row.person_id, f"person {row.person_id}")
        table.add_row(str(row.id), row.source, Text(row.label), "yes" if row.is_bot else "no", Text(person))
    out.print(table)
    out.print(f"{len(rows)} identit{'y' if len(rows) == 1 else 'ies'}", markup=False)


@identities_app.command("resolve")
def resolve_command(
    identity_id: int = typer.Argument(..., help="The identity's id (see identities list)."),
    email: str = typer.Argument(..., help="The HR e-mail address of the person it is."),
    org: str | None = ORG_OPTION,
) -> None:
    """Resolve one identity to the person with this HR e-mail address (bots cannot be resolved)."""
    with open_runtime() as runtime, session_scope(runtime.sessions) as session:
        chosen = org or runtime.settings.org
        view = service.resolve_identity_to_email(session, org=chosen, identity_id=identity_id, email=email)
    out.print(f"resolved identity {view.id} ({view.source}) to {email.strip()}", markup=False, soft_wrap=True)
    out.print("run `teamweave analyze` to count its events as theirs", markup=False)


@identities_app.command("alias")
def alias_command(
    file: Path = typer.Argument(..., help="Alias CSV file: source,identity,email (docs/connectors.md)."),
    org: str | None = ORG_OPTION,
) -> None:
    """Resolve every identity an alias file names; bad rows are reported with line numbers and skipped."""
    with open_runtime() as runtime, session_scope(runtime.sessions) as session:
        chosen = org or runtime.settings.org
        result = service.apply_aliases(session, org=chosen, path=file, pseudonymiser=runtime.pseudonymiser)
    _print_alias_result(result)


def _print_alias_result(result: AliasResult) -> None:
    table = Table("identities", "count", title=f"Aliases from {result.file}")
    table.add_row("rows", str(result.rows))
    table.add_row("resolved", str(result.resolved))
    table.add_row("already resolved", str(result.unchanged))
    table.add_row("rejected rows", str(len(result.errors)))
    out.print(table)
    if result.errors:
        out.print(f"{len(result.errors)} problem(s):", markup=False)
    for error in result.errors:
        out.print(error, markup=False, soft_wrap=True)
    if result.resolved:
        out.print("run `teamweave analyze` to count their events as the people's", markup=False)


def register(app: typer.Typer) -> None:
    """Add this module's commands to the root app."""
    app.add_typer(identities_app, name="identities")
