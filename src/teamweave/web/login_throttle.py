"""Slows password guessing: after repeated failed logins for one username or from one address, refuse for a while.

In memory, per process: enough for the single-process server `teamweave serve` runs. Each failure is remembered
for :data:`WINDOW_S` seconds; with :data:`MAX_FAILURES` or more in the window the key is refused (429) until the
oldest failure ages out. A successful login clears the username's failures.
"""

from __future__ import annotations

import threading
import time
from collections import defaultdict, deque
from typing import Final

MAX_FAILURES: Final = 5
WINDOW_S: Final = 15 * 60


class LoginThrottle:
    def __init__(self, *, max_failures: int = MAX_FAILURES, window_s: float = WINDOW_S) -> None:
        self.max_failures = max_failures
        self.window_s = window_s
        self._failures: dict[str, deque[float]] = defaultdict(deque)
        self._lock = threading.Lock()

    def _recent(self, key: str, now: float) -> deque[float]:
        times = self._failures[key]
        while times and now - times[0] > self.window_s:
            times.popleft()
        return times

    def retry_after(self, *keys: str) -> int:
        """Seconds until a login for these keys (username, address) may be tried again; 0: now."""
        now = time.monotonic()
        with self._lock:
            waits = [
                self.window_s - (now - times[0])
                for key in keys
                if len(times := self._recent(key, now)) >= self.max_failures
            ]
        return int(max(waits)) + 1 if waits else 0

    def failed(self, *keys: str) -> None:
        now = time.monotonic()
        with self._lock:
            for key in keys:
                self._recent(key, now).append(now)

    def succeeded(self, key: str) -> None:
        with self._lock:
            self._failures.pop(key, None)
