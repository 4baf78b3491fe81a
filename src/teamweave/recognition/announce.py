"""Telling people about a recognition, through the notify outbox (in the giving request's transaction).

* every receiver gets a ``recognition`` message (web inbox, e-mail when configured) with the message and,
  only to them, the thank-you note;
* a public recognition is also posted to the organisation's Slack channel, if a webhook is configured;
  the note never is.

Both are idempotent by the recognition's id, and say whom they are about (``about``: the giver and the people
named), so erasing any of them removes the messages.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy.orm import Session

from teamweave.notify import service as notify
from teamweave.recognition.models import Recognition
from teamweave.recognition.schemas import Someone

KIND = "recognition"
MY_PAGE = "/recognition/mine"
FEED_PAGE = "/recognition"


def _to_words(row: Recognition, receivers: Sequence[Someone], team_name: str | None) -> str:
    if team_name is not None:
        return f"the {team_name} team"
    return ", ".join(p.name for p in receivers)


def announce(
    session: Session,
    *,
    row: Recognition,
    giver: Someone,
    receivers: Sequence[Someone],
    team_name: str | None,
    public_url: str,
) -> int:
    """Enqueue the receivers' messages and, for a public recognition, the channel post; return how many."""
    base = public_url.rstrip("/")
    to = _to_words(row, receivers, team_name)
    subject = f"{giver.name} recognised {'your team' if team_name else 'you'} for {row.value}"[:200]
    named = [] if team_name is not None else [p.id for p in receivers]  # a team recognition names the team
    count = 0
    for person in receivers:
        text = f"{giver.name} recognised {to} for {row.value}:\n\n{row.message}"
        if row.note:
            text += f"\n\nA personal note for you:\n{row.note}"
        text += f"\n\n{'Shared with everyone' if row.public else 'Private: only you and them'}. {base}{MY_PAGE}"
        sent = notify.enqueue(
            session,
            org=row.org,
            recipient_id=person.id,
            kind=KIND,
            subject=subject,
            text=text[:4000],
            link=base + MY_PAGE,
            dedupe_key=f"{KIND}:{row.id}:{person.id}",
            about=[giver.id, *(i for i in named if i != person.id)],
        )
        count += sent is not None
    if row.public:
        post = notify.enqueue_channel_post(
            session,
            org=row.org,
            kind=KIND,
            text=f"{giver.name} recognised {to} for {row.value}: {row.message} {base}{FEED_PAGE}"[:4000],
            dedupe_key=f"{KIND}:{row.id}:channel",
            about=[giver.id, *named],
        )
        count += post is not None
    return count
