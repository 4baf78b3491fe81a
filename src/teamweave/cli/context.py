"""What every command needs: settings, a migrated runtime, consoles for output and for progress."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from rich.console import Console

from teamweave.config import load_settings
from teamweave.runtime import Runtime

out = Console(highlight=False)
err = Console(stderr=True, highlight=False)


@contextmanager
def open_runtime() -> Iterator[Runtime]:
    """Settings from the environment / teamweave.toml, the schema migrated, closed on exit."""
    runtime = Runtime(load_settings())
    try:
        runtime.migrate()
        yield runtime
    finally:
        runtime.close()
