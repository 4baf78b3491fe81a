"""``teamweave outbox deliver`` and ``teamweave outbox list`` on a temporary instance, with a real SMTP server."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from tests.notify.conftest import SmtpSink, free_port
from tests.web.seeding import cheap_password_hashes, seed_org
from typer.testing import CliRunner

from teamweave.cli.main import app
from teamweave.config import load_settings
from teamweave.notify import service
from teamweave.runtime import Runtime
from teamweave.store.session import session_scope

__all__ = ["cheap_password_hashes"]


@pytest.fixture
def smtp() -> Iterator[SmtpSink]:
    sink = SmtpSink(port=free_port())
    controller = Controller(sink, hostname="127.0.0.1", port=sink.port)
    controller.start()
    yield sink
    controller.stop()


@pytest.fixture
def queued(data_dir: Path, smtp: SmtpSink, monkeypatch: pytest.MonkeyPatch, cheap_password_hashes: None) -> None:
    """Two e-mails to alice and bob and one Slack post queued; SMTP pointed at the test server, no quiet hours."""
    monkeypatch.setenv("TEAMWEAVE_SMTP_HOST", "127.0.0.1")
    monkeypatch.setenv("TEAMWEAVE_SMTP_PORT", str(smtp.port))
    monkeypatch.setenv("TEAMWEAVE_QUIET_HOURS_START", "0")
    monkeypatch.setenv("TEAMWEAVE_QUIET_HOURS_END", "0")
    monkeypatch.delenv("TEAMWEAVE_SLACK_WEBHOOK_URL", raising=False)
    runtime = Runtime(load_settings())
    runtime.migrate()
    with session_scope(runtime.sessions) as session:
        seeded = seed_org(session)
        for name in ("alice", "bob"):
            service.enqueue(
                session, org="default", recipient_id=seeded.people[name], kind="recognition", subject="Thanks",
                text="Someone recognised you.", dedupe_key=f"r-{name}",
            )  # fmt: skip
        service.enqueue_channel_post(session, org="default", kind="team_digest", text="digest", dedupe_key="d")
    runtime.close()


def _cells(table: str, channel: str) -> dict[str, str]:
    """The row of ``channel`` in the printed table, keyed by the header."""
    rows = [[c.strip() for c in re.split("[│┃]", line)[1:-1]] for line in table.splitlines() if re.search("[│┃]", line)]
    header = rows[0]
    row = next(r for r in rows if r and r[0] == channel)
    return dict(zip(header, row, strict=True))


def test_deliver_sends_once_and_list_counts(queued: None, smtp: SmtpSink) -> None:
    runner = CliRunner()
    before = runner.invoke(app, ["outbox", "list"])
    assert before.exit_code == 0, before.output
    assert _cells(before.output, "email")["queued"] == "2"
    result = runner.invoke(app, ["outbox", "deliver"])
    assert result.exit_code == 0, result.output
    assert "sent 2, retried 0, failed 0, skipped 1, postponed 0, interrupted 0" in result.output
    assert sorted(r for m in smtp.messages for r in m.rcpt_tos) == ["alice@example.org", "bob@example.org"]
    again = runner.invoke(app, ["outbox", "deliver"])
    assert "sent 0," in again.output
    assert len(smtp.messages) == 2
    after = runner.invoke(app, ["outbox", "list"]).output
    assert _cells(after, "email") == {"channel": "email", "queued": "0", "sending": "0", "sent": "2", "failed": "0",
                                      "skipped": "0"}  # fmt: skip
    assert _cells(after, "slack")["skipped"] == "1"


def test_no_progress_bar_when_not_on_a_terminal(queued: None) -> None:
    result = CliRunner().invoke(app, ["outbox", "deliver"])
    assert "Delivering notifications" not in result.output
