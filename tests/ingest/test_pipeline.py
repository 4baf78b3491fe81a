"""The pipeline around connectors: progress, batches, the run record on failure, the summary's extras."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path

import pyarrow as pa
import pytest
from sqlalchemy import Engine, select
from tests.ingest.builders import ORG, Importer, WriteExport, msg, user
from tests.support.waiting import Waits, in_thread

from teamweave.errors import InputFormatError
from teamweave.imports.models import ImportRun
from teamweave.ingest import pipeline
from teamweave.ingest.context import ImportContext
from teamweave.ingest.slack_export import SlackExport
from teamweave.store.events import EventStore
from teamweave.store.org_lock import hold_org
from teamweave.store.session import session_factory

USERS = [user("U1", "ana"), user("U2", "bo")]


class Recorder:
    def __init__(self) -> None:
        self.calls: list[tuple[str, object]] = []

    def start(self, description: str, total: int | None = None) -> None:
        self.calls.append(("start", total))

    def advance(self, amount: int = 1) -> None:
        self.calls.append(("advance", amount))

    def finish(self) -> None:
        self.calls.append(("finish", None))


def test_progress_batches_and_summary(
    importer: Importer, write_export: WriteExport, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(pipeline, "BATCH_SIZE", 2)
    days = {f"dev/1970-01-0{d}.json": [msg(f"{d * 86400}.{i}", "U1", "hi <@U999>") for i in range(3)] for d in (1, 2)}
    root = write_export(USERS, {"dev": ["U1", "U2"]}, days)
    recorder = Recorder()

    summary = importer(root, progress=recorder)

    assert recorder.calls == [("start", 2), ("advance", 1), ("advance", 1), ("finish", None)]
    assert summary.added == 6
    assert summary.dropped_targets == 1
    assert summary.events_per_second > 0
    assert summary.seconds > 0
    assert summary.file_name == "export"


def test_an_import_waits_while_another_job_holds_its_org(importer: Importer, write_export: WriteExport) -> None:
    """An erasure of the org holds it: the import's events must not be written between its removals and its
    commit (store.org_lock)."""
    root = write_export(USERS, {"dev": ["U1", "U2"]}, {"dev/1970-01-01.json": [msg("1.1", "U1")]})
    engine = importer.session.get_bind()
    assert isinstance(engine, Engine)
    eraser = session_factory(engine)()
    hold_org(eraser, org=ORG)
    waits = Waits()
    try:
        worker, errors = in_thread(lambda: importer(root, progress=waits))
        assert waits.waiting.wait(30)
        worker.join(0.5)
        assert worker.is_alive()
        assert importer.rows() == []
        eraser.commit()
    finally:
        eraser.close()
    worker.join(30)
    assert not errors, errors
    assert len(importer.rows()) == 1


def test_a_failure_during_import_marks_the_run_failed(
    importer: Importer, write_export: WriteExport, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = write_export(USERS, {"dev": ["U1", "U2"]}, {"dev/1970-01-01.json": [msg("1.1", "U1")]})

    def broken(self: SlackExport, ctx: ImportContext, sink: object, **options: object) -> Iterator[str]:
        raise InputFormatError("disk vanished", file="dev/1970-01-01.json")
        yield  # pragma: no cover

    monkeypatch.setattr(SlackExport, "read_day_files", broken)  # what both of the connector's paths read with
    with pytest.raises(InputFormatError, match="disk vanished"):
        importer(root)
    run = importer.session.execute(select(ImportRun)).scalar_one()
    assert run.status == "failed"
    assert run.errors == ["dev/1970-01-01.json: disk vanished"]


def test_window_bounds() -> None:
    start, end = pipeline.import_window("slack", date(2024, 1, 1), date(2024, 1, 31))
    assert start == datetime(2024, 1, 1, tzinfo=UTC)
    assert end == datetime(2024, 2, 1, tzinfo=UTC)
    assert pipeline.import_window("slack", None, None) == (None, None)
    start, end = pipeline.import_window("ics", None, None)
    assert start is not None
    assert end is not None
    assert (end - start).days == 365
    start, _ = pipeline.import_window("ics", None, date(2020, 6, 30))
    assert start == datetime(2019, 7, 2, tzinfo=UTC)


def test_explicit_format_mismatch_is_an_input_error(importer: Importer, tmp_path: Path) -> None:
    ics = tmp_path / "a.ics"
    ics.write_text("BEGIN:VCALENDAR\nEND:VCALENDAR\n")
    with pytest.raises(InputFormatError):
        importer(ics, fmt="slack")


def test_a_connectors_tables_are_closed_before_a_failed_append_is_raised(tmp_path: Path) -> None:
    """Slack makes its tables on a worker thread that uses the import context and its session; when an append
    fails, the tables are closed (the worker stopped) before the error reaches the code that records the failure,
    not whenever the traceback lets go of them."""
    closed: list[str] = []

    def tables() -> Iterator[pa.Table]:
        try:
            yield pa.table({"not_an_event": list(range(pipeline.BATCH_SIZE))})  # the append of this batch fails
            yield pa.table({"not_an_event": [1]})
        finally:
            closed.append("closed")

    try:
        with EventStore(tmp_path / "events").appender("acme") as appender:
            pipeline._append_tables(tables(), pipeline._Sink(appender, erased=set()))
    except KeyError:  # (the batch has no "kind" column)
        assert closed == ["closed"]  # while the traceback still holds the frame that iterated them
    else:
        pytest.fail("the append of a table that is not events succeeded")
