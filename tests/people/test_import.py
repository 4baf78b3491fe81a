"""Importing the HR CSV into the directory (runs on SQLite and PostgreSQL)."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from teamweave.errors import InputFormatError
from teamweave.people import service
from teamweave.people.models import Person, Site, Team
from teamweave.people.schemas import HrImportResult
from teamweave.privacy.pseudonym import Pseudonymiser

DATA = Path(__file__).parent / "data"
HEADER = "email,name,team,manager_email,site,timezone,start_date,birthday,birthday_opt_in"
PSEUDONYMS = Pseudonymiser(b"k" * 32)
ORG = "acme"


def _write(tmp_path: Path, *lines: str, name: str = "hr.csv") -> Path:
    path = tmp_path / name
    path.write_text("\n".join([HEADER, *lines]) + "\n", encoding="utf-8")
    return path


def _import(session: Session, path: Path, org: str = ORG) -> HrImportResult:
    result = service.import_people(session, org=org, path=path, pseudonymiser=PSEUDONYMS)
    session.commit()
    return result


def _people(session: Session, org: str = ORG) -> dict[str, Person]:
    return {p.email: p for p in session.scalars(select(Person).where(Person.org == org))}


def _dump(session: Session) -> list[list[tuple[Any, ...]]]:
    """Every row of the people, teams and sites tables, by id."""
    session.expire_all()
    tables = (Person.__table__, Team.__table__, Site.__table__)
    return [[tuple(row) for row in session.execute(select(t).order_by(t.c.id))] for t in tables]


def test_realistic_file_reports_each_bad_row_by_line_and_imports_the_good_ones(session: Session) -> None:
    result = _import(session, DATA / "hr_realistic.csv")
    assert [(e.file, e.line, e.field) for e in result.errors] == [
        ("hr_realistic.csv", 7, "manager_email"),  # unknown manager ghost@
        ("hr_realistic.csv", 8, "timezone"),  # Europe/Berln
        ("hr_realistic.csv", 9, "email"),  # duplicate of line 5 (other case)
        ("hr_realistic.csv", 10, "start_date"),  # 2023-13-01
        ("hr_realistic.csv", 11, "name"),  # empty
        ("hr_realistic.csv", 12, "email"),  # not-an-email
        ("hr_realistic.csv", 13, "manager_email"),  # manager on the rejected line 7
        ("hr_realistic.csv", 14, "manager_email"),  # cycle hana <-> ivan
        ("hr_realistic.csv", 15, "manager_email"),  # cycle hana <-> ivan (link dropped here)
        ("hr_realistic.csv", 16, "manager_email"),  # judy manages herself
        ("hr_realistic.csv", 18, "email"),  # "Lee, Mo"
        ("hr_realistic.csv", 23, "birthday"),  # opted in with a bad date
        ("hr_realistic.csv", 27, "timezone"),  # empty
    ]
    assert str(result.errors[0]) == (
        "hr_realistic.csv, line 7, field 'manager_email': unknown manager ghost@acme.example "
        "(not in the file or the directory)"
    )
    assert "duplicate email ana@acme.example (first on line 5)" in str(result.errors[2])
    assert (result.created, result.updated, result.unchanged, result.rejected) == (20, 0, 0, 10)
    assert (result.teams_created, result.sites_created) == (4, 3)
    assert "hr_realistic.csv: ignored unknown columns: employee_id" in result.warnings
    assert any("line 28, field 'birthday_opt_in'" in w for w in result.warnings)

    people = _people(session)
    rejected = {"carl", "dana", "eve", "frank", "gus", "olga", "sam"}
    assert {e.split("@")[0] for e in people} == {
        *"ceo cto vp.eng ana ben hana ivan judy kim lena mia nils paul quinn rosa tara uma victor wendy xavier".split()
    }
    assert not rejected & {e.split("@")[0] for e in people}
    assert people["ana@acme.example"].name == "Ana Silva"
    assert people["lena@acme.example"].name == "Lena Kowalski, PhD"
    assert all(p.pseudonym == PSEUDONYMS.person_of_email(e) for e, p in people.items())
    ids = {email: p.id for email, p in people.items()}
    assert people["hana@acme.example"].manager_id == ids["ivan@acme.example"]
    assert people["ivan@acme.example"].manager_id is None
    assert people["judy@acme.example"].manager_id is None
    assert people["xavier@acme.example"].manager_id == ids["kim@acme.example"]
    assert people["ceo@acme.example"].manager_id is None
    assert people["tara@acme.example"].team_id is None
    assert people["paul@acme.example"].site_id is None
    assert people["kim@acme.example"].start_date == date(2020, 1, 6)


def test_birthday_is_stored_only_with_opt_in(session: Session) -> None:
    _import(session, DATA / "hr_realistic.csv")
    people = _people(session)
    # only the day and month are kept, on the year 2000: never the year of birth
    assert people["ceo@acme.example"].birthday == date(2000, 5, 4)  # yes
    assert people["ana@acme.example"].birthday == date(2000, 2, 3)  # yes
    assert people["kim@acme.example"].birthday == date(2000, 12, 24)  # TRUE
    assert people["quinn@acme.example"].birthday == date(2000, 3, 3)  # 1
    assert people["ben@acme.example"].birthday is None  # a date, but "no"
    assert people["mia@acme.example"].birthday is None  # garbage, "no": ignored
    with_birthday = {e for e, p in people.items() if p.birthday is not None}
    assert len(with_birthday) == 4


def test_withdrawing_the_opt_in_erases_the_birthday(session: Session, tmp_path: Path) -> None:
    _import(session, _write(tmp_path, "a@x.org,Ann,,,,UTC,,1990-02-03,yes"))
    assert _people(session)["a@x.org"].birthday == date(2000, 2, 3)
    result = _import(session, _write(tmp_path, "a@x.org,Ann,,,,UTC,,1990-02-03,no"))
    assert result.updated == 1
    assert _people(session)["a@x.org"].birthday is None


def test_a_birthday_shared_by_the_person_survives_an_import_that_does_not_say(session: Session, tmp_path: Path) -> None:
    _import(session, _write(tmp_path, "a@x.org,Ann,,,,UTC,,,"))
    person = _people(session)["a@x.org"]
    service.set_birthday(session, org=ORG, person_id=person.id, month=7, day=14)
    again = _import(session, _write(tmp_path, "a@x.org,Ann,,,,UTC,,,"))
    assert (again.updated, again.unchanged) == (0, 1)
    assert _people(session)["a@x.org"].birthday == date(2000, 7, 14)


def test_reimporting_the_same_file_changes_nothing(session: Session) -> None:
    _import(session, DATA / "hr_realistic.csv")
    before = _dump(session)
    again = _import(session, DATA / "hr_realistic.csv")
    assert (again.created, again.updated, again.unchanged) == (0, 0, 20)
    assert (again.teams_created, again.sites_created) == (0, 0)
    assert _dump(session) == before


def test_an_edited_file_updates_the_changed_people_and_keeps_the_absent(session: Session, tmp_path: Path) -> None:
    _import(
        session,
        _write(
            tmp_path,
            "boss@x.org,Boss,Core,,Oslo,Europe/Oslo,2015-01-01,,",
            "a@x.org,Ann,Core,boss@x.org,Oslo,Europe/Oslo,2020-01-01,,",
            "b@x.org,Bob,Core,boss@x.org,Oslo,Europe/Oslo,2020-01-01,,",
            "c@x.org,Cid,Core,boss@x.org,Oslo,Europe/Oslo,2020-01-01,,",
        ),
    )
    result = _import(
        session,
        _write(
            tmp_path,
            "boss@x.org,Boss,Core,,Oslo,Europe/Oslo,2015-01-01,,",
            "a@x.org,Ann Moved,Edge,b@x.org,Lima,America/Lima,2020-01-01,,",
            "b@x.org,Bob,Core,boss@x.org,Oslo,Europe/Oslo,2020-01-01,,",
            "d@x.org,Dee,Core,a@x.org,Oslo,Europe/Oslo,2024-01-01,,",
        ),
    )
    assert (result.created, result.updated, result.unchanged) == (1, 1, 2)
    assert (result.teams_created, result.sites_created) == (1, 1)
    assert result.warnings == ["1 people in the directory are not in hr.csv; they were kept"]
    people = _people(session)
    assert set(people) == {"boss@x.org", "a@x.org", "b@x.org", "c@x.org", "d@x.org"}
    ann = people["a@x.org"]
    assert (ann.name, ann.timezone, ann.manager_id) == ("Ann Moved", "America/Lima", people["b@x.org"].id)
    assert service.get_team(session, org=ORG, team_id=ann.team_id or 0).name == "Edge"
    assert people["c@x.org"].manager_id == people["boss@x.org"].id


def test_a_manager_already_in_the_directory_is_known(session: Session, tmp_path: Path) -> None:
    _import(session, _write(tmp_path, "boss@x.org,Boss,,,,UTC,,,", name="first.csv"))
    result = _import(session, _write(tmp_path, "a@x.org,Ann,,BOSS@x.org,,UTC,,,", name="second.csv"))
    assert result.errors == []
    people = _people(session)
    assert people["a@x.org"].manager_id == people["boss@x.org"].id


def test_a_cycle_closed_through_the_directory_is_broken(session: Session, tmp_path: Path) -> None:
    _import(session, _write(tmp_path, "a@x.org,Ann,,,,UTC,,,", "b@x.org,Bob,,a@x.org,,UTC,,,", name="first.csv"))
    result = _import(session, _write(tmp_path, "a@x.org,Ann,,b@x.org,,UTC,,,", name="second.csv"))
    assert [(e.line, e.field) for e in result.errors] == [(2, "manager_email")]
    assert "without the link a@x.org -> b@x.org (line 2)" in result.errors[0].message
    assert (result.created, result.updated, result.unchanged) == (0, 0, 1)
    assert _people(session)["a@x.org"].manager_id is None


def test_site_time_zone_is_the_most_common_of_its_people(session: Session, tmp_path: Path) -> None:
    _import(
        session,
        _write(
            tmp_path,
            "a@x.org,Ann,,,Remote,Europe/Paris,,,",
            "b@x.org,Bob,,,Remote,Asia/Tokyo,,,",
            "c@x.org,Cid,,,Remote,Asia/Tokyo,,,",
            "d@x.org,Dee,,,Paris,Europe/Paris,,,",
        ),
    )
    sites = {s.name: s.timezone for s in session.scalars(select(Site).where(Site.org == ORG))}
    assert sites == {"Remote": "Asia/Tokyo", "Paris": "Europe/Paris"}
    _import(session, _write(tmp_path, "e@x.org,Eve,,,Remote,Europe/Paris,,,", "f@x.org,Fay,,,Remote,Europe/Paris,,,"))
    session.expire_all()
    sites = {s.name: s.timezone for s in session.scalars(select(Site).where(Site.org == ORG))}
    assert sites["Remote"] == "Europe/Paris"  # 3 Paris against 2 Tokyo, counting people already stored
    _import(session, _write(tmp_path, "e@x.org,Eve,,,Paris,Europe/Paris,,,", "f@x.org,Fay,,,Paris,Europe/Paris,,,"))
    session.expire_all()
    sites = {s.name: s.timezone for s in session.scalars(select(Site).where(Site.org == ORG))}
    assert sites["Remote"] == "Asia/Tokyo"  # Eve and Fay moved away: a site the file does not name is updated too


def test_a_missing_required_column_is_fatal_and_writes_nothing(session: Session, tmp_path: Path) -> None:
    path = tmp_path / "hr.csv"
    path.write_text("email,name,team\na@x.org,Ann,Core\n", encoding="utf-8")
    with pytest.raises(InputFormatError) as caught:
        service.import_people(session, org=ORG, path=path, pseudonymiser=PSEUDONYMS)
    assert (caught.value.file, caught.value.field) == ("hr.csv", "timezone")
    session.rollback()
    assert _people(session) == {}


def test_organisations_are_kept_apart(session: Session, tmp_path: Path) -> None:
    path = shutil.copy(DATA / "hr_realistic.csv", tmp_path / "hr.csv")
    _import(session, Path(path), org="one")
    result = _import(session, Path(path), org="two")
    assert result.created == 20
    assert len(_people(session, "one")) == len(_people(session, "two")) == 20
    assert {t.name for t in service.teams(session, org="two")} == {"Data", "Leadership", "Mobile", "Platform"}
