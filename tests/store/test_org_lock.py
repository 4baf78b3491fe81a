"""One job at a time per org (store.org_lock): a second job waits for the first one's transaction to end."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import Engine
from sqlalchemy.exc import OperationalError
from tests.support.waiting import Waits, in_thread

from teamweave.store import org_lock
from teamweave.store.engine import make_engine
from teamweave.store.models import metadata
from teamweave.store.org_lock import OrgBusy, hold_org, org_lock_key
from teamweave.store.session import session_factory


def test_a_second_job_of_the_org_waits_until_the_first_one_commits(engine: Engine) -> None:
    factory = session_factory(engine)
    first = factory()
    hold_org(first, org="acme")
    waits = Waits()
    acquired = []

    def second() -> None:
        with factory() as session:
            hold_org(session, org="acme", progress=waits)
            acquired.append(True)
            session.commit()

    try:
        worker, errors = in_thread(second)
        assert waits.waiting.wait(30)
        assert waits.steps == ["Waiting for another analysis, import or erasure of org acme to finish"]
        worker.join(0.5)
        assert worker.is_alive()  # still waiting
        assert not acquired
        first.rollback()  # a rollback ends the transaction too
    finally:
        first.close()
    worker.join(30)
    assert not errors, errors
    assert acquired == [True]


def test_the_lock_is_held_again_within_its_transaction_without_waiting(engine: Engine) -> None:
    with session_factory(engine)() as session:
        hold_org(session, org="acme")
        waits = Waits()
        hold_org(session, org="acme", progress=waits)
        assert waits.steps == []
        session.commit()


@pytest.mark.postgres
def test_other_orgs_do_not_wait_on_postgresql(postgres_url: str) -> None:
    """PostgreSQL locks one org; SQLite has one writer at a time for the whole database."""
    engine = make_engine(postgres_url)
    factory = session_factory(engine)
    try:
        with factory() as first, factory() as second:
            hold_org(first, org="acme")
            waits = Waits()
            worker, errors = in_thread(lambda: hold_org(second, org="globex", progress=waits))
            worker.join(30)  # (a thread: a regression would wait here, not hang the suite)
            first.rollback()
            worker.join(30)
            assert not errors, errors
            assert waits.steps == []
    finally:
        engine.dispose()


def test_a_job_gives_up_on_sqlite_after_waiting_its_time(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'busy.db'}")
    metadata.create_all(engine)
    factory = session_factory(engine)
    monkeypatch.setattr(org_lock, "WAIT_S", 0.5)
    try:
        with factory() as first, factory() as second:
            hold_org(first, org="acme")
            waits = Waits()
            with pytest.raises(OrgBusy, match="kept the database busy") as raised:
                hold_org(second, org="acme", progress=waits)
            assert raised.value.where == "org acme"
            assert len(waits.steps) == 1  # it said it was waiting
    finally:
        engine.dispose()


def test_a_failure_that_is_not_a_lock_is_not_taken_for_one(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'empty.db'}")  # no tables: the write it locks with fails
    try:
        with session_factory(engine)() as session, pytest.raises(OperationalError, match="no such table"):
            hold_org(session, org="acme")
    finally:
        engine.dispose()


def test_lock_keys_are_signed_64_bit_and_differ_by_org() -> None:
    keys = {org_lock_key(f"org{i}") for i in range(1000)}
    assert len(keys) == 1000
    assert all(-(2**63) <= key < 2**63 for key in keys)
