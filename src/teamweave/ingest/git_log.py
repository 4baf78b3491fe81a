"""Read a git repository's history as metadata only: ``git log`` with a custom format, streamed.

``git`` runs as a subprocess with ``--use-mailmap`` (so ``%aN``/``%aE`` are the canonical name and address of
``.mailmap``), one commit per NUL-terminated record, fields separated by ``\\x1f``. The format asks for the
commit id, author name, author e-mail, author date (Unix seconds) and the trailers of the keys we read — never
the subject, the body, file names or diffs, so commit messages are not even read into this process.
Trailer people are mapped through ``.mailmap`` too, with ``git check-mailmap`` (once per distinct person, many
people per call: :meth:`Mailmap.prefetch`).
"""

from __future__ import annotations

import os
import re
import subprocess
import tempfile
from collections.abc import Generator, Iterator
from contextlib import closing
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, Final, NamedTuple

from teamweave.errors import InputFormatError
from teamweave.ingest.work_ahead import produced_ahead

TRAILER_KINDS: Final[dict[str, str]] = {
    "co-authored-by": "co_author",
    "reviewed-by": "review",
    "acked-by": "review",
    "tested-by": "review",
    "helped-by": "review",
}
"""Trailer key (lower case) -> the Interaction kind it makes. Any other trailer is ignored."""

FIELD_SEP: Final = "\x1f"
TRAILER_SEP: Final = "\x1e"
CHUNK_BYTES: Final = 64 * 1024
MAILMAP_BATCH: Final = 200
"""Contacts per ``git check-mailmap`` call (a process per person cost a fifth of an import)."""
MAX_RECORD_BYTES: Final = 1024 * 1024
READ_AHEAD_CHUNKS: Final = 256
"""Chunks of git's output (of :data:`CHUNK_BYTES`) read ahead of the reader at most: 16 MiB."""
_KEYS: Final = ",".join(f"key={key}" for key in TRAILER_KINDS)
LOG_FORMAT: Final = f"%H%x1f%aN%x1f%aE%x1f%at%x1f%(trailers:{_KEYS},unfold,separator=%x1e)"
LOG_REFS: Final = ("--exclude=refs/stash", "--exclude=refs/notes/*", "--all")
"""Which commits are read: everything reachable from branches, tags and remotes (not stashes, not notes)."""
_SHA = re.compile(r"[0-9a-f]{40,64}")
_CONTACT = re.compile(r"^\s*(?P<name>[^<>]*?)\s*<(?P<email>[^<>\s]+@[^<>\s]+)>\s*$")


class Trailer(NamedTuple):
    """A person named by a trailer: ``key`` is lower case (``reviewed-by``); ``email`` None when none is given.
    (A NamedTuple, immutable like a frozen dataclass and several times cheaper to build: one per trailer.)"""

    key: str
    name: str
    email: str | None


class GitCommit(NamedTuple):
    """One commit as metadata: id, mailmapped author, author date (UTC) and the trailers we read."""

    sha: str
    author_name: str
    author_email: str
    ts: datetime
    trailers: tuple[Trailer, ...]


class BadCommit(Exception):
    """A log record that cannot be read; ``sha`` when known, ``reason`` content-free."""

    def __init__(self, sha: str | None, reason: str) -> None:
        super().__init__(reason)
        self.sha = sha
        self.reason = reason


def git_env() -> dict[str, str]:
    """The environment for git: no inherited GIT_* variables (they could point git elsewhere), C locale."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("GIT_")}
    env.update(LC_ALL="C", GIT_TERMINAL_PROMPT="0", GIT_OPTIONAL_LOCKS="0")
    return env


def git_command(repo: Path, *args: str) -> list[str]:
    """``git`` on ``repo`` with settings that keep hostile repository config inert (no signatures, pagers)."""
    return [
        "git",
        "-c",
        "log.showSignature=false",
        "-c",
        "core.fsmonitor=false",
        "-c",
        "core.pager=cat",
        "-C",
        str(repo),
        *args,
    ]


def parse_contact(value: str) -> tuple[str, str | None]:
    """``"Name <email>"`` -> (name, lower-case email); without an address, (the text, None).

    >>> parse_contact(" Ana Lima <Ana@Example.org> ")
    ('Ana Lima', 'ana@example.org')
    >>> parse_contact("ana")
    ('ana', None)
    """
    match = _CONTACT.match(value)
    if match is None:
        return value.strip()[:100], None
    return match["name"][:100], match["email"].lower()


def parse_record(record: str) -> GitCommit:
    """One ``LOG_FORMAT`` record -> a commit; BadCommit when a field is missing or malformed."""
    fields = record.strip("\n").split(FIELD_SEP)
    sha = fields[0] if fields and _SHA.fullmatch(fields[0]) else None
    if sha is None or len(fields) != 5:
        raise BadCommit(sha, "unreadable git log record")
    _, name, email, stamp, trailer_text = fields
    if "@" not in email:
        raise BadCommit(sha, "commit author without an e-mail address")
    try:
        ts = datetime.fromtimestamp(int(stamp), tz=UTC)
    except (ValueError, OverflowError, OSError) as exc:
        raise BadCommit(sha, "commit with an unreadable author date") from exc
    trailers = (trailer_of(line) for line in trailer_text.split(TRAILER_SEP))
    return GitCommit(
        sha=sha,
        author_name=name[:100],
        author_email=email.strip().lower(),
        ts=ts,
        trailers=tuple(trailer for trailer in trailers if trailer is not None),
    )


def trailer_of(line: str) -> Trailer | None:
    """One line of a record's trailer field -> its trailer; None when its key is not one of :data:`TRAILER_KINDS`.

    >>> trailer_of("Reviewed-By: Bo <BO@x.org>"), trailer_of("Signed-off-by: Bo <bo@x.org>")
    (Trailer(key='reviewed-by', name='Bo', email='bo@x.org'), None)
    """
    key, sep, value = line.partition(":")
    if not sep or key.strip().lower() not in TRAILER_KINDS:
        return None
    person, address = parse_contact(value)
    return Trailer(key=key.strip().lower(), name=person, email=address)


def _chunks(stream: IO[bytes]) -> Iterator[bytes]:
    while chunk := stream.read(CHUNK_BYTES):
        yield chunk


def _records(chunks: Iterator[bytes]) -> Iterator[str]:
    """NUL-terminated records of a byte stream, decoded (undecodable bytes replaced). A record longer than
    :data:`MAX_RECORD_BYTES` is dropped and yielded as an empty (unreadable) record: memory stays bounded."""
    pending = b""
    oversized = False
    for chunk in chunks:
        pending += chunk
        *complete, pending = pending.split(b"\0")
        for raw in complete:
            yield "" if oversized else raw.decode("utf-8", errors="replace")
            oversized = False
        if len(pending) > MAX_RECORD_BYTES:
            pending, oversized = b"", True
    if oversized or pending.strip():
        yield "" if oversized else pending.decode("utf-8", errors="replace")


def _read_ahead(stream: IO[bytes]) -> Generator[bytes, None, None]:
    """The chunks of :func:`_chunks`, read on a thread up to :data:`READ_AHEAD_CHUNKS` ahead of the consumer.

    git's pipe holds 64 KiB: read in place, git waits whenever this process works on what it wrote, so the two
    take turns; read ahead, git writes on (on another core when one is free) while the records are worked on.
    The chunks are the same bytes in the same order, so the records are split exactly as before. Closing it waits
    for a read under way: the stream must reach its end or be broken first.
    """
    return produced_ahead(lambda stopped: _chunks(stream), ahead=READ_AHEAD_CHUNKS, name="git-log-reader")


def log_records(repo: Path) -> Generator[str, None, None]:
    """The ``LOG_FORMAT`` records of every commit reachable from the repository's branches, tags and remotes,
    newest first, decoded, streamed (see :func:`_records`); raises InputFormatError when git fails."""
    args = ("log", "-z", "--use-mailmap", "--no-color", "--no-show-signature", f"--format={LOG_FORMAT}")
    with tempfile.TemporaryFile() as errors:
        process = subprocess.Popen(  # noqa: S603 - fixed argument list, no shell
            git_command(repo, *args, *LOG_REFS),
            stdout=subprocess.PIPE,
            stderr=errors,
            stdin=subprocess.DEVNULL,
            env=git_env(),
        )
        stdout = process.stdout
        if stdout is None:  # pragma: no cover - stdout=PIPE always gives one
            raise InputFormatError("git produced no output stream", file=repo.name)
        chunks = _read_ahead(stdout)
        finished = False
        try:
            yield from _records(chunks)
            finished = True
        finally:
            if not finished:  # the consumer stopped early: end git, so that a read under way returns
                process.kill()
            chunks.close()
            stdout.close()
            code = process.wait()
        if code != 0:
            errors.seek(0)
            problem = errors.read(300).decode("utf-8", errors="replace").strip().splitlines()
            hint = problem[0] if problem else None
            raise InputFormatError(f"git log failed (exit code {code})", file=repo.name, hint=hint)


def read_log(repo: Path) -> Iterator[GitCommit | BadCommit]:
    """Every commit reachable from the repository's branches, tags and remotes, newest first, streamed.

    Yields a :class:`BadCommit` for a record that cannot be read; raises InputFormatError when git fails.
    """
    with closing(log_records(repo)) as records:  # a reader that stops early ends git now
        for record in records:
            try:
                yield parse_record(record)
            except BadCommit as bad:
                yield bad


class Mailmap:
    """Trailer people -> their canonical (name, email) under the repository's ``.mailmap``, cached."""

    def __init__(self, repo: Path) -> None:
        self._repo = repo
        self._cache: dict[tuple[str, str], tuple[str, str]] = {}

    def canonical(self, name: str, email: str) -> tuple[str, str]:
        key = (name, email)
        cached = self._cache.get(key)
        if cached is None:
            cached = self._cache[key] = self._lookup(name, email)
        return cached

    def prefetch(self, people: Iterator[tuple[str, str]]) -> None:
        """Look up many (name, email) at once, :data:`MAILMAP_BATCH` per ``git check-mailmap`` call. A batch git
        refuses (an unparsable contact) is left to :meth:`canonical`, one person at a time, as before."""
        wanted = {key: _contact(*key) for key in people if key not in self._cache}
        todo = [
            (key, contact) for key, contact in wanted.items() if not contact.startswith("-") and "\n" not in contact
        ]
        for start in range(0, len(todo), MAILMAP_BATCH):
            batch = todo[start : start + MAILMAP_BATCH]
            result = subprocess.run(  # noqa: S603 - fixed argument list, no shell
                git_command(self._repo, "check-mailmap", *(contact for _, contact in batch)),
                capture_output=True,
                stdin=subprocess.DEVNULL,
                env=git_env(),
                check=False,
            )
            lines = result.stdout.decode("utf-8", errors="replace").split("\n")[: len(batch)]
            if result.returncode != 0 or len(lines) != len(batch):
                continue
            for ((name, email), _), line in zip(batch, lines, strict=True):
                mapped, address = parse_contact(line)
                self._cache[(name, email)] = (mapped, address or email)

    def _lookup(self, name: str, email: str) -> tuple[str, str]:
        contact = _contact(name, email)
        if contact.startswith("-") or "\n" in contact:
            return name, email
        result = subprocess.run(  # noqa: S603 - fixed argument list, no shell
            git_command(self._repo, "check-mailmap", contact),
            capture_output=True,
            stdin=subprocess.DEVNULL,
            env=git_env(),
            check=False,
        )
        if result.returncode != 0:
            return name, email
        mapped, address = parse_contact(result.stdout.decode("utf-8", errors="replace"))
        return mapped, address or email


def _contact(name: str, email: str) -> str:
    return f"{name} <{email}>" if name else f"<{email}>"
