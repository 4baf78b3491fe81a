"""slack_read_ahead: day files read ahead on a worker thread give what reading them gives, in order, errors where
they were raised; tables made one ahead on another thread keep their order and errors, and stop when closed.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator

import pytest

from teamweave.ingest import slack_read_ahead
from teamweave.ingest.slack_read_ahead import ReadAhead
from teamweave.ingest.work_ahead import produced_ahead


def test_read_ahead_gives_what_reading_gives(monkeypatch: pytest.MonkeyPatch) -> None:
    """In order, each file's bytes or its error, at the file that raised it; batch edges; other names read
    directly; a stopped worker stops."""
    monkeypatch.setattr(slack_read_ahead, "BATCH_FILES", 2)
    monkeypatch.setattr(slack_read_ahead, "BATCHES_AHEAD", 1)
    read_by: list[str] = []

    def read(name: str) -> bytes:
        read_by.append(threading.current_thread().name)
        if name == "bad":
            raise OSError("unreadable")
        return name.encode()

    names = ["a", "b", "bad", "c", "d"]
    with slack_read_ahead.read_ahead(read, names) as files:
        assert files.read("a") == b"a"
        assert files.read("b") == b"b"
        with pytest.raises(OSError, match="unreadable"):
            files.read("bad")
        assert files.read("elsewhere") == b"elsewhere"  # not expected next: read here
        assert files.read("c") == b"c"
        assert files.read("d") == b"d"
        assert files.read("d") == b"d"  # past the end: read here
    assert read_by.count("slack-read-ahead") == len(names)
    stopped = ReadAhead(read, [str(i) for i in range(100)])
    assert stopped.read("0") == b"0"
    stopped.close()
    assert not stopped._worker.is_alive()


def test_read_ahead_falls_back_when_its_worker_dies(monkeypatch: pytest.MonkeyPatch) -> None:
    def broken_run(self: ReadAhead) -> None:
        return  # gone without a batch

    monkeypatch.setattr(ReadAhead, "_run", broken_run)
    with slack_read_ahead.read_ahead(lambda name: name.encode(), ["a", "b"]) as files:
        assert files.read("a") == b"a"
        assert files.read("b") == b"b"


def test_produced_ahead_keeps_order_errors_and_stops() -> None:
    assert list(produced_ahead(lambda stopped: iter(range(5)))) == [0, 1, 2, 3, 4]

    def failing() -> Iterator[int]:
        yield 1
        yield 2
        raise OSError("disk vanished")

    got: list[int] = []
    with pytest.raises(OSError, match="disk vanished"):
        got.extend(produced_ahead(lambda stopped: failing()))
    assert got == [1, 2]
    closed = threading.Event()

    def endless(stopped: Callable[[], bool]) -> Iterator[int]:
        try:
            n = 0
            while not stopped():
                yield n
                n += 1
        finally:
            closed.set()

    ahead = produced_ahead(endless)
    assert next(ahead) == 0
    ahead.close()  # the consumer stops: the producer is closed on its own thread
    assert closed.wait(5)
