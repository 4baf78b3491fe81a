"""Row masks for the connectors that work on Arrow columns (the generic CSV's blocks, Teams' message blocks):
boolean Arrow results as numpy masks, and the import window (``--since``/``--until``) as one."""

from __future__ import annotations

from typing import Final

import numpy as np
import numpy.typing as npt
import pyarrow as pa
import pyarrow.compute as pc

from teamweave.ingest.context import ImportContext

TS_TYPE: Final = pa.timestamp("us", tz="UTC")
"""The event time's type in the columns (``store.events.EVENT_SCHEMA``)."""

Mask = npt.NDArray[np.bool_]


def mask(array: pa.Array | pa.ChunkedArray) -> Mask:
    """A boolean Arrow array as numpy."""
    return np.asarray(array.to_numpy(zero_copy_only=False), dtype=bool)


def in_window(ts: pa.Array, ctx: ImportContext) -> Mask:
    """Which of the times ``ts`` fall in the import's window (``ctx.since`` included, ``ctx.until`` excluded)."""
    inside = np.ones(len(ts), dtype=bool)
    if ctx.since is not None:
        inside &= mask(pc.greater_equal(ts, pa.scalar(ctx.since, TS_TYPE)))
    if ctx.until is not None:
        inside &= mask(pc.less(ts, pa.scalar(ctx.until, TS_TYPE)))
    return inside
