"""The recognition capability's logic: giving, the feeds, a person's own page, and the interaction event.

Who sees what (docs/recognition.md):

* a public recognition shows in the org feed and in the team feed of each receiver's team (and of the team
  recognised), to anyone logged in to the organisation; every feed view is audited;
* a private recognition shows only to its giver and its receivers, on their own page (:func:`my_recognition`);
  nobody else sees it, the receiver's manager included;
* the thank-you note shows only to the receivers, always, public recognition or not.

Every recognition is also an interaction (kind ``recognition``) from the giver to its receivers. Giving does not
write it: :func:`record_events` writes the events of all the org's recognitions in one batch, and
``teamweave analyze`` calls it before analysing, so the analysis counts them as ties. Writing them apart from
the giving request means a rolled-back request leaves no phantom tie behind, a request does not read the
month's stored event ids, and the store gets one file per batch rather than one per recognition. Event ids
are keyed by the recognition, so running it again adds nothing. Services never commit.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from sqlalchemy.orm import Session

from teamweave.accounts.models import Role, User
from teamweave.audit import service as audit
from teamweave.errors import Forbidden, InputFormatError, NotFound
from teamweave.ingest.records import Interaction
from teamweave.people import service as people
from teamweave.privacy.pseudonym import Pseudonymiser
from teamweave.progress import ProgressReporter
from teamweave.recognition import repository
from teamweave.recognition.announce import announce
from teamweave.recognition.models import Recognition, RecognitionReceiver
from teamweave.recognition.schemas import (
    FEED_LIMIT,
    MAX_MESSAGE,
    MAX_NOTE,
    MyRecognition,
    RecognitionView,
    Someone,
    TeamThanks,
)
from teamweave.store.events import AppendResult, EventStore
from teamweave.store.org_lock import hold_org

EVENT_SOURCE = "recognition"
EVENT_KIND = "recognition"


def as_utc(moment: datetime) -> datetime:
    """A stored time as timezone-aware UTC (SQLite hands back naive UTC times)."""
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def check_value(value: str, *, values: Sequence[str]) -> str:
    """The company value as configured (matched ignoring case and spaces); InputFormatError for any other.

    >>> check_value(" care", values=["Care", "Craft"])
    'Care'
    """
    wanted = value.strip().casefold()
    for known in values:
        if known.casefold() == wanted:
            return known
    raise InputFormatError(
        f"value {value.strip()!r} is not one of the company values: {', '.join(values)}",
        field="value",
        hint="values are set in recognition_values",
    )


def _clean(text: str, *, field: str, limit: int, required: bool) -> str:
    text = text.strip()
    if required and not text:
        raise InputFormatError(f"the {field} is empty: say what you are recognising them for", field=field)
    if len(text) > limit:
        raise InputFormatError(f"the {field} is longer than {limit} characters", field=field)
    return text


def person_id_by_email(session: Session, *, org: str, email: str, field: str) -> int:
    """The id of the person with this e-mail; InputFormatError naming ``field`` when there is none."""
    person = people.person_by_email(session, org=org, email=email)
    if person is None:
        raise InputFormatError(f"{field}: no person with e-mail {email.strip()!r}", field=field)
    return person.id


def team_id_by_name(session: Session, *, org: str, name: str) -> int:
    """The id of the team with this name (ignoring case); InputFormatError naming ``team`` when there is none."""
    for team in people.teams(session, org=org):
        if team.name.casefold() == name.strip().casefold():
            return team.team_id
    raise InputFormatError(f"team: no team named {name.strip()!r}", field="team")


def resolve_target(
    session: Session,
    *,
    org: str,
    to_email: str | None = None,
    to_person_id: int | None = None,
    team: str | None = None,
    team_id: int | None = None,
) -> tuple[int | None, int | None]:
    """(person id, team id) of a recognition named by e-mail or id, or by team name or id: exactly one of them."""
    given = [x for x in (to_email, to_person_id, team, team_id) if x not in (None, "")]
    if len(given) != 1:
        raise InputFormatError("recognise either one person or one team (to or team)", field="to")
    if to_email:
        return person_id_by_email(session, org=org, email=to_email, field="to"), None
    if team:
        return None, team_id_by_name(session, org=org, name=team)
    return to_person_id, team_id


def _receivers(
    session: Session, *, org: str, giver: Someone, person_id: int | None, team_id: int | None
) -> list[Someone]:
    """The people a recognition reaches: the person, or every member of the team but the giver."""
    if (person_id is None) == (team_id is None):
        raise InputFormatError("recognise either one person or one team (to or team)", field="to")
    if person_id is not None:
        try:
            person = people.get_person(session, org=org, person_id=person_id)
        except NotFound as error:
            raise InputFormatError(f"to: no person with id {person_id}", field="to") from error
        if person.id == giver.id:
            raise InputFormatError("to: you cannot recognise yourself", field="to")
        return [person]
    assert team_id is not None
    try:
        members = people.team_members(session, org=org, team_id=team_id)
    except NotFound as error:
        raise InputFormatError(f"team: no team with id {team_id}", field="team") from error
    others: list[Someone] = [m for m in members if m.id != giver.id]
    if not others:
        raise InputFormatError("team: there is no one else in that team to recognise", field="team")
    return others


def interaction_of(
    row: Recognition, *, giver: str, receivers: Sequence[str], pseudonymiser: Pseudonymiser
) -> Interaction:
    """The interaction event of a recognition: from the giver's pseudonym to the receivers' pseudonyms.

    Its id is a keyed hash of the recognition's id and time, so writing it again adds nothing.
    """
    created = as_utc(row.created_at)
    return Interaction(
        org=row.org,
        event_id=pseudonymiser.event_id(EVENT_SOURCE, f"{row.org}:{row.id}:{created.isoformat()}"),
        source=EVENT_SOURCE,
        kind=EVENT_KIND,
        ts=created,
        actor=giver,
        targets=tuple(receivers),
        audience=len(receivers),
    )


def give(
    session: Session,
    *,
    org: str,
    giver_id: int,
    value: str,
    message: str,
    values: Sequence[str],
    public_url: str,
    person_id: int | None = None,
    team_id: int | None = None,
    public: bool = True,
    note: str = "",
    now: datetime | None = None,
) -> Recognition:
    """Recognise one person or one team for a company value.

    ``values`` are the allowed company values (settings.recognition_values). The receivers are told through
    the outbox (links start with ``public_url``). The interaction event is not written here but by
    :func:`record_events` (``teamweave analyze`` runs it), once this transaction has committed.
    """
    giver = people.get_person(session, org=org, person_id=giver_id)
    row = Recognition(
        org=org,
        giver_id=giver.id,
        person_id=person_id,
        team_id=team_id,
        value=check_value(value, values=values),
        message=_clean(message, field="message", limit=MAX_MESSAGE, required=True),
        note=_clean(note, field="note", limit=MAX_NOTE, required=False),
        public=public,
        created_at=as_utc(now or datetime.now(UTC)),
    )
    receivers = _receivers(session, org=org, giver=giver, person_id=person_id, team_id=team_id)
    repository.add(session, row)
    for person in receivers:
        repository.add(
            session,
            RecognitionReceiver(
                org=org, recognition_id=row.id, person_id=person.id, team_id=person.team_id, created_at=row.created_at
            ),
        )
    team_name = people.get_team(session, org=org, team_id=team_id).name if team_id is not None else None
    announce(session, row=row, giver=giver, receivers=receivers, team_name=team_name, public_url=public_url)
    return row


def giver_of(viewer: User) -> int:
    """The person id a logged-in user gives recognition as; Forbidden for a login without a person."""
    if viewer.person_id is None:
        raise Forbidden("your login is not linked to a person, so you cannot give recognition")
    return viewer.person_id


def record_events(
    session: Session,
    *,
    org: str,
    events: EventStore,
    pseudonymiser: Pseudonymiser,
    progress: ProgressReporter | None = None,
) -> AppendResult:
    """Write the interaction event of every committed recognition of the org, in one batch (those already
    stored are skipped, so running it again adds nothing). ``teamweave analyze`` calls it before analysing;
    ``teamweave recognition sync-events`` runs it alone. Holds the org's lock (``store.org_lock``; a wait is
    shown on ``progress``), so that an erasure never runs between reading the recognitions and writing their
    events."""
    hold_org(session, org=org, progress=progress)
    pseudonyms = {e.person_id: e.pseudonym for e in people.directory(session, org=org)}
    rows = repository.all_of_org(session, org=org)
    reached = repository.receivers_of(session, recognition_ids=[r.id for r in rows])
    records = [
        interaction_of(
            row,
            giver=pseudonyms[row.giver_id],
            receivers=[pseudonyms[p] for p in reached[row.id]],
            pseudonymiser=pseudonymiser,
        )
        for row in rows
        if reached[row.id]
    ]
    return events.append(org, records)


def _views(
    session: Session, *, org: str, rows: list[Recognition], notes_for: int | None = None
) -> list[RecognitionView]:
    """Recognitions as views; ``notes_for``: the person whose own notes are shown (the receiver)."""
    names = {e.person_id: e.name for e in people.directory(session, org=org)}
    teams = {t.team_id: t.name for t in people.teams(session, org=org)}
    reached = repository.receivers_of(session, recognition_ids=[r.id for r in rows])
    views = []
    for row in rows:
        receiver_ids = reached[row.id]
        shown_note = row.note if notes_for is not None and notes_for in receiver_ids and row.note else None
        views.append(
            RecognitionView(
                id=row.id,
                created_at=as_utc(row.created_at),
                giver=names.get(row.giver_id, "(erased)"),
                receivers=tuple(names[p] for p in receiver_ids if p in names),
                to_team=teams.get(row.team_id) if row.team_id is not None else None,
                value=row.value,
                message=row.message,
                public=row.public,
                has_note=bool(row.note),
                note=shown_note,
            )
        )
    return views


def check_feed_viewer(viewer: User, *, org: str) -> None:
    """Forbidden unless the viewer may read named recognition: a login of the org that is not a portfolio viewer
    (a portfolio viewer sees organisation-level aggregates only, never people by name)."""
    if viewer.org != org:
        raise Forbidden("recognition is shown to people of the organisation only")
    if viewer.role == Role.PORTFOLIO_VIEWER.value:
        raise Forbidden("a portfolio viewer sees organisation-level aggregates only, not recognition by name")


def org_feed(
    session: Session, *, org: str, viewer: User, limit: int = FEED_LIMIT, path: str | None = None
) -> list[RecognitionView]:
    """The org's public recognitions, newest first, for anyone of the org but a portfolio viewer (audited)."""
    check_feed_viewer(viewer, org=org)
    audit.record_view(
        session, org=org, viewer=viewer, action="view_recognition_feed", subject_kind="org", subject_id=org, path=path
    )
    return _views(session, org=org, rows=repository.public_feed(session, org=org, limit=limit))


def team_feed(
    session: Session, *, org: str, viewer: User, team_id: int, limit: int = FEED_LIMIT, path: str | None = None
) -> tuple[str, list[RecognitionView]]:
    """A team's name and its public recognitions (of the team or of its people), newest first (audited)."""
    check_feed_viewer(viewer, org=org)
    team = people.get_team(session, org=org, team_id=team_id)
    audit.record_view(
        session,
        org=org,
        viewer=viewer,
        action="view_recognition_feed",
        subject_kind="team",
        subject_id=team.id,
        path=path,
    )
    rows = repository.public_team_feed(session, org=org, team_id=team.id, limit=limit)
    return team.name, _views(session, org=org, rows=rows)


def my_recognition(session: Session, *, org: str, viewer: User) -> MyRecognition:
    """What reached the viewer (public and private, with their notes) and what they gave (not audited: the
    subject is the viewer)."""
    person_id = giver_of(viewer)
    received = _views(
        session, org=org, rows=repository.received_by(session, org=org, person_id=person_id), notes_for=person_id
    )
    given = _views(session, org=org, rows=repository.given_by(session, org=org, giver_id=person_id))
    return MyRecognition(received=received, given=given)


def operator_feed(
    session: Session, *, org: str, team_id: int | None = None, limit: int = FEED_LIMIT
) -> list[RecognitionView]:
    """The org's (or a team's) public recognitions for the command line, newest first; audited as an
    operator's view."""
    if team_id is None:
        audit.record_operator_action(
            session, org=org, action="view_recognition_feed", subject_kind="org", subject_id=org
        )
        return _views(session, org=org, rows=repository.public_feed(session, org=org, limit=limit))
    team = people.get_team(session, org=org, team_id=team_id)
    audit.record_operator_action(
        session, org=org, action="view_recognition_feed", subject_kind="team", subject_id=team.id
    )
    return _views(session, org=org, rows=repository.public_team_feed(session, org=org, team_id=team.id, limit=limit))


def view_of(session: Session, *, org: str, row: Recognition) -> RecognitionView:
    """One recognition as its giver sees it (the note not shown back), e.g. to answer the API call that gave it."""
    return _views(session, org=org, rows=[row])[0]


def personal_export(session: Session, *, org: str, person_id: int) -> dict[str, list[dict[str, Any]]]:
    """Everything recognition holds about a person, for their data export: what reached them (with the notes
    to them) and what they gave (with the notes they wrote)."""
    received = _views(
        session, org=org, rows=repository.received_by(session, org=org, person_id=person_id), notes_for=person_id
    )
    rows = repository.given_by(session, org=org, giver_id=person_id)
    given = [
        {**view.as_dict(), "note": row.note}
        for view, row in zip(_views(session, org=org, rows=rows), rows, strict=True)
    ]
    return {"received": [v.as_dict() for v in received], "given": given}


def has_any(session: Session, *, org: str) -> bool:
    """Whether the org holds any recognition at all (e.g. so the demo seeds them only once)."""
    return bool(repository.public_feed(session, org=org, limit=1) or repository.all_of_org(session, org=org))


def public_thanks_by_team(session: Session, *, org: str, start: datetime, end: datetime) -> dict[int, TeamThanks]:
    """Team id -> one line per public recognition that reached the team in ``[start, end)``, for its weekly
    digest ("Ana thanked Ben for Care: “...”"), with the ids of the people the lines name. Notes and private
    recognitions never appear."""
    pairs = repository.public_by_team_between(session, org=org, start=as_utc(start), end=as_utc(end))
    rows = list({row.id: row for _, row in pairs}.values())
    views = {v.id: v for v in _views(session, org=org, rows=rows)}
    reached = repository.receivers_of(session, recognition_ids=[r.id for r in rows])
    thanks: dict[int, TeamThanks] = {}
    for team_id, row in pairs:
        view = views[row.id]
        whom = view.to_team or ", ".join(view.receivers)
        found = thanks.setdefault(team_id, TeamThanks())
        found.lines.append(f"{view.giver} thanked {whom} for {view.value}: “{view.message}”")
        found.about.update([row.giver_id] if view.to_team else [row.giver_id, *reached[row.id]])
    return thanks


def public_lines_by_team(session: Session, *, org: str, start: datetime, end: datetime) -> dict[int, list[str]]:
    """:func:`public_thanks_by_team` without who the lines name."""
    return {
        team_id: thanks.lines
        for team_id, thanks in public_thanks_by_team(session, org=org, start=start, end=end).items()
    }
