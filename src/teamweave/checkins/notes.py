"""Notes that carry forward from one 1:1 to the next, and action items either side of the pair can tick off.

Both belong to the pair (a report and their current manager) and only the two of them see them: the report on
``/checkins``, the manager on the report's page (a view audited by :func:`teamweave.checkins.service.report_status`).
A manager who takes over a report starts a new pair: they do not see the notes of the previous one.
Services never commit.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime

from sqlalchemy.orm import Session

from teamweave.accounts.models import User
from teamweave.checkins import repository
from teamweave.checkins.models import ActionItem, PairNote
from teamweave.errors import Forbidden, InputFormatError, NotFound
from teamweave.people import service as people

MAX_NOTE = 4000
MAX_ITEM = 300
OWNERS = ("manager", "report")


@dataclass(frozen=True)
class NoteView:
    day: date
    author: str
    text: str


@dataclass(frozen=True)
class ItemView:
    item_id: int
    owner: str
    text: str
    day: date
    done: bool
    done_on: date | None


@dataclass(frozen=True)
class PairNotes:
    """The pair's notes: ``carried`` (those of the latest day before today: to pick up at this 1:1),
    ``today`` (written today), ``earlier`` (the rest), and every action item, open ones first."""

    carried: list[NoteView]
    today: list[NoteView]
    earlier: list[NoteView]
    items: list[ItemView]

    @property
    def open_items(self) -> list[ItemView]:
        return [i for i in self.items if not i.done]


def pair_of(session: Session, *, org: str, viewer: User, report_id: int | None) -> tuple[int, int, str]:
    """(manager id, report id, the viewer's side) of the pair the viewer is in; Forbidden for anyone else.

    ``report_id`` None means the viewer's own pair as a report (with their current manager).
    """
    if viewer.person_id is None:
        raise Forbidden("your login is not linked to a person, so you are in no 1:1 pair")
    if report_id is None or report_id == viewer.person_id:
        me = people.get_person(session, org=org, person_id=viewer.person_id)
        if me.manager_id is None:
            raise InputFormatError("you have no manager in the directory, so there is no 1:1 pair")
        return me.manager_id, me.id, "report"
    report = people.get_person(session, org=org, person_id=report_id)
    if report.manager_id != viewer.person_id:
        raise Forbidden("a pair's notes are shown to the report and their own manager only")
    return viewer.person_id, report.id, "manager"


def _text(text: str, *, field: str, limit: int) -> str:
    text = text.strip()
    if not text:
        raise InputFormatError("write something first", field=field)
    if len(text) > limit:
        raise InputFormatError(f"at most {limit} characters", field=field)
    return text


def add_note(session: Session, *, org: str, viewer: User, report_id: int | None, text: str, day: date) -> PairNote:
    """A note by either side of the pair, dated ``day`` (shown again at the next 1:1)."""
    manager_id, report, side = pair_of(session, org=org, viewer=viewer, report_id=report_id)
    row = PairNote(
        org=org,
        manager_id=manager_id,
        report_id=report,
        author_id=manager_id if side == "manager" else report,
        day=day,
        created_at=datetime.now(UTC),
        text=_text(text, field="note", limit=MAX_NOTE),
    )
    repository.add(session, row)
    return row


def add_item(
    session: Session, *, org: str, viewer: User, report_id: int | None, owner: str, text: str, day: date
) -> ActionItem:
    """An action item of the pair, owned by the manager or the report."""
    if owner not in OWNERS:
        raise InputFormatError("an action item is owned by the manager or the report", field="owner")
    manager_id, report, _ = pair_of(session, org=org, viewer=viewer, report_id=report_id)
    row = ActionItem(
        org=org,
        manager_id=manager_id,
        report_id=report,
        owner=owner,
        text=_text(text, field="item", limit=MAX_ITEM),
        day=day,
        done=False,
    )
    repository.add(session, row)
    return row


def set_done(session: Session, *, org: str, viewer: User, item_id: int, done: bool, day: date) -> ActionItem:
    """Tick an action item off (or back on); either side of the pair may. Anyone else: NotFound."""
    row = repository.action_item(session, org=org, item_id=item_id)
    if row is None or viewer.person_id not in (row.manager_id, row.report_id):
        raise NotFound("no such action item of yours", where=f"action item {item_id}")
    manager_id, report_id, _ = pair_of(session, org=org, viewer=viewer, report_id=row.report_id)
    if (manager_id, report_id) != (row.manager_id, row.report_id):
        raise NotFound("no such action item of yours", where=f"action item {item_id}")
    row.done = done
    row.done_on = day if done else None
    session.flush()
    return row


def pair_notes(session: Session, *, org: str, manager_id: int, report_id: int, today: date) -> PairNotes:
    """The pair's notes and action items, split for the page. The caller checked who may see them."""
    names = {manager_id: "manager", report_id: "report"}
    notes = repository.notes_of_pair(session, org=org, manager_id=manager_id, report_id=report_id)
    views = [(n.day, NoteView(n.day, names.get(n.author_id, "?"), n.text)) for n in notes]
    past_days = sorted({d for d, _ in views if d < today})
    last = past_days[-1] if past_days else None
    items = repository.action_items_of_pair(session, org=org, manager_id=manager_id, report_id=report_id)
    return PairNotes(
        carried=[v for d, v in views if d == last],
        today=[v for d, v in views if d >= today],
        earlier=[v for d, v in views if last is not None and d < last],
        items=[ItemView(i.id, i.owner, i.text, i.day, i.done, i.done_on) for i in items],
    )


def notes_for_report(session: Session, *, org: str, viewer: User, report_id: int, today: date) -> PairNotes:
    """The notes of the viewer's pair with one of their own reports (Forbidden for anyone else's report). The
    caller shows them on the report's page, whose view :func:`teamweave.checkins.service.report_status` audits."""
    manager_id, report, side = pair_of(session, org=org, viewer=viewer, report_id=report_id)
    if side != "manager":
        raise Forbidden("this page is for the manager of the pair")
    return pair_notes(session, org=org, manager_id=manager_id, report_id=report, today=today)


def my_pair_notes(session: Session, *, org: str, viewer: User, today: date) -> PairNotes | None:
    """The viewer's own pair's notes as a report (not audited: they are one side of the pair); None without
    a manager."""
    if viewer.person_id is None:
        return None
    me = people.get_person(session, org=org, person_id=viewer.person_id)
    if me.manager_id is None:
        return None
    return pair_notes(session, org=org, manager_id=me.manager_id, report_id=me.id, today=today)
