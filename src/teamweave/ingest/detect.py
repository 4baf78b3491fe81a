"""Which connector reads a path: a Slack export (zip or folder), iCalendar files (one .ics or a folder), a git
repository, GitHub REST API JSON, Microsoft Teams (Graph) JSON, mail (mbox, Maildir, .eml), a Viva Insights query
CSV, or an events CSV."""

from __future__ import annotations

import zipfile
from pathlib import Path
from typing import Final, Literal

from teamweave.errors import InputFormatError
from teamweave.ingest import email_export, generic_csv, git_repo, github_json, teams_graph, vivainsights_csv

Format = Literal["slack", "ics", "git", "github", "teams", "csv", "email", "vivainsights"]
FORMATS: Final[tuple[Format, ...]] = ("slack", "ics", "git", "github", "teams", "csv", "email", "vivainsights")
ALIASES: Final[dict[str, Format]] = {
    "slack": "slack",
    "ics": "ics",
    "ical": "ics",
    "calendar": "ics",
    "git": "git",
    "github": "github",
    "gh": "github",
    "teams": "teams",
    "msteams": "teams",
    "graph": "teams",
    "csv": "csv",
    "email": "email",
    "mail": "email",
    "mbox": "email",
    "maildir": "email",
    "eml": "email",
    "vivainsights": "vivainsights",
    "viva": "vivainsights",
    "workplace-analytics": "vivainsights",
}
_SLACK_ROOT_FILES: Final = ("users.json", "channels.json")


def _has_slack_root(names: set[str]) -> bool:
    if all(n in names for n in _SLACK_ROOT_FILES):
        return True
    folders = {n.split("/", 1)[0] for n in names if n.count("/") == 1}
    return any(all(f"{folder}/{n}" in names for n in _SLACK_ROOT_FILES) for folder in folders)


def _folder_format(path: Path) -> Format:
    if all((path / n).is_file() for n in _SLACK_ROOT_FILES) or any(
        all((sub / n).is_file() for n in _SLACK_ROOT_FILES) for sub in path.iterdir() if sub.is_dir()
    ):
        return "slack"
    if github_json.sniff(path):
        return "github"
    if teams_graph.sniff(path):
        return "teams"
    if any(p.suffix.lower() == ".ics" for p in path.rglob("*") if p.is_file()):
        return "ics"
    if email_export.sniff(path):
        return "email"
    raise InputFormatError(
        "not a format teamweave reads (Slack export, .ics, GitHub or Teams JSON, mail)",
        file=path.name,
        hint="a Slack export has users.json and channels.json at its root",
    )


def detect_format(path: Path) -> Format:
    """The format of ``path``; InputFormatError when it is none we read (or does not exist)."""
    path = Path(path)
    if not path.exists():
        raise InputFormatError("no such file or folder", file=str(path))
    if git_repo.sniff(path):
        return "git"
    if path.is_dir():
        return _folder_format(path)
    if zipfile.is_zipfile(path):
        try:
            with zipfile.ZipFile(path) as archive:
                names = set(archive.namelist())
        except (zipfile.BadZipFile, OSError) as exc:
            raise InputFormatError("not a readable zip file", file=path.name) from exc
        if _has_slack_root(names):
            return "slack"
        raise InputFormatError("a zip file, but not a Slack export (no users.json and channels.json)", file=path.name)
    if github_json.sniff(path):
        return "github"
    if teams_graph.sniff(path):
        return "teams"
    if generic_csv.sniff(path):
        return "csv"
    if vivainsights_csv.sniff(path):
        return "vivainsights"
    with open(path, "rb") as handle:
        head = handle.read(4096).upper()
    if path.suffix.lower() == ".ics" or b"BEGIN:VCALENDAR" in head:
        return "ics"
    if email_export.sniff(path):
        return "email"
    raise InputFormatError(
        "unknown format",
        file=path.name,
        hint="give a Slack export (.zip or folder), .ics calendar files, a git repository, GitHub API JSON, "
        "Microsoft Teams (Graph) JSON, mbox/Maildir/.eml mail, a Viva Insights query CSV or an events CSV "
        "(docs/connectors.md)",
    )


def parse_format(value: str | None) -> Format | None:
    """A ``--format`` value (``calendar`` is accepted for ``ics``, ``gh`` for ``github``); None means detect."""
    if value is None:
        return None
    chosen = ALIASES.get(value.lower())
    if chosen is None:
        raise InputFormatError(f"unknown format {value!r}", field="--format", hint=f"use one of {', '.join(FORMATS)}")
    return chosen
