"""``teamweave remind``: every due nudge and digest queued once and delivered to a real SMTP server and a real
HTTP server standing in for Slack; a second run sends nothing more."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select
from tests.notify.conftest import SmtpSink, WebhookSink, smtp, webhook
from tests.web.seeding import SeededOrg, cheap_password_hashes, seed_org
from typer.testing import CliRunner

from teamweave.cli.main import app
from teamweave.config import load_settings
from teamweave.moments import service as moments
from teamweave.moments.models import ACHIEVEMENT
from teamweave.notify import service as notify
from teamweave.notify.models import OutboxMessage, OutboxSubject
from teamweave.recognition import service as recognition
from teamweave.runtime import Runtime
from teamweave.store.session import session_scope

__all__ = ["cheap_password_hashes", "smtp", "webhook"]

TODAY = date(2026, 11, 25)  # a Wednesday
LAST_WEEK = datetime.combine(TODAY - timedelta(days=8), time(15), tzinfo=UTC)


@pytest.fixture
def org(
    data_dir: Path, smtp: SmtpSink, webhook: WebhookSink, monkeypatch: pytest.MonkeyPatch, cheap_password_hashes: None
) -> SeededOrg:
    """The seeded org; last week Alice thanked Bob (public) and Carol (private); this week Platform shipped."""
    monkeypatch.setenv("TEAMWEAVE_SMTP_HOST", "127.0.0.1")
    monkeypatch.setenv("TEAMWEAVE_SMTP_PORT", str(smtp.port))
    monkeypatch.setenv("TEAMWEAVE_SLACK_WEBHOOK_URL", webhook.url)
    monkeypatch.setenv("TEAMWEAVE_QUIET_HOURS_START", "0")
    monkeypatch.setenv("TEAMWEAVE_QUIET_HOURS_END", "0")
    monkeypatch.setenv("TEAMWEAVE_NOTIFY_WEEKLY_CAP", "50")
    runtime = Runtime(load_settings())
    runtime.migrate()
    settings = runtime.settings
    with session_scope(runtime.sessions) as session:
        seeded = seed_org(session, org=settings.org)
        for receiver, public, message in (("bob", True, "Thanks for the calm incident call"), ("carol", False, "Psst")):
            recognition.give(
                session, org=settings.org, giver_id=seeded.people["alice"], person_id=seeded.people[receiver],
                value="Care", message=message, public=public, values=settings.recognition_values,
                public_url=settings.public_url, now=LAST_WEEK,
            )  # fmt: skip
        moments.add_moment(
            session, org=settings.org, entered_by=None, kind=ACHIEVEMENT, title="Shipped the new ledger",
            day=TODAY, team_id=seeded.teams["Platform"],
        )  # fmt: skip
    runtime.close()
    return seeded


def _texts(sink: SmtpSink) -> list[str]:
    texts = []
    for received in sink.messages:
        part = received.parsed().get_body(preferencelist=("plain",))
        assert part is not None
        texts.append(part.get_content())
    return texts


def test_remind_queues_and_delivers_the_digest_with_last_weeks_thanks(
    org: SeededOrg, smtp: SmtpSink, webhook: WebhookSink
) -> None:
    result = CliRunner().invoke(app, ["remind", "--today", TODAY.isoformat()])
    assert result.exit_code == 0, result.output
    digests = [t for t in _texts(smtp) if "Shipped the new ledger" in t]
    assert digests, "no Platform digest arrived"
    assert all("Alice thanked Bob for Care: “Thanks for the calm incident call”" in t for t in digests)
    assert not any("Psst" in t for t in digests), "a private recognition reached a digest"
    posts = [body.decode() for _, _, body in webhook.requests]
    assert any("Shipped the new ledger" in p and "Alice thanked Bob" in p for p in posts)
    assert not any("Psst" in p for p in posts)
    assert "delivered" in result.output


def test_running_remind_again_sends_nothing_more(org: SeededOrg, smtp: SmtpSink, webhook: WebhookSink) -> None:
    first = CliRunner().invoke(app, ["remind", "--today", TODAY.isoformat()])
    assert first.exit_code == 0, first.output
    mails, posts = len(smtp.messages), len(webhook.requests)
    assert mails > 0
    assert posts > 0
    again = CliRunner().invoke(app, ["remind", "--today", TODAY.isoformat(), "--quiet"])
    assert again.exit_code == 0, again.output
    assert (len(smtp.messages), len(webhook.requests)) == (mails, posts)
    assert again.output == ""


def test_a_bad_date_is_a_clear_error(data_dir: Path) -> None:
    result = CliRunner().invoke(app, ["remind", "--today", "25/11/2026"])
    assert result.exit_code == 2
    assert "not a date" in result.output


def test_the_digest_is_about_the_people_its_thanks_name(org: SeededOrg, smtp: SmtpSink, webhook: WebhookSink) -> None:
    assert CliRunner().invoke(app, ["remind", "--today", TODAY.isoformat(), "--no-deliver"]).exit_code == 0
    runtime = Runtime(load_settings())
    try:
        with session_scope(runtime.sessions) as session:
            digests = session.scalars(select(OutboxMessage).where(OutboxMessage.kind == "team_digest")).all()
            assert digests
            about = {(s.outbox_id, s.person_id) for s in session.scalars(select(OutboxSubject))}
            alice = org.people["alice"]
            carrying = [d for d in digests if "Alice thanked Bob" in d.text or "Alice thanked Bob" in str(d.blocks)]
            assert carrying
            assert all((d.id, alice) in about for d in carrying)  # Alice gave thanks in a digest to others
            notify.forget_person(session, org=runtime.settings.org, person_id=alice)
            assert not session.scalars(
                select(OutboxMessage).where(OutboxMessage.id.in_([d.id for d in carrying]))
            ).all()
    finally:
        runtime.close()
