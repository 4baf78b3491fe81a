"""The csv module's field size limit is process-wide: set it for one reading and put it back afterwards."""

from __future__ import annotations

import csv
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Final

DEFAULT_FIELD_CHARS: Final = 131_072  # the csv module's own default


@contextmanager
def field_size_limit(limit: int) -> Iterator[None]:
    """Read CSV with fields of at most ``limit`` characters inside the block; the previous limit after it.

    Examples
    --------
    >>> with field_size_limit(10):
    ...     csv.field_size_limit()
    10
    >>> csv.field_size_limit() == DEFAULT_FIELD_CHARS
    True
    """
    previous = csv.field_size_limit(limit)
    try:
        yield
    finally:
        csv.field_size_limit(previous)
