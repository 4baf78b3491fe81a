"""Who sees a recognition: public ones in the org feed and the receivers' team feeds, private ones only to the
giver and the receivers, the thank-you note only to the receivers; bad input is refused naming the field."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session
from tests.recognition.conftest import NOW, give, user
from tests.web.seeding import SeededOrg

from teamweave.audit.models import AuditEntry
from teamweave.errors import Forbidden, InputFormatError
from teamweave.notify import service as notify
from teamweave.notify.models import OutboxMessage
from teamweave.people.models import Person, Team
from teamweave.privacy.pseudonym import Pseudonymiser
from teamweave.recognition import service
from teamweave.recognition.models import RecognitionReceiver
from teamweave.store.events import EventStore

NOTE = "Your patience on Friday's incident meant a lot to me personally."


def test_public_recognition_shows_in_the_org_feed_and_the_receivers_team_feed(
    session: Session, seeded: SeededOrg, events: EventStore, pseudonymiser: Pseudonymiser
) -> None:
    give(session, seeded, "alice", to="bob", value="craft", message="Lovely refactor")
    session.commit()
    viewer = user(session, seeded, "tess")  # a member of another team
    feed = service.org_feed(session, org="default", viewer=viewer, path="/recognition")
    assert [(v.giver, v.to, v.value, v.message) for v in feed] == [("Alice", "Bob", "Craft", "Lovely refactor")]
    name, platform = service.team_feed(session, org="default", viewer=viewer, team_id=seeded.teams["Platform"])
    assert name == "Platform"
    assert [v.message for v in platform] == ["Lovely refactor"]
    _, data = service.team_feed(session, org="default", viewer=viewer, team_id=seeded.teams["Data"])
    assert data == []
    audited = session.scalars(select(AuditEntry).where(AuditEntry.action == "view_recognition_feed")).all()
    assert sorted(a.subject_kind for a in audited) == ["org", "team", "team"]


def test_private_recognition_is_seen_by_giver_and_receiver_only(
    session: Session, seeded: SeededOrg, events: EventStore, pseudonymiser: Pseudonymiser
) -> None:
    give(session, seeded, "alice", to="bob", public=False, message="Just between us")
    session.commit()
    for name in ("mia", "tess", "pat"):
        viewer = user(session, seeded, name)
        assert service.org_feed(session, org="default", viewer=viewer) == []
        assert service.team_feed(session, org="default", viewer=viewer, team_id=seeded.teams["Platform"])[1] == []
        mine = service.my_recognition(session, org="default", viewer=viewer)
        assert mine.received == []  # bob's manager mia included
        assert mine.given == []
    bob = service.my_recognition(session, org="default", viewer=user(session, seeded, "bob"))
    alice = service.my_recognition(session, org="default", viewer=user(session, seeded, "alice"))
    assert [(v.message, v.public) for v in bob.received] == [("Just between us", False)]
    assert [v.to for v in alice.given] == ["Bob"]


def test_the_note_reaches_the_receiver_only(
    session: Session, seeded: SeededOrg, events: EventStore, pseudonymiser: Pseudonymiser
) -> None:
    give(session, seeded, "alice", to="bob", note=NOTE)
    session.commit()
    bob = service.my_recognition(session, org="default", viewer=user(session, seeded, "bob"))
    assert bob.received[0].note == NOTE
    alice = service.my_recognition(session, org="default", viewer=user(session, seeded, "alice"))
    assert alice.given[0].note is None
    assert alice.given[0].has_note
    feed = service.org_feed(session, org="default", viewer=user(session, seeded, "mia"))
    assert feed[0].note is None
    assert NOTE not in str(feed[0].as_dict())
    posts = session.scalars(select(OutboxMessage).where(OutboxMessage.recipient_id.is_(None))).all()
    assert len(posts) == 1
    assert NOTE not in posts[0].text
    inbox = notify.inbox(session, org="default", person_id=seeded.people["bob"], now=NOW + timedelta(days=1))
    assert len(inbox) == 1
    assert NOTE in inbox[0].text
    assert inbox[0].kind == "recognition"


def test_a_private_recognition_is_not_posted_to_the_channel(
    session: Session, seeded: SeededOrg, events: EventStore, pseudonymiser: Pseudonymiser
) -> None:
    give(session, seeded, "alice", to="bob", public=False)
    session.commit()
    assert session.scalars(select(OutboxMessage).where(OutboxMessage.recipient_id.is_(None))).all() == []
    assert [m.recipient_id for m in session.scalars(select(OutboxMessage))] == [seeded.people["bob"]]


def test_team_recognition_reaches_every_member_but_the_giver(
    session: Session, seeded: SeededOrg, events: EventStore, pseudonymiser: Pseudonymiser
) -> None:
    row = give(session, seeded, "pat", team="Data", value="Collaboration")
    session.commit()
    reached = set(
        session.scalars(select(RecognitionReceiver.person_id).where(RecognitionReceiver.recognition_id == row.id))
    )
    assert reached == {seeded.people[n] for n in ("dan", "quinn", "rosa", "sam", "tess")}
    _, data = service.team_feed(
        session, org="default", viewer=user(session, seeded, "alice"), team_id=seeded.teams["Data"]
    )
    assert [v.to for v in data] == ["the Data team"]
    tess = service.my_recognition(session, org="default", viewer=user(session, seeded, "tess"))
    assert [v.to for v in tess.received] == ["the Data team"]


@pytest.mark.parametrize(
    ("extra", "field"),
    [
        ({"to": "bob", "value": "Speed"}, "value"),
        ({"to": "bob", "message": "   "}, "message"),
        ({"to": "bob", "message": "x" * 1001}, "message"),
        ({"to": "bob", "note": "x" * 2001}, "note"),
        ({"to": "alice"}, "to"),
        ({}, "to"),
        ({"to": "bob", "team": "Data"}, "to"),
    ],
)
def test_bad_input_is_refused_naming_the_field(
    session: Session,
    seeded: SeededOrg,
    events: EventStore,
    pseudonymiser: Pseudonymiser,
    extra: dict[str, str],
    field: str,
) -> None:
    with pytest.raises(InputFormatError) as caught:
        give(session, seeded, "alice", **extra)
    assert caught.value.field == field
    if field == "value":
        assert "Collaboration, Ownership, Curiosity, Care, Craft" in str(caught.value)
    assert not events.has_events("default")


def test_a_team_with_only_the_giver_or_an_unknown_team_is_refused(
    session: Session, seeded: SeededOrg, events: EventStore, pseudonymiser: Pseudonymiser
) -> None:
    solo = Team(org="default", name="Solo")
    session.add(solo)
    session.flush()
    uma = session.get(Person, seeded.people["uma"])
    assert uma is not None
    uma.team_id = solo.id
    seeded.teams["Solo"] = solo.id
    with pytest.raises(InputFormatError) as caught:
        give(session, seeded, "uma", team="Solo")
    assert caught.value.field == "team"
    with pytest.raises(InputFormatError) as unknown:
        service.team_id_by_name(session, org="default", name="Nowhere")
    assert unknown.value.field == "team"
    assert service.team_id_by_name(session, org="default", name=" platform ") == seeded.teams["Platform"]


def test_a_login_without_a_person_cannot_give(session: Session, seeded: SeededOrg) -> None:
    root = user(session, seeded, "root")
    with pytest.raises(Forbidden):
        service.giver_of(root)
    with pytest.raises(Forbidden):
        service.my_recognition(session, org="default", viewer=root)


def test_a_persons_export_holds_what_they_gave_and_received_with_notes(
    session: Session, seeded: SeededOrg, events: EventStore, pseudonymiser: Pseudonymiser
) -> None:
    give(session, seeded, "alice", to="bob", public=False, note=NOTE)
    bob = service.personal_export(session, org="default", person_id=seeded.people["bob"])
    alice = service.personal_export(session, org="default", person_id=seeded.people["alice"])
    assert [(r["giver"], r["note"]) for r in bob["received"]] == [("Alice", NOTE)]
    assert bob["given"] == []
    assert [(g["to"], g["note"]) for g in alice["given"]] == [("Bob", NOTE)]
    assert alice["received"] == []


def test_a_portfolio_viewer_reads_no_feed(
    session: Session, seeded: SeededOrg, events: EventStore, pseudonymiser: Pseudonymiser
) -> None:
    give(session, seeded, "alice", to="bob")
    port = user(session, seeded, "port")
    with pytest.raises(Forbidden):
        service.org_feed(session, org="default", viewer=port)
    with pytest.raises(Forbidden):
        service.team_feed(session, org="default", viewer=port, team_id=seeded.teams["Platform"])


def _outbox(session: Session) -> list[tuple[int | None, str]]:
    return sorted(
        ((m.recipient_id, m.channel) for m in session.scalars(select(OutboxMessage))), key=lambda m: (m[0] or 0, m[1])
    )


def test_forgetting_the_giver_or_a_named_receiver_removes_what_was_said_about_them(
    session: Session, seeded: SeededOrg
) -> None:
    give(session, seeded, "alice", to="bob")  # names Alice and Bob: Bob's message, the channel post
    give(session, seeded, "mia", team="Tiny")  # names Mia and the team: Uma's and Vic's messages, the post
    session.commit()
    uma, vic = seeded.people["uma"], seeded.people["vic"]
    assert len(_outbox(session)) == 5
    notify.forget_person(session, org="default", person_id=seeded.people["alice"])
    assert _outbox(session) == [(None, "slack"), (uma, "email"), (vic, "email")]
    notify.forget_person(session, org="default", person_id=uma)  # named in no one else's message
    assert _outbox(session) == [(None, "slack"), (uma, "email"), (vic, "email")]
    notify.forget_person(session, org="default", person_id=seeded.people["mia"])
    assert _outbox(session) == []


def test_the_digest_thanks_say_whom_they_name(session: Session, seeded: SeededOrg) -> None:
    give(session, seeded, "alice", to="bob", message="Thanks for the pairing")
    give(session, seeded, "pat", team="Tiny", message="Great week")
    give(session, seeded, "carol", to="dave", public=False)  # private: not in any digest
    thanks = service.public_thanks_by_team(session, org="default", start=NOW, end=NOW + timedelta(days=1))
    platform, tiny = thanks[seeded.teams["Platform"]], thanks[seeded.teams["Tiny"]]
    assert platform.lines == ["Alice thanked Bob for Care: “Thanks for the pairing”"]
    assert platform.about == {seeded.people["alice"], seeded.people["bob"]}
    assert tiny.lines == ["Pat thanked Tiny for Care: “Great week”"]
    assert tiny.about == {seeded.people["pat"]}
    assert seeded.teams["Data"] not in thanks
