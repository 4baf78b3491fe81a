"""CLI: a person's rights — export everything held about them, erase it, opt out of analytics."""

from __future__ import annotations

from pathlib import Path

import orjson
import typer
from sqlalchemy.orm import Session

from teamweave.audit.service import record_operator_action
from teamweave.cli.context import err, open_runtime, out
from teamweave.cli.progress_bar import progress_for
from teamweave.people.service import person_by_email
from teamweave.privacy.consent import set_analytics_opt_out
from teamweave.privacy.erased import readmit_person
from teamweave.privacy.erasure import erase_person
from teamweave.privacy.export import full_export
from teamweave.store.org_lock import hold_org
from teamweave.store.session import session_scope

privacy_app = typer.Typer(help="A person's data rights: export, erase, readmit, opt out.", no_args_is_help=True)


def _audit(session: Session, *, org: str, email: str, action: str) -> None:
    """Record an operator's export or erasure under the person's id (ids are never reused; no e-mail kept)."""
    person = person_by_email(session, org=org, email=email)
    if person is not None:
        record_operator_action(session, org=org, action=action, subject_kind="person", subject_id=person.id)


@privacy_app.command("export")
def export(
    email: str = typer.Argument(..., help="E-mail address of the person."),
    output: Path | None = typer.Option(None, "--output", "-o", help="Write JSON here instead of stdout."),
) -> None:
    """Export everything held about one person as JSON."""
    with open_runtime() as runtime, session_scope(runtime.sessions) as session:
        data = full_export(session, org=runtime.settings.org, email=email, events=runtime.events)
        _audit(session, org=runtime.settings.org, email=email, action="export_person")
    payload = orjson.dumps(data, option=orjson.OPT_INDENT_2)
    if output is None:
        typer.echo(payload.decode())
    else:
        output.write_bytes(payload)
        err.print(f"wrote {output}")


@privacy_app.command("erase")
def erase(
    email: str = typer.Argument(..., help="E-mail address of the person."),
    yes: bool = typer.Option(False, "--yes", help="Confirm without asking."),
) -> None:
    """Erase a person: their row, account, identities, metrics and events (cannot be undone). Later imports leave
    their events out (see `readmit`)."""
    if not yes:
        typer.confirm(f"Erase everything held about {email}? This cannot be undone", abort=True)
    with open_runtime() as runtime, session_scope(runtime.sessions) as session, progress_for(err) as progress:
        # first: the audit entry's write would otherwise wait for a running analysis or import, and give up
        hold_org(session, org=runtime.settings.org, progress=progress)
        _audit(session, org=runtime.settings.org, email=email, action="erase_person")
        result = erase_person(session, org=runtime.settings.org, email=email, events=runtime.events, progress=progress)
    out.print(
        f"erased {email}: {result.events_removed} events removed, {result.events_scrubbed} events no longer "
        f"name them, {result.metric_rows} metric rows, {result.identities} identities, "
        f"{result.accounts} accounts"
    )


@privacy_app.command("readmit")
def readmit(email: str = typer.Argument(..., help="E-mail address of the person erased earlier.")) -> None:
    """Let a person erased earlier back into imports (e.g. they rejoined); what was erased stays erased.

    After an erasure, imports leave out the events the person acted in and strike them from the targets of
    others, so that importing an export that still holds them does not bring their data back."""
    with open_runtime() as runtime, session_scope(runtime.sessions) as session:
        forgotten = readmit_person(session, org=runtime.settings.org, email=email, pseudonymiser=runtime.pseudonymiser)
    marks = "1 erasure mark" if forgotten == 1 else f"{forgotten} erasure marks"
    out.print(f"{email} can be imported again ({marks} forgotten)")


@privacy_app.command("opt-out")
def opt_out(
    email: str = typer.Argument(..., help="E-mail address of the person."),
    undo: bool = typer.Option(False, "--undo", help="Opt back in."),
) -> None:
    """Leave a person out of every metric from the next analysis on (or back in with --undo)."""
    with open_runtime() as runtime, session_scope(runtime.sessions) as session:
        set_analytics_opt_out(session, org=runtime.settings.org, email=email, opt_out=not undo)
    out.print(f"{email} {'opted back in to' if undo else 'opted out of'} analytics; run `teamweave analyze`")


def register(app: typer.Typer) -> None:
    app.add_typer(privacy_app, name="privacy")
