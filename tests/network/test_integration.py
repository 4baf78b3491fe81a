"""New-hire integration curves as served: own curve with the organisation's median, team cohorts under k."""

from __future__ import annotations

from datetime import date

from sqlalchemy import delete, select
from sqlalchemy.orm import Session
from tests.web.seeding import cheap_password_hashes, seed_org

from teamweave.network import integration
from teamweave.network.models import NewHireIntegration
from teamweave.people.models import Person

__all__ = ["cheap_password_hashes"]


def _curve(session: Session, person_id: int, team_id: int, values: tuple[int | None, int | None, int | None]) -> None:
    session.add(
        NewHireIntegration(
            org="default", person_id=person_id, team_id=team_id, start_date=date(2026, 6, 1),
            ties_30=values[0], ties_60=values[1], ties_90=values[2],
        )
    )  # fmt: skip


def test_own_curve_team_cohort_and_erasure(session: Session, cheap_password_hashes: None) -> None:
    seeded = seed_org(session)
    platform, data = seeded.teams["Platform"], seeded.teams["Data"]
    curves = {"alice": (2, 5, 9), "bob": (1, 3, None), "carol": (4, 6, 8), "dave": (3, 4, 7), "gina": (0, 1, 2)}
    for name, values in curves.items():
        _curve(session, seeded.people[name], platform, values)
    _curve(session, seeded.people["pat"], data, (5, 5, 5))
    session.flush()
    own = integration.my_integration(session, org="default", person_id=seeded.people["alice"], k=5)
    assert own is not None
    assert [(p.day, p.value) for p in own.own] == [(30, 2.0), (60, 5.0), (90, 9.0)]
    # the five others: day 30 values 1, 4, 3, 0, 5 -> median 3; day 90 only four values (bob unknown): hidden
    assert [(p.day, p.value) for p in own.organisation] == [(30, 3.0), (60, 4.0), (90, None)]
    assert integration.my_integration(session, org="default", person_id=seeded.people["erin"], k=5) is None
    team = integration.team_integration(session, org="default", team_id=platform, k=5)
    assert not team.too_few
    assert team.newcomers == 5
    assert [(p.day, p.value) for p in team.medians or []] == [(30, 2.0), (60, 4.0), (90, None)]
    small = integration.team_integration(session, org="default", team_id=data, k=5)
    assert small.too_few
    assert (small.newcomers, small.medians) == (None, None)
    session.execute(delete(Person).where(Person.id == seeded.people["alice"]))  # erasure deletes the person
    session.flush()
    left = session.execute(select(NewHireIntegration.person_id)).scalars().all()
    assert seeded.people["alice"] not in left
    assert len(left) == 5
