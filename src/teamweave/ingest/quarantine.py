"""Quarantine files: one JSON line per bad record, saying where it is and why — never what it says.

A line holds only ``location`` (file and record index or line), ``reason``, and a few content-free keys
(the record's field *names*, its timestamp). Text, subjects, file names and attachments are never written:
the writer refuses any other key.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from types import TracebackType
from typing import IO, Final

ALLOWED_KEYS: Final = frozenset({"location", "reason", "source", "fields", "ts", "subtype", "kind"})


class QuarantineWriter:
    """Writes quarantined records of one import to ``<dir>/<source>-<run>-<time>.jsonl``, created on first use."""

    def __init__(self, directory: Path, *, source: str, run_id: int) -> None:
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
        self.path: Final = Path(directory) / f"{source}-run{run_id}-{stamp}.jsonl"
        self._source = source
        self._handle: IO[str] | None = None
        self.count = 0

    def write(self, *, location: str, reason: str, **keys: object) -> None:
        """Quarantine one record; ``keys`` must be content-free (see :data:`ALLOWED_KEYS`)."""
        unknown = set(keys) - ALLOWED_KEYS
        if unknown:
            raise ValueError(f"quarantine refuses keys {sorted(unknown)}")
        if self._handle is None:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._handle = open(self.path, "a", encoding="utf-8")  # closed in close()
        line = {"source": self._source, "location": location, "reason": reason, **keys}
        self._handle.write(json.dumps(line, ensure_ascii=False, sort_keys=True) + "\n")
        self.count += 1

    @property
    def written(self) -> Path | None:
        """The file, when anything was quarantined."""
        return self.path if self.count else None

    def close(self) -> None:
        if self._handle is not None:
            self._handle.close()
            self._handle = None

    def __enter__(self) -> QuarantineWriter:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()
