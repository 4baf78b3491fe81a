"""Newcomers' integration curves as an analysis stores them, and their contacts kept for the next incremental run."""

from __future__ import annotations

from datetime import date

import pyarrow as pa
from sqlalchemy.orm import Session

from teamweave.analytics.incremental import INTEGRATION_REACH
from teamweave.analytics.integration import contacts_of_newcomers
from teamweave.network import writer
from teamweave.people import service as people_service
from teamweave.store.tie_cache import TieCache


def store_integration(session: Session, curves: pa.Table, *, org: str, only: set[str] | None = None) -> int:
    """Newcomers' integration curves (``analytics.integration``), keyed by person (rows go when the person is
    erased). With ``only`` (an incremental run: the participants hold part of the data), the curves of those
    pseudonyms alone are replaced."""
    entries = {e.pseudonym: e for e in people_service.directory(session, org=org)}
    rows = [
        {
            "person_id": entries[r["person"]].person_id,
            "team_id": entries[r["person"]].team_id,
            "start_date": r["start_date"],
            "ties_30": r["ties_30"],
            "ties_60": r["ties_60"],
            "ties_90": r["ties_90"],
        }
        for r in curves.to_pylist()
        if r["person"] in entries and (only is None or r["person"] in only)
    ]
    ids = None if only is None else [entries[p].person_id for p in sorted(only) if p in entries]
    return writer.replace_integration(session, org=org, rows=rows, person_ids=ids)


def keep_contacts(cache: TieCache, *, org: str, contacts: pa.Table, people: pa.Table, last_day: date | None) -> None:
    """Keep, for the next incremental run, the contacts of the newcomers whose first 90 days can still reach
    new events (those who started within 92 days of the data's last local day)."""
    if last_day is not None:
        started_from = last_day - INTEGRATION_REACH
        recent = contacts_of_newcomers(contacts, people, started_from=started_from)
        cache.keep_contacts(org, recent, complete_from=started_from)
