"""Fetching one day into a snapshot: search the posts, fetch the papers' metadata, rank,
then fetch embeds only for the posts the digest will show.

The only stage with network access. It returns a complete snapshot or raises; it never
writes anything, so a failed fetch leaves every existing file as it was.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

from msgspec.structs import replace

from hotpapers.config import Config
from hotpapers.errors import InputError
from hotpapers.http import HttpClient
from hotpapers.models import Snapshot, SourceStatus, Window
from hotpapers.rank import rank
from hotpapers.sources import arxiv, twitter

log = logging.getLogger("hotpapers")


def day_window(day: str, config: Config) -> tuple[datetime, datetime]:
    """[D 00:00, D+1 00:00) in the configured time zone, as aware UTC datetimes."""
    start = datetime.combine(date.fromisoformat(day), datetime.min.time(), config.timezone)
    end = datetime.combine(date.fromisoformat(day) + timedelta(days=1), datetime.min.time(), config.timezone)
    return start.astimezone(UTC), end.astimezone(UTC)


def rfc3339(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


@dataclass(slots=True)
class Fetcher:
    """Collects days from the live sources; counts what it read across days."""

    config: Config
    http: HttpClient
    environ: Mapping[str, str]
    now: Callable[[], datetime]
    progress: Callable[..., Iterable[Any]] = twitter.no_progress
    """Wraps long waits (search pages, oEmbed calls) for a progress bar: (items, total or None, unit) -> items."""
    posts_read: int = 0

    def plan(self, day: str) -> str:
        """What a fetch of `day` would call, without calling anything."""
        since, until = self._window(day)
        parts = [f"{day}: would fetch the window {rfc3339(since)} to {rfc3339(until)}"]
        settings = self.config.twitter
        if settings.enabled:
            endpoint = twitter.search_endpoint(settings, since, self.now())
            parts.append(f"search {endpoint} for {settings.query!r} (at most {settings.max_posts} posts)")
            parts.append(f"oEmbed {settings.oembed_url} for the posts shown")
        parts.append(f"metadata from {self.config.arxiv.api_url}")
        return "; ".join(parts)

    def _window(self, day: str) -> tuple[datetime, datetime]:
        since, until = day_window(day, self.config)
        if until > self.now():
            raise InputError(f"{day} has not ended yet in {self.config.timezone.key}; its posts cannot all be fetched")
        return since, until

    def __call__(self, day: str) -> Snapshot:
        since, until = self._window(day)
        settings = self.config.twitter
        sources: dict[str, SourceStatus] = {}
        mentions: list = []
        if settings.enabled:
            token = twitter.bearer_token(settings, dict(self.environ))
            before = self.http.requests["twitter"]
            found = twitter.search(
                settings, token, since, until, self.http, lambda: rfc3339(self.now()), self.now(), self.progress
            )
            self.posts_read += found.posts
            mentions = found.mentions
            sources["twitter"] = SourceStatus(
                status="partial" if found.capped else "ok",
                detail=f"stopped after {found.posts} posts (sources.twitter.max_posts)" if found.capped else None,
                endpoint=found.endpoint,
                query=settings.query,
                requests=self.http.requests["twitter"] - before,
                items=found.posts,
                fetched_at=rfc3339(self.now()),
            )
            if found.capped:
                log.warning("twitter: stopped after %d posts (sources.twitter.max_posts)", found.posts)
        else:
            sources["twitter"] = SourceStatus(status="skipped", detail="sources.twitter.enabled is false")

        before = self.http.requests["arxiv"]
        metadata = arxiv.fetch_papers([pid for m in mentions for pid in m.paper_ids], self.config.arxiv, self.http)
        sources["arxiv"] = SourceStatus(
            status="ok",
            detail=f"unknown ids: {', '.join(metadata.unknown)}" if metadata.unknown else None,
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
            sources=sources,
        )
        if settings.enabled:
            snapshot = self._with_embeds(snapshot)
        return replace(snapshot, taken_at=rfc3339(self.now()))

    def _with_embeds(self, snapshot: Snapshot) -> Snapshot:
        shown = [m for ranked in rank(snapshot, self.config) for m in ranked.shown]
        before = self.http.requests["oembed"]
        embeds = twitter.fetch_embeds(shown, self.config.twitter, self.http, self.progress)
        status = SourceStatus(
            status="partial" if embeds.unavailable else "ok",
            detail=f"{embeds.unavailable} post(s) without embed (deleted, protected or failed)"
            if embeds.unavailable
            else None,
            endpoint=self.config.twitter.oembed_url,
            requests=self.http.requests["oembed"] - before,
            items=len(embeds.mentions) - embeds.unavailable,
            fetched_at=rfc3339(self.now()),
        )
        mentions = tuple(embeds.mentions.get(m.key, m) for m in snapshot.mentions)
        return replace(snapshot, mentions=mentions, sources={**snapshot.sources, "oembed": status})


def make_fetcher(
    config: Config,
    environ: Mapping[str, str],
    now: Callable[[], datetime],
    progress: Callable[..., Iterable[Any]] = twitter.no_progress,
) -> Fetcher:
    http = HttpClient(
        timeout=config.http.timeout,
        retries=config.http.retries,
        max_wait=config.http.max_wait,
        backoff=config.http.backoff,
        pool_size=config.twitter.oembed_concurrency,
    )
    return Fetcher(config, http, environ, now, progress)
