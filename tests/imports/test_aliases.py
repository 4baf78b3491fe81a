"""The alias file: identities of every source named the way an admin knows them, resolved to people by
HR e-mail; bad rows located and skipped, good rows applied, applying twice a no-op."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session
from tests.imports.conftest import GHOST, KEY, ORG
from tests.ingest.builders import Importer

from teamweave.errors import InputFormatError, NotFound
from teamweave.imports import service
from teamweave.imports.models import Identity
from teamweave.people.models import Person
from teamweave.privacy.pseudonym import Pseudonymiser
from teamweave.store.events import EventStore

P = Pseudonymiser(KEY)
AAD_ID = "8ea0e38b-efb3-4757-924a-5f94061cf8c2"
OTHER_SOURCES = {  # source -> (raw id the connector uses, label it shows)
    "github": ("github:octocat", "@OctoCat (GitHub)"),
    "teams": (AAD_ID, "Megan Bowen (Teams)"),
    "email": ("phillip k allen/hou/ect@ect", "Phillip K Allen/HOU/ECT@ECT (Lotus Notes name, no address)"),
    "git": ("ana.home@gmail.test", "Ana <ana.home@gmail.test>"),
}


@pytest.fixture
def identities(session: Session, imported: Importer) -> dict[str, Identity]:
    """The Slack identities of the import plus one identity of each other source, by source."""
    rows = {
        source: service.add_identity(
            session, org=ORG, source=source, pseudonym=P.identity(source, raw), label=label, is_bot=False, run_id=None
        )
        for source, (raw, label) in OTHER_SOURCES.items()
    }
    session.commit()
    return rows


def _write(tmp_path: Path, text: str, name: str = "aliases.csv") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def _person_of(session: Session, pseudonym: str) -> int | None:
    return session.execute(
        select(Identity.person_id).where(Identity.org == ORG, Identity.pseudonym == pseudonym)
    ).scalar_one()


GOOD_AND_BAD = """source,identity,email
slack,T1:U3,ana@acme.test
slack,@casper (Slack U4),cy@acme.test
github,@octocat,ben@acme.test
teams,8EA0E38B-EFB3-4757-924A-5F94061CF8C2,ben@acme.test
email,Phillip K  Allen/HOU/ECT@ECT,cy@acme.test
,ana.home@gmail.test,ana@acme.test
github,@nobody,ana@acme.test
slack,T1:U4,nobody@acme.test
myspace,T1:U4,ana@acme.test
slack,T1:U9,ana@acme.test
slack,,ana@acme.test

"""


def test_good_rows_resolve_and_bad_rows_are_located_and_skipped(
    session: Session, tmp_path: Path, identities: dict[str, Identity], people: dict[str, Person]
) -> None:
    path = _write(tmp_path, GOOD_AND_BAD)

    result = service.apply_aliases(session, org=ORG, path=path, pseudonymiser=P)
    session.commit()

    assert (result.file, result.rows, result.resolved, result.unchanged) == ("aliases.csv", 11, 6, 0)
    assert result.errors == [
        "aliases.csv, line 8, field 'identity': unknown identity '@nobody' in github (no import has seen it)",
        "aliases.csv, line 9, field 'email': unknown e-mail nobody@acme.test (not in the HR directory)",
        "aliases.csv, line 10, field 'source': unknown source 'myspace' (one of calendar, csv, email, git, github, "
        "manual, recognition, slack, teams, vivainsights, or empty for any source)",
        "aliases.csv, line 11, field 'identity': identity 'T1:U9' in slack is a bot; bots are never resolved to people",
        "aliases.csv, line 12, field 'identity': empty identity",
    ]
    ana, ben, cy = (people[n].id for n in ("ana", "ben", "cy"))
    assert _person_of(session, GHOST) == ana
    assert _person_of(session, P.identity("slack", "T1:U4")) == cy
    assert {s: _person_of(session, row.pseudonym) for s, row in identities.items()} == {
        "github": ben,
        "teams": ben,
        "email": cy,
        "git": ana,
    }
    assert [i.label for i in service.unresolved_identities(session, org=ORG)] == ["@deploybot (Slack U9, bot)"]


def test_applying_the_same_file_again_changes_nothing(
    session: Session, tmp_path: Path, identities: dict[str, Identity], people: dict[str, Person]
) -> None:
    path = _write(tmp_path, GOOD_AND_BAD)
    first = service.apply_aliases(session, org=ORG, path=path, pseudonymiser=P)
    session.commit()
    aliases = service.alias_map(session, org=ORG)

    again = service.apply_aliases(session, org=ORG, path=path, pseudonymiser=P)
    session.commit()

    assert (again.resolved, again.unchanged) == (0, first.resolved)
    assert again.errors == first.errors
    assert service.alias_map(session, org=ORG) == aliases


def test_a_row_for_another_person_moves_the_identity(
    session: Session, tmp_path: Path, imported: Importer, people: dict[str, Person]
) -> None:
    service.apply_aliases(
        session, org=ORG, path=_write(tmp_path, "source,identity,email\nslack,T1:U3,ana@acme.test\n"), pseudonymiser=P
    )
    moved = service.apply_aliases(
        session, org=ORG, path=_write(tmp_path, "email,identity,source\nben@acme.test,T1:U3,slack\n"), pseudonymiser=P
    )
    session.commit()
    assert (moved.resolved, moved.unchanged, moved.errors) == (1, 0, [])
    assert _person_of(session, GHOST) == people["ben"].id
    assert service.alias_map(session, org=ORG) == {GHOST: people["ben"].pseudonym}


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"source,who,email\nslack,T1:U3,ana@acme.test\n", "aliases.csv, line 1: missing column(s): identity"),
        (b"", "aliases.csv, line 1: missing column(s): source, identity, email"),
        (b"source,identity,email\nslack,T1:U3,ana@acme.test\nslack,\xff\xfe,x\n", "aliases.csv, line 3: not UTF-8"),
        (b'source,identity,email\nslack,"T1:U3\x00,ana@acme.test\n', "aliases.csv, line 2: not CSV"),
    ],
)
def test_a_file_that_is_not_an_alias_file_applies_nothing(
    session: Session, tmp_path: Path, imported: Importer, people: dict[str, Person], content: bytes, message: str
) -> None:
    path = tmp_path / "aliases.csv"
    path.write_bytes(content)
    with pytest.raises(InputFormatError) as raised:
        service.apply_aliases(session, org=ORG, path=path, pseudonymiser=P)
    assert str(raised.value).startswith(message)
    assert _person_of(session, GHOST) is None


def test_a_missing_file_is_a_located_error(session: Session, tmp_path: Path) -> None:
    with pytest.raises(InputFormatError, match="missing.csv"):
        service.apply_aliases(session, org=ORG, path=tmp_path / "missing.csv", pseudonymiser=P)


def test_resolving_by_email_refuses_bots_and_unknown_addresses(
    session: Session, imported: Importer, people: dict[str, Person]
) -> None:
    bot = session.execute(select(Identity).where(Identity.org == ORG, Identity.is_bot.is_(True))).scalar_one()
    ghost = session.execute(select(Identity).where(Identity.org == ORG, Identity.pseudonym == GHOST)).scalar_one()
    with pytest.raises(service.BotIdentity):
        service.resolve_identity_to_email(session, org=ORG, identity_id=bot.id, email="ana@acme.test")
    with pytest.raises(NotFound):
        service.resolve_identity_to_email(session, org=ORG, identity_id=ghost.id, email="nobody@acme.test")
    view = service.resolve_identity_to_email(session, org=ORG, identity_id=ghost.id, email=" Ana@Acme.test ")
    assert view.person_id == people["ana"].id
    assert [i.label for i in service.list_identities(session, org=ORG, unresolved_only=True)] == [
        "@casper (Slack U4)",
        "@deploybot (Slack U9, bot)",
    ]
    assert len(service.list_identities(session, org=ORG)) == 3


def test_candidate_raw_ids_follow_the_connectors_conventions() -> None:
    assert service.candidate_raw_ids("github", "github:OctoCat") >= {"github:octocat"}
    assert service.candidate_raw_ids("email", " Phillip K  Allen/HOU ") >= {"phillip k allen/hou"}
    assert service.candidate_raw_ids("slack", "T1:U3") >= {"T1:U3"}


def test_real_enron_addresses_resolve_by_address_in_any_case_or_by_label(
    session: Session, tmp_path: Path, shared_data: Path
) -> None:
    importer = Importer(session, EventStore(tmp_path / "events"), P, tmp_path / "quarantine")
    importer(shared_data / "enron-mbox-sent-folders" / "sample" / "enron.allen-p._sent_mail.mbox")
    al = importer.add_person("al.pollard@acme.test", "Al")
    session.commit()
    before = len(service.unresolved_identities(session, org=ORG))
    path = _write(
        tmp_path,
        "source,identity,email\nemail,Al.Pollard@ENRON.com,al.pollard@acme.test\n,alan.comnes@enron.com,al.pollard@acme.test\n",
    )

    result = service.apply_aliases(session, org=ORG, path=path, pseudonymiser=P)
    session.commit()

    assert (result.resolved, result.errors) == (2, [])
    assert len(service.unresolved_identities(session, org=ORG)) == before - 2
    assert _person_of(session, P.identity("email", "al.pollard@enron.com")) == al.id
