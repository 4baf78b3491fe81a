"""A person's own copy of everything teamweave holds about them: the privacy part (profile, accounts,
identities, metrics, integration curve, interactions per month, views of their data) and each capability's
part (check-ins, recognition, celebrations, notifications). The command line (``teamweave privacy export``)
writes it for an operator; the web app gives it to the person themself (``/me/data.json``)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy.orm import Session

from teamweave.checkins import export as checkins_export
from teamweave.moments import service as moments_service
from teamweave.notify import export as notify_export
from teamweave.privacy import repository
from teamweave.privacy.erasure import export_person
from teamweave.recognition import service as recognition_service
from teamweave.store.events import EventStore

CAPABILITY_EXPORTS: tuple[tuple[str, Callable[..., Any]], ...] = (
    ("checkins", checkins_export.export_of_person),
    ("recognition", recognition_service.personal_export),
    ("celebrations", moments_service.export_of_person),
    ("notifications", notify_export.export_of_person),
)
"""Each capability's own part of a person's export: ``(key, export_of_person(session, *, org, person_id))``."""


def full_export(session: Session, *, org: str, email: str, events: EventStore) -> dict[str, Any]:
    """Everything held about the person with ``email``, as JSON-ready data (:class:`NotFound` for nobody)."""
    data = export_person(session, org=org, email=email, events=events)
    person = repository.person(session, org=org, email=email)
    if person is not None:
        data.update({key: export(session, org=org, person_id=person.id) for key, export in CAPABILITY_EXPORTS})
    return data
