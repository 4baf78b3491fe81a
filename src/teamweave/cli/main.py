"""The ``teamweave`` command: one Typer app; each command group lives in its own module."""

from __future__ import annotations

import sys

import typer
from rich.console import Console

from teamweave import __version__
from teamweave.cli import (
    analyze,
    celebrations,
    config,
    demo,
    identities,
    imports,
    outbox,
    people,
    privacy,
    recognition,
    remind,
    serve,
    tone,
    users,
)
from teamweave.errors import TeamweaveError

app = typer.Typer(
    name="teamweave",
    help="Measure and strengthen human connection in engineering teams, privately.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)

for module in (
    demo,
    people,
    imports,
    identities,
    analyze,
    tone,
    recognition,
    celebrations,
    remind,
    outbox,
    serve,
    users,
    privacy,
    config,
):
    module.register(app)


@app.callback(invoke_without_command=True)
def _root(
    version: bool = typer.Option(False, "--version", help="Print the version and exit."),
) -> None:
    if version:
        typer.echo(__version__)
        raise typer.Exit()


def run() -> None:
    """Entry point: expected errors become one line on stderr and exit code 1, never a traceback."""
    try:
        app()
    except TeamweaveError as error:
        Console(stderr=True).print(f"[bold red]error:[/] {error}", highlight=False, soft_wrap=True)
        sys.exit(1)
