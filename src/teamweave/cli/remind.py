"""CLI: ``teamweave remind`` queues every nudge and digest due today, delivers what is due, and exits.

Made for cron or a systemd timer (docs/notify.md shows both): each capability's ``queue_reminders`` is idempotent
for the same day (dedupe keys carry the date or the week), and delivery never sends a message twice, so running
it twice, or after a crash, changes nothing that was already done. E-mails postponed by quiet hours, the weekly
cap or a retry go out only with a later delivery run: ``teamweave outbox deliver`` every 15 minutes is required
alongside it (docs/notify.md).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, time, timedelta

import typer
from rich.table import Table
from sqlalchemy.orm import Session, sessionmaker

from teamweave.checkins import reminders as checkin_reminders
from teamweave.cli.context import err, open_runtime, out
from teamweave.cli.progress_bar import progress_for
from teamweave.config import Settings
from teamweave.moments import reminders as celebration_reminders
from teamweave.moments.occurrences import iso_week_start
from teamweave.moments.schemas import DigestSection
from teamweave.notify.delivery import deliver_due
from teamweave.notify.schemas import DeliveryReport
from teamweave.recognition import reminders as recognition_reminders
from teamweave.recognition import service as recognition_service
from teamweave.store.session import session_scope

QueueReminders = Callable[..., int]
"""``queue_reminders(session, *, org, today, settings) -> int`` of a capability."""


def celebrations_with_thanks(session: Session, *, org: str, today: date, settings: Settings) -> int:
    """Celebration reminders and weekly team digests, each digest with last week's public recognitions (and the
    ids of the people those lines name, so that erasing any of them deletes the digest)."""
    monday = iso_week_start(today)
    start = datetime.combine(monday - timedelta(days=7), time(), tzinfo=UTC)
    thanks = recognition_service.public_thanks_by_team(session, org=org, start=start, end=start + timedelta(days=7))
    sections = {
        team_id: [DigestSection(THANKS_TITLE, team.lines, about=tuple(sorted(team.about)))]
        for team_id, team in thanks.items()
    }
    return celebration_reminders.queue_reminders(
        session, org=org, today=today, settings=settings, extra_sections=sections
    )


THANKS_TITLE = "Thanks given last week"

REMINDERS: tuple[tuple[str, QueueReminders], ...] = (
    ("1:1 check-ins", checkin_reminders.queue_reminders),
    ("recognition", recognition_reminders.queue_reminders),
    ("celebrations and digests", celebrations_with_thanks),
)
"""Every capability with due reminders, in the order they are queued."""


def queue_all(session_factory: sessionmaker[Session], *, org: str, today: date, settings: Settings) -> list[int]:
    """Run each capability's ``queue_reminders`` in its own transaction; how many each one queued."""
    queued = []
    for _, queue in REMINDERS:
        with session_scope(session_factory) as session:
            queued.append(queue(session, org=org, today=today, settings=settings))
    return queued


def _summary(queued: list[int], report: DeliveryReport | None) -> Table:
    table = Table("", "", title="Reminders", show_header=False)
    for (name, _), count in zip(REMINDERS, queued, strict=True):
        table.add_row(f"queued: {name}", f"{count:,}")
    if report is not None:
        table.add_row("delivered", f"{report.sent:,}")
        table.add_row("waiting (quiet hours, weekly cap)", f"{report.postponed:,}")
        table.add_row("to retry", f"{report.retried:,}")
        table.add_row("failed", f"{report.failed + report.interrupted:,}")
        table.add_row("skipped (channel off, unsubscribed)", f"{report.skipped:,}")
        table.add_row("old channel posts deleted", f"{report.purged:,}")
    return table


def _parse_day(value: str | None) -> date:
    if value is None:
        return datetime.now(UTC).date()
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise typer.BadParameter(f"not a date: {value!r} (use YYYY-MM-DD)", param_hint="--today") from None


def remind_command(
    today: str | None = typer.Option(
        None, "--today", help="Queue what is due on this day (YYYY-MM-DD) instead of today; for catching up."
    ),
    deliver: bool = typer.Option(
        True, "--deliver/--no-deliver", help="Deliver due messages after queueing (default) or only queue them."
    ),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="Print nothing unless something failed (for cron)."),
) -> None:
    """Queue every due 1:1 nudge, recognition nudge, celebration reminder and team digest once; deliver; exit.

    Safe to run as often as you like: what was queued or sent today is not queued or sent again.
    """
    day = _parse_day(today)
    with open_runtime() as runtime:
        settings = runtime.settings
        queued = queue_all(runtime.sessions, org=settings.org, today=day, settings=settings)
        report = None
        if deliver:
            with progress_for(err) as progress:
                report = deliver_due(runtime.sessions, settings=settings, progress=progress)
    failed = report is not None and (report.failed or report.interrupted)
    if not quiet or failed:
        out.print(_summary(queued, report))
    if report is not None:
        for error in report.errors:
            err.print(f"[yellow]delivery:[/] {error}", highlight=False, soft_wrap=True)


def register(app: typer.Typer) -> None:
    """Add ``teamweave remind`` to the root app."""
    app.command("remind")(remind_command)
