"""Resolving an identity after import and analysis: the next analysis moves its events to the person, with
no re-import, nothing lost and nothing counted twice (an event both took part in counts once)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import duckdb
from sqlalchemy import func, select
from sqlalchemy.orm import Session
from tests.imports.conftest import GHOST, ORG
from tests.ingest.builders import Importer

from teamweave.imports import service
from teamweave.imports.models import Identity
from teamweave.network.analysis import analyze
from teamweave.network.models import PersonMetric
from teamweave.people.models import Person

JANUARY = date(2024, 1, 1)


def _analyze(session: Session, importer: Importer) -> int:
    summary = analyze(session, org=ORG, events=importer.events, k=2, periods=("month",))
    session.commit()
    return summary.events


def _human_events(session: Session, person: Person | str) -> int | None:
    """The January human_events of a person (or of any pseudonym); None when it has no row."""
    pseudonym = person if isinstance(person, str) else person.pseudonym
    stmt = select(PersonMetric.human_events).where(
        PersonMetric.org == ORG,
        PersonMetric.period == "month",
        PersonMetric.window_start == JANUARY,
        PersonMetric.pseudonym == pseudonym,
    )
    return session.execute(stmt).scalar_one_or_none()


def _participants(importer: Importer) -> list[set[str]]:
    """Per human event of the store: the pseudonyms that took part (actor and targets)."""
    con = duckdb.connect()
    try:
        rows = importer.events.read(ORG, con).filter("NOT by_bot").project("actor, targets").fetchall()
    finally:
        con.close()
    return [{actor, *targets} for actor, targets in rows]


def _metric_rows(session: Session) -> tuple[int, int]:
    """(PersonMetric rows, distinct (period, window, pseudonym) among them) for the org."""
    rows = session.execute(
        select(PersonMetric.period, PersonMetric.window_start, PersonMetric.pseudonym).where(PersonMetric.org == ORG)
    ).all()
    return len(rows), len(set(rows))


def _ghost(session: Session) -> Identity:
    return session.execute(select(Identity).where(Identity.org == ORG, Identity.pseudonym == GHOST)).scalar_one()


def test_resolving_moves_the_identitys_events_to_the_person_counting_each_event_once(
    session: Session, imported: Importer, people: dict[str, Person]
) -> None:
    ana, ben = people["ana"], people["ben"]
    total = _analyze(session, imported)
    assert (_human_events(session, ana), _human_events(session, ben)) == (3, 7)
    events = _participants(imported)
    ghost_only = sum(1 for p in events if GHOST in p and ana.pseudonym not in p)
    shared = sum(1 for p in events if GHOST in p and ana.pseudonym in p)
    assert (ghost_only, shared) == (3, 3)

    service.resolve_identity(session, org=ORG, identity_id=_ghost(session).id, person_id=ana.id)
    session.commit()
    assert service.alias_map(session, org=ORG) == {GHOST: ana.pseudonym}
    assert _analyze(session, imported) == total  # no event added or lost

    assert _human_events(session, ana) == 3 + ghost_only  # the 3 shared events are not counted twice
    assert _human_events(session, ben) == 7
    assert _human_events(session, GHOST) is None  # an identity is never a node
    rows, distinct = _metric_rows(session)
    assert rows == distinct
    assert imported.events.count(ORG) == total

    _analyze(session, imported)  # re-running changes nothing
    assert _human_events(session, ana) == 6
    assert _metric_rows(session) == (rows, distinct)


def test_resolving_again_moves_the_events_rather_than_copying_them(
    session: Session, imported: Importer, people: dict[str, Person]
) -> None:
    ana, cy = people["ana"], people["cy"]
    ghost_id = _ghost(session).id
    service.resolve_identity(session, org=ORG, identity_id=ghost_id, person_id=ana.id)
    session.commit()
    _analyze(session, imported)
    assert (_human_events(session, ana), _human_events(session, cy)) == (6, None)

    service.resolve_identity(session, org=ORG, identity_id=ghost_id, person_id=cy.id)
    session.commit()
    _analyze(session, imported)

    assert (_human_events(session, ana), _human_events(session, cy)) == (3, 6)


def test_a_later_import_keeps_the_resolution_and_adds_nothing(
    session: Session, imported: Importer, people: dict[str, Person], export: Path
) -> None:
    ghost = _ghost(session)
    service.resolve_identity(session, org=ORG, identity_id=ghost.id, person_id=people["ana"].id)
    session.commit()
    before = imported.events.count(ORG)

    summary = imported(export)
    session.commit()

    assert (summary.added, imported.events.count(ORG)) == (0, before)
    assert "@ghost (Slack U3)" not in summary.unmatched
    assert session.execute(select(func.count()).select_from(Identity).where(Identity.org == ORG)).scalar_one() == 3
    unresolved = service.unresolved_identities(session, org=ORG)
    assert [(i.label, i.is_bot) for i in unresolved] == [
        ("@casper (Slack U4)", False),
        ("@deploybot (Slack U9, bot)", True),
    ]
    assert [i.person_id for i in service.list_identities(session, org=ORG) if i.pseudonym == GHOST] == [
        people["ana"].id
    ]


def test_an_alias_file_resolves_real_slack_users_and_analysis_counts_exactly_their_events(
    session: Session, importer: Importer, shared_data: Path, tmp_path: Path
) -> None:
    importer(shared_data / "slack-export-viewer-testarchive" / "testarchive.zip")
    hamza = importer.add_person("hamza@acme.test", "Hamza")
    session.commit()
    identity = importer.pseudonymiser.identity("slack", "T0BMHLSRH:U0BMQB6JE")
    con = duckdb.connect()
    try:
        rows = importer.events.read(ORG, con).project("actor, targets, by_bot").fetchall()
    finally:
        con.close()
    expected = sum(1 for a, t, bot in rows if (a == identity and not bot) or identity in t)
    assert expected > 0
    total = _analyze(session, importer)
    assert _months_of(session, hamza) == 0

    aliases = tmp_path / "aliases.csv"
    aliases.write_text("source,identity,email\nslack,T0BMHLSRH:U0BMQB6JE,hamza@acme.test\n")
    result = service.apply_aliases(session, org=ORG, path=aliases, pseudonymiser=importer.pseudonymiser)
    session.commit()

    assert (result.resolved, result.errors) == (1, [])
    assert _analyze(session, importer) == total
    assert _months_of(session, hamza) == expected


def _months_of(session: Session, person: Person) -> int:
    """The person's human and tool events summed over every month."""
    stmt = select(func.coalesce(func.sum(PersonMetric.human_events + PersonMetric.tool_events), 0)).where(
        PersonMetric.org == ORG, PersonMetric.period == "month", PersonMetric.pseudonym == person.pseudonym
    )
    return int(session.execute(stmt).scalar_one())
