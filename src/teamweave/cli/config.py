"""CLI: show the effective settings, or print docs/settings.md."""

from __future__ import annotations

import typer
from rich.table import Table

from teamweave.cli.context import out
from teamweave.config import load_settings, settings_markdown

config_app = typer.Typer(help="Inspect settings.", no_args_is_help=True)
SECRET_FIELDS = {"pseudonym_key", "session_secret", "tone_llm_key", "slack_signing_secret"}


@config_app.command("show")
def show() -> None:
    """Print the effective settings (secrets hidden)."""
    settings = load_settings()
    table = Table("setting", "value")
    for name in type(settings).model_fields:
        value = getattr(settings, name)
        table.add_row(name, "***" if name in SECRET_FIELDS and value else str(value))
    table.add_row("database (resolved)", settings.resolved_database_url)
    out.print(table)


@config_app.command("docs")
def docs() -> None:
    """Print the settings reference as Markdown (the content of docs/settings.md)."""
    typer.echo(settings_markdown(), nl=False)


def register(app: typer.Typer) -> None:
    app.add_typer(config_app, name="config")
