"""A team's shared working hours: members' own time zones, k-guarded."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy.orm import Session
from tests.web.seeding import cheap_password_hashes, seed_org

from teamweave.errors import NotFound
from teamweave.network.working_hours import team_overlap

__all__ = ["cheap_password_hashes"]


def test_platform_spans_lisbon_and_austin(session: Session, cheap_password_hashes: None) -> None:
    seeded = seed_org(session)
    session.flush()
    got = team_overlap(
        session, org="default", team_id=seeded.teams["Platform"], k=5, work_day_start=8, work_day_end=19,
        week_of=date(2026, 1, 14),
    )  # fmt: skip
    assert not got.too_few
    assert got.zones == 2
    assert got.weekday_hours == [(day, 5.0) for day in ("Mon", "Tue", "Wed", "Thu", "Fri")]  # 14:00-19:00 UTC
    data = team_overlap(
        session, org="default", team_id=seeded.teams["Data"], k=5, work_day_start=9, work_day_end=17,
        week_of=date(2026, 1, 14),
    )  # fmt: skip
    assert data.zones == 1
    assert data.weekday_hours[0] == ("Mon", 8.0)
    tiny = team_overlap(session, org="default", team_id=seeded.teams["Tiny"], k=5, work_day_start=8, work_day_end=19)
    assert tiny.too_few
    assert tiny.zones is None
    assert tiny.hours is None
    with pytest.raises(NotFound):
        team_overlap(session, org="default", team_id=999_999, k=5, work_day_start=8, work_day_end=19)
