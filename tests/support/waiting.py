"""A progress reporter and a worker thread for tests of jobs that wait for their org's lock (store.org_lock)."""

from __future__ import annotations

import threading
from collections.abc import Callable

from sqlalchemy.orm import Session

from teamweave.store.org_lock import WAITING


class Waits:
    """Records the steps a job reports, and when it starts waiting for its org's lock."""

    def __init__(self) -> None:
        self.waiting = threading.Event()
        self.steps: list[str] = []

    def start(self, description: str, total: int | None = None) -> None:
        self.steps.append(description)
        if description.startswith(WAITING.split("{", 1)[0]):
            self.waiting.set()

    def advance(self, amount: int = 1) -> None:
        return None

    def finish(self) -> None:
        return None


def in_thread(job: Callable[[], object]) -> tuple[threading.Thread, list[BaseException]]:
    """Run ``job`` in a daemon thread; the list receives what it raised."""
    errors: list[BaseException] = []

    def run() -> None:
        try:
            job()
        except BaseException as error:  # noqa: BLE001 - the test reports it
            errors.append(error)

    worker = threading.Thread(target=run, daemon=True)
    worker.start()
    return worker, errors


def holder_then_job(holder: Session, job: Callable[[], object], waits: Waits, *, what: str) -> None:
    """While ``holder``'s transaction holds an org's lock, run ``job`` in a thread and check that it waits for it
    (``waits`` reports it); then commit ``holder`` (closed in any case: no lock left behind by a failed test) and
    check that ``job`` finishes without an error."""
    try:
        worker, errors = in_thread(job)
        assert waits.waiting.wait(30), f"{what} did not wait"
        assert worker.is_alive()
        holder.commit()
    finally:
        holder.close()
    worker.join(60)
    assert not errors, errors
    assert not worker.is_alive()
