"""Results taken one step behind the work that makes them, so a worker computes one while the next is prepared.

The table paths start each block's keyed event ids on a worker thread and hand back what waits for them
(a function); the block's table is taken only once the next block has been read and its ids started.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from typing import TypeVar

T = TypeVar("T")


def one_behind(started: Iterable[Callable[[], T]]) -> Iterator[T]:
    """Each started piece of work's result, taken when the next one has started (the last when none follows).

    >>> order = []
    >>> def start(n):
    ...     order.append(f"start {n}")
    ...     return lambda: order.append(f"take {n}") or n
    >>> list(one_behind(start(n) for n in range(3))), order
    ([0, 1, 2], ['start 0', 'start 1', 'take 0', 'start 2', 'take 1', 'take 2'])
    """
    pending: Callable[[], T] | None = None
    for made in started:
        if pending is not None:
            yield pending()
        pending = made
    if pending is not None:
        yield pending()
