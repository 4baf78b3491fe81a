"""Reading a Slack export as a zip or a folder, one member at a time, safely.

Zip members are read in memory one by one (never extracted); names that try to leave the archive (absolute
paths, ``..``, drive letters) and absurd uncompressed sizes (zip bombs) are refused with
:class:`~teamweave.errors.InputFormatError` before anything is read. An export whose files sit in one
top-level folder (a zip of the folder) is read from that folder.
"""

from __future__ import annotations

import os
import re
import zipfile
from collections.abc import Collection, Iterator
from pathlib import Path, PurePosixPath
from typing import Final

from teamweave.errors import InputFormatError

MAX_MEMBER_BYTES: Final = 2 * 1024**3
MAX_TOTAL_BYTES: Final = 64 * 1024**3
MAX_RATIO: Final = 200
RATIO_CHECK_ABOVE: Final = 10 * 1024**2
READ_CHUNK: Final = 64 * 1024
_DRIVE = re.compile(r"^[A-Za-z]:")


def _safe_name(name: str, *, archive: str) -> str:
    if "\\" in name or name.startswith("/") or _DRIVE.match(name) or ".." in PurePosixPath(name).parts:
        raise InputFormatError("unsafe path in archive (path traversal)", file=archive, field=name[:200])
    return name


class SlackArchive:
    """The files of a Slack export (zip or folder), by their path relative to the export's root."""

    def __init__(
        self, path: Path, *, max_member_bytes: int = MAX_MEMBER_BYTES, max_total_bytes: int = MAX_TOTAL_BYTES
    ) -> None:
        self.path = Path(path)
        self.max_member_bytes = max_member_bytes
        self._zip: zipfile.ZipFile | None = None
        self._infos: dict[str, zipfile.ZipInfo] = {}
        self._files: dict[str, str] = {}  # name -> file path (str: a Path costs more than the read)
        if self.path.is_dir():
            self._index_folder()
        else:
            self._index_zip(max_total_bytes)

    @property
    def names(self) -> list[str]:
        return sorted(self._infos or self._files)

    def _index_folder(self) -> None:
        files = dict(_json_files(self.path, self.path.resolve(), ""))
        prefix = _export_prefix(files)
        for name, file in files.items():
            if name.startswith(prefix):
                self._files[name.removeprefix(prefix)] = file

    def _index_zip(self, max_total_bytes: int) -> None:
        try:
            self._zip = zipfile.ZipFile(self.path)
        except (zipfile.BadZipFile, OSError) as exc:
            raise InputFormatError("not a readable zip file", file=self.path.name) from exc
        infos = [i for i in self._zip.infolist() if not i.is_dir()]
        total = 0
        for info in infos:
            _safe_name(info.filename, archive=self.path.name)
            total += info.file_size
            bomb = info.file_size > RATIO_CHECK_ABOVE and info.file_size > MAX_RATIO * max(info.compress_size, 1)
            if info.file_size > self.max_member_bytes or bomb:
                raise InputFormatError(
                    "archive member too large when uncompressed (zip bomb?)", file=self.path.name, field=info.filename
                )
        if total > max_total_bytes:
            raise InputFormatError("archive too large when uncompressed (zip bomb?)", file=self.path.name)
        by_name = {i.filename: i for i in infos if i.filename.endswith(".json")}
        prefix = _export_prefix(by_name)
        self._infos = {n.removeprefix(prefix): i for n, i in by_name.items() if n.startswith(prefix)}

    def has(self, name: str) -> bool:
        return name in self._infos or name in self._files

    def read(self, name: str) -> bytes:
        """The bytes of one file; OSError or zipfile.BadZipFile when it cannot be read."""
        if self._zip is not None:
            with self._zip.open(self._infos[name]) as handle:
                data = handle.read(self.max_member_bytes + 1)
        else:
            data = _read_file(self._files[name], self.max_member_bytes + 1)
        if len(data) > self.max_member_bytes:
            raise InputFormatError("file too large", file=name)
        return data

    def close(self) -> None:
        if self._zip is not None:
            self._zip.close()
            self._zip = None


def _read_file(path: str, limit: int) -> bytes:
    """The bytes of a file, at most ``limit``: read by ``os.read`` (tens of thousands of small day files, which
    ``open`` would wrap in a file object each), the first :data:`READ_CHUNK` bytes in one call (a regular file
    gives fewer only at its end)."""
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_BINARY", 0) | getattr(os, "O_CLOEXEC", 0))
    try:
        data = os.read(fd, min(READ_CHUNK, limit))
        if len(data) < min(READ_CHUNK, limit):
            return data
        chunks, size = [data], len(data)
        while size < limit and (chunk := os.read(fd, min(READ_CHUNK * 16, limit - size))):
            chunks.append(chunk)
            size += len(chunk)
        return b"".join(chunks)
    finally:
        os.close(fd)


def _json_files(folder: Path, root: Path, relative: str) -> Iterator[tuple[str, str]]:
    """``.json`` files under ``folder`` by relative name. One ``scandir`` a folder (an export has a file a day
    and channel, tens of thousands): only symbolic links are resolved, and kept when they stay inside ``root``;
    linked folders are not entered."""
    with os.scandir(folder) as entries:
        for entry in sorted(entries, key=lambda e: e.name):
            name = f"{relative}{entry.name}"
            if entry.is_dir(follow_symlinks=False):
                yield from _json_files(Path(entry.path), root, f"{name}/")
            elif entry.name.endswith(".json"):
                if entry.is_file(follow_symlinks=False) or (entry.is_symlink() and _inside(Path(entry.path), root)):
                    yield name, entry.path


def _inside(linked: Path, root: Path) -> bool:
    """Whether a symbolic link names a file inside ``root`` (a Path only for links: 27,000 cost 0.1 s)."""
    return linked.is_file() and linked.resolve().is_relative_to(root)


def _export_prefix(names: Collection[str]) -> str:
    """'' when users.json is at the root, else the one folder holding it (a zip of the export folder)."""
    if "users.json" in names:
        return ""
    holders = sorted(n.removesuffix("users.json") for n in names if n.endswith("/users.json") and n.count("/") == 1)
    return holders[0] if holders else ""
