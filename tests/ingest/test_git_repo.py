"""The git connector: trailers -> co_author and review events, .mailmap, bots, skips, privacy, idempotency.

Repositories are built in tmp_path with ``git init`` and commits carrying every trailer kind; the connector
also reads this project's own history.
"""

from __future__ import annotations

import os
import subprocess
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

import pytest
from tests.ingest.builders import ORG, Importer
from tests.support.stored_text import stored_text

from teamweave.errors import InputFormatError
from teamweave.imports.schemas import ImportSummary
from teamweave.ingest.git_repo import NO_TRAILERS, SELF_TRAILER, SOURCE, GitRepository, is_bot, sniff
from teamweave.ingest.pipeline import run_connector
from teamweave.runtime import Runtime
from teamweave.store.session import session_scope

PROJECT = Path(__file__).resolve().parents[2]
DEPENDABOT = "dependabot[bot] <49699333+dependabot[bot]@users.noreply.github.com>"
RENOVATE = "renovate[bot] <29139614+renovate[bot]@users.noreply.github.com>"
SECRET_SUBJECT = "Quietly migrate the Zanzibar payroll ledger"
SECRET_BODY = "Because the Ouagadougou vendor contract lapses"
SECRET_FILE = "confidential-layoff-plan.txt"


def _git(repo: Path, *args: str, author: str | None = None, date: str | None = None) -> str:
    env = {k: v for k, v in os.environ.items() if not k.startswith("GIT_")}
    env.update(GIT_COMMITTER_NAME="Committer", GIT_COMMITTER_EMAIL="committer@x.org", GIT_CONFIG_NOSYSTEM="1")
    env["HOME"] = str(repo.parent)
    if author:
        name, email = author.rsplit(" <", 1)
        env.update(GIT_AUTHOR_NAME=name, GIT_AUTHOR_EMAIL=email.rstrip(">"))
    if date:
        env.update(GIT_AUTHOR_DATE=date, GIT_COMMITTER_DATE=date)
    result = subprocess.run(["git", "-C", str(repo), *args], env=env, capture_output=True, check=True)
    return result.stdout.decode()


def _commit(repo: Path, author: str, day: int, subject: str, *trailers: str) -> None:
    message = f"{subject}\n\n{SECRET_BODY} {day}\n"
    if trailers:
        message += "\n" + "\n".join(trailers) + "\n"
    (repo / f"file{day}.txt").write_text(f"change {day}\n")
    _git(repo, "add", "-A")
    _git(repo, "commit", "-q", "-m", message, author=author, date=f"2024-03-{day:02d}T10:00:00+02:00")


def build_repo(root: Path) -> Path:
    """Eight commits: every trailer kind, a .mailmap merging Ana's two addresses, dependabot and renovate."""
    repo = root / "repo"
    repo.mkdir(parents=True)
    _git(repo, "init", "-q", "-b", "main")
    (repo / ".mailmap").write_text("Ana Lima <ana@x.org> <ana.old@x.org>\nAna Lima <ana@x.org> Ana L <ANA@X.ORG>\n")
    (repo / SECRET_FILE).write_text("nothing\n")
    _commit(repo, "Ana Lima <ana@x.org>", 1, SECRET_SUBJECT, "Co-authored-by: Bo Chen <bo@x.org>",
            "Co-authored-by: Cy Diaz <cy@x.org>")  # fmt: skip
    _commit(repo, "A. Lima <ana.old@x.org>", 2, "Second change", "Reviewed-by: Bo Chen <bo@x.org>",
            "Acked-by: Cy Diaz <cy@x.org>", "Tested-by: Di Eze <di@x.org>", "Helped-by: Bo Chen <bo@x.org>",
            "Signed-off-by: A. Lima <ana.old@x.org>")  # fmt: skip
    _commit(repo, "Bo Chen <bo@x.org>", 3, "Third change", "reviewed-by: Ana <ana.old@x.org>")
    _commit(repo, "Cy Diaz <cy@x.org>", 4, "Solo change")
    _commit(repo, DEPENDABOT, 5, "Bump left-pad", f"Co-authored-by: Bo Chen <bo@x.org>\nSigned-off-by: {DEPENDABOT}")
    _commit(repo, DEPENDABOT, 6, "Bump right-pad", f"Signed-off-by: {DEPENDABOT}")
    _commit(repo, "Di Eze <di@x.org>", 7, "Self review", "Reviewed-by: Di Eze <di@x.org>", "Tested-by: the CI")
    _commit(repo, "Bo Chen <bo@x.org>", 8, "Lockfile", f"Reviewed-by: {RENOVATE}")
    return repo


def _import(importer: Importer, path: Path) -> tuple[ImportSummary, GitRepository]:
    connector = GitRepository.open(path)
    summary = run_connector(
        importer.session,
        org=ORG,
        connector=connector,
        source=SOURCE,
        file_name=path.name,
        events=importer.events,
        pseudonymiser=importer.pseudonymiser,
        quarantine_dir=importer.quarantine_dir,
    )
    return summary, connector


def test_every_trailer_kind_makes_its_event(importer: Importer, tmp_path: Path) -> None:
    ana = importer.add_person("ana@x.org", "Ana")
    summary, repo = _import(importer, build_repo(tmp_path))

    assert summary.counts_by_kind == {"co_author": 3, "review": 6}
    assert summary.added == 9
    assert (repo.tally.commits, repo.tally.with_events, repo.tally.skipped, repo.tally.bad) == (8, 5, 3, 0)
    assert summary.skip_reasons[NO_TRAILERS] == 2
    assert summary.skip_reasons[SELF_TRAILER] == 1
    assert summary.skip_reasons["trailer without an e-mail address"] == 1
    assert summary.errors == [
        f"repo, commit {_sha(tmp_path / 'repo', 7)}, trailer tested-by: trailer without an e-mail address"
    ]
    rows = importer.rows()
    p = importer.pseudonymiser
    bo, cy, di = (p.identity("git", f"{n}@x.org") for n in ("bo", "cy", "di"))
    by_day = Counter((r["ts"].day, r["kind"]) for r in rows)
    assert by_day == {(1, "co_author"): 2, (2, "review"): 4, (3, "review"): 1, (5, "co_author"): 1, (8, "review"): 1}
    first = [r for r in rows if r["ts"].day == 1]
    assert {(r["actor"], r["targets"][0], r["audience"]) for r in first} == {
        (ana.pseudonym, bo, 2),
        (ana.pseudonym, cy, 2),
    }
    assert first[0]["ts"] == datetime(2024, 3, 1, 8, 0, tzinfo=UTC)
    # .mailmap: ana.old@x.org is Ana, as an author (day 2) and as a reviewer named in a trailer (day 3)
    second = [r for r in rows if r["ts"].day == 2]
    assert sorted(r["actor"] for r in second) == sorted([bo, bo, cy, di])
    assert {tuple(r["targets"]) for r in second} == {(ana.pseudonym,)}
    assert [(r["actor"], tuple(r["targets"])) for r in rows if r["ts"].day == 3] == [(ana.pseudonym, (bo,))]
    bots = {(r["ts"].day, r["by_bot"]) for r in rows}
    assert bots == {(1, False), (2, False), (3, False), (5, True), (8, True)}
    assert summary.bots == sorted([DEPENDABOT, RENOVATE])
    assert ana.email not in " ".join(summary.unmatched)
    assert all(r["source"] == "git" and r["channel"] for r in rows)


def test_the_import_window_bounds_author_dates(importer: Importer, tmp_path: Path) -> None:
    connector = GitRepository.open(build_repo(tmp_path))
    window = (datetime(2024, 3, 2, tzinfo=UTC), datetime(2024, 3, 4, tzinfo=UTC))
    summary = run_connector(
        importer.session,
        org=ORG,
        connector=connector,
        source=SOURCE,
        file_name="repo",
        events=importer.events,
        pseudonymiser=importer.pseudonymiser,
        quarantine_dir=importer.quarantine_dir,
        window=window,
    )
    assert summary.counts_by_kind == {"review": 5}  # days 2 and 3
    assert summary.skip_reasons["outside the import window"] == 6
    assert connector.tally.commits == connector.tally.with_events + connector.tally.skipped == 8


def _sha(repo: Path, day: int) -> str:
    lines = _git(repo, "log", "--all", "--format=%H %ad", "--date=format:%d").splitlines()
    return next(sha for sha, d in (line.split() for line in lines) if int(d) == day)


def test_importing_twice_adds_nothing(importer: Importer, tmp_path: Path) -> None:
    repo = build_repo(tmp_path)
    first, _ = _import(importer, repo)
    second, _ = _import(importer, repo)
    assert (first.added, first.duplicates) == (9, 0)
    assert (second.added, second.duplicates) == (0, 9)
    assert importer.events.count(ORG) == 9


def test_a_path_that_is_not_a_repository_is_refused(tmp_path: Path) -> None:
    (tmp_path / "plain").mkdir()
    (tmp_path / "file.txt").write_text("x")
    for path in (tmp_path / "plain", tmp_path / "file.txt", tmp_path / "missing"):
        assert not sniff(path)
        with pytest.raises(InputFormatError, match=f"not a git repository: {path}") as error:
            GitRepository.open(path)
        assert error.value.file == path.name
    fake = tmp_path / "fake"
    (fake / ".git").mkdir(parents=True)
    assert sniff(fake)
    with pytest.raises(InputFormatError, match="not a git repository"):
        GitRepository.open(fake)


def test_a_broken_repository_fails_the_import_with_a_located_error(importer: Importer, tmp_path: Path) -> None:
    repo = build_repo(tmp_path)
    head = _git(repo, "rev-parse", "HEAD").strip()
    (repo / ".git" / "objects" / head[:2] / head[2:]).unlink()
    with pytest.raises(InputFormatError, match="repo: git log failed"):
        _import(importer, repo)


def test_bare_repositories_and_empty_ones_are_read(importer: Importer, tmp_path: Path) -> None:
    repo = build_repo(tmp_path)
    bare = tmp_path / "bare.git"
    subprocess.run(["git", "clone", "-q", "--bare", str(repo), str(bare)], check=True, capture_output=True)
    assert sniff(bare)
    summary, _ = _import(importer, bare)
    assert summary.counts_by_kind == {"co_author": 3, "review": 6}
    empty = tmp_path / "empty"
    empty.mkdir()
    _git(empty, "init", "-q")
    summary, connector = _import(importer, empty)
    assert (summary.read, connector.tally.commits) == (0, 0)


def test_this_projects_history_every_commit_is_read_or_skipped(importer: Importer) -> None:
    def count() -> int:
        args = ["rev-list", "--exclude=refs/stash", "--exclude=refs/notes/*", "--all", "--count"]
        return int(_git(PROJECT, *args).strip())

    before = count()
    summary, repo = _import(importer, PROJECT)
    after = count()
    tally = repo.tally
    assert before <= tally.commits <= after
    assert tally.commits == tally.with_events + tally.skipped + tally.bad
    assert tally.commits >= 10
    assert summary.read >= tally.with_events
    assert summary.skip_reasons.get(NO_TRAILERS, 0) <= tally.skipped
    assert summary.added == importer.events.count(ORG)


def test_no_commit_message_or_file_name_reaches_any_stored_byte(tmp_path: Path, runtime: Runtime) -> None:
    repo = build_repo(tmp_path / "source")
    subjects = [s for s in _git(PROJECT, "log", "--all", "--format=%s").splitlines() if len(s) >= 25]
    assert subjects
    settings = runtime.settings
    for path in (repo, PROJECT):
        with session_scope(runtime.sessions) as session:
            run_connector(
                session,
                org=ORG,
                connector=GitRepository.open(path),
                source=SOURCE,
                file_name=path.name,
                events=runtime.events,
                pseudonymiser=runtime.pseudonymiser,
                quarantine_dir=settings.quarantine_dir,
            )
    runtime.close()  # settle the database files before reading every byte
    stored = stored_text(settings.data_dir)
    assert "Bo Chen <bo@x.org>" in stored  # the scan reads the database (identity labels are kept)
    assert "trailer without an e-mail address" in stored  # ... and the quarantine file
    lowered = stored.lower()
    for needle in [SECRET_SUBJECT, SECRET_BODY, SECRET_FILE, "Zanzibar", "Ouagadougou", "left-pad", *subjects]:
        assert needle.lower() not in lowered, needle


def test_bot_detection() -> None:
    assert is_bot("dependabot[bot]", "49699333+dependabot[bot]@users.noreply.github.com")
    assert is_bot("github-actions[bot]", "41898282+github-actions[bot]@users.noreply.github.com")
    assert is_bot("renovate", "renovate@whitesourcesoftware.com")
    assert is_bot("Anyone", "123+some-app[bot]@users.noreply.github.com")
    assert not is_bot("Renata Ovate", "renata@x.org")
    assert not is_bot("Dependable Dan", "dan@x.org")
