"""CLI: ``teamweave recognise`` gives recognition; ``teamweave recognition feed`` prints the public feed.

teamweave recognise --from ana@example.org --to bo@example.org --value Care --message "Thanks for ..."
teamweave recognise --from ana@example.org --team Platform --value Craft --message "..." --private
teamweave recognition feed [--team Platform] [--json]
teamweave recognition sync-events          # write every recognition's interaction event (idempotent)

Giving writes no interaction event: ``teamweave analyze`` writes the events of all recognitions in one batch
before analysing (``sync-events`` does only that).
"""

from __future__ import annotations

import orjson
import typer
from rich.table import Table

from teamweave.cli.context import err, open_runtime, out
from teamweave.cli.progress_bar import progress_for
from teamweave.recognition import service as recognition
from teamweave.recognition.schemas import RecognitionView
from teamweave.store.session import session_scope

recognition_app = typer.Typer(help="Recognition: the public feed, and its interaction events.", no_args_is_help=True)


def recognise(
    giver: str = typer.Option(..., "--from", help="E-mail of the person giving the recognition."),
    to: str | None = typer.Option(None, "--to", help="E-mail of the person recognised."),
    team: str | None = typer.Option(None, "--team", help="Name of the team recognised (instead of --to)."),
    value: str = typer.Option(..., "--value", help="One of the company values (recognition_values)."),
    message: str = typer.Option(..., "--message", help="What you are recognising them for."),
    private: bool = typer.Option(False, "--private", help="Only the giver and the receivers see it."),
    note: str = typer.Option("", "--note", help="A personal thank-you note, for the receivers only."),
) -> None:
    """Recognise a person or a team for a company value (public unless --private)."""
    with open_runtime() as runtime, session_scope(runtime.sessions) as session:
        settings = runtime.settings
        person_id, team_id = recognition.resolve_target(session, org=settings.org, to_email=to, team=team)
        row = recognition.give(
            session,
            org=settings.org,
            giver_id=recognition.person_id_by_email(session, org=settings.org, email=giver, field="from"),
            person_id=person_id,
            team_id=team_id,
            value=value,
            message=message,
            public=not private,
            note=note,
            values=settings.recognition_values,
            public_url=settings.public_url,
        )
        recognised = team or to
        where = "private" if private else "public"
        out.print(f"recognised {recognised} for {row.value} ({where}, recognition {row.id})")


def _table(views: list[RecognitionView], title: str) -> Table:
    table = Table("when", "from", "to", "value", "message", title=title)
    for v in views:
        table.add_row(v.created_at.strftime("%Y-%m-%d %H:%M"), v.giver, v.to, v.value, v.message)
    return table


@recognition_app.command("feed")
def feed(
    team: str | None = typer.Option(None, "--team", help="Only this team's feed."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON instead of a table."),
    limit: int = typer.Option(50, "--limit", min=1, max=1000, help="How many, newest first."),
) -> None:
    """Print the public recognition feed of the organisation or of one team (an audited view)."""
    with open_runtime() as runtime, session_scope(runtime.sessions) as session:
        org = runtime.settings.org
        team_id = recognition.team_id_by_name(session, org=org, name=team) if team else None
        views = recognition.operator_feed(session, org=org, team_id=team_id, limit=limit)
    if as_json:
        typer.echo(orjson.dumps([v.as_dict() for v in views], option=orjson.OPT_INDENT_2).decode())
        return
    if not views:
        err.print("no public recognition yet")
        return
    out.print(_table(views, f"Recognition in {team}" if team else "Recognition"))


@recognition_app.command("sync-events")
def sync_events() -> None:
    """Write the interaction event of every recognition to the event store (those already there are skipped)."""
    with open_runtime() as runtime, session_scope(runtime.sessions) as session, progress_for(err) as progress:
        result = recognition.record_events(
            session,
            org=runtime.settings.org,
            events=runtime.events,
            pseudonymiser=runtime.pseudonymiser,
            progress=progress,
        )
    out.print(f"{result.added} recognition events added, {result.duplicates} already stored")


def register(app: typer.Typer) -> None:
    """Add ``recognise`` and the ``recognition`` group to the `teamweave` app."""
    app.command("recognise")(recognise)
    app.add_typer(recognition_app, name="recognition")
