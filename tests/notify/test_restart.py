"""Nothing is sent twice when the sender dies mid-batch.

``teamweave outbox deliver`` runs in a real subprocess against a real SMTP server (aiosmtpd). While the server
is taking the third message, the test kills the sender with SIGKILL: the message has reached the server, but
the sender never saw the server's reply nor recorded it — the worst moment. A second delivery run then sends
the rest, and every message arrived exactly once.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select
from tests.notify.conftest import SmtpSink
from tests.support.databases import postgres_database
from tests.web.seeding import seed_org

from teamweave.config import Settings
from teamweave.notify import service
from teamweave.notify.delivery import CLAIM_LEASE, INTERRUPTED, deliver_due
from teamweave.notify.models import OutboxMessage
from teamweave.runtime import Runtime
from teamweave.store.session import session_scope

LISBON_PEOPLE = ("alice", "bob", "carol", "dave", "erin", "mia")
KILL_AT = 3


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A fresh database for a migrated instance: a SQLite file, or a new database on the real PostgreSQL."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'instance.db'}"
    else:
        with postgres_database() as url:
            yield url


@pytest.fixture
def instance(tmp_path: Path, smtp: SmtpSink, database_url: str) -> Iterator[Runtime]:
    """A migrated product instance whose SMTP server is the test's, quiet hours off."""
    settings = Settings(  # type: ignore[call-arg]
        env="test",
        data_dir=tmp_path / "data",
        database_url=database_url,
        smtp_host="127.0.0.1",
        smtp_port=smtp.port,
        quiet_hours_start=0,
        quiet_hours_end=0,
        notify_weekly_cap=100,
        _env_file=None,
    )
    runtime = Runtime(settings)
    runtime.migrate()
    with session_scope(runtime.sessions) as session:
        seeded = seed_org(session, org=settings.org)
        for name in LISBON_PEOPLE:
            service.enqueue(
                session,
                org=settings.org,
                recipient_id=seeded.people[name],
                kind="checkin_nudge",
                subject="Check-in",
                text=f"Hello {name}",
                dedupe_key=f"nudge-{name}",
            )
    yield runtime
    runtime.close()


def _environment(settings: Settings, tmp_path: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("TEAMWEAVE_")}
    env.update(
        TEAMWEAVE_ENV="test",
        TEAMWEAVE_DATA_DIR=str(settings.data_dir),
        TEAMWEAVE_DATABASE_URL=settings.resolved_database_url,
        TEAMWEAVE_SMTP_HOST="127.0.0.1",
        TEAMWEAVE_SMTP_PORT=str(settings.smtp_port),
        TEAMWEAVE_QUIET_HOURS_START="0",
        TEAMWEAVE_QUIET_HOURS_END="0",
        TEAMWEAVE_NOTIFY_WEEKLY_CAP="100",
        TEAMWEAVE_CONFIG=str(tmp_path / "absent.toml"),
    )
    return env


def _statuses(runtime: Runtime) -> list[str]:
    with session_scope(runtime.sessions) as session:
        return sorted(session.scalars(select(OutboxMessage.status)))


def test_a_sender_killed_mid_batch_sends_nothing_twice(instance: Runtime, smtp: SmtpSink, tmp_path: Path) -> None:
    proc = subprocess.Popen(
        [sys.executable, "-c", "from teamweave.cli.main import run; run()", "outbox", "deliver"],
        env=_environment(instance.settings, tmp_path),
        cwd=tmp_path,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )

    def kill_on_third(count: int) -> None:
        if count == KILL_AT:
            os.kill(proc.pid, signal.SIGKILL)
            proc.wait(timeout=30)

    smtp.on_message = kill_on_third
    proc.wait(timeout=120)
    assert proc.returncode == -signal.SIGKILL, proc.stderr.read() if proc.stderr else ""
    assert len(smtp.messages) == KILL_AT
    assert _statuses(instance) == ["queued"] * 3 + ["sending"] + ["sent"] * 2

    # run again at once: the row left mid-send is neither sent again nor yet declared failed
    smtp.on_message = None
    again = deliver_due(instance.sessions, settings=instance.settings)
    assert (again.sent, again.interrupted) == (3, 0)
    assert _statuses(instance) == ["sending"] + ["sent"] * 5
    # once the claim lease has passed, it is recorded as interrupted, still not re-sent
    later = deliver_due(instance.sessions, settings=instance.settings, now=datetime.now(UTC) + CLAIM_LEASE * 2)
    assert (later.sent, later.interrupted) == (0, 1)
    with session_scope(instance.sessions) as session:
        (interrupted,) = session.scalars(select(OutboxMessage).where(OutboxMessage.status == "failed"))
        assert interrupted.last_error == INTERRUPTED

    assert len(smtp.messages) == len(LISBON_PEOPLE)
    assert set(smtp.by_message_id().values()) == {1}
    assert sorted(r for m in smtp.messages for r in m.rcpt_tos) == sorted(f"{n}@example.org" for n in LISBON_PEOPLE)


def test_a_second_run_sends_what_the_first_had_not_reached(instance: Runtime, smtp: SmtpSink) -> None:
    """``--limit`` stops a batch part-way (like a clean stop); the next run finishes it, once each."""
    first = deliver_due(instance.sessions, settings=instance.settings, limit=2)
    second = deliver_due(instance.sessions, settings=instance.settings, now=datetime.now(UTC) + timedelta(seconds=1))
    assert (first.sent, second.sent) == (2, 4)
    assert set(smtp.by_message_id().values()) == {1}
    assert len(smtp.messages) == len(LISBON_PEOPLE)
