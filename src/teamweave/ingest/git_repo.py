"""A local git repository -> ``co_author`` and ``review`` events from commit trailers (metadata only).

Rules (docs/connectors/git.md explains them):

- every commit reachable from a branch, tag or remote ref is read once (``git log --all``, without the stash
  and notes refs), with ``.mailmap`` applied to authors and trailer people alike;
- ``Co-authored-by:`` -> one ``co_author`` event per co-author: actor = the commit author, target = the
  co-author, audience = the number of co-authors of the commit;
- ``Reviewed-by:``, ``Acked-by:``, ``Tested-by:``, ``Helped-by:`` -> one ``review`` event per person: actor =
  that person, target = the commit author, audience 1;
- a commit without any of these trailers is one person's work, not an interaction between people: skipped,
  counted; so is a trailer naming the author themself, a trailer person named twice, or a commit outside the
  import window; a trailer without an e-mail address is a bad record (located by commit id, quarantined);
- bots (dependabot, renovate, github-actions, any ``[bot]`` name or address) are tools: their identities are
  bots and an event they act in has ``by_bot=True``;
- ts = the author date (UTC); event_id = keyed hash of ``<commit>:<trailer key>:<person e-mail>``.

Commit messages, file names and diffs are never read (the log format does not ask git for them).

The pipeline reads :meth:`GitRepository.event_tables` (:mod:`teamweave.ingest.git_tables`): the same events and
effects as :meth:`GitRepository.interactions`, which stays the reference, made as Arrow tables.
"""

from __future__ import annotations

import re
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import islice
from pathlib import Path
from typing import Final

import pyarrow as pa

from teamweave.errors import InputFormatError
from teamweave.ingest.context import ImportContext
from teamweave.ingest.git_log import (
    LOG_REFS,
    TRAILER_KINDS,
    BadCommit,
    GitCommit,
    Mailmap,
    git_command,
    git_env,
    read_log,
)
from teamweave.ingest.identity import SourceIdentity
from teamweave.ingest.records import Interaction
from teamweave.progress import shown

SOURCE: Final = "git"
NO_TRAILERS: Final = "commit without co-author or review trailers (one person's work)"
SELF_TRAILER: Final = "trailer names the commit author"
PREFETCH_COMMITS: Final = 2_000
_BOT = re.compile(r"\[bot\]|^(\d+\+)?(dependabot|renovate|github-actions)(\b|-|$)", re.IGNORECASE)


@lru_cache(maxsize=65_536)  # the same few hundred people sign most commits
def is_bot(name: str, email: str) -> bool:
    """True for the bots of code hosting: ``[bot]`` names or addresses, dependabot, renovate, github-actions.

    >>> is_bot("dependabot[bot]", "49699333+dependabot[bot]@users.noreply.github.com"), is_bot("Ana", "a@x.org")
    (True, False)
    >>> is_bot("Renovate Bot", "bot@renovateapp.com"), is_bot("github-actions", "41898282+github-actions@x.com")
    (True, True)
    """
    return bool(_BOT.search(name.strip()) or _BOT.search(email.split("@", 1)[0]) or email.endswith("@renovateapp.com"))


def sniff(path: Path) -> bool:
    """A folder holding ``.git`` (a working tree) or a bare repository (HEAD, objects/, refs/)."""
    path = Path(path)
    if not path.is_dir():
        return False
    if (path / ".git").exists():
        return True
    return (path / "HEAD").is_file() and (path / "objects").is_dir() and (path / "refs").is_dir()


def _git_output(repo: Path, *args: str) -> tuple[str | None, str]:
    """(stdout, "") when git succeeds, else (None, git's first error line)."""
    try:
        result = subprocess.run(  # noqa: S603 - fixed argument list, no shell
            git_command(repo, *args), capture_output=True, stdin=subprocess.DEVNULL, env=git_env(), check=False
        )
    except OSError as exc:
        raise InputFormatError("cannot run git", file=repo.name, hint="install git") from exc
    if result.returncode != 0:
        lines = result.stderr.decode("utf-8", errors="replace").strip().splitlines()
        return None, lines[0][:300] if lines else f"git exited with {result.returncode}"
    return result.stdout.decode("utf-8", errors="replace").strip(), ""


@dataclass
class CommitTally:
    """How many commits were read: each one either made events or was skipped (or was a bad record)."""

    commits: int = 0
    with_events: int = 0
    skipped: int = 0
    bad: int = 0
    reasons: dict[str, int] = field(default_factory=dict)


class GitRepository:
    """An opened local repository (working tree or bare). Use :meth:`open`."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.tally = CommitTally()
        self.mailmap = Mailmap(path)
        self._channel: str | None = None

    @classmethod
    def open(cls, path: Path) -> GitRepository:
        """Check ``path`` is the top of a git repository; InputFormatError (nothing read) when it is not."""
        path = Path(path)
        if not sniff(path):
            raise InputFormatError(
                f"not a git repository: {path}", file=path.name or str(path), hint="give the folder holding .git"
            )
        args = ("rev-parse", "--is-inside-work-tree", "--is-bare-repository", "--is-inside-git-dir")
        inside, problem = _git_output(path, *args)
        if inside is None or "true" not in inside.split():
            raise InputFormatError(f"not a git repository: {path}", file=path.name or str(path), hint=problem or None)
        return cls(path.resolve())

    def commit_count(self) -> int | None:
        count, _ = _git_output(self.path, "rev-list", "--count", *LOG_REFS)
        return int(count) if count and count.isdigit() else None

    def close(self) -> None:
        """Each git process ends with its read; nothing stays open."""

    def event_tables(self, ctx: ImportContext) -> Iterator[pa.Table]:
        """The events of :meth:`interactions` as Arrow tables, with the same effects on ``ctx`` and the tally in the
        same order (:mod:`teamweave.ingest.git_tables`): what the pipeline reads."""
        from teamweave.ingest.git_tables import event_tables  # it builds on this module

        return event_tables(self, ctx)

    def interactions(self, ctx: ImportContext) -> Iterator[Interaction]:
        """The events of every commit, newest first; bad records are quarantined and the rest still goes in."""
        ctx.progress.start("Reading git history", total=self.commit_count() if shown(ctx.progress) else None)
        for item in self._mailmapped(read_log(self.path)):
            self.tally.commits += 1
            if isinstance(item, BadCommit):
                self.tally.bad += 1
                location = f"{self.path.name}, commit {item.sha or self.tally.commits}"
                ctx.bad(location=location, reason=item.reason, kind="commit")
            else:
                events = self._commit(item, ctx)
                if events:
                    self.tally.with_events += 1
                    yield from events
                else:
                    self.tally.skipped += 1
            ctx.progress.advance()
        ctx.progress.finish()

    def _repository_channel(self, ctx: ImportContext) -> str:
        self._channel = ctx.pseudonymiser.channel(SOURCE, self.path.name)
        return self._channel

    def _mailmapped(self, log: Iterator[GitCommit | BadCommit]) -> Iterator[GitCommit | BadCommit]:
        """The log, :data:`PREFETCH_COMMITS` commits at a time, their trailer people looked up in ``.mailmap``
        together before they are read."""
        while chunk := list(islice(log, PREFETCH_COMMITS)):
            trailers = (t for c in chunk if isinstance(c, GitCommit) for t in c.trailers)
            self.mailmap.prefetch((t.name, t.email) for t in trailers if t.email is not None)
            yield from chunk

    def skip(self, ctx: ImportContext, reason: str) -> list[Interaction]:
        """Count a skip in ``ctx`` and in the tally's reasons; no events."""
        ctx.skip(reason)
        self.tally.reasons[reason] = self.tally.reasons.get(reason, 0) + 1
        return []

    def _commit(self, commit: GitCommit, ctx: ImportContext) -> list[Interaction]:
        if not ctx.in_window(commit.ts):
            return self.skip(ctx, "outside the import window")
        if not commit.trailers:
            return self.skip(ctx, NO_TRAILERS)
        author_bot = is_bot(commit.author_name, commit.author_email)
        author = pseudonym_of(ctx, commit.author_name, commit.author_email, bot=author_bot)
        people: dict[tuple[str, str], tuple[str, str]] = {}
        for trailer in commit.trailers:
            if trailer.email is None:
                location = f"{self.path.name}, commit {commit.sha}, trailer {trailer.key}"
                ctx.bad(location=location, reason="trailer without an e-mail address", kind=TRAILER_KINDS[trailer.key])
                continue
            name, email = self.mailmap.canonical(trailer.name, trailer.email)
            if email.lower() == commit.author_email:
                self.skip(ctx, SELF_TRAILER)
            elif (trailer.key, email.lower()) in people:
                self.skip(ctx, "trailer person named twice")
            else:
                people[(trailer.key, email.lower())] = (name, email.lower())
        co_authors = sum(1 for key, _ in people if TRAILER_KINDS[key] == "co_author")
        thread = ctx.pseudonymiser.channel(SOURCE, commit.sha) if people else ""
        events = [
            self._event(
                ctx,
                commit,
                key,
                name,
                email,
                author=(author, author_bot),
                co_authors=co_authors,
                thread=thread,
            )
            for (key, _), (name, email) in people.items()
        ]
        return [e for e in events if e is not None]

    def _event(
        self,
        ctx: ImportContext,
        commit: GitCommit,
        key: str,
        name: str,
        email: str,
        *,
        author: tuple[str, bool],
        co_authors: int,
        thread: str,
    ) -> Interaction | None:
        """One trailer's event; ``author`` is the author's pseudonym and whether they are a bot."""
        kind = TRAILER_KINDS[key]
        author_id, author_bot = author
        person_bot = is_bot(name, email)
        person = pseudonym_of(ctx, name, email, bot=person_bot)
        if person == author_id:
            self.skip(ctx, SELF_TRAILER)
            return None
        co_author = kind == "co_author"
        return Interaction(
            org=ctx.org,
            event_id=ctx.pseudonymiser.event_id(SOURCE, f"{commit.sha}:{key}:{email}"),
            source=SOURCE,
            kind=kind,
            ts=commit.ts,
            actor=author_id if co_author else person,
            targets=(person,) if co_author else (author_id,),
            audience=co_authors if co_author else 1,
            channel=self._channel or self._repository_channel(ctx),
            thread=thread,
            by_bot=author_bot if co_author else person_bot,
        )


def pseudonym_of(ctx: ImportContext, name: str, email: str, *, bot: bool) -> str:
    """The pseudonym of a commit's person (raw id: the lower-case address), resolved once an import."""
    raw_id = email.lower()
    cached = ctx.identities.cached(raw_id)
    if cached is not None:  # no label or record to build for a person already resolved in this import
        return cached
    label = f"{name} <{email}>" if name else f"<{email}>"
    return ctx.identities.pseudonym(SourceIdentity(raw_id=raw_id, label=label, email=email, is_bot=bot))
