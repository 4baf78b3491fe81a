"""k-anonymity of everything the team page shows side by side: slices that subtract to a person, headline
figures from another membership than the slices, counts of 1..k-1 people, opted-out people in head counts."""

from __future__ import annotations

import itertools
from datetime import date
from types import SimpleNamespace
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import delete, select
from sqlalchemy.orm import Session
from tests.web.seeding import LATEST_MONTH, cheap_password_hashes, seed_org

from teamweave.network import service
from teamweave.network import slices as slicing
from teamweave.network.models import PersonMetric
from teamweave.people.models import Person
from teamweave.people.schemas import DirectoryEntry

__all__ = ["cheap_password_hashes"]

K = 5
SINCE = date(2026, 5, 1)
OLD, NEW = date(2020, 1, 1), date(2026, 9, 1)


def _entry(i: int, site: str, start: date) -> DirectoryEntry:
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


def _members(cells: dict[tuple[str, bool], int]) -> list[DirectoryEntry]:
    members: list[DirectoryEntry] = []
    for (site, new), size in cells.items():
        members += [_entry(len(members) + i, site, NEW if new else OLD) for i in range(size)]
    return members


def _shown_groups(members: list[DirectoryEntry]) -> list[set[str]]:
    """The groups of people whose aggregates the team page shows: the whole team and every shown slice
    (nothing when the whole team is under k: the page then reads "too few people to show")."""
    if len(members) < K:
        return []
    slices = slicing.team_slices(members, {}, k=K, since=SINCE)
    groups = [{m.pseudonym for m in members}]
    for s in slices:
        if s.too_few:
            continue
        if s.label == service.NEW_HIRE_LABEL:
            groups.append({m.pseudonym for m in members if m.start_date == NEW})
        else:
            groups.append({m.pseudonym for m in members if f"site: {m.site_name}" == s.label})
        assert s.people == len(groups[-1])
    return groups


def _smallest_combination(members: list[DirectoryEntry], groups: list[set[str]]) -> int | None:
    """The smallest support (people with a non-zero weight) of a sum or difference (coefficients -1, 0, 1) of
    the shown groups that is between 1 and k - 1, or None."""
    if not groups:
        return None
    people = [m.pseudonym for m in members]
    matrix = np.array([[1 if p in g else 0 for p in people] for g in groups])
    coefficients = np.array(list(itertools.product((-1, 0, 1), repeat=len(groups))))
    support = np.count_nonzero(coefficients @ matrix, axis=1)
    small = support[(support > 0) & (support < K)]
    return int(small.min()) if small.size else None


def test_reviewers_case_new_hires_and_a_shown_site_no_longer_subtract_to_one_person() -> None:
    # Lisbon 6 (long-standing, shown), Austin 3 and Berlin 3 (hidden, 6 together); new hires: Austin 3 + 2 of
    # Berlin. whole - Lisbon - new hires would be the one long-standing Berlin person.
    members = _members({("Lisbon", False): 6, ("Austin", True): 3, ("Berlin", True): 2, ("Berlin", False): 1})
    slices = {s.label: s for s in slicing.team_slices(members, {}, k=K, since=SINCE)}
    assert not slices["site: Lisbon"].too_few
    assert slices[service.NEW_HIRE_LABEL].too_few
    assert slices[service.NEW_HIRE_LABEL].people is None
    assert _smallest_combination(members, _shown_groups(members)) is None


def test_new_hires_are_shown_when_every_site_by_tenure_cell_passes() -> None:
    members = _members({("Lisbon", False): 6, ("Lisbon", True): 5, ("Austin", False): 5})
    slices = {s.label: s for s in slicing.team_slices(members, {}, k=K, since=SINCE)}
    assert slices[service.NEW_HIRE_LABEL].people == 5
    assert not slices["site: Austin"].too_few


def test_no_sum_or_difference_of_shown_groups_singles_out_fewer_than_k_two_sites_exhaustive() -> None:
    for a_old, a_new, b_old, b_new in itertools.product(range(8), repeat=4):
        cells = {("A", False): a_old, ("A", True): a_new, ("B", False): b_old, ("B", True): b_new}
        members = _members(cells)
        if not members:
            continue
        assert _smallest_combination(members, _shown_groups(members)) is None, cells


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 8), st.integers(0, 8)), min_size=1, max_size=4))
def test_no_sum_or_difference_of_shown_groups_singles_out_fewer_than_k(sites: list[tuple[int, int]]) -> None:
    cells = {}
    for n, (old, new) in enumerate(sites):
        cells[(f"S{n}", False)] = old
        cells[(f"S{n}", True)] = new
    members = _members(cells)
    if members:
        assert _smallest_combination(members, _shown_groups(members)) is None, cells


def _rows(strong: list[int], share: float = 0.8123) -> dict[str, Any]:
    return {
        f"p{i}": SimpleNamespace(
            ties=s + 2, strong_ties=s, cross_team_share=share, human_share=share, after_hours_share=share
        )
        for i, s in enumerate(strong)
    }


def test_a_count_of_one_to_k_minus_one_people_with_no_strong_tie_reads_fewer_than_k() -> None:
    people = [f"p{i}" for i in range(8)]
    few = service.slice_health("s", people, _rows([0, 0, 1, 1, 1, 1, 1, 1]), k=K)
    assert few.no_strong_tie_few
    assert (few.no_strong_tie, few.no_strong_tie_share) == (None, None)
    assert service.fewer_than(K) == "fewer than 5"
    none = service.slice_health("s", people, _rows([1] * 8), k=K)
    assert (none.no_strong_tie, none.no_strong_tie_share, none.no_strong_tie_few) == (0, 0.0, False)
    many = service.slice_health("s", people, _rows([0] * 5 + [2] * 3), k=K)
    assert (many.no_strong_tie, many.no_strong_tie_share) == (5, 0.62)


def test_shares_are_rounded_to_whole_percent() -> None:
    result = service.slice_health("s", [f"p{i}" for i in range(5)], _rows([1] * 5), k=K)
    assert (result.human_share, result.after_hours_share, result.cross_team_share) == (0.81, 0.81, 0.81)


@pytest.fixture
def seeded_session(session: Session, cheap_password_hashes: None) -> Session:
    seed_org(session)
    session.commit()
    return session


def _team(session: Session, name: str) -> int:
    return next(t.team_id for t in service.team_summaries(session, org="default") if t.name == name)


def _opt_out(session: Session, name: str) -> None:
    person = session.execute(select(Person).where(Person.name == name)).scalar_one()
    person.analytics_opt_out = True
    session.commit()


def test_headline_figures_come_from_the_live_members_like_the_slices(seeded_session: Session) -> None:
    team = _team(seeded_session, "Platform")
    health = service.team_health(seeded_session, org="default", team_id=team, k=K)
    assert health.overall is not None
    assert not health.stale
    assert health.density == pytest.approx(0.5)
    assert (health.human_share, health.after_hours_share) == (
        health.overall.human_share,
        health.overall.after_hours_share,
    )
    assert health.no_strong_tie == health.overall.no_strong_tie == 0


def test_an_opt_out_since_the_analysis_withholds_the_tie_figures_until_it_is_re_run(seeded_session: Session) -> None:
    team = _team(seeded_session, "Platform")
    _opt_out(seeded_session, "Carol")
    health = service.team_health(seeded_session, org="default", team_id=team, k=K)
    assert health.overall is not None
    assert not health.too_few
    assert health.members == health.overall.people == 7
    assert health.stale
    assert health.stale_message == service.RERUN_ANALYSIS
    assert (health.density, health.ei_index, health.external_share) == (None, None, None)
    # person-derived figures: over the 7 live members, as the slices (not the analysis' 8 with Carol)
    assert health.human_share == health.overall.human_share
    latest = health.trend[-1]
    assert latest.window_start == LATEST_MONTH
    assert latest.stale
    assert (latest.density, latest.human_share, latest.after_hours_share) == (None, None, None)
    assert health.trend[0].density is not None  # earlier windows are not paired with a live figure


def test_head_counts_shown_to_others_leave_opted_out_people_out(seeded_session: Session) -> None:
    counts = {t.name: t.head_count for t in service.team_summaries(seeded_session, org="default")}
    assert counts == {"Platform": 8, "Data": 6, "Tiny": 2}
    _opt_out(seeded_session, "Quinn")
    counts = {t.name: t.head_count for t in service.team_summaries(seeded_session, org="default")}
    assert counts == {"Platform": 8, "Data": 5, "Tiny": 2}


def test_members_of_the_window_shown_are_those_who_had_started_by_its_end(seeded_session: Session) -> None:
    person = seeded_session.execute(select(Person).where(Person.name == "Gina")).scalar_one()
    person.start_date = date(2026, 11, 20)  # after the end of the latest month
    seeded_session.execute(
        delete(PersonMetric).where(PersonMetric.pseudonym == "ps-gina", PersonMetric.period == "month")
    )
    seeded_session.commit()
    health = service.team_health(seeded_session, org="default", team_id=_team(seeded_session, "Platform"), k=K)
    assert health.members == 7
    assert health.stale  # the seeded analysis counted 8: re-run analyze
