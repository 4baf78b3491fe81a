"""How long jobs report progress without knowing where it is shown.

Services accept a :class:`ProgressReporter`; the CLI passes a Rich progress bar on a terminal and
:class:`NullProgress` in pipes, so services never print.
"""

from __future__ import annotations

from typing import Protocol


class ProgressReporter(Protocol):
    def start(self, description: str, total: int | None = None) -> None:
        """Begin a step; ``total`` in whatever unit :meth:`advance` counts (None: unknown)."""

    def advance(self, amount: int = 1) -> None:
        """Record ``amount`` more units of the current step done."""

    def finish(self) -> None:
        """End the current step."""


class NullProgress:
    """Reports nothing (pipes, tests, the web app)."""

    def start(self, description: str, total: int | None = None) -> None:
        return None

    def advance(self, amount: int = 1) -> None:
        return None

    def finish(self) -> None:
        return None


def shown(progress: ProgressReporter) -> bool:
    """Whether ``progress`` displays anything: work done only for the display (counting a total before
    starting, say) can be skipped when it does not.

    >>> shown(NullProgress())
    False
    """
    return not isinstance(progress, NullProgress)
