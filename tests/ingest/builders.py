"""Helpers for connector tests: a pipeline runner and small synthetic Slack export parts."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from teamweave.imports.models import Identity
from teamweave.imports.schemas import ImportSummary
from teamweave.ingest.context import ImportContext
from teamweave.ingest.pipeline import import_path
from teamweave.people.models import Person
from teamweave.privacy.pseudonym import Pseudonymiser
from teamweave.store.events import EventStore, records_to_table

ORG = "acme"
TEAM = "T1"


@dataclass
class Importer:
    session: Session
    events: EventStore
    pseudonymiser: Pseudonymiser
    quarantine_dir: Path

    def __call__(self, path: Path, **options: Any) -> ImportSummary:
        return import_path(
            self.session,
            org=ORG,
            path=path,
            events=self.events,
            pseudonymiser=self.pseudonymiser,
            quarantine_dir=self.quarantine_dir,
            **options,
        )

    def rows(self) -> list[dict[str, Any]]:
        import duckdb

        con = duckdb.connect()
        try:
            table = self.events.read(ORG, con).order("ts, event_id").to_arrow_table()
        finally:
            con.close()
        return list(table.to_pylist())

    def add_person(self, email: str, name: str = "P") -> Person:
        person = Person(
            org=ORG,
            email=email.lower(),
            name=name,
            pseudonym=self.pseudonymiser.person_of_email(email),
            timezone="UTC",
        )
        self.session.add(person)
        self.session.flush()
        return person


def user(uid: str, name: str, email: str | None = None, *, is_bot: bool = False) -> dict[str, Any]:
    profile: dict[str, Any] = {"real_name": name.title()}
    if email:
        profile["email"] = email
    return {"id": uid, "team_id": TEAM, "name": name, "is_bot": is_bot, "profile": profile}


def msg(ts: str, uid: str | None, text: str = "hello", **extra: Any) -> dict[str, Any]:
    m: dict[str, Any] = {"type": "message", "ts": ts, "text": text, **extra}
    if uid is not None:
        m["user"] = uid
    return m


WriteExport = Callable[..., Path]


def write_export_folder(
    root: Path,
    users: list[dict[str, Any]],
    channels: dict[str, list[str]],
    days: dict[str, list[dict[str, Any]] | str],
) -> Path:
    """Write a Slack export folder: users, channels (name -> members) and day files (path -> messages or raw)."""
    root.mkdir(parents=True)
    (root / "users.json").write_text(json.dumps(users))
    listed = [{"id": f"C{i}", "name": n, "members": m} for i, (n, m) in enumerate(channels.items())]
    (root / "channels.json").write_text(json.dumps(listed))
    for path, content in days.items():
        (root / path).parent.mkdir(parents=True, exist_ok=True)
        (root / path).write_text(content if isinstance(content, str) else json.dumps(content))
    return root


class RecordsOnly:
    """A connector's record path alone: not a TableConnector, so the pipeline reads its ``interactions`` and
    appends records (the reference the table paths are compared with)."""

    def __init__(self, inner: Any) -> None:
        self._inner = inner

    def interactions(self, ctx: ImportContext) -> Any:
        return self._inner.interactions(ctx)

    def close(self) -> None:
        self._inner.close()


def read_events(connector: Any, ctx: ImportContext, *, tables: bool) -> list[dict[str, Any]]:
    """A connector's events as rows, read one way: its table path (``event_tables``, what the pipeline reads)
    or its record path (``interactions``)."""
    if tables:
        return [row for table in connector.event_tables(ctx) for row in table.to_pylist()]
    return records_to_table(list(connector.interactions(ctx))).to_pylist()


def summary_and_identities(session: Session, summary: ImportSummary, org: str) -> tuple[dict[str, Any], list[Any]]:
    """What an import reported (without run-specific fields) and the org's identity rows in creation order."""
    fields = summary.model_dump(exclude={"run_id", "seconds", "events_per_second", "quarantine_file"})
    rows = session.execute(
        select(Identity.pseudonym, Identity.label, Identity.is_bot).where(Identity.org == org).order_by(Identity.id)
    )
    return fields, [tuple(row) for row in rows]
