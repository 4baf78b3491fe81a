"""The git table path (``event_tables``, what the pipeline reads) against the record path (``interactions``): the
same events in the same order, the same errors, skips, quarantine lines, identity lookups and tally.

Real repositories (every trailer kind, .mailmap, bots, a generated history crossing block boundaries) go through
the pipeline both ways; hypothesis feeds both paths the same hostile log records (odd ids, addresses, dates,
trailers, field counts), with blocks of three commits and tables of two events.
"""

from __future__ import annotations

import random
import subprocess
import tempfile
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy.orm import Session
from tests.ingest.builders import RecordsOnly, read_events, summary_and_identities
from tests.ingest.test_git_repo import DEPENDABOT, build_repo

from teamweave.ingest import git_log, git_repo, git_tables
from teamweave.ingest.connector import TableConnector
from teamweave.ingest.context import ImportContext
from teamweave.ingest.git_repo import SOURCE, GitRepository
from teamweave.ingest.identity import SourceIdentity
from teamweave.ingest.pipeline import run_connector
from teamweave.ingest.quarantine import QuarantineWriter
from teamweave.privacy.pseudonym import Pseudonymiser
from teamweave.store.events import EventStore

P = Pseudonymiser(b"k" * 32)
Window = tuple[datetime | None, datetime | None]


def test_table_connector() -> None:
    assert isinstance(GitRepository(Path(".")), TableConnector)


def _stored(root: Path, org: str) -> list[dict[str, Any]]:
    files = EventStore(root / org).files(org)
    rows = pa.concat_tables(pq.read_table(f) for f in files).to_pylist() if files else []
    return [{**row, "org": ""} for row in rows]


def _pipeline_both_ways(session: Session, repo: Path, root: Path, window: Window) -> list[dict[str, Any]]:
    """Import ``repo`` into two orgs, by records and by tables: the same summary, identity rows, stored rows,
    quarantine lines and tally. Returns the stored rows."""
    reported, tallies, quarantined = [], [], []
    for org in ("records", "tables"):
        opened = GitRepository.open(repo)
        summary = run_connector(
            session,
            org=org,
            connector=RecordsOnly(opened) if org == "records" else opened,  # type: ignore[arg-type]
            source=SOURCE,
            file_name=repo.name,
            events=EventStore(root / org),
            pseudonymiser=P,
            quarantine_dir=root / f"q-{org}",
            window=window,
        )
        reported.append(summary_and_identities(session, summary, org))
        tallies.append(opened.tally)
        quarantined.append("".join(p.read_text() for p in sorted((root / f"q-{org}").glob("*.jsonl"))))
    assert reported[0] == reported[1]
    assert tallies[0] == tallies[1]
    assert quarantined[0] == quarantined[1]
    stored = _stored(root, "records")
    assert _stored(root, "tables") == stored
    return stored


@pytest.mark.parametrize(
    "window",
    [(None, None), (datetime(2024, 3, 2, tzinfo=UTC), datetime(2024, 3, 4, tzinfo=UTC))],
)
def test_every_trailer_kind_the_same_both_ways(session: Session, tmp_path: Path, window: Window) -> None:
    stored = _pipeline_both_ways(session, build_repo(tmp_path), tmp_path, window)
    assert len(stored) == (9 if window[0] is None else 5)


def _generated(root: Path, commits: int) -> Path:
    """A repository of ``commits`` commits by 12 people (fast-import), trailers of every kind, self and repeated
    trailers, trailers without an address, a bot, author dates over two years."""
    rng = random.Random(7)
    people = [f"Dev {n} <dev{n}@acme.example>" for n in range(12)] + [DEPENDABOT, "Dev 3 <DEV3@Acme.Example>"]
    subprocess.run(["git", "init", "-q", "-b", "main", str(root)], check=True)
    (root / ".mailmap").write_text("Dev 1 <dev1@acme.example> <dev11@acme.example>\n")
    lines = []
    for index in range(commits):
        author = rng.choice(people)
        when = 1_700_000_000 + index * 86_400 * 700 // commits
        keys = ["Co-authored-by", "Reviewed-by", "Acked-by", "tested-by", "Helped-by", "Signed-off-by"]
        trailers = [f"{rng.choice(keys)}: {rng.choice([*people, 'the CI'])}" for _ in range(rng.choice([0, 0, 1, 3]))]
        message = f"Change {index}\n" + ("\n" + "\n".join(trailers) + "\n" if trailers else "")
        data = message.encode()
        lines.append(f"commit refs/heads/main\nmark :{index + 1}\nauthor {author} {when} +0000\n")
        lines.append(f"committer {author} {when} +0000\ndata {len(data)}\n{message}\n")
        if index:
            lines.append(f"from :{index}\n")
    done = subprocess.run(["git", "-C", str(root), "fast-import", "--quiet"], input="".join(lines).encode())
    assert done.returncode == 0
    return root


@pytest.mark.parametrize(("block", "table"), [(7, 5), (2_000, 10_000)])
def test_a_generated_history_the_same_both_ways(
    session: Session, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, block: int, table: int
) -> None:
    monkeypatch.setattr(git_repo, "PREFETCH_COMMITS", block)
    monkeypatch.setattr(git_tables, "PREFETCH_COMMITS", block)
    monkeypatch.setattr(git_tables, "TABLE_EVENTS", table)
    repo = _generated(tmp_path / "repo", 300)
    window = (datetime(2024, 1, 1, tzinfo=UTC), None)
    assert len(_pipeline_both_ways(session, repo, tmp_path / "all", (None, None))) > 100
    assert len(_pipeline_both_ways(session, repo, tmp_path / "window", window)) > 10


class Identities:
    """Stands in for the resolver: records every lookup (in order), caches like it."""

    def __init__(self) -> None:
        self.cache: dict[str, str] = {}
        self.lookups: list[SourceIdentity] = []

    def cached(self, raw_id: str) -> str | None:
        return self.cache.get(raw_id)

    def pseudonym(self, identity: SourceIdentity) -> str:
        self.lookups.append(identity)
        found = self.cache[identity.raw_id] = P.identity("git", identity.raw_id)
        return found


def _read_both_ways(repo: Path, records: list[str], window: Window, folder: Path) -> list[Any]:
    """What each path makes of these log records: events, errors, skips (in order), quarantine, lookups, tally."""
    made = []
    for tables in (False, True):
        quarantine_dir = folder / ("q-tables" if tables else "q")
        connector = GitRepository(repo)
        identities = Identities()
        with QuarantineWriter(quarantine_dir, source="git", run_id=1) as quarantine:
            ctx = ImportContext(
                org="acme",
                pseudonymiser=P,
                identities=identities,  # type: ignore[arg-type]
                quarantine=quarantine,
                since=window[0],
                until=window[1],
            )
            rows = read_events(connector, ctx, tables=tables)
        quarantined = "".join(path.read_text() for path in sorted(quarantine_dir.glob("*.jsonl")))
        made.append(
            (rows, ctx.errors, list(ctx.skip_reasons.items()), quarantined, identities.lookups, connector.tally)
        )
    assert made[0] == made[1]
    return made[0]


def _feed(records: list[str]) -> Iterator[str]:
    yield from records


SHAS = ["a" * 40, "b" * 40, "c" * 64, "d" * 40]
NAMES = ["Ana", "", " Bo Chen ", "dependabot[bot]", "É" * 120, "renovate"]
EMAILS = ["ana@x.org", "Ana@X.org ", "bo@x.org", "cy@x.org", "İ@x.org", "bot@renovateapp.com", " @ ", "ana.old@x.org"]
STAMPS = ["1700000000", "1700086400", "1699999999", "0", "0017", "9999999999"]
ODD_SHAS = ["A" * 40, "a" * 39, "a" * 65, "", "a" * 40 + "\n" + "b" * 40, "a" * 40 + " "]
ODD_EMAILS = ["nobody", "", "ana@x.org\x1fx"]
ODD_STAMPS = ["-5", "99999999999", "999999999999", "1e3", "١٢٣", " 17 ", "17\n", "", "x", "9" * 30]
TRAILERS = [
    "Co-authored-by: Bo Chen <bo@x.org>",
    "Co-authored-by: Cy <CY@x.org>",
    "Reviewed-by: Ana <ana@x.org>",
    "reviewed-by: Ana L <ANA@X.ORG>",
    "Acked-by: the CI",
    "Tested-by: <di@x.org>",
    "Helped-by:Bo<bo@x.org>",
    "Signed-off-by: Ed <ed@x.org>",
    f"Co-authored-by: {DEPENDABOT}",
    "Reviewed-by: -x <x@x.org>",
    "nonsense",
    "Co-authored-by: Ana <ana.old@x.org>",
    "Reviewed-by: É <e@x.org>",
    "",
]


@st.composite
def _records(draw: st.DrawFn) -> str:
    """A log record: mostly plain (every field readable), some with one odd field, some of any text."""
    trailers = draw(st.lists(st.sampled_from(TRAILERS) | st.text(max_size=12), max_size=4))
    fields = [
        draw(st.sampled_from(SHAS)),
        draw(st.sampled_from(NAMES)),
        draw(st.sampled_from(EMAILS)),
        draw(st.sampled_from(STAMPS)),
        "\x1e".join(trailers),
    ]
    odd = draw(st.integers(0, 9))
    if odd == 0:
        fields[0] = draw(st.sampled_from(ODD_SHAS) | st.text(max_size=4))
    elif odd == 1:
        fields[1] = draw(st.text(max_size=6))
    elif odd == 2:
        fields[2] = draw(st.sampled_from(ODD_EMAILS) | st.text(max_size=6))
    elif odd == 3:
        fields[3] = draw(st.sampled_from(ODD_STAMPS) | st.text(max_size=4))
    elif odd == 4:
        fields = (fields + ["extra"])[: draw(st.sampled_from([0, 1, 4, 6]))]
    elif odd == 5:
        return draw(st.text(max_size=30))
    record = "\x1f".join(fields)
    return draw(st.sampled_from(["", "", "\n"])) + record + draw(st.sampled_from(["", "\n"]))


WINDOWS: list[Window] = [
    (None, None),
    (datetime.fromtimestamp(1_700_000_000, UTC), None),
    (None, datetime.fromtimestamp(1_700_000_000, UTC)),
    (datetime.fromtimestamp(17, UTC), datetime.fromtimestamp(1_700_086_400, UTC)),
]


@pytest.fixture(scope="module")
def mailmapped(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A repository whose .mailmap merges Ana's addresses (the hostile records are fed instead of its log)."""
    return build_repo(tmp_path_factory.mktemp("mailmapped"))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(_records(), max_size=14), st.sampled_from(WINDOWS))
def test_hostile_records_the_same_both_ways(mailmapped: Path, records: list[str], window: Window) -> None:
    with pytest.MonkeyPatch.context() as patch, tempfile.TemporaryDirectory() as folder:
        patch.setattr(git_log, "log_records", lambda _: _feed(records))
        patch.setattr(git_tables, "log_records", lambda _: _feed(records))
        for module in (git_repo, git_tables):
            patch.setattr(module, "PREFETCH_COMMITS", 3)
        patch.setattr(git_tables, "TABLE_EVENTS", 2)
        _read_both_ways(mailmapped, records, window, Path(folder))


def test_plain_and_unplain_records_in_one_block(mailmapped: Path, tmp_path: Path) -> None:
    """Plain records read column by column beside records the record path's parser reads, in their places."""
    good = "\x1f".join(["a" * 40, "Ana", "Ana@X.org", "1700000000", "Co-authored-by: Bo Chen <bo@x.org>"])
    records = [good, good.replace("1700000000", "-5"), "garbage", good.replace("a" * 40, "b" * 40), ""]
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(git_log, "log_records", lambda _: _feed(records))
        patch.setattr(git_tables, "log_records", lambda _: _feed(records))
        rows, errors, skips, _, lookups, tally = _read_both_ways(mailmapped, records, (None, None), tmp_path)
    assert [row["ts"] for row in rows] == [datetime.fromtimestamp(t, UTC) for t in (1_700_000_000, -5, 1_700_000_000)]
    assert errors == ["repo, commit 3: unreadable git log record", "repo, commit 5: unreadable git log record"]
    assert skips == [("unreadable git log record", 2)]
    assert [identity.raw_id for identity in lookups] == ["ana@x.org", "bo@x.org"]
    assert (tally.commits, tally.with_events, tally.bad) == (5, 3, 2)
