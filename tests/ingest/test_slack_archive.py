"""Safe reading of Slack export zips: path traversal and zip bombs are refused before anything is read."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pytest
from sqlalchemy import select
from tests.ingest.builders import ORG, Importer, msg, user

from teamweave.errors import InputFormatError
from teamweave.imports.models import ImportRun
from teamweave.ingest.slack_archive import READ_CHUNK, SlackArchive
from teamweave.ingest.slack_export import SlackExport


def _zip(path: Path, members: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return path


def _export_members(prefix: str = "") -> dict[str, bytes]:
    users = [user("U1", "ana"), user("U2", "bo")]
    channels = [{"id": "C1", "name": "dev", "members": ["U1", "U2"]}]
    return {
        f"{prefix}users.json": json.dumps(users).encode(),
        f"{prefix}channels.json": json.dumps(channels).encode(),
        f"{prefix}dev/2024-01-02.json": json.dumps([msg("1704196800.1", "U1")]).encode(),
    }


@pytest.mark.parametrize("name", ["../evil.json", "/etc/passwd.json", "dev/../../x.json", "C:/x.json", "a\\..\\b"])
def test_path_traversal_is_refused(tmp_path: Path, name: str) -> None:
    path = _zip(tmp_path / "export.zip", {**_export_members(), name: b"[]"})
    with pytest.raises(InputFormatError, match="path traversal"):
        SlackArchive(path)


def test_zip_bomb_is_refused(tmp_path: Path) -> None:
    path = _zip(tmp_path / "export.zip", {**_export_members(), "dev/2024-01-03.json": b"\0" * (11 * 1024**2)})
    with pytest.raises(InputFormatError, match="zip bomb"):
        SlackArchive(path)
    small = _zip(tmp_path / "small.zip", _export_members())
    with pytest.raises(InputFormatError, match="zip bomb"):
        SlackArchive(small, max_member_bytes=100)
    with pytest.raises(InputFormatError, match="zip bomb"):
        SlackArchive(small, max_total_bytes=100)


def test_refused_zip_writes_nothing(importer: Importer, tmp_path: Path) -> None:
    path = _zip(tmp_path / "export.zip", {**_export_members(), "../evil.json": b"[]"})
    with pytest.raises(InputFormatError):
        importer(path)
    assert importer.session.execute(select(ImportRun)).first() is None
    assert not importer.events.has_events(ORG)


def test_zip_of_the_export_folder_is_read_from_that_folder(importer: Importer, tmp_path: Path) -> None:
    path = _zip(tmp_path / "export.zip", _export_members("My Workspace Slack export/"))
    export = SlackExport.open(path)
    try:
        assert export.day_files == ["dev/2024-01-02.json"]
    finally:
        export.close()
    assert importer(path).added == 1


def test_not_a_zip(tmp_path: Path) -> None:
    path = tmp_path / "export.zip"
    path.write_bytes(b"PK\x03\x04 not really")
    with pytest.raises(InputFormatError):
        SlackArchive(path)


def test_folder_links_are_read_only_when_they_stay_inside(tmp_path: Path) -> None:
    root = tmp_path / "export"
    for name, data in _export_members().items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_bytes(data)
    outside = tmp_path / "outside.json"
    outside.write_text("[]")
    (root / "dev" / "2024-01-03.json").symlink_to(root / "dev" / "2024-01-02.json")
    (root / "dev" / "2024-01-04.json").symlink_to(outside)
    (root / "dev" / "2024-01-05.json").symlink_to(root / "dev" / "missing.json")
    (root / "linked").symlink_to(tmp_path, target_is_directory=True)
    archive = SlackArchive(root)
    assert archive.names == ["channels.json", "dev/2024-01-02.json", "dev/2024-01-03.json", "users.json"]
    assert archive.read("dev/2024-01-03.json") == archive.read("dev/2024-01-02.json")


def test_large_files_are_read_whole_and_limited(tmp_path: Path) -> None:
    root = tmp_path / "export"
    (root / "dev").mkdir(parents=True)
    (root / "users.json").write_text("[]")
    big = b"[" + b" " * (3 * READ_CHUNK + 17) + b"]"
    (root / "dev" / "2024-01-01.json").write_bytes(big)
    assert SlackArchive(root).read("dev/2024-01-01.json") == big
    small = SlackArchive(root, max_member_bytes=READ_CHUNK + 5)
    with pytest.raises(InputFormatError, match="too large"):
        small.read("dev/2024-01-01.json")
