"""Every byte a teamweave instance wrote, as searchable text — for tests proving content never reaches disk.

Parquet is compressed, so a raw grep of its bytes proves nothing: Parquet files are decoded row by row.
SQLite files are read raw (pages are uncompressed) and also dumped table by table. Everything else is read raw.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

import duckdb


def _parquet_text(path: Path) -> str:
    con = duckdb.connect()
    try:
        rows = con.execute(
            "SELECT CAST(t AS VARCHAR) FROM read_parquet(?, hive_partitioning = false) t", [str(path)]
        ).fetchall()
    finally:
        con.close()
    return "\n".join(r[0] for r in rows)


def _sqlite_text(path: Path) -> str:
    con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return "\n".join(con.iterdump())
    finally:
        con.close()


def stored_text(root: Path) -> str:
    """All content under ``root``, decoded: raw bytes of every file plus decoded Parquet and SQLite rows."""
    parts: list[str] = []
    for path in sorted(p for p in root.rglob("*") if p.is_file()):
        raw = path.read_bytes()
        parts.append(raw.decode("utf-8", errors="replace"))
        if path.suffix == ".parquet":
            parts.append(_parquet_text(path))
        elif raw.startswith(b"SQLite format 3"):
            parts.append(_sqlite_text(path))
    return "\n".join(parts)
