"""CLI: ``teamweave users create`` and ``teamweave users list``."""

from __future__ import annotations

import typer
from rich.table import Table

from teamweave.accounts import service as accounts
from teamweave.cli.context import open_runtime, out
from teamweave.errors import NotFound
from teamweave.people import service as people
from teamweave.store.session import session_scope

users_app = typer.Typer(help="Manage logins of the web app.", no_args_is_help=True)


@users_app.command("create")
def create(
    username: str = typer.Argument(..., help="Login name."),
    role: str = typer.Option(..., "--role", help="member, manager, people-admin, portfolio-viewer or admin."),
    person_email: str | None = typer.Option(None, "--person-email", help="E-mail of the person this login is."),
    password: str | None = typer.Option(None, "--password", help="Password (prompted when not given)."),
) -> None:
    """Create a login; link it to a person with --person-email (needed for 'My connections')."""
    parsed = accounts.parse_role(role)
    secret = password or typer.prompt("Password", hide_input=True, confirmation_prompt=True)
    with open_runtime() as runtime, session_scope(runtime.sessions) as session:
        org = runtime.settings.org
        person_id = None
        if person_email:
            person = people.person_by_email(session, org=org, email=person_email)
            if person is None:
                raise NotFound(f"no person with e-mail {person_email}", hint="import the HR file first")
            person_id = person.id
        user = accounts.create_user(
            session, org=org, username=username, password=secret, role=parsed, person_id=person_id
        )
        out.print(f"created user {user.username} ({user.role})" + (f" for {person_email}" if person_email else ""))


@users_app.command("list")
def list_users() -> None:
    """List the logins of the organisation."""
    with open_runtime() as runtime, session_scope(runtime.sessions) as session:
        table = Table("username", "role", "linked to a person", "last login")
        for user in accounts.list_users(session, org=runtime.settings.org):
            last = user.last_login_at.strftime("%Y-%m-%d %H:%M") if user.last_login_at else "never"
            table.add_row(user.username, user.role, "yes" if user.person_id else "no", last)
        out.print(table)


def register(app: typer.Typer) -> None:
    """Add the ``users`` group to the root app."""
    app.add_typer(users_app, name="users")
