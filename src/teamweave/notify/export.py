"""A person's own copy of what the outbox holds for them (``teamweave privacy export``)."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from teamweave.notify import repository
from teamweave.store.rows import plain


def export_of_person(session: Session, *, org: str, person_id: int) -> dict[str, list[dict[str, Any]]]:
    """Their messages (inbox and e-mail, with delivery status) and the kinds they unsubscribed from."""
    return {
        "messages": [plain(m) for m in repository.messages_to(session, org=org, person_id=person_id)],
        "unsubscribed": [plain(u) for u in repository.unsubscriptions_of(session, org=org, person_id=person_id)],
    }
