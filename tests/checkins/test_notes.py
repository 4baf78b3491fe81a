"""Notes carry forward to the next 1:1; action items are ticked off by either side; nobody else sees them."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy.orm import Session
from tests.checkins.conftest import user
from tests.web.seeding import SeededOrg

from teamweave.checkins import notes
from teamweave.errors import Forbidden, InputFormatError, NotFound
from teamweave.people.models import Person

ORG = "default"
FIRST = date(2026, 11, 2)
NEXT = date(2026, 11, 16)


def test_notes_of_one_1on1_show_at_the_next(session: Session, seeded: SeededOrg) -> None:
    mia, alice = user(session, seeded, "mia"), user(session, seeded, "alice")
    alice_id = seeded.people["alice"]
    notes.add_note(session, org=ORG, viewer=mia, report_id=alice_id, text="wants to lead the migration", day=FIRST)
    notes.add_note(session, org=ORG, viewer=alice, report_id=None, text="ask about the conference", day=FIRST)
    notes.add_note(session, org=ORG, viewer=mia, report_id=alice_id, text="older", day=FIRST - timedelta(days=14))
    notes.add_note(session, org=ORG, viewer=mia, report_id=alice_id, text="written today", day=NEXT)
    seen = notes.pair_notes(session, org=ORG, manager_id=seeded.people["mia"], report_id=alice_id, today=NEXT)
    assert sorted((n.author, n.text) for n in seen.carried) == [
        ("manager", "wants to lead the migration"),
        ("report", "ask about the conference"),
    ]
    assert [n.text for n in seen.today] == ["written today"]
    assert [n.text for n in seen.earlier] == ["older"]
    mine = notes.my_pair_notes(session, org=ORG, viewer=alice, today=NEXT)
    assert mine is not None
    assert mine == seen  # the report sees the same pair notes


def test_either_side_ticks_off_an_item_and_nobody_else_can(session: Session, seeded: SeededOrg) -> None:
    mia, alice = user(session, seeded, "mia"), user(session, seeded, "alice")
    item = notes.add_item(
        session, org=ORG, viewer=mia, report_id=seeded.people["alice"], owner="report", text="draft RFC", day=FIRST
    )
    notes.set_done(session, org=ORG, viewer=alice, item_id=item.id, done=True, day=NEXT)
    mine = notes.my_pair_notes(session, org=ORG, viewer=alice, today=NEXT)
    assert mine is not None
    assert [(i.text, i.owner, i.done, i.done_on) for i in mine.items] == [("draft RFC", "report", True, NEXT)]
    assert mine.open_items == []
    notes.set_done(session, org=ORG, viewer=mia, item_id=item.id, done=False, day=NEXT)
    assert item.done is False
    for other in ("dan", "bob", "pat", "root"):
        with pytest.raises((NotFound, Forbidden)):
            notes.set_done(session, org=ORG, viewer=user(session, seeded, other), item_id=item.id, done=True, day=NEXT)
    assert item.done is False


@pytest.mark.parametrize(
    ("viewer", "report"), [("dan", "alice"), ("bob", "alice"), ("pat", "quinn"), ("root", "alice")]
)
def test_only_the_pair_writes_notes(session: Session, seeded: SeededOrg, viewer: str, report: str) -> None:
    with pytest.raises(Forbidden):
        notes.add_note(
            session, org=ORG, viewer=user(session, seeded, viewer), report_id=seeded.people[report], text="x", day=FIRST
        )


def test_a_new_manager_starts_a_new_pair(session: Session, seeded: SeededOrg) -> None:
    mia = user(session, seeded, "mia")
    alice_id = seeded.people["alice"]
    notes.add_note(session, org=ORG, viewer=mia, report_id=alice_id, text="private to mia and alice", day=FIRST)
    alice = session.get(Person, alice_id)
    assert alice is not None
    alice.manager_id = seeded.people["dan"]
    session.flush()
    with pytest.raises(Forbidden):
        notes.add_note(session, org=ORG, viewer=mia, report_id=alice_id, text="x", day=NEXT)
    mine = notes.my_pair_notes(session, org=ORG, viewer=user(session, seeded, "alice"), today=NEXT)
    assert mine is not None
    assert (mine.carried, mine.earlier, mine.items) == ([], [], [])


def test_empty_or_long_text_and_bad_owner(session: Session, seeded: SeededOrg) -> None:
    mia = user(session, seeded, "mia")
    alice_id = seeded.people["alice"]
    with pytest.raises(InputFormatError):
        notes.add_note(session, org=ORG, viewer=mia, report_id=alice_id, text="   ", day=FIRST)
    with pytest.raises(InputFormatError):
        notes.add_note(session, org=ORG, viewer=mia, report_id=alice_id, text="x" * 4001, day=FIRST)
    with pytest.raises(InputFormatError):
        notes.add_item(session, org=ORG, viewer=mia, report_id=alice_id, owner="hr", text="x", day=FIRST)
