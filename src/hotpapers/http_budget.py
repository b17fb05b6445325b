"""How long one source's requests of a day may take, all of them together. `http.timeout`
bounds each request and a source's page limit their number, but a server answering every
page just in time, or after every retry, could still hold a build for hours (a search of
510 pages, each of up to 5 attempts of 30 s)."""

from __future__ import annotations

import threading
from collections.abc import Callable


class OutOfTime(Exception):
    """The source's requests of the day took longer than `http.max_time`."""


class TimeBudgets:
    """`max_time` seconds for each source name (a source's search, its embeds, arXiv's
    metadata), counted from its first request after `restart`."""

    def __init__(self, max_time: float, monotonic: Callable[[], float]) -> None:
        self.max_time = max_time
        self.monotonic = monotonic
        self._started: dict[str, float] = {}
        self._lock = threading.Lock()

    def restart(self) -> None:
        """Every source has its whole time again: a new day's fetch."""
        with self._lock:
            self._started.clear()

    def left(self, source: str) -> float:
        """The seconds left of `source`'s time (all of it before its first request)."""
        with self._lock:
            started = self._started.get(source)
        return self.max_time if started is None else max(0.0, self.max_time - (self.monotonic() - started))

    def check(self, source: str) -> None:
        """Raises OutOfTime when `source`'s time is spent; its first request starts it."""
        with self._lock:
            started = self._started.setdefault(source, self.monotonic())
        if self.monotonic() - started > self.max_time:
            raise OutOfTime()
