"""After an erasure, imports leave the person out: importing an export that still holds them brings nothing of
them back (events, identity rows), until they are readmitted."""

from __future__ import annotations

from pathlib import Path

import pyarrow as pa
import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session
from tests.ingest.builders import ORG, Importer, RecordsOnly, msg, user, write_export_folder
from tests.support.stored_text import stored_text

from teamweave.errors import NotFound
from teamweave.imports.models import Identity
from teamweave.imports.service import resolve_identity
from teamweave.ingest.pipeline import run_connector
from teamweave.ingest.records import Interaction
from teamweave.ingest.slack_export import SlackExport
from teamweave.people.service import import_people
from teamweave.privacy.erased import erasure_mark, erasure_marks, readmit_person, without_erased
from teamweave.privacy.erasure import erase_person
from teamweave.privacy.pseudonym import Pseudonymiser
from teamweave.store.events import EVENT_SCHEMA, EventStore, records_to_table

P = Pseudonymiser(b"k" * 32)
USERS = [user("U1", "ana", "ana@acme.test"), user("U2", "bo", "bo@acme.test"), user("U3", "cy")]
DAYS = {
    "dev/2024-01-08.json": [
        msg("1704708000.000100", "U1", "hi <@U2>"),  # ana acts: left out
        msg("1704708060.000200", "U2", "hey <@U1> and <@U3>"),  # bo names ana: she is struck from the targets
        msg("1704708120.000300", "U3", "morning"),
    ],
    "dev/2024-01-09.json": [msg("1704794400.000400", "U1", "standup?")],
}


def _import(importer: Importer, root: Path, *, tables: bool) -> int:
    """Import the export through the table path or the record path; return the events left out as erased."""
    connector = SlackExport.open(root) if tables else RecordsOnly(SlackExport.open(root))
    summary = run_connector(
        importer.session,
        org=ORG,
        connector=connector,  # type: ignore[arg-type]
        source="slack",
        file_name=root.name,
        events=importer.events,
        pseudonymiser=importer.pseudonymiser,
        quarantine_dir=importer.quarantine_dir,
    )
    importer.session.commit()
    return summary.erased


@pytest.mark.parametrize("tables", [True, False], ids=["tables", "records"])
def test_importing_again_after_an_erasure_brings_nothing_of_the_person_back(
    session: Session, tmp_path: Path, tables: bool
) -> None:
    store = EventStore(tmp_path / "instance")
    importer = Importer(session, store, P, tmp_path / "quarantine")
    ana = importer.add_person("ana@acme.test", "Ana").pseudonym
    importer.add_person("bo@acme.test", "Bo")
    root = write_export_folder(tmp_path / "export", USERS, {"dev": ["U1", "U2", "U3"]}, DAYS)
    assert _import(importer, root, tables=tables) == 0
    assert len(importer.rows()) == 7  # 4 messages, 3 mentions
    erase_person(session, org=ORG, email="ana@acme.test", events=store)
    session.commit()
    assert erasure_mark(ana) in erasure_marks(session, org=ORG)
    after_erasure = importer.rows()

    assert _import(importer, root, tables=tables) == 3  # her two messages and her mention of bo
    assert importer.rows() == after_erasure  # nothing came back
    ana_slack = P.identity("slack", "T1:U1")  # her Slack identity: matched by her e-mail's pseudonym
    assert session.scalar(select(func.count()).where(Identity.pseudonym == ana_slack)) == 0
    for stored in (ana, ana_slack):
        assert stored not in stored_text(tmp_path / "instance")
    bo = P.person_of_email("bo@acme.test")
    named = next(row for row in importer.rows() if row["actor"] == bo and row["kind"] == "message")
    assert len(named["targets"]) == 1  # bo's message to ana and cy names cy alone
    assert named["audience"] == 2  # it still reached two people

    assert readmit_person(session, org=ORG, email="Ana@Acme.test ", pseudonymiser=P) == 1
    importer.add_person("ana@acme.test", "Ana")  # she rejoined
    session.commit()
    assert _import(importer, root, tables=tables) == 0
    back = importer.rows()
    assert len(back) == 7
    assert sum(1 for row in back if row["actor"] == ana) == 3  # she acts again, under her own pseudonym


def test_an_identity_resolved_to_an_erased_person_stays_out_without_an_e_mail(session: Session, tmp_path: Path) -> None:
    """Her second Slack account has no e-mail: an admin resolved it to her. The erasure marks it too."""
    store = EventStore(tmp_path / "instance")
    importer = Importer(session, store, P, tmp_path / "quarantine")
    ana = importer.add_person("ana@acme.test", "Ana")
    importer.add_person("bo@acme.test", "Bo")
    users = [*USERS[:2], user("U4", "ana-laptop")]
    days = {"dev/2024-01-08.json": [msg("1704708000.000100", "U4", "hi <@U2>"), msg("1704708060.000200", "U2", "hey")]}
    root = write_export_folder(tmp_path / "export", users, {"dev": ["U1", "U2", "U4"]}, days)
    assert _import(importer, root, tables=True) == 0
    laptop = P.identity("slack", "T1:U4")
    row = session.scalars(select(Identity).where(Identity.pseudonym == laptop)).one()
    resolve_identity(session, org=ORG, identity_id=row.id, person_id=ana.id)
    erase_person(session, org=ORG, email="ana@acme.test", events=store)
    session.commit()
    assert erasure_marks(session, org=ORG) == {erasure_mark(ana.pseudonym), erasure_mark(laptop)}

    assert _import(importer, root, tables=True) == 2  # her message and her mention of bo, from the laptop account
    assert session.scalar(select(func.count()).where(Identity.pseudonym == laptop)) == 0  # no new row either
    assert laptop not in stored_text(tmp_path / "instance")
    assert [r["actor"] for r in importer.rows()] == [P.person_of_email("bo@acme.test")]


def test_readmitting_someone_never_erased_is_not_found(session: Session) -> None:
    with pytest.raises(NotFound, match="no erased person"):
        readmit_person(session, org=ORG, email="nobody@acme.test", pseudonymiser=P)


def test_an_hr_import_rejects_an_erased_person_until_readmitted(session: Session, tmp_path: Path) -> None:
    store = EventStore(tmp_path / "instance")
    Importer(session, store, P, tmp_path / "q").add_person("ana@acme.test", "Ana")
    erase_person(session, org=ORG, email="ana@acme.test", events=store)
    hr = tmp_path / "hr.csv"
    hr.write_text("email,name,team,timezone\nbo@acme.test,Bo,Core,UTC\nana@acme.test,Ana,Core,UTC\n", encoding="utf-8")
    result = import_people(session, org=ORG, path=hr, pseudonymiser=P)
    assert (result.created, result.rejected) == (1, 1)
    [error] = result.errors
    assert (error.file, error.line, error.field) == ("hr.csv", 3, "email")
    assert "this person was erased" in str(error)
    readmit_person(session, org=ORG, email="ana@acme.test", pseudonymiser=P)
    assert import_people(session, org=ORG, path=hr, pseudonymiser=P).created == 1  # she rejoined


def _events(rows: list[tuple[str, str, tuple[str, ...], int]]) -> pa.Table:
    from datetime import UTC, datetime

    ts = datetime(2024, 1, 8, 10, tzinfo=UTC)
    return records_to_table([Interaction(ORG, e, "slack", "message", ts, a, t, n) for e, a, t, n in rows])


def test_without_erased_drops_their_acts_and_strikes_them_from_targets() -> None:
    table = _events([("e1", "x", ("a", "b"), 2), ("e2", "a", ("x",), 1), ("e3", "b", ("x", "a", "x"), 3)])
    kept, left_out = without_erased(table, {"x"})
    assert left_out == 1
    assert kept.schema == EVENT_SCHEMA
    assert [(r["event_id"], r["targets"], r["audience"]) for r in kept.to_pylist()] == [
        ("e2", [], 1),
        ("e3", ["a"], 3),
    ]
    chunked = pa.concat_tables([table.slice(0, 1), table.slice(1)])  # several chunks, sliced arrays
    assert without_erased(chunked, {"x"})[0].to_pylist() == kept.to_pylist()
    assert without_erased(table, set())[0] is table
    assert without_erased(table, {"nobody"})[0].to_pylist() == table.to_pylist()
