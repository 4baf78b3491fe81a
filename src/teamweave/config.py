"""Settings, declared once as data.

Read from ``TEAMWEAVE_*`` environment variables and, if present, a TOML file (``teamweave.toml`` in the
working directory, or the path in ``TEAMWEAVE_CONFIG``). Importing this module reads nothing; call
:func:`load_settings`.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path
from typing import Any, Literal

from pydantic import Field, field_validator
from pydantic_settings import (
    BaseSettings,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
    TomlConfigSettingsSource,
)

from teamweave.errors import ConfigurationError

DEFAULT_DATA_DIR = Path("teamweave-data")
MIN_KEY_BYTES = 16
PROJECT_DOC_SETTINGS = Path(__file__).resolve().parents[2] / "docs" / "settings.md"


class Settings(BaseSettings):
    """Every setting of teamweave, with its description (docs/settings.md is generated from these)."""

    model_config = SettingsConfigDict(env_prefix="TEAMWEAVE_", extra="ignore", toml_file=None)

    env: Literal["dev", "test", "prod"] = Field(
        "dev", description="Deployment kind. In prod a pseudonym key and a session secret must be provided."
    )
    data_dir: Path = Field(
        DEFAULT_DATA_DIR,
        description="Where the embedded database, the Parquet event store, keys and quarantine files live.",
    )
    database_url: str | None = Field(
        None,
        description="SQLAlchemy URL of the database. Default: a SQLite file in the data dir. "
        "For PostgreSQL: postgresql+psycopg://user@host/dbname",
    )
    org: str = Field("default", description="Organisation (tenant) id that imports and analyses use.")
    min_group_size: int = Field(
        5,
        ge=3,
        description="k: the fewest people any aggregate shown to someone else may cover (never below 3).",
    )
    pseudonym_key: str | None = Field(
        None,
        description="Secret key for pseudonyms (hex). Default: generated on first run into "
        "<data_dir>/keys/pseudonym.key with mode 0600.",
    )
    session_secret: str | None = Field(
        None,
        description="Secret for signing session cookies. Default: generated into <data_dir>/keys/session.key.",
    )
    host: str = Field("127.0.0.1", description="Address the web app listens on.")
    port: int = Field(8000, description="Port the web app listens on.")
    secure_cookies: bool = Field(
        False, description="Mark session cookies Secure (set true behind HTTPS in production)."
    )
    work_day_start: int = Field(8, ge=0, le=23, description="Hour a working day starts, in a person's own zone.")
    work_day_end: int = Field(19, ge=1, le=24, description="Hour a working day ends, in a person's own zone.")
    tone_llm_url: str | None = Field(
        None,
        description="Base URL of an OpenAI-compatible chat API for the tone coach's rewriter, e.g. "
        "http://127.0.0.1:8080/v1. Off when empty: the rule-based rewriter runs.",
    )
    tone_llm_model: str | None = Field(None, description="Model name the tone coach asks that API for.")
    tone_llm_key: str | None = Field(None, description="API key for that endpoint (sent as a Bearer token).")
    slack_signing_secret: str | None = Field(
        None,
        description="Signing secret of the Slack app whose message shortcut posts to /slack/tone. Off when empty.",
    )
    public_url: str = Field(
        "http://127.0.0.1:8000",
        description="Address people reach the web app at; links in e-mails, Slack posts and invites start with it.",
    )
    smtp_host: str | None = Field(None, description="SMTP server for e-mail notifications. Off when empty.")
    smtp_port: int = Field(25, ge=1, le=65535, description="Port of the SMTP server.")
    smtp_starttls: bool = Field(False, description="Upgrade the SMTP connection with STARTTLS before sending.")
    smtp_username: str | None = Field(None, description="SMTP login name, if the server asks for one.")
    smtp_password: str | None = Field(None, description="SMTP password, if the server asks for one.")
    smtp_from: str = Field("teamweave@localhost", description="From address of notification e-mails.")
    slack_webhook_url: str | None = Field(
        None,
        description="Slack incoming webhook (https://hooks.slack.com/services/...) for team digests and "
        "celebrations. Off when empty.",
    )
    quiet_hours_start: int = Field(
        20, ge=0, le=23, description="Hour quiet hours begin in the recipient's own time zone (nothing is sent)."
    )
    quiet_hours_end: int = Field(8, ge=0, le=23, description="Hour quiet hours end in the recipient's own zone.")
    notify_weekly_cap: int = Field(
        10, ge=1, description="Most notifications one person receives in a week (digests and nudges together)."
    )
    notify_max_attempts: int = Field(
        5, ge=1, description="Delivery attempts per notification before it is marked failed."
    )
    notify_retry_seconds: int = Field(
        60, ge=1, description="First retry delay; each further retry waits twice as long (exponential backoff)."
    )
    recognition_values: list[str] = Field(
        ["Collaboration", "Ownership", "Curiosity", "Care", "Craft"],
        description="The company values a recognition can be tied to.",
    )
    recognition_equity_weeks: int = Field(
        8, ge=1, description="A report not recognised for this many weeks shows in their manager's nudge."
    )
    celebration_reminder_days: int = Field(
        3, ge=0, description="Days ahead a manager is reminded of a report's anniversary or birthday."
    )

    @field_validator("data_dir")
    @classmethod
    def _expand(cls, value: Path) -> Path:
        return value.expanduser()

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        toml_path = Path(os.environ.get("TEAMWEAVE_CONFIG", "teamweave.toml"))
        sources: list[PydanticBaseSettingsSource] = [init_settings, env_settings]
        if toml_path.is_file():
            sources.append(TomlConfigSettingsSource(settings_cls, toml_file=toml_path))
        return tuple(sources)

    @property
    def resolved_database_url(self) -> str:
        return self.database_url or f"sqlite:///{(self.data_dir / 'teamweave.db').resolve()}"

    @property
    def events_dir(self) -> Path:
        return self.data_dir / "events"

    @property
    def quarantine_dir(self) -> Path:
        return self.data_dir / "quarantine"

    def resolved_pseudonym_key(self) -> bytes:
        """The pseudonym key; generated on first run in dev/test, required in prod."""
        return _secret(self, "pseudonym_key", "pseudonym.key")

    def resolved_session_secret(self) -> bytes:
        return _secret(self, "session_secret", "session.key")


def _secret(settings: Settings, attribute: str, filename: str) -> bytes:
    given: str | None = getattr(settings, attribute)
    if given:
        try:
            given_key = bytes.fromhex(given)
        except ValueError as exc:
            raise ConfigurationError(
                "must be hex", where=f"TEAMWEAVE_{attribute.upper()}", hint="e.g. openssl rand -hex 32"
            ) from exc
        if len(given_key) < MIN_KEY_BYTES:
            raise ConfigurationError(
                f"too short: at least {MIN_KEY_BYTES} bytes ({2 * MIN_KEY_BYTES} hex digits)",
                where=f"TEAMWEAVE_{attribute.upper()}",
                hint="e.g. openssl rand -hex 32",
            )
        return given_key
    path = settings.data_dir / "keys" / filename
    if path.exists():
        return bytes.fromhex(path.read_text().strip())
    if settings.env == "prod":
        raise ConfigurationError(
            "no key configured in production",
            where=f"TEAMWEAVE_{attribute.upper()}",
            hint=f"set it, or place a hex key in {path} (mode 0600)",
        )
    path.parent.mkdir(parents=True, exist_ok=True)
    os.chmod(path.parent, 0o700)
    key = secrets.token_hex(32)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as handle:
        handle.write(key + "\n")
    return bytes.fromhex(key)


def load_settings(**overrides: Any) -> Settings:
    """Read settings from the environment and the TOML file; keyword arguments win."""
    return Settings(**overrides)


def settings_markdown() -> str:
    """docs/settings.md, generated from the declared settings (a test keeps the file current)."""
    lines = [
        "# Settings",
        "",
        "Generated from `teamweave.config.Settings` by `teamweave config docs`; do not edit by hand.",
        "",
        "Each setting is read from the environment variable shown, or from `teamweave.toml` in the working",
        "directory (or the file named by `TEAMWEAVE_CONFIG`) using the lower-case name as the key.",
        "",
        "| setting | environment variable | default | description |",
        "|---|---|---|---|",
    ]
    for name, info in Settings.model_fields.items():
        default = info.default
        shown = "(generated)" if name in {"pseudonym_key", "session_secret"} else repr(default)
        if default is None and name.startswith(("tone_", "slack_", "smtp_")):
            shown = "(off)"
        if default is None and name == "database_url":
            shown = "SQLite file in the data dir"
        if isinstance(default, Path):
            shown = f"`{default}`"
        lines.append(f"| `{name}` | `TEAMWEAVE_{name.upper()}` | {shown} | {info.description} |")
    return "\n".join(lines) + "\n"
