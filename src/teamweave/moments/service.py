"""The moments capability's logic: the calendar of upcoming celebrations, entered milestones and team
achievements, a person's own celebration choices, and team digests. Services never commit.

Privacy (docs/celebrations.md):

* birthdays come only from people who opted in (``people.birthday`` is set only then) and are shown as a
  day and a month, never a year or an age; opting out removes the stored date;
* work anniversaries come from HR start dates; a person may hide theirs (:func:`set_hide_anniversary`);
* a milestone about a person may be entered by anyone; that person (or whoever entered it, or a
  people-admin/admin) may delete it;
* a celebration list of a team or of the organisation, shown on a page or the command line, is a view of
  people data by others: each list shown is written to the audit log once (subject: the team or the org).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from sqlalchemy.orm import Session

from teamweave.accounts.models import Role, User
from teamweave.audit import service as audit
from teamweave.errors import Forbidden, InputFormatError, NotFound
from teamweave.moments import digest as digests
from teamweave.moments import repository
from teamweave.moments.models import ACHIEVEMENT, MAX_TITLE, MILESTONE, MOMENT_KINDS, CelebrationPreference, Moment
from teamweave.moments.occurrences import anniversary_in, birthday_in, iso_week_start
from teamweave.moments.schemas import ANNIVERSARY, BIRTHDAY, Celebration, CelebrationSettings, Digest, DigestSection
from teamweave.people import service as people
from teamweave.people.schemas import DirectoryEntry

MAX_DAYS = 366
MODERATOR_ROLES = frozenset({Role.PEOPLE_ADMIN.value, Role.ADMIN.value})
_KIND_ORDER = {ANNIVERSARY: 0, BIRTHDAY: 1, MILESTONE: 2, ACHIEVEMENT: 3}


@dataclass(frozen=True)
class _Directory:
    """What the calendar needs about everyone, read once: people, team names, birthdays, hidden anniversaries."""

    entries: dict[int, DirectoryEntry]
    team_names: dict[int, str]
    birthdays: dict[int, date]
    hidden: set[int]


def _directory(session: Session, *, org: str) -> _Directory:
    return _Directory(
        entries={e.person_id: e for e in people.directory(session, org=org)},
        team_names={t.team_id: t.name for t in people.teams(session, org=org)},
        birthdays=people.birthdays(session, org=org),
        hidden=repository.hidden_anniversaries(session, org=org),
    )


def _check_days(days: int) -> None:
    if not 1 <= days <= MAX_DAYS:
        raise InputFormatError(f"a window is 1 to {MAX_DAYS} days", field="days")


def _yearly(entry: DirectoryEntry, found: _Directory, *, first: date, days: int) -> list[Celebration]:
    """The anniversary (unless hidden) and the opted-in birthday of one person in the window."""
    items: list[Celebration] = []
    if entry.start_date is not None and entry.person_id not in found.hidden:
        hit = anniversary_in(entry.start_date, first=first, days=days)
        if hit is not None:
            items.append(_personal(entry, hit[0], ANNIVERSARY, "Work anniversary", years=hit[1]))
    birthday = found.birthdays.get(entry.person_id)
    day = birthday_in(birthday, first=first, days=days) if birthday is not None else None
    if day is not None:
        items.append(_personal(entry, day, BIRTHDAY, "Birthday"))
    return items


def _personal(
    entry: DirectoryEntry, day: date, kind: str, title: str, *, years: int | None = None, moment: Moment | None = None
) -> Celebration:
    return Celebration(
        day=day,
        kind=kind,
        title=title,
        person_id=entry.person_id,
        person_name=entry.name,
        team_id=entry.team_id,
        team_name=entry.team_name,
        years=years,
        moment_id=moment.id if moment is not None else None,
        entered_by_id=moment.entered_by_id if moment is not None else None,
    )


def _of_moment(row: Moment, found: _Directory) -> Celebration | None:
    """A stored moment as a celebration; None for a milestone of someone no longer in the directory."""
    if row.person_id is not None:
        entry = found.entries.get(row.person_id)
        return None if entry is None else _personal(entry, row.day, row.kind, row.title, moment=row)
    return Celebration(
        day=row.day,
        kind=row.kind,
        title=row.title,
        team_id=row.team_id,
        team_name=found.team_names.get(row.team_id) if row.team_id is not None else None,
        moment_id=row.id,
        entered_by_id=row.entered_by_id,
    )


def upcoming(session: Session, *, org: str, first: date, days: int, team_id: int | None = None) -> list[Celebration]:
    """Every celebration in the ``days`` days from ``first`` (inclusive), of one team or of the whole org.

    Not audited: callers that show the list to a person use :func:`team_celebrations` / :func:`org_celebrations`.
    Sorted by day, then anniversaries, birthdays, milestones, achievements, then name.
    """
    _check_days(days)
    found = _directory(session, org=org)
    items: list[Celebration] = []
    for entry in found.entries.values():
        if team_id is None or entry.team_id == team_id:
            items.extend(_yearly(entry, found, first=first, days=days))
    last = first + timedelta(days=days - 1)
    for row in repository.moments_between(session, org=org, first=first, last=last):
        celebration = _of_moment(row, found)
        if celebration is not None and (team_id is None or celebration.team_id == team_id):
            items.append(celebration)
    return sorted(items, key=lambda c: (c.day, _KIND_ORDER.get(c.kind, 9), c.headline))


def _record(
    session: Session, *, org: str, viewer: User | None, kind: str, subject: str | int, path: str | None
) -> None:
    """One audit entry for one celebration list shown (``viewer`` None: an operator at the command line)."""
    if viewer is None:
        audit.record_operator_action(
            session, org=org, action="view_celebrations", subject_kind=kind, subject_id=subject
        )
    else:
        audit.record_view(
            session,
            org=org,
            viewer=viewer,
            action="view_celebrations",
            subject_kind=kind,
            subject_id=subject,
            path=path,
        )


def check_viewer(viewer: User | None) -> None:
    """Forbidden for a portfolio viewer: celebrations name people, and a portfolio viewer sees
    organisation-level aggregates only. ``viewer`` None is an operator at the command line."""
    if viewer is not None and viewer.role == Role.PORTFOLIO_VIEWER.value:
        raise Forbidden("a portfolio viewer sees organisation-level aggregates only, not celebrations by name")


def team_celebrations(
    session: Session, *, org: str, viewer: User | None, team_id: int, first: date, days: int, path: str | None = None
) -> list[Celebration]:
    """A team's upcoming celebrations for a page or the command line (one audit entry: the team's list)."""
    check_viewer(viewer)
    team = people.get_team(session, org=org, team_id=team_id)
    items = upcoming(session, org=org, first=first, days=days, team_id=team.id)
    _record(session, org=org, viewer=viewer, kind="team", subject=team.id, path=path)
    return items


def org_celebrations(
    session: Session, *, org: str, viewer: User | None, first: date, days: int, path: str | None = None
) -> list[Celebration]:
    """The organisation's upcoming celebrations (one audit entry: the org's list)."""
    check_viewer(viewer)
    items = upcoming(session, org=org, first=first, days=days)
    _record(session, org=org, viewer=viewer, kind="org", subject=org, path=path)
    return items


def _clean_title(title: str) -> str:
    title = " ".join(title.split())
    if not title:
        raise InputFormatError("a title is needed", field="title")
    if len(title) > MAX_TITLE:
        raise InputFormatError(f"at most {MAX_TITLE} characters", field="title")
    return title


def add_moment(
    session: Session,
    *,
    org: str,
    entered_by: User | None,
    kind: str,
    title: str,
    day: date,
    person_id: int | None = None,
    team_id: int | None = None,
) -> Moment:
    """Store a milestone of a person (``person_id``) or an achievement of a team (``team_id``).

    Anyone may enter one; ``entered_by`` None is an operator at the command line.
    """
    if kind not in MOMENT_KINDS:
        raise InputFormatError(f"a moment is one of {', '.join(MOMENT_KINDS)}", field="kind")
    if kind == MILESTONE:
        if person_id is None:
            raise InputFormatError("a milestone is about one person", field="person_id")
        person_id = people.get_person(session, org=org, person_id=person_id).id
        team_id = None
    else:
        if team_id is None:
            raise InputFormatError("a team achievement needs its team", field="team_id")
        team_id = people.get_team(session, org=org, team_id=team_id).id
        person_id = None
    row = Moment(
        org=org,
        kind=kind,
        title=_clean_title(title),
        day=day,
        person_id=person_id,
        team_id=team_id,
        entered_by_id=entered_by.person_id if entered_by is not None else None,
        created_at=datetime.now(UTC),
    )
    repository.add(session, row)
    return row


def may_delete(moment: Moment | Celebration, viewer: User) -> bool:
    """Whether the viewer may delete a moment: the person it is about, who entered it, or a people-admin/admin."""
    if viewer.role in MODERATOR_ROLES:
        return True
    me = viewer.person_id
    return me is not None and me in (moment.person_id, moment.entered_by_id)


def delete_moment(session: Session, *, org: str, viewer: User, moment_id: int) -> None:
    """Delete a moment; :class:`Forbidden` unless :func:`may_delete`, :class:`NotFound` for an unknown id."""
    row = repository.moment(session, org=org, moment_id=moment_id)
    if row is None:
        raise NotFound(f"no celebration with id {moment_id}", where=f"org {org}")
    if not may_delete(row, viewer):
        raise Forbidden("a milestone is deleted by the person it is about, who entered it, or an admin")
    repository.delete(session, row)


def _own_person_id(viewer: User) -> int:
    if viewer.person_id is None:
        raise Forbidden("your login is not linked to a person, so you have no celebrations of your own")
    return viewer.person_id


def my_settings(session: Session, *, org: str, viewer: User) -> CelebrationSettings:
    """The viewer's own choices: birthday (day and month) if opted in, and whether their anniversary is hidden."""
    person = people.get_person(session, org=org, person_id=_own_person_id(viewer))
    pref = repository.preference(session, org=org, person_id=person.id)
    birthday = person.birthday
    return CelebrationSettings(
        birthday_month=birthday.month if birthday else None,
        birthday_day=birthday.day if birthday else None,
        hide_anniversary=bool(pref and pref.hide_anniversary),
        start_date=person.start_date,
    )


def set_my_birthday(session: Session, *, org: str, viewer: User, month: int, day: int) -> None:
    """Opt the viewer in to birthday celebrations (their own only; no year is kept)."""
    people.set_birthday(session, org=org, person_id=_own_person_id(viewer), month=month, day=day)


def clear_my_birthday(session: Session, *, org: str, viewer: User) -> None:
    """Opt the viewer out of birthday celebrations: the stored day is removed."""
    people.clear_birthday(session, org=org, person_id=_own_person_id(viewer))


def set_hide_anniversary(session: Session, *, org: str, viewer: User, hide: bool) -> None:
    """Keep the viewer's work anniversary out of (``hide``) or in celebrations, digests and reminders."""
    person_id = _own_person_id(viewer)
    pref = repository.preference(session, org=org, person_id=person_id)
    if pref is None:
        repository.add(session, CelebrationPreference(org=org, person_id=person_id, hide_anniversary=hide))
    else:
        pref.hide_anniversary = hide


def my_team(session: Session, *, org: str, viewer: User) -> tuple[int, str] | None:
    """(id, name) of the team of the viewer's person, or None (no linked person, or no team)."""
    if viewer.person_id is None:
        return None
    person = people.get_person(session, org=org, person_id=viewer.person_id)
    if person.team_id is None:
        return None
    return person.team_id, people.get_team(session, org=org, team_id=person.team_id).name


def people_to_celebrate(session: Session, *, org: str, viewer: User) -> list[tuple[int, str]]:
    """(id, name) of the people the viewer's milestone form offers, by name: themself, their team and their
    reports; everyone for a login without a person (an admin)."""
    if viewer.person_id is None:
        return sorted(((e.person_id, e.name) for e in people.directory(session, org=org)), key=lambda p: p[1])
    me = people.get_person(session, org=org, person_id=viewer.person_id)
    chosen = {me.id: me.name}
    if me.team_id is not None:
        chosen.update((p.id, p.name) for p in people.team_members(session, org=org, team_id=me.team_id))
    chosen.update((p.id, p.name) for p in people.reports_of(session, org=org, manager_id=me.id))
    return sorted(chosen.items(), key=lambda p: (p[1], p[0]))


def teams(session: Session, *, org: str) -> list[tuple[int, str]]:
    """(id, name) of every team, by name, for the team achievement form."""
    return [(t.team_id, t.name) for t in people.teams(session, org=org)]


def team_digest(
    session: Session, *, org: str, team_id: int, week_of: date, extra_sections: Sequence[DigestSection] = ()
) -> Digest:
    """The digest of a team for the ISO week (Monday to Sunday) that contains ``week_of``."""
    team = people.get_team(session, org=org, team_id=team_id)
    monday = iso_week_start(week_of)
    items = upcoming(session, org=org, first=monday, days=7, team_id=team.id)
    return digests.compose(
        team_id=team.id, team_name=team.name, week_start=monday, celebrations=items, extra_sections=extra_sections
    )


def shown_digest(
    session: Session, *, org: str, team_id: int, week_of: date, extra_sections: Sequence[DigestSection] = ()
) -> Digest:
    """:func:`team_digest` shown to an operator (the command line): audited as a view of the team's list."""
    made = team_digest(session, org=org, team_id=team_id, week_of=week_of, extra_sections=extra_sections)
    _record(session, org=org, viewer=None, kind="team", subject=made.team_id, path=None)
    return made


def person_id_by_email(session: Session, *, org: str, email: str) -> int:
    """The id of the person with this e-mail address; :class:`NotFound` otherwise."""
    person = people.person_by_email(session, org=org, email=email)
    if person is None:
        raise NotFound(f"no person with e-mail {email}", where=f"org {org}")
    return person.id


def team_by_name(session: Session, *, org: str, name: str) -> int:
    """The id of the team with this name (case-insensitive); :class:`NotFound` otherwise."""
    for team in people.teams(session, org=org):
        if team.name.casefold() == name.strip().casefold():
            return team.team_id
    raise NotFound(f"no team named {name!r}", where=f"org {org}")


def export_of_person(session: Session, *, org: str, person_id: int) -> dict[str, object]:
    """A person's own copy of their celebration data (for a privacy export): whether their anniversary is
    hidden, and the moments about them or entered by them."""
    pref = repository.preference(session, org=org, person_id=person_id)
    return {
        "hide_anniversary": bool(pref and pref.hide_anniversary),
        "moments": [
            {"kind": m.kind, "title": m.title, "day": m.day.isoformat(), "about_you": m.person_id == person_id}
            for m in repository.moments_about(session, org=org, person_id=person_id)
        ],
    }
