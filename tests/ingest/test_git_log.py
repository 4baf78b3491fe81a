"""The git log reader: record parsing, trailers, streaming, and hostile log output."""

from __future__ import annotations

import io
import subprocess
import threading
from datetime import UTC, datetime
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from teamweave.ingest import git_log
from teamweave.ingest.git_log import BadCommit, GitCommit, Trailer, parse_contact, parse_record

SHA = "a" * 40


def _record(*trailers: str, email: str = "Ana@X.org", stamp: str = "1700000000") -> str:
    return "\x1f".join([SHA, "Ana", email, stamp, "\x1e".join(trailers)])


def test_a_record_with_every_trailer_kind() -> None:
    trailers = ["Co-authored-by: Bo <bo@x.org>", "REVIEWED-BY: Cy <Cy@X.org>", "Acked-by: Di <di@x.org>"]
    trailers += ["Tested-by: Ed <ed@x.org>", "Helped-by: Flo <flo@x.org>", "Signed-off-by: Ana <ana@x.org>"]
    commit = parse_record(_record(*trailers))
    assert commit == GitCommit(
        sha=SHA,
        author_name="Ana",
        author_email="ana@x.org",
        ts=datetime(2023, 11, 14, 22, 13, 20, tzinfo=UTC),
        trailers=(
            Trailer("co-authored-by", "Bo", "bo@x.org"),
            Trailer("reviewed-by", "Cy", "cy@x.org"),
            Trailer("acked-by", "Di", "di@x.org"),
            Trailer("tested-by", "Ed", "ed@x.org"),
            Trailer("helped-by", "Flo", "flo@x.org"),
        ),
    )


@pytest.mark.parametrize(
    ("record", "reason"),
    [
        ("garbage", "unreadable git log record"),
        ("", "unreadable git log record"),
        (SHA + "\x1fAna\x1fana@x.org", "unreadable git log record"),
        (_record(email="nobody"), "commit author without an e-mail address"),
        (_record(stamp="yesterday"), "commit with an unreadable author date"),
        (_record(stamp="9" * 30), "commit with an unreadable author date"),
    ],
)
def test_unreadable_records_are_located_bad_commits(record: str, reason: str) -> None:
    with pytest.raises(BadCommit, match=reason):
        parse_record(record)


def test_contacts() -> None:
    assert parse_contact("Bo Chen <BO@x.org>") == ("Bo Chen", "bo@x.org")
    assert parse_contact("<bo@x.org>") == ("", "bo@x.org")
    assert parse_contact("the CI") == ("the CI", None)
    assert parse_contact("Bo <not an address>") == ("Bo <not an address>", None)


def test_records_are_split_on_nul_across_chunks_and_oversized_ones_dropped(monkeypatch: pytest.MonkeyPatch) -> None:
    data = b"one\0two\0" + b"x" * 50 + b"\0three"
    chunks = [data[i : i + 3] for i in range(0, len(data), 3)]
    assert list(git_log._records(iter(chunks))) == ["one", "two", "x" * 50, "three"]
    monkeypatch.setattr(git_log, "MAX_RECORD_BYTES", 10)
    assert list(git_log._records(iter(chunks))) == ["one", "two", "", "three"]
    assert list(git_log._records(iter([b"\xff\xfe\0"]))) == ["\ufffd\ufffd"]


def _parse(record: str) -> GitCommit | BadCommit:
    try:
        return parse_record(record)
    except BadCommit as bad:
        return bad


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=300) | st.lists(st.text(max_size=40), max_size=8).map("\x1f".join))
def test_hostile_records_never_raise_anything_but_bad_commit(record: str) -> None:
    commit = _parse(record)
    if isinstance(commit, BadCommit):
        assert commit.reason
    else:
        assert "@" in commit.author_email
        assert all(t.key in git_log.TRAILER_KINDS for t in commit.trailers)


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=500), st.integers(min_value=1, max_value=64))
def test_hostile_byte_streams_are_split_without_error(data: bytes, size: int) -> None:
    chunks = [data[i : i + size] for i in range(0, len(data), size)]
    records = list(git_log._records(iter(chunks)))
    assert len(records) <= data.count(b"\0") + 1
    assert all(isinstance(_parse(record), GitCommit | BadCommit) for record in records)


class _Breaks(io.BytesIO):
    def read(self, size: int | None = -1, /) -> bytes:
        if self.tell() >= 10:
            raise OSError("pipe broke")
        return super().read(size)


def test_read_ahead_gives_the_same_chunks_and_raises_what_the_read_raised(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(git_log, "CHUNK_BYTES", 4)
    monkeypatch.setattr(git_log, "READ_AHEAD_CHUNKS", 2)
    data = bytes(range(256)) * 3
    chunks = git_log._read_ahead(io.BytesIO(data))
    assert list(chunks) == list(git_log._chunks(io.BytesIO(data)))
    chunks.close()
    broken = git_log._read_ahead(_Breaks(data))
    with pytest.raises(OSError, match="pipe broke"):
        list(broken)
    broken.close()


PROJECT = Path(__file__).resolve().parents[2]


def test_log_records_read_whole_or_stopped_early() -> None:
    """Read ahead, the records are git's; a reader that stops early ends git without waiting for it."""
    args = ("log", "-z", "--use-mailmap", "--no-color", "--no-show-signature", f"--format={git_log.LOG_FORMAT}")
    whole = subprocess.run(
        git_log.git_command(PROJECT, *args, *git_log.LOG_REFS), capture_output=True, env=git_log.git_env(), check=True
    ).stdout
    assert list(git_log.log_records(PROJECT)) == list(git_log._records(iter([whole])))
    records = git_log.log_records(PROJECT)
    assert next(records) == whole.split(b"\0")[0].decode()
    records.close()


def test_a_reader_that_stops_early_ends_git_and_the_read_ahead(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(git_log, "CHUNK_BYTES", 16)
    monkeypatch.setattr(git_log, "READ_AHEAD_CHUNKS", 1)  # the reading thread waits for room after a chunk
    before = {thread.name for thread in threading.enumerate()}
    records = git_log.log_records(PROJECT)
    assert len(next(records)) > 40
    assert "git-log-reader" in {thread.name for thread in threading.enumerate()} - before
    records.close()
    assert "git-log-reader" not in {thread.name for thread in threading.enumerate()} - before
