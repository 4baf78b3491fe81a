"""Work done ahead of the Slack table path's consumer on worker threads: day files' bytes, and the tables.

An export is tens of thousands of small day files; opening and reading each is system calls, during which a
thread holds no GIL. :class:`ReadAhead` reads the files the reader will read (in its order, those in the import
window), :data:`BATCH_FILES` at a time and at most :data:`BATCHES_AHEAD` batches ahead, and hands each file's
bytes, or the error reading it raised, to :meth:`ReadAhead.read`, which the reader calls in the same order: what
it gets is what :meth:`~teamweave.ingest.slack_archive.SlackArchive.read` would have given or raised. Any other
name is read directly. Memory: the batches ahead (``BATCH_FILES * BATCHES_AHEAD`` day files).

:func:`produced_ahead` runs an iterator on a worker thread one item ahead of its consumer: the table path makes
its next table while the pipeline appends the last one to the store (which spends most of its time in Arrow and
Parquet code that holds no GIL). Its items, their order and the exception that ends it are the iterator's.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Final, TypeVar

T = TypeVar("T")

BATCH_FILES: Final = 256
BATCHES_AHEAD: Final = 4

Outcome = bytes | Exception
"""A file's bytes, or the exception reading it raised."""


class ReadAhead:
    """Reads ``names`` with ``read`` on a worker thread ahead of :meth:`read` (use :func:`read_ahead`)."""

    def __init__(self, read: Callable[[str], bytes], names: list[str]) -> None:
        self._read_now = read
        self._names = names
        self._next = 0  # position in names of the next file :meth:`read` expects
        self._ready: list[Outcome] = []  # the current batch's outcomes, from position _batch_start
        self._batch_start = 0
        self._batches: queue.Queue[list[Outcome]] = queue.Queue(maxsize=BATCHES_AHEAD)
        self._stop = threading.Event()
        self._worker = threading.Thread(target=self._run, name="slack-read-ahead", daemon=True)
        self._worker.start()

    def _run(self) -> None:
        read, names = self._read_now, self._names
        for start in range(0, len(names), BATCH_FILES):
            outcomes: list[Outcome] = []
            for name in names[start : start + BATCH_FILES]:
                try:
                    outcomes.append(read(name))
                except Exception as error:  # noqa: BLE001 - handed to the reader, raised where it reads
                    outcomes.append(error)
            while not self._stop.is_set():
                try:
                    self._batches.put(outcomes, timeout=0.1)
                    break
                except queue.Full:
                    continue
            if self._stop.is_set():
                return

    def read(self, name: str) -> bytes:
        """The bytes of a day file (what reading it gives or raises); a name out of the expected order is read
        directly."""
        position = self._next
        if position >= len(self._names) or self._names[position] != name:
            return self._read_now(name)
        if position - self._batch_start >= len(self._ready):
            batch = self._next_batch()
            if batch is None:  # the worker is gone: every file from here on is read directly
                self._names = self._names[:position]
                return self._read_now(name)
            self._batch_start += len(self._ready)
            self._ready = batch
        self._next += 1
        outcome = self._ready[position - self._batch_start]
        if isinstance(outcome, Exception):
            raise outcome
        return outcome

    def _next_batch(self) -> list[Outcome] | None:
        while True:
            try:
                return self._batches.get(timeout=0.5)
            except queue.Empty:
                if not self._worker.is_alive() and self._batches.empty():
                    return None

    def close(self) -> None:
        """Stop reading ahead and wait for the worker (it finishes the file it is reading)."""
        self._stop.set()
        self._worker.join()


@contextmanager
def read_ahead(read: Callable[[str], bytes], names: list[str]) -> Iterator[ReadAhead]:
    """A :class:`ReadAhead` for the duration of the block; its worker is stopped when the block ends."""
    files = ReadAhead(read, names)
    try:
        yield files
    finally:
        files.close()


_DONE: Final = object()


def produced_ahead(make: Callable[[Callable[[], bool]], Iterator[T]]) -> Iterator[T]:
    """The items of ``make(stopped)``, made on a worker thread one ahead of the consumer (the iterator is made,
    run and closed there; it should end soon after ``stopped()`` turns true, which it does when the consumer
    closes this generator); an exception it raises is raised here after the items made before it."""
    handoff: queue.Queue[tuple[object, BaseException | None]] = queue.Queue(maxsize=1)
    stop = threading.Event()

    def put(item: object, error: BaseException | None = None) -> bool:
        while not stop.is_set():
            try:
                handoff.put((item, error), timeout=0.1)
                return True
            except queue.Full:
                continue
        return False

    def produce() -> None:
        items: Iterator[T] | None = None
        try:
            items = make(stop.is_set)
            for item in items:
                if not put(item):
                    return
            put(_DONE)
        except BaseException as error:  # noqa: BLE001 - raised in the consumer's thread
            put(None, error)
        finally:
            close = getattr(items, "close", None)
            if close is not None:
                close()

    worker = threading.Thread(target=produce, name="slack-tables", daemon=True)
    worker.start()
    try:
        while True:
            try:
                item, error = handoff.get(timeout=0.5)
            except queue.Empty:
                if worker.is_alive() or not handoff.empty():
                    continue
                raise RuntimeError("the worker making the tables stopped") from None
            if error is not None:
                raise error
            if item is _DONE:
                return
            yield item  # type: ignore[misc]
    finally:
        stop.set()
        worker.join()
