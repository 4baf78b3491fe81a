"""Birthday opt-in and opt-out: only a day and a month are kept (on the leap year 2000), opting out clears it."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy.orm import Session

from teamweave.errors import InputFormatError, NotFound
from teamweave.people import service
from teamweave.people.models import Person


@pytest.fixture
def person(session: Session) -> Person:
    row = Person(org="default", email="ana@example.org", name="Ana", pseudonym="ps-ana", timezone="UTC")
    session.add(row)
    session.commit()
    return row


def test_opting_in_keeps_day_and_month_on_a_fixed_leap_year(session: Session, person: Person) -> None:
    service.set_birthday(session, org="default", person_id=person.id, month=2, day=29)
    session.commit()
    session.expire_all()
    assert session.get(Person, person.id).birthday == date(2000, 2, 29)  # type: ignore[union-attr]
    assert service.birthdays(session, org="default") == {person.id: date(2000, 2, 29)}


def test_opting_out_removes_the_stored_day(session: Session, person: Person) -> None:
    service.set_birthday(session, org="default", person_id=person.id, month=7, day=14)
    service.clear_birthday(session, org="default", person_id=person.id)
    session.commit()
    session.expire_all()
    assert session.get(Person, person.id).birthday is None  # type: ignore[union-attr]
    assert service.birthdays(session, org="default") == {}


@pytest.mark.parametrize(("month", "day"), [(2, 30), (13, 1), (0, 5), (4, 31), (1, 0)])
def test_a_day_that_does_not_exist_is_refused(session: Session, person: Person, month: int, day: int) -> None:
    with pytest.raises(InputFormatError) as caught:
        service.set_birthday(session, org="default", person_id=person.id, month=month, day=day)
    assert caught.value.field == "birthday"
    assert person.birthday is None


def test_another_organisations_person_is_not_found(session: Session, person: Person) -> None:
    with pytest.raises(NotFound):
        service.set_birthday(session, org="other", person_id=person.id, month=1, day=1)
    with pytest.raises(NotFound):
        service.clear_birthday(session, org="other", person_id=person.id)
