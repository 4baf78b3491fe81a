"""Hostile Graph JSON: truncated, mis-encoded, deeply nested, wrongly typed, huge. The connector quarantines what
it cannot read, or refuses the path with InputFormatError at open; it never raises anything else or hangs."""

from __future__ import annotations

import json
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from tests.ingest.builders import read_events
from tests.ingest.test_teams_graph import GROUP, channel_files, group_chat_page, one_on_one_pages

from teamweave.errors import InputFormatError
from teamweave.ingest.context import ImportContext
from teamweave.ingest.identity import SourceIdentity
from teamweave.ingest.quarantine import QuarantineWriter
from teamweave.ingest.records import Interaction
from teamweave.ingest.teams_graph import TeamsMessages
from teamweave.privacy.pseudonym import Pseudonymiser

PSEUDONYMISER = Pseudonymiser(b"k" * 32)
FAST = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
VALID: list[object] = [one_on_one_pages(), group_chat_page(), *channel_files().values()]

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=30),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=12), children, max_size=4),
    max_leaves=20,
)


class Identities:
    """Stands in for the database-backed resolver: hostile input is about parsing, not identities."""

    def __init__(self) -> None:
        self.unmatched: dict[str, str] = {}
        self.bots: dict[str, str] = {}

    def pseudonym(self, identity: SourceIdentity) -> str:
        assert len(identity.label) <= 300
        return PSEUDONYMISER.identity("teams", identity.raw_id)


def _read(path: Path, folder: Path, *, tables: bool) -> tuple[list[dict[str, Any]], ImportContext]:
    """Open and read ``path`` one way (the record path, or the table path the pipeline uses)."""
    connector = TeamsMessages.open(path, max_file_bytes=2 * 1024**2)
    with QuarantineWriter(folder, source="teams", run_id=1) as quarantine:
        ctx = ImportContext(
            org="acme",
            pseudonymiser=PSEUDONYMISER,
            identities=Identities(),  # type: ignore[arg-type]
            quarantine=quarantine,
        )
        rows = read_events(connector, ctx, tables=tables)
    connector.close()
    return rows, ctx


def _quarantined(folder: Path) -> str:
    return "".join(path.read_text() for path in sorted(folder.glob("*.jsonl")))


def _import(write: Any) -> tuple[list[Interaction], ImportContext] | None:
    """Write input with ``write(folder)``, open and read it; None when open refused it (InputFormatError).
    Both paths read it: the table path must give the record path's events, errors, skips and quarantine."""
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        path = write(root)
        try:
            TeamsMessages.open(path, max_file_bytes=2 * 1024**2)
        except InputFormatError:
            return None
        rows, ctx = _read(path, root / "q", tables=False)
        table_rows, table_ctx = _read(path, root / "q-tables", tables=True)
        assert table_rows == rows
        assert (table_ctx.errors, list(table_ctx.skip_reasons.items())) == (ctx.errors, list(ctx.skip_reasons.items()))
        assert _quarantined(root / "q-tables") == _quarantined(root / "q")
        events = [Interaction(**{**row, "targets": tuple(row["targets"])}) for row in rows]
        for event in events:
            assert event.audience >= len(event.targets)
            assert event.actor not in event.targets
        return events, ctx


def _file(content: bytes, name: str = "messages.json") -> Any:
    def write(root: Path) -> Path:
        (root / name).write_bytes(content)
        return root / name

    return write


@FAST
@given(st.sampled_from(VALID).map(lambda v: json.dumps(v).encode()), st.data())
def test_truncated_files_are_quarantined(valid: bytes, data: st.DataObject) -> None:
    cut = data.draw(st.integers(min_value=1, max_value=len(valid) - 1))
    result = _import(_file(valid[:cut]))
    assert result is not None
    events, ctx = result
    assert events == []
    assert ctx.errors == ["messages.json: unreadable file (not valid JSON)"]


@FAST
@given(st.binary(max_size=300), st.sampled_from(["utf-8", "latin-1", "utf-16-le", "utf-32", "cp1252"]))
def test_random_bytes_and_encodings(prefix: bytes, encoding: str) -> None:
    text = json.dumps(group_chat_page(), ensure_ascii=False).replace("Standup", "Stånd–up ✓")
    body = text.encode(encoding, errors="replace")
    for content in (prefix, prefix + body, body, b"[" + prefix):
        _import(_file(content))


def _mutations(message: dict[str, Any]) -> Iterator[str]:
    yield from message
    yield from ("from", "mentions", "reactions", "channelIdentity")


@FAST
@given(st.data())
def test_wrong_types_anywhere_in_a_message(data: st.DataObject) -> None:
    response = group_chat_page()
    for message in response["value"]:
        keys = data.draw(st.lists(st.sampled_from(sorted(set(_mutations(message)))), max_size=4))
        for key in keys:
            message[key] = data.draw(json_values)
        nested = data.draw(st.sampled_from(["from", "mentions", "reactions"]))
        if isinstance(message.get(nested), dict):
            message[nested]["user"] = data.draw(json_values)
        elif isinstance(message.get(nested), list) and message[nested]:
            message[nested][0] = data.draw(json_values)
    shape = data.draw(st.sampled_from(["page", "pages", "bare"]))
    wrapped = {"page": response, "pages": [response, response], "bare": response["value"]}[shape]
    result = _import(_file(json.dumps(wrapped).encode()))
    assert result is not None


@FAST
@given(json_values)
def test_any_json_document(document: object) -> None:
    result = _import(_file(json.dumps(document).encode()))
    if result is not None:
        assert len(result[1].errors) <= 1 + len(json.dumps(document))


@settings(max_examples=10, deadline=None)
@given(st.integers(min_value=1, max_value=5000), st.sampled_from(["[", '{"value":', '{"a":[']))
def test_deep_nesting_is_bounded(depth: int, opener: str) -> None:
    closer = {"[": "]", '{"value":': "}", '{"a":[': "]}"}[opener]
    content = (opener * depth + "1" + closer * depth).encode()
    result = _import(_file(content))
    assert result is not None
    events, ctx = result
    assert events == []


def test_huge_strings_and_ids() -> None:
    response = group_chat_page()
    response["value"][0]["from"]["user"]["displayName"] = "N" * 200_000
    response["value"][1]["id"] = "9" * 100_000
    response["value"][2]["chatId"] = "c" * 100_000
    result = _import(_file(json.dumps(response).encode()))
    assert result is not None
    events, ctx = result
    assert "messages.json, message 2, field 'id': missing or invalid id" in ctx.errors
    assert {e.kind for e in events} == {"message", "mention"}
    too_big = _import(_file(b"[" + b'"x",' * 700_000 + b'"x"]'))
    assert too_big is not None
    assert too_big[1].errors == ["messages.json: file too large"]


def test_a_page_whose_value_is_not_an_array() -> None:
    result = _import(_file(json.dumps({"@odata.context": f"x#chats('{GROUP}')/messages", "value": "no"}).encode()))
    assert result is not None
    assert result[1].errors == ["messages.json: a response whose 'value' is not an array"]
