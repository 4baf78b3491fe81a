"""CLI: ``teamweave demo`` generates (once) and imports the demo organisation, prints logins, serves the app."""

from __future__ import annotations

import time

import typer
from rich.table import Table

from teamweave.cli.context import err, open_runtime, out
from teamweave.cli.progress_bar import progress_for
from teamweave.cli.serve import serve_app
from teamweave.demo.run import DemoInfo, prepare


def _logins_table(info: DemoInfo) -> Table:
    table = Table(title="Demo logins")
    table.add_column("username", no_wrap=True)
    table.add_column("password", no_wrap=True)
    table.add_column("role", no_wrap=True)
    table.add_column("who")
    for login in info.logins:
        table.add_row(login.username, info.password, login.role, login.why)
    return table


def _summary(info: DemoInfo, seconds: float) -> str:
    manifest = info.manifest
    how = "reused the demo in" if info.reused else "generated and imported into"
    steps = ", ".join(f"{name} {value:.1f} s" for name, value in info.steps.items())
    return (
        f"Demo ready in {seconds:.1f} s ({how} {info.directory}): {info.people} people, "
        f"{manifest.teams} teams, {info.events:,} events, {manifest.start} to {manifest.end}"
        + (f" ({steps})" if steps else "")
    )


def demo(
    no_serve: bool = typer.Option(False, "--no-serve", help="Prepare the demo and print logins, but do not serve."),
    seed: int | None = typer.Option(None, "--seed", help="Seed of the generated organisation (default 7)."),
    regenerate: bool = typer.Option(
        False, "--regenerate", help="Write the demo files anew and re-import them instead of reusing them."
    ),
) -> None:
    """Generate a synthetic organisation with planted phenomena, import it, print logins and serve the app."""
    began = time.perf_counter()
    with open_runtime() as runtime:
        with progress_for(err) as progress:
            info = prepare(runtime, seed=seed, regenerate=regenerate, progress=progress)
        out.print(_logins_table(info))
        out.print(_summary(info, time.perf_counter() - began))
        settings = runtime.settings
    if not no_serve:
        serve_app(settings)


def register(app: typer.Typer) -> None:
    """Add ``demo`` to the root app."""
    app.command("demo")(demo)
