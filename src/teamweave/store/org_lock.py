"""One job at a time per org, for the jobs that write people data across the database and the event store.

An erasure deletes a person's rows, events and kept tie files, and commits. An analysis that had read the events
before it would still write metric rows and kept tie files that name the person, after it; an import or the
recognition events an analysis writes first could put their events back. So each of these jobs holds its org's
lock from the start of its transaction to its end (commit or rollback), and they take turns: an erasure waits
for a running analysis to commit, then removes what it wrote; an analysis that starts during an erasure reads
the events after it. Pages and rituals do not take the lock.

PostgreSQL: a transaction-level advisory lock keyed by the org. SQLite: the database's single write lock (taken
by a write that changes nothing), which an analysis held anyway from its first write; here a second job waits
for it instead of failing after the engine's busy timeout.
"""

from __future__ import annotations

import hashlib
import sqlite3

from sqlalchemy import Connection, text
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from teamweave.errors import TeamweaveError
from teamweave.progress import NullProgress, ProgressReporter

WAIT_MS = 24 * 3600 * 1000
"""How long a job waits for another job of its org on SQLite (PostgreSQL waits as long as it takes)."""
WAITING = "Waiting for another analysis, import or erasure of org {org} to finish"


class OrgBusy(TeamweaveError):
    """Another job of the org held its lock for longer than a job waits (:data:`WAIT_MS`)."""

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
    if connection.dialect.name == "postgresql":
        key = {"key": org_lock_key(org)}
        if not connection.execute(text("SELECT pg_try_advisory_xact_lock(:key)"), key).scalar():
            reporter.start(WAITING.format(org=org))
            connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), key)
            reporter.finish()
        return
    waiting = _sqlite_busy(connection)
    if waiting:
        reporter.start(WAITING.format(org=org))
    _sqlite_write_lock(connection, org=org)
    if waiting:
        reporter.finish()


def _sqlite_write_lock(connection: Connection, *, org: str) -> None:
    """Begin this transaction's write on SQLite, waiting up to :data:`WAIT_MS` for another writer."""
    before = connection.exec_driver_sql("PRAGMA busy_timeout").scalar()
    connection.exec_driver_sql(f"PRAGMA busy_timeout = {WAIT_MS}")
    try:
        connection.execute(text("DELETE FROM analysis_runs WHERE 1 = 0"))  # begins the write: the lock
    except OperationalError as error:
        raise OrgBusy(
            "another analysis, import or erasure kept the database busy for a day", where=f"org {org}"
        ) from error
    finally:
        connection.exec_driver_sql(f"PRAGMA busy_timeout = {int(before or 0)}")


def _sqlite_busy(connection: Connection) -> bool:
    """Whether another connection holds SQLite's write lock now (asked on a connection of its own; False when
    this transaction wrote already, and so holds it)."""
    if getattr(connection.connection.dbapi_connection, "in_transaction", False):
        return False  # pysqlite begins a transaction at the first write only
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
