"""One job at a time per org, for the jobs that write people data across the database and the event store.

An erasure deletes a person's rows, events and kept tie files, and commits. An analysis that had read the events
before it would still write metric rows and kept tie files that name the person, after it; an import or the
recognition events an analysis writes first could put their events back. So each of these jobs holds its org's
lock from the start of its transaction to its end (commit or rollback), and they take turns: an erasure waits
for a running analysis to commit, then removes what it wrote; an analysis that starts during an erasure reads
the events after it. The jobs that take it: ``analyze`` (its recognition events and the 1:1s it finds in calendars
included), event and HR imports, erasure, and ``remind`` (which finds 1:1s too); pages do not.

PostgreSQL: a transaction-level advisory lock keyed by the org; the job then reads what was committed before it
got the lock, as PostgreSQL's default isolation (READ COMMITTED, which the engine keeps) gives each statement a
new snapshot. SQLite: the database's single write lock (taken by a write that changes nothing), which an
analysis held anyway from its first write, for every org and every writer (a page that writes during a long
analysis still fails after the engine's busy timeout); here a second job waits for it, in steps of
:data:`RETRY_MS` so that Ctrl-C stops it, instead of failing after the busy timeout.
"""

from __future__ import annotations

import hashlib
import sqlite3
import time
from typing import Final

from sqlalchemy import Connection, text
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from teamweave.errors import TeamweaveError
from teamweave.progress import NullProgress, ProgressReporter

WAIT_S: Final = 24 * 3600.0
"""How long a job waits for another job of its org on SQLite (PostgreSQL waits as long as it takes)."""
RETRY_MS: Final = 200
"""SQLite's busy timeout for each try at its write lock while a job waits."""
WAITING: Final = "Waiting for another analysis, import or erasure of org {org} to finish"
_HELD: Final = "teamweave.org_lock"  # session.info: (the transaction, the orgs whose lock it holds)


class OrgBusy(TeamweaveError):
    """Another job of the org held its lock for longer than a job waits (:data:`WAIT_S`)."""

    status = 409


def org_lock_key(org: str) -> int:
    """The org's advisory lock key on PostgreSQL: a signed 64-bit hash of its name.

    Examples
    --------
    >>> org_lock_key("acme") == org_lock_key("acme") != org_lock_key("acme2")
    True
    """
    digest = hashlib.blake2b(f"teamweave.org:{org}".encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big", signed=True)


def hold_org(session: Session, *, org: str, progress: ProgressReporter | None = None) -> None:
    """Hold ``org``'s lock until the session's transaction ends, waiting while another job holds it (shown on
    ``progress`` as a step of unknown length).

    Call it before the transaction writes anything (pending objects are not flushed by it): on SQLite the first
    write of a transaction is where it waits.
    """
    reporter: ProgressReporter = progress or NullProgress()
    connection = session.connection()  # no autoflush: a pending write would wait outside this function
    transaction = connection.get_transaction()
    held: tuple[object, set[str]] | None = session.info.get(_HELD)
    if held is not None and held[0] is transaction and org in held[1]:
        return  # held already in this transaction: no statement
    if connection.dialect.name == "postgresql":
        _postgresql_lock(connection, org=org, reporter=reporter)
    else:
        _sqlite_lock(connection, org=org, reporter=reporter)
    orgs = held[1] if held is not None and held[0] is transaction else set()
    session.info[_HELD] = (transaction, orgs | {org})


def _postgresql_lock(connection: Connection, *, org: str, reporter: ProgressReporter) -> None:
    key = {"key": org_lock_key(org)}
    if connection.execute(text("SELECT pg_try_advisory_xact_lock(:key)"), key).scalar():
        return
    reporter.start(WAITING.format(org=org))
    try:
        connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), key)
    finally:
        reporter.finish()


def _sqlite_lock(connection: Connection, *, org: str, reporter: ProgressReporter) -> None:
    if getattr(connection.connection.dbapi_connection, "in_transaction", False):
        return  # this transaction wrote already (pysqlite begins one at the first write): it holds the lock
    if not _sqlite_busy(connection):
        _sqlite_write_lock(connection, org=org)
        return
    reporter.start(WAITING.format(org=org))
    try:
        _sqlite_write_lock(connection, org=org)
    finally:
        reporter.finish()


def _sqlite_write_lock(connection: Connection, *, org: str) -> None:
    """Begin this transaction's write on SQLite, trying every :data:`RETRY_MS` for up to :data:`WAIT_S` while
    another writer holds the lock."""
    before = connection.exec_driver_sql("PRAGMA busy_timeout").scalar()
    connection.exec_driver_sql(f"PRAGMA busy_timeout = {RETRY_MS}")
    deadline = time.monotonic() + WAIT_S
    try:
        while True:
            try:
                connection.execute(text("DELETE FROM analysis_runs WHERE 1 = 0"))  # begins the write: the lock
                return
            except OperationalError as error:
                code = getattr(error.orig, "sqlite_errorcode", None)
                if code is None or code & 0xFF != sqlite3.SQLITE_BUSY:
                    raise  # not a lock held by another writer: a real failure
                if time.monotonic() >= deadline:
                    raise OrgBusy(
                        f"another analysis, import or erasure kept the database busy for {WAIT_S / 3600:.0f} hours",
                        where=f"org {org}",
                    ) from error
    finally:
        connection.exec_driver_sql(f"PRAGMA busy_timeout = {int(before or 0)}")


def _sqlite_busy(connection: Connection) -> bool:
    """Whether another connection holds SQLite's write lock now (asked on a connection of its own)."""
    probe = connection.engine.raw_connection()
    try:
        cursor = probe.cursor()
        before = cursor.execute("PRAGMA busy_timeout").fetchone()
        cursor.execute("PRAGMA busy_timeout = 0")
        try:
            cursor.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError:  # database is locked
            return True
        else:
            cursor.execute("ROLLBACK")
            return False
        finally:
            cursor.execute(f"PRAGMA busy_timeout = {int(before[0]) if before else 0}")
    finally:
        probe.close()
