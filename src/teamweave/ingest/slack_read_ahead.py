"""Day files' bytes read ahead of the Slack table path's reader on a worker thread.

An export is tens of thousands of small day files; opening and reading each is system calls, during which a
thread holds no GIL. :class:`ReadAhead` reads the files the reader will read (in its order, those in the import
window), :data:`BATCH_FILES` at a time and at most :data:`BATCHES_AHEAD` batches ahead, and hands each file's
bytes, or the error reading it raised, to :meth:`ReadAhead.read`, which the reader calls in the same order: what
it gets is what :meth:`~teamweave.ingest.slack_archive.SlackArchive.read` would have given or raised. Any other
name is read directly. Memory: the batches ahead (``BATCH_FILES * BATCHES_AHEAD`` day files).

The tables themselves are made one ahead of the consumer by :func:`~teamweave.ingest.work_ahead.produced_ahead`.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Final

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
