"""The check-ins capability's logic: WHO-5 scoring, cadence, and who may see what. Services never commit.

Who sees what (docs/checkins.md):

* the report sees their own answers and trend (:func:`my_checkins`);
* their current manager sees the pair's check-ins, flags and private answers, for their own reports only
  (:func:`reports_overview`, :func:`report_status`); every such view is written to the audit log;
* anyone else with a manager, people-admin or admin role sees only team aggregates over >= k people
  (:func:`team_wellbeing`), also audited.

Everything else raises :class:`Forbidden`.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy.orm import Session

from teamweave.accounts.models import Role, User
from teamweave.audit import service as audit
from teamweave.checkins import repository
from teamweave.checkins.models import DEFAULT_CADENCE_DAYS, CheckinPair, CheckinResponse, HeldOneOnOne
from teamweave.checkins.schemas import WHO5_ITEMS, CheckinView, PairStatus, TeamWellbeing, Who5Score
from teamweave.errors import Forbidden, InputFormatError
from teamweave.people import service as people
from teamweave.people.models import Person
from teamweave.privacy.thresholds import effective_k, passes

LOW_SCORE = 50
MEANINGFUL_DROP = 10
MAX_TEXT = 2000
MAX_CADENCE_DAYS = 366
AGGREGATE_ROLES = frozenset({Role.MANAGER.value, Role.PEOPLE_ADMIN.value, Role.ADMIN.value})


def score_who5(answers: Sequence[int], *, previous: int | None = None) -> Who5Score:
    """Score the WHO-5 Well-Being Index.

    Five answers 0-5 (0 "At no time" ... 5 "All of the time"); raw score 0-25, times 4 gives 0-100.
    A score <= 50 suggests a closer conversation (``low``); a fall of >= 10 points from ``previous``, the
    score of the check-in before, is meaningful (``drop``).

    References
    ----------
    WHO Regional Office for Europe (1998). Wellbeing measures in primary health care: the DepCare project.
    Topp, Østergaard, Søndergaard, Bech (2015). The WHO-5 Well-Being Index: a systematic review of the
    literature. Psychother Psychosom 84(3):167-176. doi:10.1159/000376585

    Examples
    --------
    >>> s = score_who5([3, 3, 2, 3, 2], previous=72)
    >>> (s.raw, s.score, s.change, s.low, s.drop)
    (13, 52, -20, False, True)
    """
    if len(answers) != len(WHO5_ITEMS):
        raise InputFormatError(f"the WHO-5 has 5 items, got {len(answers)}", field="who5")
    for number, answer in enumerate(answers, start=1):
        if isinstance(answer, bool) or not isinstance(answer, int) or not 0 <= answer <= 5:
            raise InputFormatError(f"answer {answer!r} is not 0-5", field=f"who5_{number}")
    raw = sum(answers)
    score = raw * 4
    change = None if previous is None else score - previous
    return Who5Score(
        raw=raw,
        score=score,
        change=change,
        low=score <= LOW_SCORE,
        drop=change is not None and change <= -MEANINGFUL_DROP,
    )


def is_overdue(last_held: date | None, *, every_days: int, today: date) -> bool:
    """Whether a pair's 1:1 is overdue: none held yet, or the last one is more than ``every_days`` days old."""
    return last_held is None or (today - last_held).days > every_days


def _answers(row: CheckinResponse) -> tuple[int, int, int, int, int]:
    return (row.who5_1, row.who5_2, row.who5_3, row.who5_4, row.who5_5)


def _views(rows: list[CheckinResponse]) -> list[CheckinView]:
    """Check-ins, oldest first, each scored against the one before."""
    views: list[CheckinView] = []
    previous: int | None = None
    for row in rows:
        who5 = score_who5(_answers(row), previous=previous)
        views.append(CheckinView(row.day, _answers(row), who5, row.how_are_you, row.connection))
        previous = who5.score
    return views


def _own_person(session: Session, *, org: str, viewer: User) -> Person:
    if viewer.person_id is None:
        raise Forbidden("your login is not linked to a person, so you have no check-ins")
    return people.get_person(session, org=org, person_id=viewer.person_id)


def _clean_text(text: str, field: str) -> str:
    text = text.strip()
    if len(text) > MAX_TEXT:
        raise InputFormatError(f"at most {MAX_TEXT} characters", field=field)
    return text


def local_today(session: Session, *, org: str, viewer: User, now: datetime | None = None) -> date:
    """Today in the viewer's own time zone (``Person.timezone``; UTC for a login without a person or an unknown
    zone): the day a check-in, a held 1:1 or a note of theirs is filed under."""
    moment = now if now is not None else datetime.now(UTC)
    if viewer.person_id is None:
        return moment.astimezone(UTC).date()
    person = people.get_person(session, org=org, person_id=viewer.person_id)
    try:
        zone = ZoneInfo(person.timezone) if person.timezone else ZoneInfo("UTC")
    except (ZoneInfoNotFoundError, ValueError):
        zone = ZoneInfo("UTC")
    return moment.astimezone(zone).date()


def checkin_manager(session: Session, *, org: str, viewer: User) -> Person | None:
    """The manager a check-in by the viewer goes to (their current manager), or None."""
    person = _own_person(session, org=org, viewer=viewer)
    if person.manager_id is None:
        return None
    return people.get_person(session, org=org, person_id=person.manager_id)


def submit_checkin(
    session: Session,
    *,
    org: str,
    viewer: User,
    answers: Sequence[int],
    how_are_you: str = "",
    connection: str = "",
    day: date,
) -> CheckinResponse:
    """Store the viewer's check-in for the pair with their current manager."""
    person = _own_person(session, org=org, viewer=viewer)
    return _store_checkin(
        session, org=org, person=person, answers=answers, how_are_you=how_are_you, connection=connection, day=day
    )


def record_checkin(session: Session, *, org: str, person_id: int, answers: Sequence[int], day: date) -> CheckinResponse:
    """Store a check-in a person filled in elsewhere (answers only, no text), for the pair with their current
    manager: how the demo gives its organisation a history of check-ins without a login for everyone."""
    person = people.get_person(session, org=org, person_id=person_id)
    return _store_checkin(session, org=org, person=person, answers=answers, how_are_you="", connection="", day=day)


def _store_checkin(
    session: Session,
    *,
    org: str,
    person: Person,
    answers: Sequence[int],
    how_are_you: str,
    connection: str,
    day: date,
) -> CheckinResponse:
    if person.manager_id is None:
        raise InputFormatError("you have no manager in the directory, so there is no one to check in with")
    score_who5(answers)
    one, two, three, four, five = answers
    row = CheckinResponse(
        org=org,
        report_id=person.id,
        manager_id=person.manager_id,
        day=day,
        created_at=datetime.now(UTC),
        who5_1=one,
        who5_2=two,
        who5_3=three,
        who5_4=four,
        who5_5=five,
        how_are_you=_clean_text(how_are_you, "how_are_you"),
        connection=_clean_text(connection, "connection"),
    )
    repository.add(session, row)
    return row


def my_checkins(session: Session, *, org: str, viewer: User) -> list[CheckinView]:
    """The viewer's own check-ins with their trend, oldest first (not audited: the subject is the viewer)."""
    person = _own_person(session, org=org, viewer=viewer)
    return _views(repository.responses_of_report(session, org=org, report_id=person.id))


def _own_report(session: Session, *, org: str, viewer: User, report_id: int) -> tuple[Person, int]:
    """The report and the viewer's person id, if the report currently reports to the viewer; else Forbidden."""
    report = people.get_person(session, org=org, person_id=report_id)
    manager_id = viewer.person_id
    if manager_id is None or report.manager_id != manager_id:
        raise Forbidden("a person's check-ins are shown to that person and their own manager only")
    return report, manager_id


def _cadence(session: Session, *, org: str, manager_id: int, report_id: int) -> int:
    row = repository.pair(session, org=org, manager_id=manager_id, report_id=report_id)
    return row.every_days if row is not None else DEFAULT_CADENCE_DAYS


def _status(session: Session, *, org: str, manager_id: int, report: Person, today: date) -> PairStatus:
    every = _cadence(session, org=org, manager_id=manager_id, report_id=report.id)
    held = repository.last_held(session, org=org, manager_id=manager_id, report_id=report.id)
    rows = repository.responses_of_pair(session, org=org, manager_id=manager_id, report_id=report.id)
    return PairStatus(
        report_id=report.id,
        report_name=report.name,
        every_days=every,
        last_held=held,
        overdue=is_overdue(held, every_days=every, today=today),
        checkins=_views(rows),
    )


def _record(session: Session, *, org: str, viewer: User, report_id: int, path: str | None) -> None:
    audit.record_view(
        session,
        org=org,
        viewer=viewer,
        action="view_checkins",
        subject_kind="person",
        subject_id=report_id,
        path=path,
    )


def report_status(
    session: Session, *, org: str, viewer: User, report_id: int, today: date, path: str | None = None
) -> PairStatus:
    """One of the viewer's own reports: the pair's check-ins, flags, private answers and cadence (audited)."""
    report, manager_id = _own_report(session, org=org, viewer=viewer, report_id=report_id)
    status = _status(session, org=org, manager_id=manager_id, report=report, today=today)
    _record(session, org=org, viewer=viewer, report_id=report.id, path=path)
    return status


def reports_overview(
    session: Session, *, org: str, viewer: User, today: date, path: str | None = None
) -> list[PairStatus]:
    """Every direct report of the viewer with the pair's status, by name (each view audited)."""
    manager = _own_person(session, org=org, viewer=viewer)
    statuses = []
    for report in people.reports_of(session, org=org, manager_id=manager.id):
        statuses.append(_status(session, org=org, manager_id=manager.id, report=report, today=today))
        _record(session, org=org, viewer=viewer, report_id=report.id, path=path)
    return statuses


def log_one_on_one(session: Session, *, org: str, viewer: User, report_id: int, day: date) -> HeldOneOnOne:
    """Log by hand a 1:1 the viewer held with one of their own reports (logging the same day twice is a no-op)."""
    report, manager_id = _own_report(session, org=org, viewer=viewer, report_id=report_id)
    existing = repository.held_on(session, org=org, manager_id=manager_id, report_id=report.id, day=day)
    if existing is not None:
        return existing
    row = HeldOneOnOne(org=org, manager_id=manager_id, report_id=report.id, day=day, source="manual")
    repository.add(session, row)
    return row


def set_cadence(session: Session, *, org: str, viewer: User, report_id: int, every_days: int) -> CheckinPair:
    """Set how often (in days, 1-366) the viewer meets one of their own reports."""
    if not 1 <= every_days <= MAX_CADENCE_DAYS:
        raise InputFormatError(f"a cadence is 1 to {MAX_CADENCE_DAYS} days", field="every_days")
    report, manager_id = _own_report(session, org=org, viewer=viewer, report_id=report_id)
    row = repository.pair(session, org=org, manager_id=manager_id, report_id=report.id)
    if row is None:
        row = CheckinPair(org=org, manager_id=manager_id, report_id=report.id, every_days=every_days)
        repository.add(session, row)
    else:
        row.every_days = every_days
    return row


def team_wellbeing(
    session: Session, *, org: str, viewer: User, team_id: int, k: int, path: str | None = None
) -> TeamWellbeing:
    """A team's WHO-5 aggregate over the latest check-in of each member; values only over >= k people (audited)."""
    if viewer.role not in AGGREGATE_ROLES:
        raise Forbidden("team wellbeing is shown to managers, people-admins and admins")
    team = people.get_team(session, org=org, team_id=team_id)
    members = [p.id for p in people.team_members(session, org=org, team_id=team.id)]
    latest: dict[int, CheckinResponse] = {}
    for row in repository.responses_of_reports(session, org=org, report_ids=members):
        latest[row.report_id] = row
    scores = [score_who5(_answers(row)).score for row in latest.values()]
    audit.record_view(
        session,
        org=org,
        viewer=viewer,
        action="view_team_wellbeing",
        subject_kind="team",
        subject_id=team.id,
        path=path,
    )
    if not passes(len(scores), k):
        return TeamWellbeing(team.id, team.name, effective_k(k), 0, True, None, None)
    return TeamWellbeing(
        team_id=team.id,
        team_name=team.name,
        k=effective_k(k),
        people=len(scores),
        too_few=False,
        mean_score=sum(scores) / len(scores),
        low_share=sum(1 for s in scores if s <= LOW_SCORE) / len(scores),
    )
