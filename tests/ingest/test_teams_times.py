"""Graph timestamps: 0 to 7 (or more) fraction digits, Z or an offset, read as UTC with microseconds truncated."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from teamweave.ingest.teams_graph import parse_time


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2023-01-02T08:00:00.0000000Z", datetime(2023, 1, 2, 8, tzinfo=UTC)),
        ("2023-01-02T08:00:00.1234567Z", datetime(2023, 1, 2, 8, 0, 0, 123456, tzinfo=UTC)),
        ("2023-01-02T08:00:00.123456789Z", datetime(2023, 1, 2, 8, 0, 0, 123456, tzinfo=UTC)),
        ("2023-01-02T08:00:00.9999999+05:30", datetime(2023, 1, 2, 2, 30, 0, 999999, tzinfo=UTC)),
        ("2023-01-02T08:00:00.12Z", datetime(2023, 1, 2, 8, 0, 0, 120000, tzinfo=UTC)),
        ("2023-01-02 08:00:00.1234567", datetime(2023, 1, 2, 8, 0, 0, 123456, tzinfo=UTC)),
        ("2023-01-02T08:00:00.1234567ZZ", None),
        ("2023-01-02T24:00:00Z", None),
        ("yesterday, noon", None),
        (1672646400, None),
    ],
)
def test_graph_times_read_as_utc(text: object, expected: datetime | None) -> None:
    assert parse_time(text) == expected
