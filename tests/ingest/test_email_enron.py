"""The e-mail connector on the real Enron sent folders: known counts (MANIFEST.tsv is the oracle), one event
per Message-ID, no subject or body byte stored anywhere, and hostile cuts of the real file."""

from __future__ import annotations

import gzip
import mailbox
from email.utils import getaddresses
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from tests.support.stored_text import stored_text

from teamweave.errors import InputFormatError
from teamweave.imports.schemas import ImportSummary
from teamweave.ingest.context import ImportContext
from teamweave.ingest.email_export import NO_RECIPIENTS, SOURCE, EmailArchive
from teamweave.ingest.identity import SourceIdentity
from teamweave.ingest.pipeline import run_connector
from teamweave.ingest.quarantine import QuarantineWriter
from teamweave.privacy.pseudonym import Pseudonymiser
from teamweave.runtime import Runtime
from teamweave.store.session import session_scope

ENRON = "enron-mbox-sent-folders"
SAMPLE = f"{ENRON}/sample/enron.allen-p._sent_mail.mbox"


def _import(runtime: Runtime, path: Path) -> ImportSummary:
    with session_scope(runtime.sessions) as session:
        return run_connector(
            session,
            org="enron",
            connector=EmailArchive.open(path),
            source=SOURCE,
            file_name=path.name,
            events=runtime.events,
            pseudonymiser=runtime.pseudonymiser,
            quarantine_dir=runtime.settings.quarantine_dir,
        )


def _oracle(paths: list[Path]) -> tuple[int, set[str]]:
    """Independently, with Python's mailbox module: messages, and Message-IDs of those with a recipient."""
    count, ids = 0, set()
    for path in paths:
        for message in mailbox.mbox(path, create=False):
            count += 1
            sender = {a.lower() for _, a in getaddresses(message.get_all("From", []))}
            recipients = {a.lower() for _, a in getaddresses(message.get_all("To", []) + message.get_all("Cc", []))}
            if recipients - sender - {""}:
                ids.add(str(message["Message-ID"]).strip())
    return count, ids


def _content(path: Path) -> list[str]:
    """Distinctive subjects and body lines of the real sample."""
    found: list[str] = []
    for message in mailbox.mbox(path, create=False):
        subject = str(message["Subject"] or "").strip()
        if len(subject) >= 12:
            found.append(subject)
        body = message.get_payload()
        assert isinstance(body, str)
        found.extend(line.strip()[:60] for line in body.splitlines() if len(line.strip()) >= 40)
    return found


def test_sample_counts_privacy_and_idempotency(runtime: Runtime, shared_data: Path, tmp_path: Path) -> None:
    sample = shared_data / SAMPLE
    count, ids = _oracle([sample])
    assert count == 602
    broken = tmp_path / "broken.mbox"
    broken.write_bytes(
        sample.read_bytes().replace(b"Date: Mon, 23 Apr 2001 12:41:00", b"Date: Mon, 23 Apr 2001 12:41:9X", 1)
    )

    summary = _import(runtime, sample)
    assert summary.read + summary.skip_reasons.get(NO_RECIPIENTS, 0) == 602
    assert summary.counts_by_kind == {"email": len(ids)}
    assert summary.added == len(ids)
    assert summary.errors == []
    again = _import(runtime, broken)
    assert (again.added, again.duplicates) == (0, len(ids) - 1)
    assert again.errors == ["broken.mbox, message 1 (line 1): unparseable Date header"]

    content = _content(sample)
    assert len(content) > 1000
    stored = stored_text(runtime.settings.data_dir)
    assert "johnniebrown@juno.com" in stored  # the scan reads the database (labels of unmatched identities)
    assert "unparseable Date header" in stored  # ... and the quarantine file
    lowered = stored.lower()
    leaked = [text for text in content if text.lower() in lowered]
    assert leaked == []
    for word in ("Chelsea Villas", "rent roll", "stage coach", "JavaMail", "pallen.nsf", "Phillip_Allen_Jan2002"):
        assert word.lower() not in lowered, word


class _Identities:
    """Pseudonyms without a database, for property tests of the reader."""

    def __init__(self, pseudonymiser: Pseudonymiser) -> None:
        self.pseudonymiser = pseudonymiser

    def pseudonym(self, identity: SourceIdentity) -> str:
        return self.pseudonymiser.identity(SOURCE, identity.raw_id)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    cut=st.integers(min_value=0, max_value=60_000),
    noise=st.binary(max_size=400),
    at=st.integers(min_value=0, max_value=60_000),
    compress=st.booleans(),
)
def test_cut_and_corrupted_real_mbox_never_raises(
    shared_data: Path, tmp_path: Path, cut: int, noise: bytes, at: int, compress: bool
) -> None:
    data = (shared_data / SAMPLE).read_bytes()[:60_000]
    data = data[:at] + noise + data[at:cut]
    path = tmp_path / "cut.mbox"
    path.write_bytes(gzip.compress(data)[: max(cut, 20)] if compress else data)
    pseudonymiser = Pseudonymiser(b"k" * 32)
    with QuarantineWriter(tmp_path / "q", source=SOURCE, run_id=1) as quarantine:
        ctx = ImportContext(
            org="o",
            pseudonymiser=pseudonymiser,
            identities=_Identities(pseudonymiser),  # type: ignore[arg-type]
            quarantine=quarantine,
        )
        try:
            archive = EmailArchive.open(path)
        except InputFormatError:
            assert data[:5] != b"From " or compress
            return
        for event in archive.interactions(ctx):
            assert event.source == SOURCE
