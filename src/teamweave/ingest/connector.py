"""What a connector is: an opened source that yields metadata-only interactions while it reads."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Protocol, runtime_checkable

import pyarrow as pa

from teamweave.ingest.context import ImportContext
from teamweave.ingest.records import Interaction


class Connector(Protocol):
    """An opened source. ``interactions`` streams records (skips and bad records go through ``ctx``);
    ``close`` releases files. Opening must fail with InputFormatError before anything is read when the
    source is not of the connector's format."""

    def interactions(self, ctx: ImportContext) -> Iterator[Interaction]: ...

    def close(self) -> None: ...


@runtime_checkable
class TableConnector(Connector, Protocol):
    """A connector that can also make its events as Arrow tables (:data:`~teamweave.store.events.EVENT_SCHEMA`):
    the pipeline then reads ``event_tables``, which must give the events of ``interactions``, in the same order,
    with the same effects on ``ctx`` (errors, skips, identities)."""

    def event_tables(self, ctx: ImportContext) -> Iterator[pa.Table]: ...
