"""The e-mail connector on all 232 Enron sent folders: MANIFEST.tsv is the oracle for what is read, Python's
mailbox module (run here, independently) for how many distinct messages there are."""

from __future__ import annotations

import csv
import gzip
import shutil
from pathlib import Path

from tests.ingest.test_email_enron import ENRON, SAMPLE, _import, _oracle

from teamweave.ingest.email_export import NO_RECIPIENTS
from teamweave.runtime import Runtime


def test_all_enron_sent_folders(runtime: Runtime, shared_data: Path, tmp_path: Path) -> None:
    """Every file of MANIFEST.tsv read (74,774 messages); one event per distinct Message-ID."""
    with open(shared_data / ENRON / "MANIFEST.tsv", newline="") as handle:
        manifest = {row["file"]: int(row["messages"]) for row in csv.DictReader(handle, delimiter="\t")}
    assert (len(manifest), sum(manifest.values())) == (232, 74_774)
    plain = tmp_path / "plain"
    plain.mkdir()
    for name in manifest:
        with gzip.open(shared_data / ENRON / "mbox" / name) as source, open(plain / name[:-3], "wb") as target:
            shutil.copyfileobj(source, target)
    count, ids = _oracle(sorted(plain.iterdir()))
    assert count == 74_774

    summary = _import(runtime, shared_data / ENRON / "mbox")

    assert summary.read + summary.skipped == 74_774
    assert summary.skip_reasons == {NO_RECIPIENTS: 74_774 - len(ids)}
    assert summary.added == len(ids)
    assert summary.errors == []
    assert runtime.events.count("enron") == len(ids)
    sample = _import(runtime, shared_data / SAMPLE)
    assert sample.added == 0
    assert sample.duplicates == sample.read > 590
