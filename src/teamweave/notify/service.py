"""The notify capability's logic: enqueue, the web inbox, unsubscribes. Services never commit.

Other capabilities call :func:`enqueue` (a message to one person) and :func:`enqueue_channel_post` (a post to
the organisation's Slack webhook); :mod:`teamweave.notify.delivery` pushes what is due. Enqueueing is
idempotent by ``(org, dedupe_key)``, so a reminder job run twice on one day enqueues nothing new.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from itsdangerous import BadSignature, URLSafeSerializer
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from teamweave.errors import InputFormatError, NotFound
from teamweave.notify import repository
from teamweave.notify.invites import Invite
from teamweave.notify.kinds import KIND_LABELS, KINDS, REQUIRED_KINDS, check_kind
from teamweave.notify.models import EMAIL, SLACK, OutboxMessage, Unsubscription
from teamweave.notify.schemas import InboxItem, KindSetting
from teamweave.people import service as people

MAX_SUBJECT = 200
MAX_KEY = 200
MAX_TEXT = 4000
TOKEN_SALT = "teamweave.notify.unsubscribe"


def utc(moment: datetime) -> datetime:
    """``moment`` in UTC; a naive time (as SQLite returns them) is taken to be UTC already."""
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def _check_text(value: str, *, field: str, limit: int) -> str:
    if len(value) > limit:
        raise InputFormatError(f"at most {limit} characters", field=field)
    return value


def _add_once(session: Session, row: OutboxMessage, *, about: Sequence[int] = ()) -> OutboxMessage | None:
    """Add ``row`` (and who it is about) unless its dedupe key exists (also when a concurrent run added it first)."""
    if repository.by_dedupe_key(session, org=row.org, dedupe_key=row.dedupe_key) is not None:
        return None
    try:
        with session.begin_nested():
            repository.add(session, row)
            repository.add_subjects(session, outbox_id=row.id, person_ids=set(about))
    except IntegrityError:
        return None
    return row


def enqueue(
    session: Session,
    *,
    org: str,
    recipient_id: int,
    kind: str,
    subject: str,
    text: str,
    dedupe_key: str,
    html: str | None = None,
    link: str | None = None,
    invite: Invite | None = None,
    not_before: datetime | None = None,
    about: Sequence[int] = (),
) -> OutboxMessage | None:
    """A message to one person (``people.id``): their web inbox always; e-mail when SMTP is configured.

    Idempotent: a second call with the same ``(org, dedupe_key)`` returns None and adds nothing. Returns None
    also when the recipient unsubscribed from ``kind`` (never for :data:`REQUIRED_KINDS`). ``not_before`` hides
    it (inbox and e-mail) until then.
    ``about``: the people (``people.id``) the message names or is about, other than the recipient; erasing any
    of them deletes the message (:func:`forget_person`). Every caller whose text names someone must pass it.
    """
    check_kind(kind)
    people.get_person(session, org=org, person_id=recipient_id)  # NotFound for someone else's person
    if is_unsubscribed(session, org=org, person_id=recipient_id, kind=kind):
        return None
    now = datetime.now(UTC)
    due = max(now, utc(not_before)) if not_before is not None else now
    row = OutboxMessage(
        org=org,
        dedupe_key=_check_text(dedupe_key, field="dedupe_key", limit=MAX_KEY),
        kind=kind,
        channel=EMAIL,
        recipient_id=recipient_id,
        subject=_check_text(subject, field="subject", limit=MAX_SUBJECT),
        text=_check_text(text, field="text", limit=MAX_TEXT),
        html=html,
        link=link,
        invite=invite.to_json() if invite is not None else None,
        created_at=now,
        not_before=utc(not_before) if not_before is not None else None,
        next_attempt_at=due,
        attempts=0,
    )
    return _add_once(session, row, about=about)


def enqueue_channel_post(
    session: Session,
    *,
    org: str,
    kind: str,
    text: str,
    dedupe_key: str,
    blocks: list[dict[str, Any]] | None = None,
    about: Sequence[int] = (),
) -> OutboxMessage | None:
    """A post to the organisation's Slack incoming webhook (team digests, public recognition), if configured.

    ``text`` is the notification fallback Slack shows; ``blocks`` the Block Kit layout. Idempotent by
    ``(org, dedupe_key)`` like :func:`enqueue`. ``about``: every person the post names (see :func:`enqueue`).
    """
    check_kind(kind)
    now = datetime.now(UTC)
    row = OutboxMessage(
        org=org,
        dedupe_key=_check_text(dedupe_key, field="dedupe_key", limit=MAX_KEY),
        kind=kind,
        channel=SLACK,
        recipient_id=None,
        subject="",
        text=_check_text(text, field="text", limit=MAX_TEXT),
        blocks=blocks,
        created_at=now,
        next_attempt_at=now,
        attempts=0,
    )
    return _add_once(session, row, about=about)


def existing_dedupe_keys(session: Session, *, org: str, prefix: str) -> set[str]:
    """Every dedupe key of the org that starts with ``prefix``, in one query: a reminder job checks these first
    and calls :func:`enqueue` only for what is new (``enqueue`` stays idempotent on its own)."""
    return repository.dedupe_keys(session, org=org, prefix=prefix)


def unsubscriptions_by_person(session: Session, *, org: str) -> dict[int, set[str]]:
    """person id -> the kinds they stopped (never :data:`REQUIRED_KINDS`), for the whole org in one query."""
    found = repository.unsubscriptions_by_person(session, org=org)
    return {person: kinds - REQUIRED_KINDS for person, kinds in found.items()}


def forget_person(session: Session, *, org: str, person_id: int) -> int:
    """Delete every outbox message ABOUT a person (queued, sent or failed; inbox copies and channel posts alike),
    for their erasure; returns how many. Call it before the person's row is deleted: messages TO them cascade
    with it, but the links saying who a message is about cascade too, and would be gone."""
    return repository.delete_messages_about(session, org=org, person_id=person_id)


def inbox(session: Session, *, org: str, person_id: int, now: datetime, limit: int = 200) -> list[InboxItem]:
    """A person's own web inbox, newest first (shown whatever happened to the e-mail: it is not a push)."""
    rows = repository.inbox(session, org=org, person_id=person_id, now=utc(now), limit=limit)
    return [InboxItem(r.id, r.kind, r.subject, r.text, r.link, utc(r.created_at), r.read_at is not None) for r in rows]


def unread_count(session: Session, *, org: str, person_id: int, now: datetime) -> int:
    """How many of a person's inbox messages are unread (for the nav badge)."""
    return repository.unread_count(session, org=org, person_id=person_id, now=utc(now))


def mark_read(session: Session, *, org: str, person_id: int, message_id: int, now: datetime) -> None:
    """Mark one of the person's own messages read; anyone else's message is :class:`NotFound`."""
    row = repository.message(session, message_id=message_id)
    if row is None or row.org != org or row.recipient_id != person_id:
        raise NotFound("no such message in your inbox", where=f"message {message_id}")
    if row.read_at is None:
        row.read_at = utc(now)
        session.flush()


def mark_all_read(session: Session, *, org: str, person_id: int, now: datetime) -> None:
    repository.mark_all_read(session, org=org, person_id=person_id, now=utc(now))


def kind_settings(session: Session, *, org: str, person_id: int) -> list[KindSetting]:
    """Every kind with whether the person receives it."""
    off = repository.unsubscribed_kinds(session, org=org, person_id=person_id) - REQUIRED_KINDS
    return [KindSetting(kind, KIND_LABELS[kind], kind not in off, kind in REQUIRED_KINDS) for kind in KINDS]


def set_subscriptions(session: Session, *, org: str, person_id: int, subscribed: set[str]) -> None:
    """Receive exactly the kinds in ``subscribed`` (and always :data:`REQUIRED_KINDS`); unsubscribe from every
    other kind."""
    for kind in subscribed:
        check_kind(kind)
    subscribed = subscribed | REQUIRED_KINDS
    off = repository.unsubscribed_kinds(session, org=org, person_id=person_id)
    repository.remove_unsubscriptions(session, org=org, person_id=person_id, kinds=off & subscribed)
    for kind in set(KINDS) - subscribed - off:
        unsubscribe(session, org=org, person_id=person_id, kind=kind)


def unsubscribe(session: Session, *, org: str, person_id: int, kind: str) -> None:
    """Stop notifications of ``kind`` to the person (idempotent); :class:`InputFormatError` for a required kind."""
    check_kind(kind)
    if kind in REQUIRED_KINDS:
        raise InputFormatError(f"{KIND_LABELS[kind].lower()} always reach you: they cannot be turned off", field="kind")
    if kind not in repository.unsubscribed_kinds(session, org=org, person_id=person_id):
        repository.add(session, Unsubscription(org=org, person_id=person_id, kind=kind, created_at=datetime.now(UTC)))


def is_unsubscribed(session: Session, *, org: str, person_id: int, kind: str) -> bool:
    """Whether the person stopped ``kind`` (never true for :data:`REQUIRED_KINDS`)."""
    if kind in REQUIRED_KINDS:
        return False
    return kind in repository.unsubscribed_kinds(session, org=org, person_id=person_id)


def unsubscribe_token(secret: bytes, *, org: str, person_id: int, kind: str) -> str:
    """A signed token for the one-click unsubscribe link that e-mails carry (no login needed)."""
    return URLSafeSerializer(secret, salt=TOKEN_SALT).dumps([org, person_id, kind])


def read_unsubscribe_token(secret: bytes, token: str) -> tuple[str, int, str]:
    """``(org, person_id, kind)`` of a token made by :func:`unsubscribe_token`; InputFormatError if forged."""
    try:
        data = URLSafeSerializer(secret, salt=TOKEN_SALT).loads(token)
        org, person_id, kind = data
    except (BadSignature, TypeError, ValueError) as exc:
        raise InputFormatError("this unsubscribe link is not valid", field="token") from exc
    if not isinstance(org, str) or not isinstance(person_id, int) or not isinstance(kind, str):
        raise InputFormatError("this unsubscribe link is not valid", field="token")
    return org, person_id, check_kind(kind)


def unsubscribe_by_token(session: Session, *, org: str, secret: bytes, token: str) -> str:
    """Follow a one-click unsubscribe link: stop the kind it names for the person it names; return the kind.

    A forged token, one of another organisation, or one of an erased person is :class:`InputFormatError`.
    """
    token_org, person_id, kind = read_unsubscribe_token(secret, token)
    if token_org != org:
        raise InputFormatError("this unsubscribe link is not valid", field="token")
    try:
        people.get_person(session, org=org, person_id=person_id)
    except NotFound as exc:
        raise InputFormatError("this unsubscribe link is no longer valid", field="token") from exc
    unsubscribe(session, org=org, person_id=person_id, kind=kind)
    return kind


def outbox_counts(session: Session, *, org: str) -> dict[tuple[str, str], int]:
    """(channel, status) -> how many outbox rows, for ``teamweave outbox list``."""
    return repository.status_counts(session, org=org)
