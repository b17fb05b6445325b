"""The fetcher of a build, made only when build_days finds a day to fetch: a build of
stored days never imports the network stack (hotpapers.fetch and what it imports)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING

from hotpapers.config import Config
from hotpapers.sources.base import Progress, no_progress

if TYPE_CHECKING:
    from hotpapers.fetch import Fetcher


@dataclass(slots=True)
class FetcherOnDemand:
    """make_fetcher's arguments, for build_days to call when it needs a fetcher; `made`
    keeps the fetcher it made, whose counts the build's summary reports, and which a
    second call returns (a nightly build's repairs share yesterday's)."""

    config: Config
    environ: Mapping[str, str]
    now: Callable[[], datetime]
    progress: Progress = no_progress
    made: Fetcher | None = field(default=None, init=False)

    def __call__(self) -> Fetcher:
        from hotpapers.fetch import make_fetcher

        if self.made is None:
            self.made = make_fetcher(self.config, self.environ, self.now, self.progress)
        return self.made
