"""Work done ahead of its consumer on a worker thread.

:func:`produced_ahead` runs an iterator on a worker thread a few items ahead of its consumer: Slack's table path
makes its next table while the pipeline appends the last one to the store (which spends most of its time in
Arrow and Parquet code that holds no GIL), and the git connector reads git's output ahead while the records
already read are worked on (git's 64 KiB pipe would otherwise make git wait). Its items, their order and the
exception that ends it are the iterator's.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Callable, Generator, Iterator
from typing import Final, TypeVar

T = TypeVar("T")

_DONE: Final = object()


def produced_ahead(
    make: Callable[[Callable[[], bool]], Iterator[T]], *, ahead: int = 1, name: str = "work-ahead"
) -> Generator[T, None, None]:
    """The items of ``make(stopped)``, made on a worker thread (named ``name``) up to ``ahead`` items ahead of the
    consumer (the iterator is made, run and closed there; it should end soon after ``stopped()`` turns true, which
    it does when the consumer closes this generator: a worker blocked in a read must be unblocked by the caller
    first); an exception it raises is raised here after the items made before it."""
    handoff: queue.Queue[tuple[object, BaseException | None]] = queue.Queue(maxsize=ahead)
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

    worker = threading.Thread(target=produce, name=name, daemon=True)
    worker.start()
    try:
        while True:
            try:
                item, error = handoff.get(timeout=0.5)
            except queue.Empty:
                if worker.is_alive() or not handoff.empty():
                    continue
                raise RuntimeError(f"the worker thread {name} stopped") from None
            if error is not None:
                raise error
            if item is _DONE:
                return
            yield item  # type: ignore[misc]
    finally:
        stop.set()
        worker.join()
