"""Change detection over stored series: a person's own, and a team's k-guarded aggregates."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import update
from sqlalchemy.orm import Session
from tests.web.seeding import MONTHS, cheap_password_hashes, seed_org

from teamweave.analytics.windows import window_name
from teamweave.network import trends
from teamweave.network.models import PersonMetric, TeamMetric
from teamweave.network.service import TeamHealth, TeamPoint
from teamweave.people.models import Person

__all__ = ["cheap_password_hashes"]

WEEKS = [date(2026, 1, 5) + timedelta(weeks=i) for i in range(10)]
LATER = date(2030, 1, 1)


def _row(pseudonym: str, week: date, ties: int, **extra: object) -> PersonMetric:
    return PersonMetric(
        org="acme",
        period="week",
        window_start=week,
        pseudonym=pseudonym,
        ties=ties,
        strong_ties=extra.pop("strong_ties", 1),
        weak_ties=ties - 1,
        strength=float(ties),
        cross_team_share=None,
        human_events=10,
        tool_events=0,
        human_share=1.0,
        after_hours_share=0.1,
        ties_change=None,
        strength_change=None,
        **extra,
    )


def test_a_persons_fall_is_flagged_with_evidence(session: Session) -> None:
    own = [10, 12, 11, 13, 9, 11, 10, 12, 4]
    for week, ties in zip(WEEKS, own, strict=False):
        first = week == WEEKS[0]
        session.add(_row("ps-x", week, ties, new_ties=None if first else 1, lost_ties=None if first else 1))
    for week in WEEKS:  # someone else keeps the organisation's time axis going to the tenth week
        session.add(_row("ps-y", week, 5))
    session.flush()
    got = {t.metric: t for t in trends.my_trends(session, org="acme", pseudonym="ps-x", period="week", today=LATER)}
    ties = got["ties"]
    assert [v for _, v in ties.points] == [*map(float, own), 0.0]  # no row in week 10: no ties
    falls = [(c.window_start, c.test) for c in ties.changes if c.direction == "down"]
    assert (WEEKS[8], "robust_z") in falls
    first = next(c for c in ties.changes if c.window_start == WEEKS[8] and c.test == "robust_z")
    assert first.baseline == 11.0
    sentence = ties.evidence(first)
    assert sentence.startswith(f"Your ties fell to 4 in {window_name(WEEKS[8], period='week')}")
    assert "usual level of 11" in sentence
    assert "(robust z-score: z = -4.7, flagged at |z| >= 3.5)" in sentence
    lost = got["lost_ties"]
    assert lost.points[0][1] is None  # unknown in the first window
    assert lost.points[-1][1] == 4.0  # silent in week 10: every tie of week 9 lost
    assert got["human_share"].points[-1][1] is None  # a share without a row is unknown, not zero
    recent = trends.recent_changes(list(got.values()))
    assert recent
    assert recent[0][1].window_start >= WEEKS[8]
    data = trends.change_dict(ties, first)
    assert data["metric"] == "ties"
    assert data["direction"] == "down"
    assert data["evidence"] == sentence


def test_steady_people_have_no_changes(session: Session) -> None:
    for week in WEEKS:
        session.add(_row("ps-y", week, 5))
    session.flush()
    result = trends.my_trends(session, org="acme", pseudonym="ps-y", period="week", today=LATER)
    assert all(t.changes == [] for t in result)
    assert trends.my_trends(session, org="acme", pseudonym="ps-nobody", period="week", today=LATER)[0].changes == []


def _point(day: date, mean_ties: float | None, *, too_few: bool = False) -> TeamPoint:
    return TeamPoint(
        window_start=day,
        too_few=too_few,
        stale=False,
        density=None,
        external_share=None,
        human_share=None,
        after_hours_share=None,
        mean_ties=None if too_few else mean_ties,
    )


def _health(points: list[TeamPoint], *, too_few: bool = False) -> TeamHealth:
    return TeamHealth(
        team_id=1, team_name="Growth", period="week", window_start=points[-1].window_start, k=5, too_few=too_few,
        trend=points,
    )  # fmt: skip


def test_team_windows_under_k_are_skipped_not_zero() -> None:
    values = [6.0, 6.5, 6.0, 6.5, 6.0, 6.5, 6.0, 2.0]
    points = [_point(w, v) for w, v in zip(WEEKS, values, strict=False)]
    points.insert(3, _point(WEEKS[8], None, too_few=True))  # a window under k, in the middle
    got = {t.metric: t for t in trends.team_trends(_health(points))}
    mean_ties = got["mean_ties"]
    flagged = [(c.window_start, c.direction) for c in mean_ties.changes if c.test == "robust_z"]
    assert flagged == [(WEEKS[7], "down")]
    assert mean_ties.evidence(mean_ties.changes[0], subject="the team's").startswith(
        "The team's ties per member fell to 2"
    )
    assert got["density"].changes == []  # no values at all: nothing to test


def test_a_team_under_k_has_no_trends() -> None:
    assert trends.team_trends(_health([_point(WEEKS[0], 3.0)], too_few=True)) == []


@pytest.mark.parametrize(
    ("value", "unit", "shown"), [(0.25, "share", "25%"), (3.0, "count", "3"), (2.5, "count", "2.5")]
)
def test_values_in_evidence(value: float, unit: str, shown: str) -> None:
    trend = trends.MetricTrend("m", "thing", unit, [])
    change = trends.TrendChange(WEEKS[0], "up", "cusum", 5.2, 5.0, value, value)
    assert f"rose to {shown}" in trend.evidence(change)
    assert "(CUSUM: 5.2 sigmas, flagged at 5)" in trend.evidence(change)


def test_org_trends_weigh_teams_by_head_count_and_leave_out_small_teams(
    session: Session, cheap_password_hashes: None
) -> None:
    seeded = seed_org(session)
    session.flush()
    for team, value in (("Platform", 4.0), ("Data", 11.0), ("Tiny", 100.0)):
        session.execute(
            update(TeamMetric).where(TeamMetric.team_id == seeded.teams[team]).values(mean_ties=value, focus_hours=None)
        )
    session.flush()
    got = {t.metric: t for t in trends.org_trends(session, org="default", period="month", k=5, today=LATER)}
    # Platform has 8 members, Data 6; Tiny (2) is under k and left out: (8 * 4 + 6 * 11) / 14 = 7
    assert [v for _, v in got["mean_ties"].points] == [7.0, 7.0, 7.0]
    assert [v for _, v in got["focus_hours"].points] == [None, None, None]
    assert [w for w, _ in got["mean_ties"].points] == list(MONTHS)
    assert trends.org_trends(session, org="default", period="week", k=5, today=LATER)[0].points == []


def test_windows_before_a_start_date_are_unknown_not_zero(session: Session) -> None:
    """A newcomer's first ties are not a rise against the weeks before they joined (read as zeros they were:
    every newcomer was flagged), and a window they joined in counts from their first day."""
    newcomer = Person(org="acme", email="new@acme.test", name="New", pseudonym="ps-new", timezone="UTC")
    session.add(newcomer)
    newcomer.start_date = WEEKS[6] + timedelta(days=3)  # joined mid-week 7
    for week in WEEKS:  # someone else keeps the organisation's time axis going
        session.add(_row("ps-y", week, 5))
    for week, ties in zip(WEEKS[6:], (2, 3, 3, 2), strict=True):
        session.add(_row(newcomer.pseudonym, week, ties))
    session.flush()
    got = {
        t.metric: t
        for t in trends.my_trends(session, org="acme", pseudonym=newcomer.pseudonym, period="week", today=LATER)
    }
    assert [v for _, v in got["ties"].points] == [None] * 6 + [2.0, 3.0, 3.0, 2.0]
    assert [v for _, v in got["lost_ties"].points][:6] == [None] * 6
    assert all(t.changes == [] for t in got.values())
    newcomer.start_date = None  # unknown start: every window counts, the zeros included
    session.flush()
    got = {
        t.metric: t
        for t in trends.my_trends(session, org="acme", pseudonym=newcomer.pseudonym, period="week", today=LATER)
    }
    assert [v for _, v in got["ties"].points] == [0.0] * 6 + [2.0, 3.0, 3.0, 2.0]


def test_a_count_that_moves_a_step_from_a_steady_level_is_not_a_change(session: Session) -> None:
    """A person's counts move in whole ties: after weeks of exactly 13, 14 is one step (z = 1 with the one-step
    scale), not an infinitely unusual week; 18 is five steps and flagged. A share has no steps: any move from
    a level that never varied is flagged, and the evidence says so in words."""
    for week, ties in zip(WEEKS, [13] * 8 + [14], strict=False):
        session.add(_row("ps-x", week, ties))
    session.flush()
    got = {t.metric: t for t in trends.my_trends(session, org="acme", pseudonym="ps-x", period="week", today=LATER)}
    assert [c for c in got["ties"].changes if c.window_start == WEEKS[8]] == []
    steady = [(w, 13.0) for w in WEEKS[:8]]
    five_up = trends.trend_of("ties", "ties", "count", [*steady, (WEEKS[8], 18.0)], period="week", counts=True)
    assert [(c.window_start, c.direction, c.statistic) for c in five_up.changes if c.test == "robust_z"] == [
        (WEEKS[8], "up", 5.0)
    ]
    shares = trends.trend_of(
        "after_hours_share", "after-hours share", "share", [*steady, (WEEKS[8], 14.0)], period="week"
    )
    rise = next(c for c in shares.changes if c.test == "robust_z")
    assert "the windows before it never varied, so any move is flagged" in shares.evidence(rise)
