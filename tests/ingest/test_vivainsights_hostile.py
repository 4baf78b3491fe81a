"""Hostile Viva Insights queries: random rows under a good header, random bytes, other encodings, huge lines.
Open refuses a file that is not one of the two queries with InputFormatError naming it; otherwise each bad row
is quarantined with its line; nothing else is ever raised and nothing hangs."""

from __future__ import annotations

import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from teamweave.errors import InputFormatError
from teamweave.ingest.context import ImportContext
from teamweave.ingest.csv_limits import MAX_LINE_CHARS
from teamweave.ingest.identity import SourceIdentity
from teamweave.ingest.quarantine import QuarantineWriter
from teamweave.ingest.records import Interaction
from teamweave.ingest.vivainsights import SOURCE, VivaInsightsQuery
from teamweave.privacy.pseudonym import Pseudonymiser

P = Pseudonymiser(b"k" * 32)
FAST = settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
P2P_HEADER = "PrimaryCollaborator_PersonId,SecondaryCollaborator_PersonId,MetricDate,Strong_tie_score\n"
P2P_GOOD = "a1,b2,01/04/2023,0.5\n"
PQ_HEADER = '"PersonId","MetricDate","Collaboration_hours","Organization"\n'
PQ_GOOD = '"a1",2024-03-31,17.4,"IT"\n'


class Identities:
    """The resolver's one method a connector calls, without a database."""

    def __init__(self) -> None:
        self.labels: list[str] = []

    def pseudonym(self, identity: SourceIdentity) -> str:
        assert identity.raw_id not in identity.label
        self.labels.append(identity.label)
        return P.identity(SOURCE, identity.raw_id)


def _import(content: bytes, name: str = "query.csv") -> tuple[list[Interaction], ImportContext] | None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / name
        path.write_bytes(content)
        try:
            connector = VivaInsightsQuery.open(path)
        except InputFormatError as error:
            refused = error
        else:
            refused = None
        if refused is not None:
            assert refused.file == name
            return None
        with QuarantineWriter(Path(tmp) / "q", source=SOURCE, run_id=1) as quarantine:
            ctx = ImportContext(org="acme", pseudonymiser=P, identities=Identities(), quarantine=quarantine)  # type: ignore[arg-type]
            events = list(connector.interactions(ctx))
        for event in events:
            assert (event.audience, len(event.targets)) == (1, 1)
            assert event.actor != event.targets[0]
        assert all(error.startswith(f"{name}, line ") for error in ctx.errors)
        return events, ctx


cells = st.text(alphabet=st.characters(blacklist_categories=["Cs"]), max_size=40) | st.sampled_from(
    ["01/04/2023", "2024-03-31", "13/13/2023", "0/0/0", "2024-02-30", "a1", "A1", "", '"', "\x00", "\r\n", ","]
)


@FAST
@given(st.lists(st.lists(cells, min_size=0, max_size=6), max_size=8), st.booleans())
def test_random_rows_under_a_good_header(table: list[list[str]], person_query: bool) -> None:
    header, good = (PQ_HEADER, PQ_GOOD) if person_query else (P2P_HEADER, P2P_GOOD)
    body = "".join(",".join(row) + "\n" for row in table)
    result = _import((header + body + good).encode("utf-8", "surrogatepass"))
    assert result is not None
    events, ctx = result
    assert events or ctx.skip_reasons  # the good last row: an event, or a person recorded (or quoted away)
    if person_query:
        assert events == []


@FAST
@given(st.binary(max_size=400))
def test_random_bytes(content: bytes) -> None:
    _import(content)
    result = _import(P2P_HEADER.encode() + content + b"\n" + P2P_GOOD.encode())
    assert result is not None
    assert len(result[0]) >= 1 or result[1].errors


def test_other_encodings_nul_bytes_and_huge_lines_are_bad_rows() -> None:
    content = (
        P2P_HEADER.encode()
        + "é1,b2,01/04/2023,0.5\n".encode("latin-1")
        + b"a1,b\x002,01/04/2023,0.5\n"
        + b"a1,"
        + b"x" * (MAX_LINE_CHARS + 10)
        + b",01/04/2023,0.5\n"
        + b"a1,b2,01/04/2023,0.5\n"
    )
    result = _import(content)
    assert result is not None
    events, ctx = result
    assert len(events) == 1
    assert ctx.errors == [
        "query.csv, line 2, field 'PrimaryCollaborator_PersonId': not valid UTF-8 text",
        "query.csv, line 3, field 'SecondaryCollaborator_PersonId': NUL byte",
        f"query.csv, line 4: line longer than {MAX_LINE_CHARS} characters",
    ]


def test_headers_that_are_not_these_queries_are_refused() -> None:
    for content in (b"", b"\xff\xfe\x00P", b"PersonId\n1\n", b"ts,kind,actor,targets\n", b'"unclosed\n'):
        assert _import(content) is None
