"""Which connector reads a path: a Slack export (zip or folder) or iCalendar files (one .ics or a folder)."""

from __future__ import annotations

import zipfile
from pathlib import Path
from typing import Final, Literal

from teamweave.errors import InputFormatError

Format = Literal["slack", "ics"]
FORMATS: Final[tuple[Format, ...]] = ("slack", "ics")
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
    if any(p.suffix.lower() == ".ics" for p in path.rglob("*") if p.is_file()):
        return "ics"
    raise InputFormatError(
        "neither a Slack export nor a folder of .ics files",
        file=path.name,
        hint="a Slack export has users.json and channels.json at its root",
    )


def detect_format(path: Path) -> Format:
    """The format of ``path``; InputFormatError when it is none we read (or does not exist)."""
    path = Path(path)
    if not path.exists():
        raise InputFormatError("no such file or folder", file=str(path))
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
    with open(path, "rb") as handle:
        head = handle.read(4096).upper()
    if path.suffix.lower() == ".ics" or b"BEGIN:VCALENDAR" in head:
        return "ics"
    raise InputFormatError(
        "unknown format", file=path.name, hint="give a Slack export (.zip or folder) or .ics calendar files"
    )


def parse_format(value: str | None) -> Format | None:
    """A ``--format`` value (``calendar`` is accepted for ``ics``); None means detect."""
    if value is None:
        return None
    normal = "ics" if value.lower() in {"ics", "calendar", "ical"} else value.lower()
    if normal == "slack":
        return "slack"
    if normal == "ics":
        return "ics"
    raise InputFormatError(f"unknown format {value!r}", field="--format", hint="use slack or ics")
