"""Raw-parse baselines that also read the fields the connector reads, for the JSON formats and git.

The issue's mbox baseline is "iterating Python's ``mailbox`` module and reading the headers, doing nothing
else". Its analogue for a JSON export is parsing the JSON *and* reading, for every record, the same fields the
connector reads (and nothing else: no checks, no resolution, no pseudonyms, nothing written). The plain parse
baselines of ``import_bench.py`` (``json.loads`` only) stay, and the bench prints both ratios: the parse-only one
is the stricter. Each function returns the records it read, as its parse-only twin does.
"""

from __future__ import annotations

import json
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from teamweave.ingest.git_log import FIELD_SEP, LOG_FORMAT, LOG_REFS, TRAILER_SEP, git_command, git_env

SLACK_FIELDS = ("ts", "type", "subtype", "user", "bot_id", "thread_ts", "parent_user_id", "text", "username")
GITHUB_FIELDS = (
    "id", "number", "url", "html_url", "head", "base", "pull_request_url", "issue_url", "state", "submitted_at",
    "created_at", "in_reply_to_id", "diff_hunk", "path",
)  # fmt: skip
TEAMS_FIELDS = ("id", "messageType", "deletedDateTime", "createdDateTime", "replyToId", "chatId", "channelIdentity")


def _get(value: object, key: str) -> Any:
    return value.get(key) if isinstance(value, dict) else None


def slack_fields(day_files: Iterator[bytes]) -> int:
    """json.loads of every day file, then each message's fields and its reactions' names and users."""
    records = 0
    for blob in day_files:
        for message in json.loads(blob):
            for field in SLACK_FIELDS:
                message.get(field)
            text = message.get("text")
            _ = isinstance(text, str) and "<@" in text
            records += 1
            for reaction in message.get("reactions", []):
                reaction.get("name")
                for user in reaction.get("users", []):
                    _ = user
                    records += 1
    return records


def _user_of(holder: object) -> None:
    user = _get(holder, "user")
    _get(user, "id"), _get(user, "displayName")


def teams_fields(folder: Path) -> int:
    """json.loads of every page, then each message's fields, sender, mentions and reactions."""
    objects = 0
    for path in sorted(folder.rglob("*.json")):
        page = json.loads(path.read_bytes())
        page.get("@odata.context")
        for message in page.get("value", [page]):
            for field in TEAMS_FIELDS:
                message.get(field)
            sender = message.get("from")
            _user_of(sender), _get(_get(sender, "application"), "id")
            for mention in message.get("mentions") or []:
                _user_of(_get(mention, "mentioned"))
            for reaction in message.get("reactions") or []:
                _get(reaction, "reactionType"), _get(reaction, "createdDateTime"), _user_of(_get(reaction, "user"))
            objects += 1
    return objects


def github_fields(folder: Path) -> int:
    """json raw_decode of the pages back to back, then each object's fields and its user's login and type."""
    decoder = json.JSONDecoder()
    objects = 0
    for path in sorted(folder.rglob("*.json")):
        text, position = path.read_text(), 0
        while position < len(text):
            value, position = decoder.raw_decode(text, position)
            for item in value.get("value", [value]) if isinstance(value, dict) else value:
                for field in GITHUB_FIELDS:
                    item.get(field)
                user = item.get("user")
                _get(user, "login"), _get(user, "type")
                objects += 1
            while position < len(text) and text[position].isspace():
                position += 1
    return objects


def git_fields(repo: Path) -> int:
    """``git log`` as the connector runs it, output decoded and split into records, fields and trailers."""
    args = ("log", "-z", "--use-mailmap", "--no-color", "--no-show-signature", f"--format={LOG_FORMAT}")
    result = subprocess.run(git_command(repo, *args, *LOG_REFS), capture_output=True, env=git_env(), check=True)  # noqa: S603
    commits = 0
    for record in result.stdout.decode("utf-8", errors="replace").split("\0"):
        fields = record.strip("\n").split(FIELD_SEP)
        if len(fields) == 5:
            for line in fields[4].split(TRAILER_SEP):
                line.partition(":")
        commits += 1
    return commits
