"""A person's own copy of their check-in data (``teamweave privacy export``)."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from teamweave.checkins import repository
from teamweave.store.rows import plain


def export_of_person(session: Session, *, org: str, person_id: int) -> dict[str, list[dict[str, Any]]]:
    """Their own check-in answers and coaching consent, and the cadence, 1:1s, notes and action items of the
    pairs they are in, one list per table."""
    found = repository.rows_of_person(session, org=org, person_id=person_id)
    return {table: [plain(row) for row in rows] for table, rows in found.items()}
