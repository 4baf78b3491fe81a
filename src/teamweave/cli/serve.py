"""CLI: ``teamweave serve`` runs the web app with uvicorn."""

from __future__ import annotations

import typer
import uvicorn

from teamweave.cli.context import out
from teamweave.config import Settings, load_settings
from teamweave.web.app import create_app


def serve_app(settings: Settings, *, host: str | None = None, port: int | None = None) -> None:
    """Serve the web app for ``settings`` until interrupted (the schema is migrated first)."""
    app = create_app(settings)
    bind_host = host or settings.host
    bind_port = port or settings.port
    out.print(f"teamweave is serving on http://{bind_host}:{bind_port} (Ctrl+C stops it)")
    uvicorn.run(app, host=bind_host, port=bind_port, log_level="warning", proxy_headers=False)


def serve(
    host: str | None = typer.Option(None, "--host", help="Address to listen on (default: settings.host)."),
    port: int | None = typer.Option(None, "--port", help="Port to listen on (default: settings.port)."),
) -> None:
    """Serve the web app."""
    serve_app(load_settings(), host=host, port=port)


def register(app: typer.Typer) -> None:
    """Add ``serve`` to the root app."""
    app.command("serve")(serve)
