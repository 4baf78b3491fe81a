"""Build the e-mail for an outbox row: plain text + HTML alternative, an .ics for invites, stable headers.

* ``Message-ID`` is derived from the outbox row (its id and a hash of its dedupe key), so a message sent again
  after an ambiguous failure carries the same id and mail clients show it once.
* ``List-Unsubscribe`` (RFC 2369) carries the unsubscribe link for the row's kind (RFC 8058 one-click when
  that endpoint is mounted); the confirmation-page link ends both bodies.
* An invite is a ``text/calendar; method=REQUEST`` alternative (what calendar clients act on) and the same
  calendar as an ``invite.ics`` attachment (for clients that only show attachments).
"""

from __future__ import annotations

import hashlib
import re
from datetime import UTC, datetime
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import format_datetime

from markupsafe import Markup, escape

from teamweave.notify.invites import Invite, invite_ics
from teamweave.notify.kinds import KIND_LABELS, REQUIRED_KINDS
from teamweave.notify.models import OutboxMessage
from teamweave.notify.service import utc

_CONTROL = re.compile(r"[\x00-\x1f\x7f\u0085\u2028\u2029]")


def header_safe(value: str) -> str:
    r"""``value`` with every control character (CR, LF, tab, ...) replaced by a space, for a header.

    >>> header_safe("Alice\nSilva\r")
    'Alice Silva'
    """
    return _CONTROL.sub(" ", value).strip()


def message_id(row: OutboxMessage, *, sender: str) -> str:
    """A Message-ID that is the same every time this row is built."""
    digest = hashlib.sha256(f"{row.org}\x00{row.dedupe_key}".encode()).hexdigest()[:16]
    domain = sender.rpartition("@")[2] or "teamweave.invalid"
    return f"<outbox.{row.id}.{digest}@{domain}>"


def absolute(link: str, *, public_url: str) -> str:
    """A link from a message, made absolute with the public URL when it is a path.

    >>> absolute("/inbox", public_url="https://tw.example.org/")
    'https://tw.example.org/inbox'
    """
    return public_url.rstrip("/") + link if link.startswith("/") else link


def plain_body(row: OutboxMessage, *, link: str | None, unsubscribe_url: str) -> str:
    """The text/plain body: the message, its link, and how to stop this kind of e-mail."""
    parts = [row.text.rstrip()]
    if link:
        parts.append(link)
    if row.kind in REQUIRED_KINDS:
        parts.append(f"-- \n{KIND_LABELS[row.kind]} always reach you; they cannot be turned off.")
    else:
        parts.append(f"-- \nStop e-mails of this kind ({KIND_LABELS[row.kind].lower()}): {unsubscribe_url}")
    return "\n\n".join(parts) + "\n"


def html_body(row: OutboxMessage, *, link: str | None, unsubscribe_url: str) -> str:
    """The text/html body: the caller's HTML, or the text as escaped paragraphs; then the link and footer."""
    if row.html:
        content = Markup(row.html)  # noqa: S704 - HTML given by our own capabilities, not by people
    else:
        content = Markup("").join(Markup("<p>{}</p>").format(p) for p in row.text.strip().split("\n\n"))
    if link:
        content += Markup('<p><a href="{}">Open in teamweave</a></p>').format(link)
    if row.kind in REQUIRED_KINDS:
        content += Markup('<hr><p style="font-size:small">{} always reach you; they cannot be turned off.</p>').format(
            KIND_LABELS[row.kind]
        )
    else:
        content += Markup(
            '<hr><p style="font-size:small">Stop e-mails of this kind: <a href="{}">unsubscribe</a></p>'
        ).format(unsubscribe_url)
    title = escape(row.subject)
    head = f'<head><meta charset="utf-8"><title>{title}</title></head>'
    return f"<!doctype html>\n<html>{head}<body>{content}</body></html>\n"


def build_email(
    row: OutboxMessage,
    *,
    recipient_name: str,
    recipient_email: str,
    sender: str,
    public_url: str,
    unsubscribe_url: str,
    one_click_url: str | None = None,
    sent_at: datetime | None = None,
) -> EmailMessage:
    """The full e-mail for a person's outbox row (see the module docstring).

    With ``one_click_url`` (an endpoint that takes RFC 8058's POST), ``List-Unsubscribe`` names it and
    ``List-Unsubscribe-Post: List-Unsubscribe=One-Click`` is added; otherwise it names the confirmation page.
    ``Date`` is ``sent_at`` (when it is sent; default now), not when it was queued. Control characters in the
    names and the subject (a CR/LF from an HR file) become spaces, so no value can break a header.
    """
    link = absolute(row.link, public_url=public_url) if row.link else None
    msg = EmailMessage()
    msg["From"] = Address("teamweave", addr_spec=sender)
    msg["To"] = Address(header_safe(recipient_name), addr_spec=recipient_email)
    msg["Subject"] = header_safe(row.subject) or KIND_LABELS[row.kind]
    msg["Date"] = format_datetime(utc(sent_at) if sent_at is not None else datetime.now(UTC))
    msg["Message-ID"] = message_id(row, sender=sender)
    if row.kind not in REQUIRED_KINDS:
        msg["List-Unsubscribe"] = f"<{one_click_url or unsubscribe_url}>"
    if one_click_url and row.kind not in REQUIRED_KINDS:
        msg["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    msg["Auto-Submitted"] = "auto-generated"
    msg.set_content(plain_body(row, link=link, unsubscribe_url=unsubscribe_url))
    msg.add_alternative(html_body(row, link=link, unsubscribe_url=unsubscribe_url), subtype="html")
    if row.invite is not None:
        ics = invite_ics(Invite.from_json(row.invite), stamp=utc(row.created_at))
        msg.add_alternative(ics.decode(), subtype="calendar", params={"method": "REQUEST"})
        msg.add_attachment(
            ics, maintype="text", subtype="calendar", filename="invite.ics", params={"method": "REQUEST"}
        )
    return msg
