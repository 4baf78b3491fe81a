"""Fixtures for identity resolution: a small Slack export imported for real, with people in the directory.

Users: ana and ben (matched by e-mail), ghost and casper (no e-mail: unresolved identities), deploybot (a bot).
Channels: ``general`` (ana, ben, ghost): three messages, each reaching all three; ``side`` (ben, ghost):
three messages that ana never sees. cy is in the directory but in no event.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy.orm import Session
from tests.ingest.builders import ORG, TEAM, Importer, msg, user, write_export_folder

from teamweave.people.models import Person
from teamweave.privacy.pseudonym import Pseudonymiser
from teamweave.store.events import EventStore

KEY = b"k" * 32
JAN_8 = 1704708000  # 2024-01-08 10:00 UTC, a Monday
GHOST_RAW_ID = f"{TEAM}:U3"
GHOST = Pseudonymiser(KEY).identity("slack", GHOST_RAW_ID)


@pytest.fixture
def importer(session: Session, tmp_path: Path) -> Importer:
    return Importer(session, EventStore(tmp_path / "events"), Pseudonymiser(KEY), tmp_path / "quarantine")


@pytest.fixture
def people(importer: Importer) -> dict[str, Person]:
    return {name: importer.add_person(f"{name}@acme.test", name.title()) for name in ("ana", "ben", "cy")}


def _ts(offset_minutes: int) -> str:
    return f"{JAN_8 + 60 * offset_minutes}.000100"


@pytest.fixture
def export(tmp_path: Path) -> Path:
    users = [
        user("U1", "ana", "ana@acme.test"),
        user("U2", "ben", "ben@acme.test"),
        user("U3", "ghost"),
        user("U4", "casper"),
        user("U9", "deploybot", is_bot=True),
    ]
    channels = {"general": ["U1", "U2", "U3"], "side": ["U2", "U3"], "ops": ["U2", "U4", "U9"]}
    days = {
        "general/2024-01-08.json": [msg(_ts(0), "U1"), msg(_ts(1), "U3"), msg(_ts(2), "U2")],
        "side/2024-01-08.json": [msg(_ts(10), "U3"), msg(_ts(11), "U3"), msg(_ts(12), "U2")],
        "ops/2024-01-08.json": [msg(_ts(20), "U9"), msg(_ts(21), "U4")],
    }
    return write_export_folder(tmp_path / "export", users, channels, days)


@pytest.fixture
def imported(session: Session, importer: Importer, people: dict[str, Person], export: Path) -> Importer:
    """The export imported once (committed), people in the directory."""
    importer(export)
    session.commit()
    return importer


__all__ = ["GHOST", "GHOST_RAW_ID", "ORG"]
