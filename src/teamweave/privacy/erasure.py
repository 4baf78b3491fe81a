"""A person's rights over their data: export everything held about them, and erase it.

Erasure removes the person's row, account, resolved identities and metrics, drops every event they acted in
and strikes them from the targets of others' events. The audit log keeps its entries (it records who looked,
not what they saw). Metrics of other people and teams still reflect the past until the next `analyze`.

The pseudonyms of an erased person (their own and their identities') are remembered as one-way marks, so that
importing an export that still holds them leaves their events and identities out (``privacy.erased``), until
``teamweave privacy readmit`` lets them back in (a person who rejoins, say). No name, e-mail, source id or
pseudonym of theirs is kept; the marks are pseudonymous data (docs/privacy.md, "A person's rights").
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import duckdb
from sqlalchemy.orm import Session

from teamweave.errors import NotFound
from teamweave.notify import service as notify_service
from teamweave.privacy import repository
from teamweave.privacy.erased import erasure_mark
from teamweave.progress import ProgressReporter
from teamweave.store.events import EventStore
from teamweave.store.org_lock import hold_org
from teamweave.store.rows import plain
from teamweave.store.tie_cache import TieCache


@dataclass(frozen=True)
class ErasureResult:
    events_removed: int
    events_scrubbed: int
    metric_rows: int
    identities: int
    accounts: int


def _find(session: Session, *, org: str, email: str) -> Any:
    person = repository.person(session, org=org, email=email)
    if person is None:
        raise NotFound(f"no person with e-mail {email}", where=f"org {org}")
    return person


def _pseudonyms(session: Session, *, org: str, person: Any) -> list[str]:
    identities = repository.identities_of(session, org=org, person_id=person.id)
    return [person.pseudonym, *(i.pseudonym for i in identities)]


def _event_summary(events: EventStore, *, org: str, pseudonyms: list[str]) -> list[dict[str, Any]]:
    if not events.has_events(org):
        return []
    con = duckdb.connect()
    try:
        rows = con.execute(
            "SELECT strftime(ts, '%Y-%m') AS month, source, kind, "
            "count(*) FILTER (WHERE list_contains(?, actor)) AS acted, "
            "count(*) FILTER (WHERE list_has_any(targets, ?)) AS reached "
            "FROM read_parquet(?, hive_partitioning = false) "
            "WHERE list_contains(?, actor) OR list_has_any(targets, ?) "
            "GROUP BY ALL ORDER BY ALL",
            [pseudonyms, pseudonyms, events.glob(org), pseudonyms, pseudonyms],
        ).fetchall()
    finally:
        con.close()
    return [{"month": m, "source": s, "kind": k, "acted": a, "reached": r} for m, s, k, a, r in rows]


def export_person(session: Session, *, org: str, email: str, events: EventStore) -> dict[str, Any]:
    """Everything teamweave holds about one person, as JSON-ready data (the person's own copy)."""
    person = _find(session, org=org, email=email)
    pseudonyms = _pseudonyms(session, org=org, person=person)
    return {
        "person": repository.person_profile(session, person=person),
        "accounts": [
            {"username": u.username, "role": u.role, "created_at": u.created_at.isoformat()}
            for u in repository.accounts_of(session, org=org, person_id=person.id)
        ],
        "identities": [
            {"source": i.source, "label": i.label}
            for i in repository.identities_of(session, org=org, person_id=person.id)
        ],
        "metrics": [plain(m) for m in repository.metrics_of(session, org=org, pseudonym=person.pseudonym)],
        "new_hire_integration": [
            plain(row) for row in repository.integration_of(session, org=org, person_id=person.id)
        ],
        "interactions_per_month": _event_summary(events, org=org, pseudonyms=pseudonyms),
        "views_of_your_data": [
            {"ts": a.ts.isoformat(), "viewer_role": a.viewer_role, "action": a.action, "of": a.subject_kind}
            for a in repository.audit_views_of(session, org=org, person=person)
        ],
    }


def erase_person(
    session: Session, *, org: str, email: str, events: EventStore, progress: ProgressReporter | None = None
) -> ErasureResult:
    """Erase a person from the database and the event store. The caller commits.

    Holds the org's lock (``store.org_lock``) until the session's transaction ends, waiting first for a running
    analysis, import or erasure of the org to end (shown on ``progress``): an analysis that read the events
    before the erasure would otherwise write the person's metrics and kept ties back after it.
    """
    hold_org(session, org=org, progress=progress)
    person = _find(session, org=org, email=email)
    pseudonyms = _pseudonyms(session, org=org, person=person)
    metric_rows = len(repository.metrics_of(session, org=org, pseudonym=person.pseudonym))
    identities = len(pseudonyms) - 1
    accounts = len(repository.accounts_of(session, org=org, person_id=person.id))
    notify_service.forget_person(session, org=org, person_id=person.id)  # messages ABOUT them (docs/notify.md)
    repository.delete_person(session, org=org, person=person)
    repository.record_erasure_marks(
        session,
        org=org,
        person_mark=erasure_mark(person.pseudonym),
        marks=map(erasure_mark, pseudonyms),
        at=datetime.now(UTC),
    )
    session.flush()
    removed, scrubbed = events.erase_pseudonyms(org, pseudonyms)
    TieCache.beside(events).clear(org)  # the kept tie tables of the last analysis hold their pairs
    return ErasureResult(removed, scrubbed, metric_rows, identities, accounts)
