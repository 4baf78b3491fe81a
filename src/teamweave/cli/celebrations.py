"""CLI: ``teamweave celebrations upcoming|add|digest``.

* ``upcoming [--days 14] [--team NAME] [--from YYYY-MM-DD]``: anniversaries, opted-in birthdays, milestones
  and team achievements coming up, of the organisation or one team;
* ``add --title TEXT --day YYYY-MM-DD (--team NAME | --person EMAIL)``: a team achievement or a person's
  milestone, entered by the operator;
* ``digest --team NAME [--week YYYY-MM-DD] [--format text|html|slack]``: a team's weekly digest.

Showing a list or a digest is a view of people data by the operator: each is written to the audit log.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

import orjson
import typer
from rich.table import Table
from rich.text import Text

from teamweave.cli.context import open_runtime, out
from teamweave.errors import InputFormatError
from teamweave.moments import digest as digests
from teamweave.moments import service
from teamweave.store.session import session_scope

celebrations_app = typer.Typer(
    help="Work anniversaries, opted-in birthdays, milestones and team achievements.", no_args_is_help=True
)

ORG_OPTION = typer.Option(None, "--org", help="Organisation id (default: the org setting).")
FORMATS = ("text", "html", "slack")


def _day(value: str | None, option: str) -> date:
    """An ISO day from an option, or today (UTC) when not given."""
    if value is None:
        return datetime.now(UTC).date()
    try:
        return date.fromisoformat(value)
    except ValueError as exc:
        raise InputFormatError(f"{value!r} is not a day (YYYY-MM-DD)", field=option) from exc


@celebrations_app.command("upcoming")
def upcoming_command(
    days: int = typer.Option(14, "--days", help="How many days ahead, from the first day (1-366)."),
    team: str | None = typer.Option(None, "--team", help="Only this team (by name)."),
    first: str | None = typer.Option(None, "--from", help="First day, YYYY-MM-DD (default: today)."),
    org: str | None = ORG_OPTION,
) -> None:
    """Show the celebrations coming up in the next days."""
    start = _day(first, "--from")
    with open_runtime() as runtime, session_scope(runtime.sessions) as session:
        chosen = org or runtime.settings.org
        if team is None:
            items = service.org_celebrations(session, org=chosen, viewer=None, first=start, days=days)
        else:
            team_id = service.team_by_name(session, org=chosen, name=team)
            items = service.team_celebrations(session, org=chosen, viewer=None, team_id=team_id, first=start, days=days)
    table = Table("day", "kind", "what", "team", title=f"Celebrations from {start.isoformat()} for {days} days")
    for item in items:
        table.add_row(digests.day_words(item.day), item.kind, Text(item.headline), Text(item.team_name or "—"))
    if items:
        out.print(table)
    else:
        out.print("Nothing to celebrate in these days.")


@celebrations_app.command("add")
def add_command(
    title: str = typer.Option(..., "--title", help="What is celebrated, e.g. 'Launched v2'."),
    day: str = typer.Option(..., "--day", help="The day, YYYY-MM-DD."),
    team: str | None = typer.Option(None, "--team", help="A team achievement of this team (by name)."),
    person: str | None = typer.Option(None, "--person", help="A milestone of this person (by e-mail)."),
    org: str | None = ORG_OPTION,
) -> None:
    """Add a team achievement (--team) or a person's milestone (--person)."""
    if (team is None) == (person is None):
        raise InputFormatError("give exactly one of --team and --person", field="--team")
    when = _day(day, "--day")
    with open_runtime() as runtime, session_scope(runtime.sessions) as session:
        chosen = org or runtime.settings.org
        if team is not None:
            team_id = service.team_by_name(session, org=chosen, name=team)
            service.add_moment(
                session, org=chosen, entered_by=None, kind="achievement", title=title, day=when, team_id=team_id
            )
        else:
            person_id = service.person_id_by_email(session, org=chosen, email=person or "")
            service.add_moment(
                session, org=chosen, entered_by=None, kind="milestone", title=title, day=when, person_id=person_id
            )
    out.print(f"Added: {title} on {when.isoformat()}", markup=False)


@celebrations_app.command("digest")
def digest_command(
    team: str = typer.Option(..., "--team", help="The team (by name)."),
    week: str | None = typer.Option(None, "--week", help="Any day of the ISO week, YYYY-MM-DD (default: today)."),
    fmt: str = typer.Option("text", "--format", help="text, html or slack (Block Kit JSON)."),
    org: str | None = ORG_OPTION,
) -> None:
    """Print a team's weekly digest."""
    if fmt not in FORMATS:
        raise InputFormatError(f"a format is one of {', '.join(FORMATS)}", field="--format")
    week_of = _day(week, "--week")
    with open_runtime() as runtime, session_scope(runtime.sessions) as session:
        chosen = org or runtime.settings.org
        team_id = service.team_by_name(session, org=chosen, name=team)
        made = service.shown_digest(session, org=chosen, team_id=team_id, week_of=week_of)
        link = runtime.settings.public_url.rstrip("/") + "/celebrations"
    if fmt == "html":
        typer.echo(digests.as_html(made, link=link))
    elif fmt == "slack":
        typer.echo(orjson.dumps(digests.as_slack_blocks(made, link=link), option=orjson.OPT_INDENT_2).decode())
    else:
        typer.echo(digests.as_text(made, link=link), nl=False)


def register(app: typer.Typer) -> None:
    """Add this module's commands to the `teamweave` app."""
    app.add_typer(celebrations_app, name="celebrations")
