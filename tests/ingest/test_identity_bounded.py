"""Identity resolution with bounded memory: rows written by Core statements (no ORM object per identity), a
bounded cache that gives the same result as an unbounded one, and a summary that lists a bounded number of
labels while counting them all. Runs on SQLite and PostgreSQL (the INSERT .. ON CONFLICT of each)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session
from tests.ingest.builders import ORG, Importer

from teamweave.errors import InputFormatError
from teamweave.imports.models import Identity
from teamweave.ingest import identity
from teamweave.ingest.context import ImportContext
from teamweave.ingest.identity import SourceIdentity
from teamweave.ingest.pipeline import run_connector
from teamweave.ingest.records import Interaction

STAFF = 40
EXTERNAL = 900


def write_mbox(path: Path, messages: int) -> set[str]:
    """An mbox where employee ``i % STAFF`` writes to an external contact and a colleague; the addresses used."""
    used: set[str] = set()
    with path.open("w", encoding="ascii") as out:
        for i in range(messages):
            sender = f"employee{i % STAFF}@acme.test"
            external = f"contact{(i * 7) % EXTERNAL}@partner{i % 3}.test"
            colleague = f"employee{(i + 1) % STAFF}@acme.test"
            used |= {sender, external, colleague}
            out.write(
                f"From MAILER-DAEMON Mon Jan  1 00:00:00 2024\n"
                f"Message-ID: <{i}@acme.test>\n"
                f"Date: Mon, 01 Jan 2024 {i // 3600 % 24:02d}:{i // 60 % 60:02d}:{i % 60:02d} +0000\n"
                f"From: Employee {i % STAFF} <{sender}>\n"
                f"To: {external}, Colleague <{colleague}>\n"
                f"Subject: confidential quokka numbers\n\nbody text\n\n"
            )
    return used


@pytest.fixture
def mbox(tmp_path: Path) -> tuple[Path, set[str]]:
    path = tmp_path / "mail.mbox"
    return path, write_mbox(path, 1_500)


def _identity_rows(session: Session) -> int:
    return session.execute(select(func.count()).select_from(Identity).where(Identity.org == ORG)).scalar_one()


def test_identities_are_written_without_an_orm_object_each(
    session: Session, importer: Importer, mbox: tuple[Path, set[str]]
) -> None:
    path, used = mbox
    importer.add_person("employee0@acme.test")

    summary = importer(path)

    assert summary.added == 1_500
    assert _identity_rows(session) == len(used) - 1  # employee0 matched a person: no identity row
    assert summary.unmatched_total == len(used) - 1
    assert not [o for o in session.identity_map.values() if isinstance(o, Identity)]


def test_a_tiny_cache_and_batches_give_the_same_result(
    session: Session, importer: Importer, mbox: tuple[Path, set[str]], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(identity, "CACHE_LIMIT", 7)
    monkeypatch.setattr(identity, "FLUSH_EVERY", 11)
    path, used = mbox

    first = importer(path)
    rows = importer.rows()
    dee = importer.add_person("contact7@partner1.test")
    second = importer(path)

    expected = {importer.pseudonymiser.identity("email", address) for address in used}
    assert {r["actor"] for r in rows} | {t for r in rows for t in r["targets"]} == expected
    assert (first.added, first.unmatched_total, len(first.unmatched)) == (1_500, len(used), len(used))
    assert (second.added, second.duplicates, second.unmatched_total) == (0, 1_500, len(used) - 1)
    assert _identity_rows(session) == len(used)  # recorded once each, across imports and cache flushes
    resolved = select(Identity.person_id).where(Identity.label == "contact7@partner1.test")
    assert session.execute(resolved).scalar_one() == dee.id  # stored unmatched, now matched by e-mail


def test_the_summary_lists_a_bounded_number_of_labels_and_counts_all(
    importer: Importer, mbox: tuple[Path, set[str]], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(identity, "MAX_LISTED", 5)
    path, used = mbox

    summary = importer(path)

    assert len(summary.unmatched) == 5
    assert summary.unmatched_total == len(used)


class FailingSource:
    """Meets an identity, yields one event, then fails (as a corrupt file met mid-import would)."""

    def interactions(self, ctx: ImportContext) -> Iterator[Interaction]:
        actor = ctx.identities.pseudonym(SourceIdentity(raw_id="u1", label="@ghost (test)"))
        yield Interaction(org=ORG, event_id="e1", source="csv", kind="message", ts=datetime.now(UTC), actor=actor)
        raise InputFormatError("broken after one event", file="x.csv")

    def close(self) -> None:
        """Nothing to close."""


def test_a_failed_import_still_records_the_identities_it_met(session: Session, importer: Importer) -> None:
    with pytest.raises(InputFormatError):
        run_connector(
            session,
            org=ORG,
            connector=FailingSource(),
            source="csv",
            file_name="x.csv",
            events=importer.events,
            pseudonymiser=importer.pseudonymiser,
            quarantine_dir=importer.quarantine_dir,
        )

    labels = session.execute(select(Identity.label).where(Identity.org == ORG)).scalars().all()
    assert labels == ["@ghost (test)"]
