"""Queries of the check-ins capability: its tables (SQLAlchemy) and the calendar meetings of the event store."""

from __future__ import annotations

from datetime import date, datetime

import duckdb
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from teamweave.checkins.models import (
    ActionItem,
    CheckinPair,
    CheckinResponse,
    CoachingConsent,
    HeldOneOnOne,
    PairNote,
    ScheduledOneOnOne,
)
from teamweave.store.events import EventStore

Row = CheckinPair | CheckinResponse | HeldOneOnOne | CoachingConsent | PairNote | ActionItem | ScheduledOneOnOne

# Calendar meetings small enough to be a 1:1 (bots or unresolved aliases may add participants; the service
# decides with the alias map). Read-only scan of the Parquet event store.
CALENDAR_MEETINGS_SQL = """
SELECT ts, actor, targets
FROM events
WHERE source = 'calendar' AND kind = 'meeting' AND ts <= ? AND len(targets) BETWEEN 1 AND ?
ORDER BY ts, event_id
"""


def add(session: Session, row: Row) -> None:
    """Stage a new row and flush it, so that it has an id."""
    session.add(row)
    session.flush()


def responses_of_report(session: Session, *, org: str, report_id: int) -> list[CheckinResponse]:
    """Every check-in of a person, oldest first."""
    stmt = (
        select(CheckinResponse)
        .where(CheckinResponse.org == org, CheckinResponse.report_id == report_id)
        .order_by(CheckinResponse.day, CheckinResponse.id)
    )
    return list(session.scalars(stmt))


def responses_of_pair(session: Session, *, org: str, manager_id: int, report_id: int) -> list[CheckinResponse]:
    """The check-ins a report filled while reporting to this manager, oldest first."""
    stmt = (
        select(CheckinResponse)
        .where(
            CheckinResponse.org == org,
            CheckinResponse.manager_id == manager_id,
            CheckinResponse.report_id == report_id,
        )
        .order_by(CheckinResponse.day, CheckinResponse.id)
    )
    return list(session.scalars(stmt))


def pair(session: Session, *, org: str, manager_id: int, report_id: int) -> CheckinPair | None:
    stmt = select(CheckinPair).where(
        CheckinPair.org == org, CheckinPair.manager_id == manager_id, CheckinPair.report_id == report_id
    )
    return session.scalars(stmt).one_or_none()


def last_held(session: Session, *, org: str, manager_id: int, report_id: int) -> date | None:
    """The day of the pair's latest held 1:1, or None."""
    stmt = select(func.max(HeldOneOnOne.day)).where(
        HeldOneOnOne.org == org, HeldOneOnOne.manager_id == manager_id, HeldOneOnOne.report_id == report_id
    )
    day: date | None = session.execute(stmt).scalar_one_or_none()
    return day


def held_on(session: Session, *, org: str, manager_id: int, report_id: int, day: date) -> HeldOneOnOne | None:
    stmt = select(HeldOneOnOne).where(
        HeldOneOnOne.org == org,
        HeldOneOnOne.manager_id == manager_id,
        HeldOneOnOne.report_id == report_id,
        HeldOneOnOne.day == day,
        HeldOneOnOne.source == "manual",
    )
    return session.scalars(stmt).one_or_none()


def responses_of_reports(session: Session, *, org: str, report_ids: list[int]) -> list[CheckinResponse]:
    """Every check-in of these people (a team's current members, from ``people.service``), oldest first."""
    stmt = (
        select(CheckinResponse)
        .where(CheckinResponse.org == org, CheckinResponse.report_id.in_(report_ids))
        .order_by(CheckinResponse.day, CheckinResponse.id)
    )
    return list(session.scalars(stmt))


def cadences(session: Session, *, org: str) -> dict[tuple[int, int], int]:
    """(manager id, report id) -> cadence in days, for every pair of the org with a row (one query)."""
    stmt = select(CheckinPair.manager_id, CheckinPair.report_id, CheckinPair.every_days).where(CheckinPair.org == org)
    return {(m, r): every for m, r, every in session.execute(stmt)}


def last_held_by_pair(session: Session, *, org: str) -> dict[tuple[int, int], date]:
    """(manager id, report id) -> the day of the pair's latest held 1:1 (any source), in one grouped query."""
    stmt = (
        select(HeldOneOnOne.manager_id, HeldOneOnOne.report_id, func.max(HeldOneOnOne.day))
        .where(HeldOneOnOne.org == org)
        .group_by(HeldOneOnOne.manager_id, HeldOneOnOne.report_id)
    )
    return {(m, r): day for m, r, day in session.execute(stmt)}


def scheduled(session: Session, *, org: str, manager_id: int, report_id: int) -> ScheduledOneOnOne | None:
    """The pair's scheduled 1:1 (its latest meeting), or None."""
    stmt = select(ScheduledOneOnOne).where(
        ScheduledOneOnOne.org == org,
        ScheduledOneOnOne.manager_id == manager_id,
        ScheduledOneOnOne.report_id == report_id,
    )
    return session.scalars(stmt).one_or_none()


def delete(session: Session, row: Row) -> None:
    """Delete a row and flush."""
    session.delete(row)
    session.flush()


def held_days(session: Session, *, org: str, manager_id: int, report_id: int) -> list[date]:
    """The distinct days the pair held a 1:1 (any source), oldest first."""
    stmt = (
        select(HeldOneOnOne.day)
        .where(HeldOneOnOne.org == org, HeldOneOnOne.manager_id == manager_id, HeldOneOnOne.report_id == report_id)
        .distinct()
        .order_by(HeldOneOnOne.day)
    )
    return list(session.scalars(stmt))


def held_keys(session: Session, *, org: str, source: str) -> set[tuple[int, int, date]]:
    """(manager id, report id, day) of every held 1:1 of one source in the org."""
    stmt = select(HeldOneOnOne.manager_id, HeldOneOnOne.report_id, HeldOneOnOne.day).where(
        HeldOneOnOne.org == org, HeldOneOnOne.source == source
    )
    return {(m, r, d) for m, r, d in session.execute(stmt)}


def calendar_meetings(
    events: EventStore, *, org: str, until: datetime, max_targets: int
) -> list[tuple[datetime, str, list[str]]]:
    """(start, actor, targets) of every stored calendar meeting that started by ``until``, oldest first."""
    if not events.has_events(org):
        return []
    con = duckdb.connect()
    try:
        con.register("events", events.read(org, con))
        rows = con.sql(CALENDAR_MEETINGS_SQL, params=[until, max_targets]).to_arrow_table().to_pylist()
    finally:
        con.close()
    return [(row["ts"], row["actor"], list(row["targets"])) for row in rows]


def consent(session: Session, *, org: str, manager_id: int, report_id: int) -> CoachingConsent | None:
    """The report's consent for this one manager, or None."""
    stmt = select(CoachingConsent).where(
        CoachingConsent.org == org, CoachingConsent.manager_id == manager_id, CoachingConsent.report_id == report_id
    )
    return session.scalars(stmt).one_or_none()


def consents_of_report(session: Session, *, org: str, report_id: int) -> list[CoachingConsent]:
    """Every consent a report gave, to any manager."""
    stmt = select(CoachingConsent).where(CoachingConsent.org == org, CoachingConsent.report_id == report_id)
    return list(session.scalars(stmt.order_by(CoachingConsent.id)))


def notes_of_pair(session: Session, *, org: str, manager_id: int, report_id: int) -> list[PairNote]:
    """The pair's notes, newest first."""
    stmt = (
        select(PairNote)
        .where(PairNote.org == org, PairNote.manager_id == manager_id, PairNote.report_id == report_id)
        .order_by(PairNote.day.desc(), PairNote.id.desc())
    )
    return list(session.scalars(stmt))


def action_items_of_pair(session: Session, *, org: str, manager_id: int, report_id: int) -> list[ActionItem]:
    """The pair's action items: open ones first, then by day and id."""
    stmt = (
        select(ActionItem)
        .where(ActionItem.org == org, ActionItem.manager_id == manager_id, ActionItem.report_id == report_id)
        .order_by(ActionItem.done, ActionItem.day, ActionItem.id)
    )
    return list(session.scalars(stmt))


def action_item(session: Session, *, org: str, item_id: int) -> ActionItem | None:
    stmt = select(ActionItem).where(ActionItem.org == org, ActionItem.id == item_id)
    return session.scalars(stmt).one_or_none()


def rows_of_person(session: Session, *, org: str, person_id: int) -> dict[str, list[Row]]:
    """What the check-ins hold about a person, for their export: their own answers and consent, and the
    cadence, held 1:1s, notes and action items of every pair they are in (either side)."""
    in_pair = (CheckinPair, HeldOneOnOne, PairNote, ActionItem, ScheduledOneOnOne)
    found: dict[str, list[Row]] = {
        model.__tablename__: list(
            session.scalars(
                select(model)
                .where(model.org == org, (model.manager_id == person_id) | (model.report_id == person_id))
                .order_by(model.id)
            )
        )
        for model in in_pair
    }
    for own in (CheckinResponse, CoachingConsent):  # a consent names its manager, but is the report's own
        stmt = select(own).where(own.org == org, own.report_id == person_id).order_by(own.id)
        found[own.__tablename__] = list(session.scalars(stmt))
    return found
