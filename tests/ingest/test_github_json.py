"""The GitHub connector on JSON shaped as the REST API documents it (pulls, reviews, review and issue comments),
saved the ways ``gh api --paginate`` saves it (pages back to back, one array, ``--slurp``'s array of pages)."""

from __future__ import annotations

import json
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from tests.ingest.builders import ORG, Importer
from tests.support.stored_text import stored_text

from teamweave.errors import InputFormatError
from teamweave.imports.schemas import ImportSummary
from teamweave.ingest.github_json import OWN, SOURCE, UNKNOWN_PARENT, GitHubJson, sniff
from teamweave.ingest.pipeline import run_connector
from teamweave.runtime import Runtime
from teamweave.store.session import session_scope

API = "https://api.github.com/repos/acme/widgets"
WEB = "https://github.com/acme/widgets"
SECRET_TITLE = "Remove the Kilimanjaro feature flag before the audit"
SECRET_BODY = "The Zanzibar customer asked us to hide this"
SECRET_PATH = "src/secret_valuation_model.py"
SECRET_HUNK = "@@ -10,7 +10,7 @@ def valuation_of_quokka():"
USER_IDS = {"ana": 101, "bo": 102, "cy": 103, "dependabot[bot]": 49699333, "github-actions[bot]": 41898282}


def user(login: str) -> dict[str, Any]:
    uid = USER_IDS[login]
    return {
        "login": login,
        "id": uid,
        "node_id": f"MDQ6VXNlcj{uid}",
        "avatar_url": f"https://avatars.githubusercontent.com/u/{uid}?v=4",
        "gravatar_id": "",
        "url": f"https://api.github.com/users/{login}",
        "html_url": f"https://github.com/{login}",
        "type": "Bot" if login.endswith("[bot]") else "User",
        "site_admin": False,
    }


def pull(number: int, login: str) -> dict[str, Any]:
    return {
        "url": f"{API}/pulls/{number}",
        "id": 1_000_000 + number,
        "node_id": f"PR_kwDOAbc{number}",
        "html_url": f"{WEB}/pull/{number}",
        "diff_url": f"{WEB}/pull/{number}.diff",
        "issue_url": f"{API}/issues/{number}",
        "number": number,
        "state": "open",
        "locked": False,
        "title": SECRET_TITLE,
        "user": user(login),
        "body": SECRET_BODY,
        "labels": [{"id": 1, "name": "valuation-quokka"}],
        "created_at": "2024-05-01T09:00:00Z",
        "updated_at": "2024-05-02T09:00:00Z",
        "closed_at": None,
        "merged_at": None,
        "head": {"label": "acme:quokka-branch", "ref": "quokka-branch", "sha": "a" * 40},
        "base": {"label": "acme:main", "ref": "main", "sha": "b" * 40},
        "author_association": "MEMBER",
        "draft": False,
    }


def issue(number: int, login: str) -> dict[str, Any]:
    return {
        "url": f"{API}/issues/{number}",
        "repository_url": API,
        "html_url": f"{WEB}/issues/{number}",
        "id": 2_000_000 + number,
        "node_id": f"I_kwDOAbc{number}",
        "number": number,
        "title": SECRET_TITLE,
        "user": user(login),
        "state": "open",
        "comments": 2,
        "created_at": "2024-05-01T08:00:00Z",
        "author_association": "MEMBER",
        "body": SECRET_BODY,
    }


def review(rid: int, login: str, number: int, state: str, at: str | None) -> dict[str, Any]:
    data = {
        "id": rid,
        "node_id": f"PRR_kwDOAbc{rid}",
        "user": user(login),
        "body": SECRET_BODY,
        "state": state,
        "html_url": f"{WEB}/pull/{number}#pullrequestreview-{rid}",
        "pull_request_url": f"{API}/pulls/{number}",
        "author_association": "MEMBER",
        "_links": {"html": {"href": f"{WEB}/pull/{number}#pullrequestreview-{rid}"}},
        "commit_id": "c" * 40,
    }
    if at is not None:
        data["submitted_at"] = at
    return data


def review_comment(cid: int, login: str, number: int, at: str, reply_to: int | None = None) -> dict[str, Any]:
    data = {
        "url": f"{API}/pulls/comments/{cid}",
        "pull_request_review_id": 42,
        "id": cid,
        "node_id": f"PRRC_kwDOAbc{cid}",
        "diff_hunk": SECRET_HUNK,
        "path": SECRET_PATH,
        "commit_id": "c" * 40,
        "original_commit_id": "c" * 40,
        "user": user(login),
        "body": SECRET_BODY,
        "created_at": at,
        "updated_at": at,
        "html_url": f"{WEB}/pull/{number}#discussion_r{cid}",
        "pull_request_url": f"{API}/pulls/{number}",
        "author_association": "MEMBER",
        "line": 12,
        "side": "RIGHT",
    }
    if reply_to is not None:
        data["in_reply_to_id"] = reply_to
    return data


def issue_comment(cid: int, login: str, number: int, at: str) -> dict[str, Any]:
    return {
        "url": f"{API}/issues/comments/{cid}",
        "html_url": f"{WEB}/pull/{number}#issuecomment-{cid}",
        "issue_url": f"{API}/issues/{number}",
        "id": cid,
        "node_id": f"IC_kwDOAbc{cid}",
        "user": user(login),
        "created_at": at,
        "updated_at": at,
        "author_association": "CONTRIBUTOR",
        "body": SECRET_BODY,
    }


def write_fixture(root: Path) -> Path:
    """Pulls #1 (ana) and #2 (dependabot), issue #3 (bo), their reviews and comments, in five files."""
    root.mkdir(parents=True)
    reviews = [
        review(301, "bo", 1, "APPROVED", "2024-05-02T10:00:00Z"),
        review(302, "cy", 1, "CHANGES_REQUESTED", "2024-05-02T11:00:00+02:00"),
        review(303, "ana", 1, "COMMENTED", "2024-05-02T12:00:00Z"),
        review(304, "cy", 1, "PENDING", None),
        review(305, "bo", 2, "APPROVED", "2024-05-03T10:00:00Z"),
        review(306, "bo", 9, "APPROVED", "2024-05-03T11:00:00Z"),
    ]
    comments = [
        [review_comment(401, "cy", 1, "2024-05-02T10:30:00Z")],
        [review_comment(402, "ana", 1, "2024-05-02T10:40:00Z", reply_to=401)],
        [review_comment(403, "bo", 1, "2024-05-02T10:50:00Z", reply_to=999)],
    ]
    notes = [
        issue_comment(501, "ana", 3, "2024-05-04T09:00:00Z"),
        issue_comment(502, "github-actions[bot]", 1, "2024-05-04T10:00:00Z"),
        issue_comment(503, "bo", 3, "2024-05-04T11:00:00Z"),
    ]
    (root / "a-reviews.json").write_text(json.dumps(reviews, indent=2))  # read before the pulls: order is free
    (root / "comments.json").write_text(json.dumps(comments))  # gh api --paginate --slurp
    (root / "issues" / "issues.json").parent.mkdir()
    (root / "issues" / "issues.json").write_text(json.dumps([issue(3, "bo")]))
    (root / "issues" / "comments.json").write_text(json.dumps(notes))
    pages = json.dumps([pull(1, "ana")], indent=2) + json.dumps([pull(2, "dependabot[bot]")], indent=2)
    (root / "pulls.json").write_text(pages)  # gh api --paginate: pages back to back
    return root


def _import(importer: Importer, path: Path) -> ImportSummary:
    return run_connector(
        importer.session,
        org=ORG,
        connector=GitHubJson.open(path),
        source=SOURCE,
        file_name=path.name,
        events=importer.events,
        pseudonymiser=importer.pseudonymiser,
        quarantine_dir=importer.quarantine_dir,
    )


def test_reviews_and_comments_between_authors_and_reviewers(importer: Importer, tmp_path: Path) -> None:
    summary = _import(importer, write_fixture(tmp_path / "gh"))

    assert summary.counts_by_kind == {"review": 4, "reply": 2, "message": 2}
    assert summary.added == 8
    assert summary.errors == []
    assert summary.skip_reasons[OWN] == 2
    assert summary.skip_reasons[UNKNOWN_PARENT] == 1
    assert summary.skip_reasons["pending review (not submitted)"] == 1
    assert summary.unmatched == ["@ana (GitHub)", "@bo (GitHub)", "@cy (GitHub)"]
    assert summary.bots == ["@dependabot[bot] (GitHub, bot)", "@github-actions[bot] (GitHub, bot)"]
    ana, bo, cy, dependabot, actions = (
        importer.pseudonymiser.identity("github", f"github:{login}") for login in USER_IDS
    )
    got = Counter((r["kind"], r["actor"], tuple(r["targets"]), r["by_bot"]) for r in importer.rows())
    assert got == {
        ("review", bo, (ana,), False): 1,  # review 301
        ("review", cy, (ana,), False): 2,  # review 302, review comment 401
        ("review", bo, (dependabot,), False): 1,  # review 305 of the bot's pull request
        ("reply", ana, (cy,), False): 1,  # 402 answers 401
        ("reply", bo, (ana,), False): 1,  # 403 answers a comment not in the files: the PR author
        ("message", ana, (bo,), False): 1,  # on bo's issue
        ("message", actions, (ana,), True): 1,
    }
    rows = importer.rows()
    assert {r["audience"] for r in rows} == {1}
    assert {r["channel"] for r in rows} == {importer.pseudonymiser.channel("github", "acme/widgets")}
    assert datetime(2024, 5, 2, 9, 0, tzinfo=UTC) in {r["ts"] for r in rows}  # 11:00+02:00 of review 302


def test_importing_twice_or_file_by_file_adds_nothing(importer: Importer, tmp_path: Path) -> None:
    root = write_fixture(tmp_path / "gh")
    first = _import(importer, root)
    second = _import(importer, root)
    assert (first.added, second.added, second.duplicates) == (8, 0, 8)
    alone = _import(importer, root / "a-reviews.json")
    assert (alone.added, alone.skip_reasons[UNKNOWN_PARENT]) == (0, 5)  # and one pending review
    assert importer.events.count(ORG) == 8


def test_one_array_and_pages_back_to_back_read_the_same(importer: Importer, tmp_path: Path) -> None:
    root = tmp_path / "one"
    root.mkdir()
    (root / "pulls.json").write_text(json.dumps([pull(1, "ana")]) + "\n\n")
    (root / "reviews.json").write_text(json.dumps([review(301, "bo", 1, "APPROVED", "2024-05-02T10:00:00Z")]))
    assert sniff(root)
    assert sniff(root / "pulls.json")
    assert _import(importer, root).counts_by_kind == {"review": 1}


def test_paths_that_are_not_github_json_are_refused(tmp_path: Path) -> None:
    (tmp_path / "users.json").write_text(json.dumps([{"id": "U1", "name": "ana", "profile": {}}]))
    (tmp_path / "notes.txt").write_text("hello")
    (tmp_path / "empty").mkdir()
    for path in (tmp_path / "users.json", tmp_path / "notes.txt", tmp_path / "empty", tmp_path / "missing.json"):
        assert not sniff(path)
        with pytest.raises(InputFormatError) as error:
            GitHubJson.open(path)
        assert error.value.file == path.name


def test_bad_records_are_located_and_the_rest_goes_in(importer: Importer, tmp_path: Path) -> None:
    root = tmp_path / "bad"
    root.mkdir()
    broken = [
        review(301, "bo", 1, "APPROVED", "2024-05-02T10:00:00Z"),
        {**review(302, "cy", 1, "APPROVED", "yesterday")},
        {**review(303, "cy", 1, "APPROVED", "2024-05-02T10:00:00Z"), "user": {"login": 7}},
        {**review(304, "cy", 1, "APPROVED", "2024-05-02T10:00:00Z"), "id": "304"},
        {**review(305, "cy", 1, "APPROVED", "2024-05-02T10:00:00Z"), "pull_request_url": ["x"]},
        {**review(306, "cy", 1, "APPROVED", "2024-05-02T10:00:00Z"), "user": None},
        "a string",
    ]
    (root / "reviews.json").write_text(json.dumps(broken))
    pages = json.dumps([pull(1, "ana")]) + json.dumps([pull(2, "bo")])
    (root / "pulls.json").write_text(pages[:-40])  # truncated inside the second page
    summary = _import(importer, root)

    assert summary.counts_by_kind == {"review": 1}
    assert summary.errors == [
        "pulls.json, line 1: not valid JSON (truncated?)",
        "reviews.json, item 2, field 'submitted_at': malformed timestamp",
        "reviews.json, item 3, field 'user.login': missing or malformed login",
        "reviews.json, item 4, field 'id': missing or malformed id",
        "reviews.json, item 5, field 'pull_request_url': no pull request or issue url",
    ]
    assert summary.skip_reasons["deleted account (no user)"] == 1
    assert summary.quarantine_file is not None
    quarantined = summary.quarantine_file.read_text()
    assert "yesterday" not in quarantined
    assert SECRET_BODY not in quarantined


def test_no_title_body_path_or_hunk_reaches_any_stored_byte(tmp_path: Path, runtime: Runtime) -> None:
    root = write_fixture(tmp_path / "gh")
    (root / "broken.json").write_text(json.dumps([review(309, "bo", 1, "APPROVED", SECRET_TITLE)]))
    settings = runtime.settings
    with session_scope(runtime.sessions) as session:
        run_connector(
            session,
            org=ORG,
            connector=GitHubJson.open(root),
            source=SOURCE,
            file_name=root.name,
            events=runtime.events,
            pseudonymiser=runtime.pseudonymiser,
            quarantine_dir=settings.quarantine_dir,
        )
    runtime.close()  # settle the database files before reading every byte
    stored = stored_text(settings.data_dir).lower()
    assert "@ana (github)" in stored  # the scan reads the database
    assert "malformed timestamp" in stored  # ... and the quarantine file
    for needle in (SECRET_TITLE, SECRET_BODY, SECRET_PATH, SECRET_HUNK, "kilimanjaro", "quokka", "zanzibar"):
        assert needle.lower() not in stored, needle
