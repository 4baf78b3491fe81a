"""CLI: ``teamweave outbox deliver`` (push every due notification once) and ``teamweave outbox list``.

``deliver`` is safe to run from cron and to interrupt: it commits per message and never sends one twice
(docs/notify.md). A progress bar shows on a terminal only.
"""

from __future__ import annotations

import typer
from rich.table import Table

from teamweave.cli.context import err, open_runtime, out
from teamweave.cli.progress_bar import progress_for
from teamweave.notify import service
from teamweave.notify.delivery import deliver_due
from teamweave.notify.models import STATUSES
from teamweave.notify.schemas import DeliveryReport
from teamweave.store.session import session_scope

outbox_app = typer.Typer(help="The notification outbox: e-mail, Slack and the web inbox.", no_args_is_help=True)


def summary(report: DeliveryReport) -> str:
    """One line saying what a delivery run did."""
    return (
        f"sent {report.sent}, retried {report.retried}, failed {report.failed}, skipped {report.skipped}, "
        f"postponed {report.postponed}, interrupted {report.interrupted}, purged {report.purged}"
    )


@outbox_app.command("deliver")
def deliver_command(
    limit: int | None = typer.Option(None, "--limit", min=1, help="Deliver at most this many messages."),
) -> None:
    """Send every due notification once (quiet hours, weekly cap and retries apply), then exit."""
    with open_runtime() as runtime, progress_for(err) as progress:
        report = deliver_due(runtime.sessions, settings=runtime.settings, limit=limit, progress=progress)
    out.print(summary(report))
    for error in report.errors:
        err.print(error)


@outbox_app.command("list")
def list_command(
    org: str | None = typer.Option(None, "--org", help="Organisation id (default: the org setting)."),
) -> None:
    """How many notifications are queued, sent, failed or skipped, per channel."""
    with open_runtime() as runtime, session_scope(runtime.sessions) as session:
        counts = service.outbox_counts(session, org=org or runtime.settings.org)
    table = Table("channel", *STATUSES, title="Outbox")
    for channel in ("email", "slack"):
        table.add_row(channel, *(str(counts.get((channel, status), 0)) for status in STATUSES))
    out.print(table)


def register(app: typer.Typer) -> None:
    """Add this module's commands to the `teamweave` app."""
    app.add_typer(outbox_app, name="outbox")
