"""Reading the directory: teams, members, reports, managers (runs on SQLite and PostgreSQL)."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy.orm import Session

from teamweave.errors import NotFound
from teamweave.people import service
from teamweave.privacy.pseudonym import Pseudonymiser

ORG = "acme"
HR = """email,name,team,manager_email,site,timezone
boss@x.org,Boss,Leads,,Oslo,Europe/Oslo
lead@x.org,Lead,Core,boss@x.org,Oslo,Europe/Oslo
a@x.org,Ann,Core,lead@x.org,Oslo,Europe/Oslo
b@x.org,Bob,Core,lead@x.org,Lima,America/Lima
c@x.org,Cid,Edge,lead@x.org,Lima,America/Lima
d@x.org,Dee,Edge,boss@x.org,Lima,America/Lima
e@x.org,Eve,,boss@x.org,,UTC
"""


@pytest.fixture
def people(session: Session, tmp_path: Path) -> dict[str, int]:
    """A small directory; e-mail -> person id."""
    path = tmp_path / "hr.csv"
    path.write_text(HR, encoding="utf-8")
    result = service.import_people(session, org=ORG, path=path, pseudonymiser=Pseudonymiser(b"k" * 32))
    assert result.errors == []
    session.commit()
    return {entry.email: entry.person_id for entry in service.directory(session, org=ORG)}


def test_teams_have_head_counts(session: Session, people: dict[str, int]) -> None:
    summaries = service.teams(session, org=ORG)
    assert [(t.name, t.head_count) for t in summaries] == [("Core", 3), ("Edge", 2), ("Leads", 1)]
    assert service.people_without_team(session, org=ORG) == 1
    assert service.teams(session, org="other") == []


def test_get_team_and_its_members(session: Session, people: dict[str, int]) -> None:
    core = next(t for t in service.teams(session, org=ORG) if t.name == "Core")
    assert service.get_team(session, org=ORG, team_id=core.team_id).name == "Core"
    assert [p.name for p in service.team_members(session, org=ORG, team_id=core.team_id)] == ["Ann", "Bob", "Lead"]
    with pytest.raises(NotFound):
        service.get_team(session, org="other", team_id=core.team_id)
    with pytest.raises(NotFound):
        service.team_members(session, org=ORG, team_id=core.team_id + 1000)


def test_get_person(session: Session, people: dict[str, int]) -> None:
    assert service.get_person(session, org=ORG, person_id=people["a@x.org"]).email == "a@x.org"
    with pytest.raises(NotFound) as caught:
        service.get_person(session, org="other", person_id=people["a@x.org"])
    assert caught.value.status == 404


def test_reports_and_managers(session: Session, people: dict[str, int]) -> None:
    reports = service.reports_of(session, org=ORG, manager_id=people["lead@x.org"])
    assert [p.email for p in reports] == ["a@x.org", "b@x.org", "c@x.org"]
    assert service.reports_of(session, org=ORG, manager_id=people["a@x.org"]) == []
    assert service.is_manager(session, org=ORG, person_id=people["boss@x.org"])
    assert service.is_manager(session, org=ORG, person_id=people["lead@x.org"])
    assert not service.is_manager(session, org=ORG, person_id=people["a@x.org"])
    assert not service.is_manager(session, org="other", person_id=people["lead@x.org"])


def test_team_of_manager_is_the_team_most_reports_are_in(session: Session, people: dict[str, int]) -> None:
    team = service.team_of_manager(session, org=ORG, manager_id=people["lead@x.org"])
    assert team is not None
    assert team.name == "Core"
    boss_team = service.team_of_manager(session, org=ORG, manager_id=people["boss@x.org"])
    assert boss_team is not None
    assert boss_team.name == "Core"  # one report in Core, one in Edge (Eve has none): the lower id wins
    assert service.team_of_manager(session, org=ORG, manager_id=people["a@x.org"]) is None


def test_directory_and_person_by_email(session: Session, people: dict[str, int]) -> None:
    entries = {e.email: e for e in service.directory(session, org=ORG)}
    assert entries["b@x.org"].team_name == "Core"
    assert entries["b@x.org"].site_name == "Lima"
    assert entries["b@x.org"].timezone == "America/Lima"
    assert entries["e@x.org"].team_name is None
    person = service.person_by_email(session, org=ORG, email=" A@X.ORG ")
    assert person is not None
    assert person.id == people["a@x.org"]
    assert service.person_by_email(session, org=ORG, email="nobody@x.org") is None
