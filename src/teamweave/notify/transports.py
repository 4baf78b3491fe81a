"""How messages leave the process: SMTP (std-lib smtplib) and a Slack incoming webhook (std-lib urllib).

Both raise :class:`DeliveryError` saying whether trying again later may help: SMTP 4xx replies and lost
connections are retryable, 5xx replies permanent; the webhook's 429 (with ``Retry-After``) and 5xx are
retryable, any other 4xx permanent (a revoked webhook answers 403/404 ``no_service``).
"""

from __future__ import annotations

import json
import smtplib
import urllib.error
import urllib.request
from email.message import EmailMessage
from types import TracebackType
from typing import Any

from teamweave.config import Settings

TIMEOUT_SECONDS = 30


class DeliveryError(Exception):
    """A transport failed. ``retryable``: a later attempt may succeed; ``retry_after``: seconds asked for."""

    def __init__(self, message: str, *, retryable: bool, retry_after: float | None = None) -> None:
        super().__init__(message)
        self.retryable = retryable
        self.retry_after = retry_after


class SmtpTransport:
    """Sends e-mails over one SMTP connection, opened on first use and re-opened after a failure."""

    def __init__(self, settings: Settings) -> None:
        self._settings = settings
        self._smtp: smtplib.SMTP | None = None

    def __enter__(self) -> SmtpTransport:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    def _connection(self) -> smtplib.SMTP:
        if self._smtp is None:
            s = self._settings
            assert s.smtp_host is not None
            smtp = smtplib.SMTP(s.smtp_host, s.smtp_port, timeout=TIMEOUT_SECONDS)
            if s.smtp_starttls:
                smtp.starttls()
            if s.smtp_username:
                smtp.login(s.smtp_username, s.smtp_password or "")
            self._smtp = smtp
        return self._smtp

    def send(self, message: EmailMessage) -> None:
        """Send one e-mail; :class:`DeliveryError` when the server or the network refuses."""
        try:
            self._connection().send_message(message)
        except smtplib.SMTPRecipientsRefused as exc:
            codes = [code for code, _ in exc.recipients.values()]
            raise DeliveryError(f"recipient refused: {codes}", retryable=all(400 <= c < 500 for c in codes)) from exc
        except smtplib.SMTPResponseException as exc:
            self.close()
            raw = exc.smtp_error
            detail = raw.decode(errors="replace") if isinstance(raw, bytes) else str(raw)
            raise DeliveryError(f"SMTP {exc.smtp_code} {detail}", retryable=400 <= exc.smtp_code < 500) from exc
        except (smtplib.SMTPException, OSError) as exc:
            self.close()
            raise DeliveryError(f"SMTP connection: {exc}", retryable=True) from exc

    def close(self) -> None:
        if self._smtp is not None:
            try:
                self._smtp.quit()
            except (smtplib.SMTPException, OSError):
                self._smtp.close()
            self._smtp = None


def slack_payload(text: str, blocks: list[dict[str, Any]] | None) -> bytes:
    """The webhook's JSON body: ``text`` (the notification fallback) and Block Kit ``blocks``.

    Without blocks, one mrkdwn section carries the text. ``&``, ``<`` and ``>`` are escaped as Slack asks.

    >>> slack_payload("A & B", None).decode()
    '{"text":"A &amp; B","blocks":[{"type":"section","text":{"type":"mrkdwn","text":"A &amp; B"}}]}'
    """
    escaped = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    if blocks is None:
        blocks = [{"type": "section", "text": {"type": "mrkdwn", "text": escaped}}]
    return json.dumps({"text": escaped, "blocks": blocks}, ensure_ascii=False, separators=(",", ":")).encode()


def _retry_after(value: str | None) -> float | None:
    try:
        return float(value) if value is not None else None
    except ValueError:
        return None


def post_to_webhook(url: str, body: bytes) -> None:
    """POST a payload to a Slack incoming webhook; Slack answers 200 ``ok``."""
    request = urllib.request.Request(
        url, data=body, method="POST", headers={"Content-Type": "application/json; charset=utf-8"}
    )
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as response:  # noqa: S310 - URL from settings
            response.read()
    except urllib.error.HTTPError as exc:
        detail = exc.read().decode(errors="replace")[:200]
        if exc.code == 429:
            raise DeliveryError(
                f"Slack 429 {detail}", retryable=True, retry_after=_retry_after(exc.headers.get("Retry-After"))
            ) from exc
        raise DeliveryError(f"Slack {exc.code} {detail}", retryable=exc.code >= 500) from exc
    except (urllib.error.URLError, OSError) as exc:
        raise DeliveryError(f"Slack webhook unreachable: {exc}", retryable=True) from exc
