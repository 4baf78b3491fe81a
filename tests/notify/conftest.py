"""Fixtures for notify tests: a real SMTP server (aiosmtpd) and a real HTTP server standing in for the Slack
incoming webhook, both started on 127.0.0.1 on free ports; the seeded organisation on the ``session`` fixture.

Both servers record exactly what arrived (raw bytes) and can be told to answer with errors, so tests assert on
what really crossed the wire.
"""

from __future__ import annotations

import email
import email.policy
import socket
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from email.message import EmailMessage
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker
from tests.web.seeding import SeededOrg, cheap_password_hashes, seed_org

from teamweave.config import Settings
from teamweave.notify import models as notify_models
from teamweave.store.session import session_factory

__all__ = ["cheap_password_hashes", "notify_models"]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def weekday_morning(hour_utc: int = 10) -> datetime:
    """A Tuesday at ``hour_utc`` UTC in a week after today, so that every enqueued message is due by then."""
    today = datetime.now(UTC).date() + timedelta(days=7)
    tuesday = today - timedelta(days=today.weekday()) + timedelta(days=1)
    return datetime(tuesday.year, tuesday.month, tuesday.day, hour_utc, tzinfo=UTC)


@dataclass
class Received:
    """One message as the SMTP server received it."""

    mail_from: str
    rcpt_tos: list[str]
    raw: bytes

    def parsed(self) -> EmailMessage:
        # SMTP carries CRLF line ends; a mail client reads them as lines
        message = email.message_from_bytes(self.raw.replace(b"\r\n", b"\n"), policy=email.policy.default)
        assert isinstance(message, EmailMessage)
        return message


@dataclass
class SmtpSink:
    """aiosmtpd handler: keeps every message; answers ``replies`` (e.g. '451 ...') to the next DATA commands."""

    port: int = 0
    messages: list[Received] = field(default_factory=list)
    replies: list[str] = field(default_factory=list)
    on_message: Any = None

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802 - aiosmtpd's name
        if self.replies:
            reply = self.replies.pop(0)
            if not reply.startswith("250"):
                return reply
        self.messages.append(Received(envelope.mail_from, list(envelope.rcpt_tos), bytes(envelope.content)))
        if self.on_message is not None:
            self.on_message(len(self.messages))
        return "250 OK"

    def by_message_id(self) -> dict[str, int]:
        counts: dict[str, int] = {}
        for received in self.messages:
            key = str(received.parsed()["Message-ID"])
            counts[key] = counts.get(key, 0) + 1
        return counts


@pytest.fixture
def smtp() -> Iterator[SmtpSink]:
    """A real SMTP server on 127.0.0.1."""
    sink = SmtpSink(port=free_port())
    controller = Controller(sink, hostname="127.0.0.1", port=sink.port)
    controller.start()
    yield sink
    controller.stop()


@dataclass
class WebhookSink:
    """What the stand-in Slack webhook received, and the answers it gives: (status, headers, body) per request,
    then 200 ``ok`` like Slack."""

    url: str = ""
    requests: list[tuple[str, dict[str, str], bytes]] = field(default_factory=list)
    answers: list[tuple[int, dict[str, str], bytes]] = field(default_factory=list)


def _handler(sink: WebhookSink) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802 - http.server's name
            body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
            sink.requests.append((self.path, dict(self.headers.items()), body))
            status, headers, answer = sink.answers.pop(0) if sink.answers else (200, {}, b"ok")
            self.send_response(status)
            for name, value in {"Content-Type": "text/plain", **headers}.items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(answer)))
            self.end_headers()
            self.wfile.write(answer)

        def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - http.server's name
            return None

    return Handler


@pytest.fixture
def webhook() -> Iterator[WebhookSink]:
    """A real HTTP server on 127.0.0.1 standing in for https://hooks.slack.com/services/T/B/X."""
    sink = WebhookSink()
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(sink))
    sink.url = f"http://127.0.0.1:{server.server_address[1]}/services/T000/B000/XXXX"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield sink
    server.shutdown()
    server.server_close()


@pytest.fixture
def notify_settings(tmp_path: Path, smtp: SmtpSink, webhook: WebhookSink) -> Settings:
    """Settings whose SMTP server and Slack webhook are the local test servers."""
    return Settings(  # type: ignore[call-arg]
        env="test",
        data_dir=tmp_path / "data",
        public_url="https://tw.example.org",
        smtp_host="127.0.0.1",
        smtp_port=smtp.port,
        smtp_from="teamweave@tw.example.org",
        slack_webhook_url=webhook.url,
        notify_retry_seconds=60,
        notify_max_attempts=3,
        notify_weekly_cap=3,
        _env_file=None,
    )


@pytest.fixture
def sessions(engine: Engine) -> sessionmaker[Session]:
    return session_factory(engine)


@pytest.fixture
def seeded(session: Session) -> SeededOrg:
    org = seed_org(session, org="default")
    session.commit()
    return org


@pytest.fixture(autouse=True)
def _cheap_hashes(cheap_password_hashes: None) -> None:
    """Seeding creates logins: use the cheap argon2 profile."""
