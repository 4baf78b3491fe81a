"""The network read side: a person's series, team health with the k rule on every slice, the org map."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy.orm import Session
from tests.web.seeding import LATEST_MONTH, MONTHS, cheap_password_hashes, seed_org

from teamweave.errors import NotFound
from teamweave.network import service
from teamweave.network import slices as slicing
from teamweave.people.schemas import DirectoryEntry

__all__ = ["cheap_password_hashes"]


@pytest.fixture
def seeded_session(session: Session, cheap_password_hashes: None) -> Session:
    seed_org(session)
    session.commit()
    return session


def _team_id(session: Session, name: str) -> int:
    return next(t.team_id for t in service.team_summaries(session, org="default") if t.name == name)


def test_my_connections_is_the_persons_series_oldest_first(seeded_session: Session) -> None:
    rows = service.my_connections(seeded_session, org="default", pseudonym="ps-alice", period="month")
    assert [r.window_start for r in rows] == list(MONTHS)
    assert {r.pseudonym for r in rows} == {"ps-alice"}
    with pytest.raises(NotFound):
        service.my_connections(seeded_session, org="default", pseudonym="ps-alice", period="year")


def test_team_health_hides_every_slice_under_k(seeded_session: Session) -> None:
    health = service.team_health(seeded_session, org="default", team_id=_team_id(seeded_session, "Platform"), k=5)
    assert not health.too_few
    assert health.window_start == LATEST_MONTH
    assert health.members == 8
    assert health.density == pytest.approx(0.5)
    assert health.overall is not None
    assert health.overall.people == 8
    slices = {s.label: s for s in health.slices}
    # Austin has 2 people; Lisbon has 6 but the team minus Lisbon is Austin, so Lisbon is hidden as well.
    for label in ("site: Austin", "site: Lisbon", service.NEW_HIRE_LABEL):
        hidden = slices[label]
        assert hidden.too_few
        assert hidden.message == "too few people to show"
        assert hidden.people is None
        assert hidden.mean_ties is None
        assert hidden.after_hours_share is None
    assert [p.window_start for p in health.trend] == list(MONTHS)


def test_a_lower_k_reveals_the_small_slices(seeded_session: Session) -> None:
    health = service.team_health(seeded_session, org="default", team_id=_team_id(seeded_session, "Platform"), k=2)
    slices = {s.label: s for s in health.slices}
    # k is never below 3: Austin (2 people) stays hidden even when asked with k=2.
    assert slices["site: Austin"].too_few


def test_a_team_under_k_shows_nothing(seeded_session: Session) -> None:
    health = service.team_health(seeded_session, org="default", team_id=_team_id(seeded_session, "Tiny"), k=5)
    assert health.too_few
    assert health.members is None
    assert health.density is None
    assert health.slices == []
    assert health.trend == []


def test_unknown_team_is_not_found(seeded_session: Session) -> None:
    with pytest.raises(NotFound):
        service.team_health(seeded_session, org="default", team_id=987654, k=5)


def test_managers_see_the_teams_of_their_line(seeded_session: Session) -> None:
    people = {e.name: e.person_id for e in service.people_service.directory(seeded_session, org="default")}
    teams = service.managed_team_ids(seeded_session, org="default", person_id=people["Mia"])
    assert teams == {_team_id(seeded_session, "Platform"), _team_id(seeded_session, "Tiny")}
    assert service.managed_team_ids(seeded_session, org="default", person_id=people["Alice"]) == set()


def test_org_map_shows_teams_of_at_least_k_with_their_ties(seeded_session: Session) -> None:
    result = service.org_map(seeded_session, org="default", k=5)
    assert {n.name for n in result.nodes} == {"Platform", "Data"}
    assert result.hidden_teams == 1
    assert [(e.weight, e.ties) for e in result.edges] == [(12.5, 9)]
    for node in result.nodes:
        assert 0.0 <= node.x <= 1.0
        assert 0.0 <= node.y <= 1.0


def test_empty_org_map(session: Session) -> None:
    result = service.org_map(session, org="default", k=5)
    assert result.nodes == []
    assert result.window_start is None


def test_slice_health_counts_people_without_metrics_as_zero_ties() -> None:
    rows: dict[str, service.PersonMetric] = {}
    result = service.slice_health("s", ["a", "b", "c", "d", "e"], rows, k=5)
    assert result.mean_ties == 0
    assert result.no_strong_tie_share == 1.0
    assert result.human_share is None  # nobody has a value: a share over < k people is withheld


def test_windows_still_running_are_left_out_while_a_finished_one_exists(seeded_session: Session) -> None:
    months = list(MONTHS)
    assert service.finished(months, "month", date(2026, 10, 15)) == months[:2]
    assert service.finished(months, "month", date(2026, 11, 1)) == months
    assert service.finished(months[:1], "month", date(2026, 8, 2)) == months[:1]  # nothing finished: show all
    rows = service.my_connections(
        seeded_session, org="default", pseudonym="ps-alice", period="month", today=date(2026, 10, 15)
    )
    assert [r.window_start for r in rows] == months[:2]
    team = _team_id(seeded_session, "Platform")
    health = service.team_health(seeded_session, org="default", team_id=team, k=5, today=date(2026, 10, 15))
    assert health.window_start == months[1]
    assert service.org_map(seeded_session, org="default", k=5, today=date(2026, 10, 15)).window_start == months[1]


def _entry(i: int, site: str, start: date | None = None) -> DirectoryEntry:
    return DirectoryEntry(
        person_id=i,
        pseudonym=f"p{i}",
        email=f"p{i}@x.org",
        name=f"P{i}",
        team_id=1,
        team_name="T",
        manager_id=None,
        site_id=None,
        site_name=site,
        timezone="UTC",
        start_date=start,
        analytics_opt_out=False,
    )


@pytest.mark.parametrize(
    ("sizes", "hidden"),
    [
        ({"A": 6, "B": 5}, set()),
        ({"A": 6, "B": 2}, {"A", "B"}),
        ({"A": 6, "B": 6, "C": 2}, {"A", "C"}),
        ({"A": 9, "B": 3, "C": 3}, {"B", "C"}),
        ({"A": 9}, set()),
    ],
)
def test_site_slices_never_reveal_a_small_group_by_subtraction(sizes: dict[str, int], hidden: set[str]) -> None:
    members = [_entry(100 * n + i, site) for n, (site, size) in enumerate(sizes.items()) for i in range(size)]
    slices = slicing.team_slices(members, {}, k=5, since=date(2026, 1, 1))
    assert {s.label.removeprefix("site: ") for s in slices if s.too_few and s.label.startswith("site")} == hidden


def test_new_hire_slice_needs_k_on_both_sides() -> None:
    recent, old = date(2026, 6, 1), date(2020, 1, 1)
    five_new_three_old = [_entry(i, "A", recent) for i in range(5)] + [_entry(10 + i, "A", old) for i in range(3)]
    slices = slicing.team_slices(five_new_three_old, {}, k=5, since=date(2026, 1, 1))
    assert slices[-1].too_few  # the 3 others would be the team minus the new hires
    five_and_five = [_entry(i, "A", recent) for i in range(5)] + [_entry(10 + i, "A", old) for i in range(5)]
    assert not slicing.team_slices(five_and_five, {}, k=5, since=date(2026, 1, 1))[-1].too_few
