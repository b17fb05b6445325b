"""Fetching one day into a snapshot: search every enabled source, fetch the papers'
metadata, rank, then fetch embeds only for the posts the digest will show.

The only stage with network access. It knows the sources only through their interface
(`sources.base`) and registry (`sources.SOURCES`). It returns a complete snapshot or
raises; it never writes anything, so a failed fetch leaves every existing file as it was.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta

from msgspec.structs import replace

from hotpapers.config import Config
from hotpapers.errors import InputError
from hotpapers.http import HttpClient
from hotpapers.models import Mention, Snapshot, SourceStatus, Window
from hotpapers.rank import rank
from hotpapers.sources import SOURCES, arxiv
from hotpapers.sources.base import Found, Progress, Source, no_progress, rfc3339

log = logging.getLogger("hotpapers")


def day_window(day: str, config: Config) -> tuple[datetime, datetime]:
    """[D 00:00, D+1 00:00) in the configured time zone, as aware UTC datetimes."""
    start = datetime.combine(date.fromisoformat(day), datetime.min.time(), config.timezone)
    end = datetime.combine(date.fromisoformat(day) + timedelta(days=1), datetime.min.time(), config.timezone)
    return start.astimezone(UTC), end.astimezone(UTC)


@dataclass(slots=True)
class Fetcher:
    """Collects days from the enabled sources; counts what it read across days."""

    config: Config
    http: HttpClient
    sources: list[Source]
    """The enabled sources, in registry order."""
    now: Callable[[], datetime]
    posts_read: int = 0
    disabled: list[str] = field(default_factory=list)

    def plan(self, day: str) -> str:
        """What a fetch of `day` would call, without calling anything; warns about missing credentials."""
        since, until = self._window(day)
        parts = [f"{day}: would fetch the window {rfc3339(since)} to {rfc3339(until)}"]
        runnable = self._runnable(day, warn=True)
        parts += [f"{source.name}: {source.plan(since, until)}" for source in runnable]
        if not runnable:
            parts.append("no source can run")
        parts.append(f"metadata from {self.config.arxiv.api_url}")
        return "; ".join(parts)

    def _window(self, day: str) -> tuple[datetime, datetime]:
        since, until = day_window(day, self.config)
        if until > self.now():
            raise InputError(f"{day} has not ended yet in {self.config.timezone.key}; its posts cannot all be fetched")
        return since, until

    def _runnable(self, day: str, warn: bool = False) -> list[Source]:
        """The enabled sources whose credentials are set; with `warn`, a warning line for each other one."""
        runnable = []
        for source in self.sources:
            missing = source.missing_credentials()
            if missing is None:
                runnable.append(source)
            elif warn:
                log.warning("%s: %s would be skipped: set %s", day, source.name, missing)
        return runnable

    def __call__(self, day: str) -> Snapshot:
        since, until = self._window(day)
        runnable = self._runnable(day)
        if not runnable:
            needs = " or ".join(f"{s.missing_credentials()} (sources.{s.name})" for s in self.sources)
            raise InputError(
                f"{day} has no snapshot and no source can fetch it: "
                + (f"set {needs}" if needs else "every source is disabled in the config")
            )
        statuses = {
            name: SourceStatus(status="skipped", detail=f"sources.{name}.enabled is false") for name in self.disabled
        }
        for source in self.sources:
            if source not in runnable:
                missing = source.missing_credentials()
                log.warning("%s: %s is skipped: set %s", day, source.name, missing)
                statuses[source.name] = SourceStatus(status="skipped", detail=f"needs {missing}")
        mentions: list[Mention] = []
        with ThreadPoolExecutor(max_workers=len(runnable)) as pool:
            searches = [(source, pool.submit(self._search, source, since, until)) for source in runnable]
            for source, future in searches:
                found, requests = future.result()
                self.posts_read += found.items
                mentions += found.mentions
                statuses[source.name] = self._status(found.partial, found.endpoint, requests, found.items, found.query)

        before = self.http.requests["arxiv"]
        metadata = arxiv.fetch_papers([pid for m in mentions for pid in m.paper_ids], self.config.arxiv, self.http)
        unknown = f"unknown ids: {', '.join(metadata.unknown)}" if metadata.unknown else None
        statuses["arxiv"] = SourceStatus(
            status="ok",
            detail=unknown,
            endpoint=self.config.arxiv.api_url,
            requests=self.http.requests["arxiv"] - before,
            items=len(metadata.papers),
            fetched_at=rfc3339(self.now()),
        )
        snapshot = Snapshot(
            date=day,
            taken_at=rfc3339(self.now()),
            papers=tuple(metadata.papers),
            mentions=tuple(mentions),
            window=Window(rfc3339(since), rfc3339(until)),
            sources=statuses,
        )
        return replace(self._with_embeds(snapshot, runnable), taken_at=rfc3339(self.now()))

    def _search(self, source: Source, since: datetime, until: datetime) -> tuple[Found, int]:
        before = self.http.requests[source.name]
        found = source.search(since, until)
        return found, self.http.requests[source.name] - before

    def _status(
        self, partial: str | None, endpoint: str | None, requests: int, items: int, query: str | None = None
    ) -> SourceStatus:
        return SourceStatus(
            status="partial" if partial else "ok",
            detail=partial,
            endpoint=endpoint,
            query=query,
            requests=requests,
            items=items,
            fetched_at=rfc3339(self.now()),
        )

    def _with_embeds(self, snapshot: Snapshot, sources: list[Source]) -> Snapshot:
        shown = [m for ranked in rank(snapshot, self.config) for m in ranked.shown]
        statuses, html = dict(snapshot.sources), {}
        for source in sources:
            before = dict(self.http.requests)
            embeds = source.embeds([m for m in shown if m.platform == source.name])
            if embeds is None:
                continue
            requests = self.http.requests[embeds.source] - before.get(embeds.source, 0)
            why = f"{embeds.unavailable} post(s) without embed (deleted, protected or failed)"
            statuses[embeds.source] = self._status(
                why if embeds.unavailable else None, embeds.endpoint, requests, len(embeds.html)
            )
            html.update(embeds.html)
        mentions = tuple(replace(m, embed_html=html[m.key]) if m.key in html else m for m in snapshot.mentions)
        return replace(snapshot, mentions=mentions, sources=statuses)


def make_fetcher(
    config: Config, environ: Mapping[str, str], now: Callable[[], datetime], progress: Progress = no_progress
) -> Fetcher:
    """A fetcher over the sources enabled in `config`, reading credentials from `environ`."""
    http = HttpClient(
        timeout=config.http.timeout,
        retries=config.http.retries,
        max_wait=config.http.max_wait,
        backoff=config.http.backoff,
        max_bytes=config.http.max_bytes,
    )
    enabled = [name for name, settings in config.sources.items() if settings.enabled]
    sources = [SOURCES[name](config.sources[name], http, environ, now, progress) for name in enabled]
    return Fetcher(config, http, sources, now, disabled=[name for name in config.sources if name not in enabled])
