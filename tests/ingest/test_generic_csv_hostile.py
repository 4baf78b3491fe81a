"""Hostile CSV: missing columns, bad dates, huge fields and lines, NUL bytes, other encodings, random bytes.
Open refuses a file that is not this format with InputFormatError; otherwise each bad row is quarantined with
its line; nothing else is ever raised and nothing hangs. Every input is read by both readers (row by row, and
in blocks with Arrow, in blocks of 64 bytes and of the default size), which must agree in every respect."""

from __future__ import annotations

import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from tests.ingest.csv_readers import both

from teamweave.errors import InputFormatError
from teamweave.ingest import generic_csv, generic_csv_blocks
from teamweave.ingest.context import ImportContext
from teamweave.ingest.generic_csv import CsvEvents
from teamweave.ingest.identity import SourceIdentity
from teamweave.ingest.quarantine import QuarantineWriter
from teamweave.ingest.records import Interaction
from teamweave.privacy.pseudonym import Pseudonymiser

P = Pseudonymiser(b"k" * 32)
FAST = settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
HEADER = "ts,source,kind,actor,targets,audience,duration,channel,id\n"
GOOD = "2025-01-01T00:00:00Z,,message,ana@example.org,bo@example.org,,,,\n"


class Identities:
    def __init__(self) -> None:
        self.unmatched: dict[str, str] = {}
        self.bots: dict[str, str] = {}

    def pseudonym(self, identity: SourceIdentity) -> str:
        assert len(identity.label) <= 300
        return P.identity("csv", identity.raw_id)


def _import(content: bytes) -> tuple[list[Interaction], ImportContext] | None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "events.csv"
        path.write_bytes(content)
        try:
            connector = CsvEvents.open(path)
        except InputFormatError as error:
            refused = error
        else:
            refused = None
        if refused is not None:
            assert refused.file == "events.csv"
            return None
        both(path)
        default, generic_csv_blocks.BLOCK_BYTES = generic_csv_blocks.BLOCK_BYTES, 64
        try:
            both(path)
        finally:
            generic_csv_blocks.BLOCK_BYTES = default
        with QuarantineWriter(Path(tmp) / "q", source="csv", run_id=1) as quarantine:
            ctx = ImportContext(org="acme", pseudonymiser=P, identities=Identities(), quarantine=quarantine)  # type: ignore[arg-type]
            events = list(connector.interactions(ctx))
        for event in events:
            assert event.audience >= len(event.targets)
        assert all(error.startswith("events.csv, line ") for error in ctx.errors)
        return events, ctx


cells = st.text(alphabet=st.characters(blacklist_categories=["Cs"]), max_size=40) | st.sampled_from(
    ["2025-01-01T00:00:00Z", "message", "ana@example.org", "a;b;c", "7", "-1", "1e308", "nan", '"', "\x00", "\r\n"]
)


@FAST
@given(st.lists(st.lists(cells, min_size=0, max_size=11), max_size=8))
def test_random_rows_under_a_good_header(table: list[list[str]]) -> None:
    body = "".join(",".join(row) + "\n" for row in table)
    result = _import((HEADER + body + GOOD).encode("utf-8", "surrogatepass"))
    assert result is not None


@FAST
@given(st.binary(max_size=400))
def test_random_bytes(content: bytes) -> None:
    _import(content)
    result = _import(HEADER.encode() + content + b"\n" + GOOD.encode())
    assert result is not None
    assert len(result[0]) >= 1 or result[1].errors


@FAST
@given(st.sampled_from(["latin-1", "utf-16", "utf-16-le", "cp1252", "utf-32"]))
def test_other_encodings(encoding: str) -> None:
    text = HEADER + "2025-01-01T00:00:00Z,,message,jürgen@example.org,zoë@example.org,,,Café,\n" + GOOD
    result = _import(text.encode(encoding))
    if result is not None and encoding in {"latin-1", "cp1252"}:
        events, ctx = result
        assert len(events) == 1
        assert ctx.errors == ["events.csv, line 2, field 'actor': not valid UTF-8 text"]


def test_nul_bytes_huge_fields_and_lines(monkeypatch: object) -> None:
    rows = [
        "2025-01-01T00:00:00Z,,message,ana\x00@example.org,bo@example.org,,,,\n",
        "2025-01-01T00:00:00Z,,message,ana@example.org," + "b" * 500 + "@example.org,,,,\n",
        "2025-01-01T00:00:00Z,,message,ana@example.org,bo@example.org,,,," + "x" * 1000 + "\n",
        '2025-01-01T00:00:00Z,,message,ana@example.org,"' + "q" * 140_000 + '",,,,\n',
        "2025-01-01T00:00:00Z,,message,ana@example.org," + ";".join(f"u{i}" for i in range(10_001)) + ",,,,\n",
        "2025-01-01T00:00:00Z,,message,ana@example.org,bo@example.org,,,," + "y" * (2 * 1024 * 1024) + "\n",
        GOOD,
    ]
    result = _import((HEADER + "".join(rows)).encode())
    assert result is not None
    events, ctx = result
    assert len(events) == 1
    assert ctx.errors == [
        "events.csv, line 2, field 'actor': NUL byte",
        "events.csv, line 3, field 'targets': a target longer than 320 characters",
        "events.csv, line 4, field 'id': value longer than 320 characters",
        "events.csv, line 5: unreadable row (field larger than field limit (131072))",
        "events.csv, line 6, field 'targets': more than 10000 targets",
        f"events.csv, line 7: line longer than {generic_csv.MAX_LINE_CHARS} characters",
    ]


def test_missing_columns_and_empty_files() -> None:
    assert _import(b"") is None
    assert _import(b"ts,kind,actor\n2025-01-01T00:00:00Z,message,a\n") is None
    assert _import(b"\x00\x01\x02") is None
    result = _import(HEADER.encode())
    assert result == ([], result[1]) if result else False
    unterminated = _import((HEADER + '2025-01-01T00:00:00Z,,message,"ana@example.org\n').encode())
    assert unterminated is not None
    assert unterminated[0] == []
