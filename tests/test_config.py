"""Settings: environment and TOML sources, generated keys (mode 0600, reused), production refuses defaults."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest

from teamweave.config import PROJECT_DOC_SETTINGS, Settings, load_settings, settings_markdown
from teamweave.errors import ConfigurationError


def test_pseudonym_key_is_generated_once_with_mode_0600(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path)
    key = settings.resolved_pseudonym_key()
    path = tmp_path / "keys" / "pseudonym.key"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert len(key) == 32
    assert Settings(data_dir=tmp_path).resolved_pseudonym_key() == key


def test_production_refuses_to_generate_keys(tmp_path: Path) -> None:
    with pytest.raises(ConfigurationError, match="no key configured"):
        Settings(env="prod", data_dir=tmp_path).resolved_pseudonym_key()
    given = Settings(env="prod", data_dir=tmp_path, pseudonym_key="ab" * 32)
    assert given.resolved_pseudonym_key() == bytes.fromhex("ab" * 32)


def test_bad_hex_key_is_a_located_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigurationError) as info:
        Settings(data_dir=tmp_path, pseudonym_key="not-hex").resolved_pseudonym_key()
    assert "TEAMWEAVE_PSEUDONYM_KEY" in str(info.value)


def test_environment_and_toml(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    toml = tmp_path / "tw.toml"
    toml.write_text('org = "acme"\nmin_group_size = 7\n')
    monkeypatch.setenv("TEAMWEAVE_CONFIG", str(toml))
    monkeypatch.setenv("TEAMWEAVE_MIN_GROUP_SIZE", "6")
    settings = load_settings(data_dir=tmp_path)
    assert settings.org == "acme"
    assert settings.min_group_size == 6  # the environment wins over the file
    assert settings.resolved_database_url == f"sqlite:///{(tmp_path / 'teamweave.db').resolve()}"


def test_k_is_never_below_three(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="greater than or equal to 3"):
        Settings(data_dir=tmp_path, min_group_size=2)


def test_settings_doc_is_current() -> None:
    assert PROJECT_DOC_SETTINGS.read_text() == settings_markdown()


def test_short_secrets_are_refused(tmp_path: Path) -> None:
    with pytest.raises(ConfigurationError, match="too short"):
        Settings(data_dir=tmp_path, session_secret="00").resolved_session_secret()
