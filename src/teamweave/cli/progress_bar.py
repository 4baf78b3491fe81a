"""A Rich progress bar on a terminal; silence in pipes."""

from __future__ import annotations

from types import TracebackType

from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    SpinnerColumn,
    TaskID,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)

from teamweave.progress import NullProgress, ProgressReporter


class RichProgress:
    """Implements :class:`teamweave.progress.ProgressReporter` with a Rich progress bar on stderr."""

    def __init__(self, console: Console) -> None:
        self._progress = Progress(
            SpinnerColumn(),
            TextColumn("[progress.description]{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            TimeRemainingColumn(),
            console=console,
            transient=False,
        )
        self._task: TaskID | None = None

    def __enter__(self) -> RichProgress:
        self._progress.start()
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self._progress.stop()

    def start(self, description: str, total: int | None = None) -> None:
        self.finish()
        self._task = self._progress.add_task(description, total=total)

    def advance(self, amount: int = 1) -> None:
        if self._task is not None:
            self._progress.advance(self._task, amount)

    def finish(self) -> None:
        if self._task is not None:
            task = self._progress.tasks[self._task]
            if task.total is None:
                self._progress.update(self._task, total=task.completed)
            self._task = None


class _Quiet(NullProgress):
    def __enter__(self) -> _Quiet:
        return self

    def __exit__(self, *args: object) -> None:
        return None


def progress_for(console: Console) -> RichProgress | _Quiet:
    """A progress bar when ``console`` is a terminal, else a reporter that prints nothing.

    Use as a context manager: ``with progress_for(console) as progress: service(..., progress=progress)``.
    """
    if console.is_terminal:
        return RichProgress(console)
    return _Quiet()


__all__ = ["ProgressReporter", "RichProgress", "progress_for"]
