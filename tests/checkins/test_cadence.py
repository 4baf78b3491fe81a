"""A manager's own cadence kept across their reports, from 1:1s logged by hand and found in calendars."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session
from tests.checkins.conftest import user
from tests.web.seeding import SeededOrg

from teamweave.audit.models import AuditEntry
from teamweave.checkins import cadence, service
from teamweave.checkins.models import HeldOneOnOne
from teamweave.errors import Forbidden

ORG = "default"
TODAY = date(2026, 11, 23)


@pytest.mark.parametrize(
    ("held", "every", "kept"),
    [
        ([], 14, 0),
        ([TODAY], 14, 1),
        ([TODAY - timedelta(days=d) for d in (0, 14, 28, 42, 56, 70)], 14, 6),
        ([TODAY - timedelta(days=d) for d in (13, 14)], 14, 2),  # the last day of cycle 0, the first of cycle 1
        ([TODAY - timedelta(days=d) for d in (1, 2, 3)], 14, 1),  # three in one cycle count once
        ([TODAY - timedelta(days=84)], 14, 0),  # older than six cycles
    ],
)
def test_cycles_kept(held: list[date], every: int, kept: int) -> None:
    assert cadence.cycles_kept(held, every_days=every, today=TODAY) == kept


def test_the_managers_own_page(session: Session, seeded: SeededOrg) -> None:
    mia = user(session, seeded, "mia")
    alice, bob = seeded.people["alice"], seeded.people["bob"]
    for weeks in range(0, 12, 2):  # every two weeks with Alice: all six cycles kept
        service.log_one_on_one(session, org=ORG, viewer=mia, report_id=alice, day=TODAY - timedelta(weeks=weeks))
    session.add(
        HeldOneOnOne(
            org=ORG, manager_id=seeded.people["mia"], report_id=bob, day=TODAY - timedelta(days=20), source="calendar"
        )
    )
    session.flush()
    page = cadence.my_cadence(session, org=ORG, viewer=mia, today=TODAY)
    pairs = {p.report_id: p for p in page.pairs}
    assert len(pairs) == 9
    assert (pairs[alice].kept, pairs[alice].cycles, pairs[alice].within) == (6, 6, True)
    assert (pairs[bob].kept, pairs[bob].within, pairs[bob].last_held) == (1, False, TODAY - timedelta(days=20))
    assert page.within_now == pytest.approx(1 / 9)
    assert page.kept_share == pytest.approx(7 / 54)
    assert len(page.weekly) == cadence.WEEKS
    assert page.weekly[-1] == (TODAY, pytest.approx(1 / 9))
    assert page.weekly[-3] == (TODAY - timedelta(weeks=2), pytest.approx(2 / 9))  # Bob's 1:1 was 6 days before
    audited = session.execute(
        select(func.count()).select_from(AuditEntry).where(AuditEntry.action == "view_checkin_cadence")
    ).scalar_one()
    assert audited == 9


def test_without_reports_or_person(session: Session, seeded: SeededOrg) -> None:
    page = cadence.my_cadence(session, org=ORG, viewer=user(session, seeded, "alice"), today=TODAY)
    assert (page.pairs, page.within_now, page.weekly) == ([], None, [])
    with pytest.raises(Forbidden):
        cadence.my_cadence(session, org=ORG, viewer=user(session, seeded, "root"), today=TODAY)
