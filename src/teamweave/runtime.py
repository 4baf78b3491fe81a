"""The running product's parts, built from settings: engine, sessions, event store, pseudonymiser.

The CLI, the web app and the demo build one :class:`Runtime`; services receive its parts explicitly.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from teamweave.config import Settings
from teamweave.privacy.pseudonym import Pseudonymiser
from teamweave.store.engine import make_engine
from teamweave.store.events import EventStore
from teamweave.store.migrate import upgrade
from teamweave.store.session import session_factory


@dataclass
class Runtime:
    settings: Settings
    _migrated: bool = field(default=False, init=False)

    @cached_property
    def engine(self) -> Engine:
        return make_engine(self.settings.resolved_database_url)

    @cached_property
    def sessions(self) -> sessionmaker[Session]:
        return session_factory(self.engine)

    @cached_property
    def events(self) -> EventStore:
        return EventStore(self.settings.events_dir)

    @cached_property
    def pseudonymiser(self) -> Pseudonymiser:
        return Pseudonymiser(self.settings.resolved_pseudonym_key())

    def migrate(self) -> None:
        """Bring the database schema up to date (once per runtime)."""
        if not self._migrated:
            upgrade(self.engine)
            self._migrated = True

    def close(self) -> None:
        if "engine" in self.__dict__:
            self.engine.dispose()
