"""The stored-text scanner sees inside compressed Parquet."""

from __future__ import annotations

from pathlib import Path

import duckdb
from tests.support.stored_text import stored_text


def test_stored_text_finds_values_inside_compressed_parquet(tmp_path: Path) -> None:
    con = duckdb.connect()
    con.execute(
        "COPY (SELECT 'needle-' || range || '-in-parquet' AS a FROM range(5000)) "
        "TO ? (FORMAT parquet, COMPRESSION zstd)",
        [str(tmp_path / "x.parquet")],
    )
    text = stored_text(tmp_path)
    assert "needle-2500-in-parquet" in text
    assert b"needle-2500-in-parquet" not in (tmp_path / "x.parquet").read_bytes()  # a raw grep is blind
