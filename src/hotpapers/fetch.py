"""Fetching one day into a snapshot: search every enabled source, fetch the papers'
metadata, rank, then fetch embeds only for the posts the digest will show.

The only stage with network access. It knows the sources only through their interface
(`sources.base`) and registry (`sources.SOURCES`). It returns a snapshot (recording a failed
arXiv: metadata_failure.py) or raises; it never writes (its caller may save the posts read
before arXiv is asked), so a failed fetch changes no file.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime

import msgspec
from msgspec.structs import asdict, replace

from hotpapers.config import Config
from hotpapers.credentials import none_can_run, runnable, warn_skipped
from hotpapers.day_window import day_window, stored_window
from hotpapers.errors import FetchError, InputError, NotAskedError, every_source_failed
from hotpapers.http import HttpClient
from hotpapers.metadata_failure import before_metadata, metadata_failed
from hotpapers.models import ARXIV, Mention, Snapshot, SourceStatus, Window
from hotpapers.paper_lookup import Lookup, ids_to_look_up, metadata_budget, metadata_status
from hotpapers.plural import count
from hotpapers.rank import rank
from hotpapers.snapshot import is_stored
from hotpapers.sources import SOURCES, arxiv
from hotpapers.sources.base import Progress, Source, no_progress, rfc3339

log = logging.getLogger("hotpapers")


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
        """What a fetch of `day` would call, without calling anything; warns about missing
        credentials, and fails as the fetch would when no source can run."""
        since, until = self._window(day)
        parts = [f"{day}: would fetch the window {rfc3339(since)} to {rfc3339(until)}"]
        warn_skipped(day, self.sources, "would be")
        parts += [f"{source.name}: {source.plan(since, until)}" for source in runnable(self.sources)]
        parts.append(f"metadata from {self.config.arxiv.api_url}")
        return "; ".join(parts)

    def check_fetchable(self, days: list[str]) -> None:
        """Refuses the first of `days` that has not ended in the configured time zone (its
        posts cannot all be fetched yet), then `days` when no source can run: those without
        a snapshot, or all of them on a refresh of stored days."""
        for day in days:
            if day_window(day, self.config)[1] > self.now():
                raise InputError(
                    f"{day} has not ended yet in {self.config.timezone.key}; its posts cannot all be fetched"
                )
        if days and not runnable(self.sources):
            named = [day for day in days if not is_stored(self.config.snapshot_path(day))] or days
            raise none_can_run(named, self.sources, self.config.snapshot_path(named[0]))

    def _window(self, day: str) -> tuple[datetime, datetime]:
        self.check_fetchable([day])
        return day_window(day, self.config)

    def __call__(self, day: str, keep: Callable[[Snapshot], None] | None = None) -> Snapshot:
        """The day fetched, a source that failed recorded so (its warning is the build's, which
        knows what it keeps: refresh_guard.settle_fetched); `keep` is given it before arXiv is
        asked (metadata_failure.before_metadata)."""
        since, until = self._window(day)
        can_run = runnable(self.sources)
        statuses = {
            name: SourceStatus(status="skipped", detail=f"sources.{name}.enabled is false") for name in self.disabled
        }
        statuses |= warn_skipped(day, self.sources, "is")
        self.http.budgets.restart()  # each source, and arXiv, has its whole http.max_time for the day
        mentions, failures = self._search_all(day, can_run, since, until, statuses)
        if len(failures) == len(can_run):
            raise every_source_failed(failures, stored=is_stored(self.config.snapshot_path(day)))
        snapshot = Snapshot(
            date=day,
            taken_at=rfc3339(self.now()),
            papers=(),
            mentions=tuple(mentions),
            window=Window(rfc3339(since), rfc3339(until)),
            sources=statuses,
        )
        if keep is not None:
            keep(before_metadata(snapshot, self.config.arxiv.api_url))
        snapshot = self._with_metadata(snapshot, ids_to_look_up(day, mentions, self.config))
        if metadata_failed(snapshot):
            return snapshot
        worked = [source for source in can_run if statuses[source.name].status != "failed"]
        return replace(self._with_embeds(snapshot, worked), taken_at=rfc3339(self.now()))

    def failed_sources(self, snapshot: Snapshot) -> list[str]:
        """The enabled sources, and arXiv, recorded as failed in `snapshot`: what `repair` fetches again."""
        return [source.name for source in self._failed(snapshot)] + ([ARXIV] if metadata_failed(snapshot) else [])

    def _failed(self, snapshot: Snapshot) -> list[Source]:
        return [s for s in self.sources if getattr(snapshot.sources.get(s.name), "status", None) == "failed"]

    def plan_repair(self, snapshot: Snapshot) -> str:
        """What `repair` would fetch again, warning about the failed sources it would skip
        for want of credentials; '' when it would fetch nothing."""
        failed = self._failed(snapshot)
        warn_skipped(snapshot.date, failed, "would be")
        retry = [source.name for source in runnable(failed)] + ([ARXIV] if metadata_failed(snapshot) else [])
        return f"{snapshot.date}: would fetch {', '.join(retry)} again (failed before)" if retry else ""

    def repair(self, snapshot: Snapshot, keep: Callable[[Snapshot], None] | None = None) -> Snapshot:
        """The snapshot with its failed sources searched again over its own window and
        what they find merged in: arXiv metadata for the ids not asked for before (for
        every id without metadata when arXiv failed), and embeds for their shown posts
        (for every source's when arXiv failed). No other source is asked anything.
        Returns `snapshot` itself when they fail again (or still lack credentials). Its
        `taken_at` stays, so the post keeps its date and its place in the site's listing.
        `keep` is given the posts found before arXiv is asked, as by `__call__`."""
        day, failed, lost = snapshot.date, self._failed(snapshot), metadata_failed(snapshot)
        retry = runnable(failed)
        warn_skipped(day, failed, "is")
        if not retry and not lost:
            return snapshot
        self.http.budgets.restart()  # as for a day fetched: arXiv alone too
        since, until = stored_window(snapshot) if snapshot.window else self._window(day)
        statuses = dict(snapshot.sources)
        found, failures = self._search_all(day, retry, since, until, statuses) if retry else ([], [])
        for failure in failures:
            again = "" if isinstance(failure, NotAskedError) else ", again"
            log.warning("%s: %s%s; the post stays without it", day, failure, again)
        if retry and len(failures) == len(retry) and not lost:
            return snapshot
        merged = replace(snapshot, mentions=snapshot.mentions + tuple(found), sources=statuses)
        if keep is not None and found:
            keep(before_metadata(merged, self.config.arxiv.api_url))
        if lost:
            have, lookup = {paper.id for paper in snapshot.papers}, ids_to_look_up(day, merged.mentions, self.config)
            lookup = Lookup([paper_id for paper_id in lookup.ids if paper_id not in have], lookup.left_out)
        else:
            lookup = ids_to_look_up(day, found, self.config, snapshot)
        merged = self._with_metadata(merged, lookup, snapshot.sources.get(ARXIV))
        if metadata_failed(merged):
            return merged
        repaired = [source for source in retry if statuses[source.name].status != "failed"]
        if repaired:
            log.info("%s: fetched %s again: %s", day, ", ".join(s.name for s in repaired), count(len(found), "mention"))
        answered = [s for s in self.sources if getattr(statuses.get(s.name), "status", None) in ("ok", "partial")]
        return self._with_embeds(merged, answered if lost else repaired)

    def _search_all(
        self, day: str, sources: list[Source], since: datetime, until: datetime, statuses: dict[str, SourceStatus]
    ) -> tuple[list[Mention], list[FetchError]]:
        """Every source searched at once, a thread each (HttpClient paces each source
        apart); a source that fails after its retries is recorded as failed. A mention
        the snapshot check refuses is left out, said in one warning and in the status."""
        mentions: list[Mention] = []
        failures: list[FetchError] = []
        before = {source.name: self.http.requests[source.name] for source in sources}
        with ThreadPoolExecutor(max_workers=len(sources)) as pool:
            searches = [(source, pool.submit(source.search, since, until)) for source in sources]
            for source, future in searches:
                try:
                    found = future.result()
                except FetchError as error:
                    failures.append(error)
                    statuses[source.name] = SourceStatus(
                        status="failed",
                        detail=error.reason,
                        endpoint=error.url,
                        requests=self.http.requests[source.name] - before[source.name],
                        fetched_at=rfc3339(self.now()),
                    )
                    continue
                self.posts_read += found.items
                if found.partial:  # the source says why; the day is the fetcher's to name
                    log.warning("%s: %s: %s", day, source.name, found.partial)
                kept, refused = _checked(found.mentions)
                mentions += kept
                if refused:
                    log.warning("%s: %s: left out %s", day, source.name, refused)
                partial = "; ".join(why for why in (found.partial, refused and f"left out {refused}") if why) or None
                requests = self.http.requests[source.name] - before[source.name]
                statuses[source.name] = self._status(partial, found.endpoint, requests, found.items, found.query)
        return mentions, failures

    def _with_metadata(self, snapshot: Snapshot, lookup: Lookup, earlier: SourceStatus | None = None) -> Snapshot:
        """`snapshot` with the papers of `lookup` (no request for none) that fit in the day's
        metadata budget and arXiv's status, counting the requests of `earlier`; with arXiv
        recorded as failed when it fails."""
        before = self.http.requests[ARXIV] - ((earlier.requests or 0) if earlier else 0)
        budget = metadata_budget(snapshot)  # what the day's papers may still take
        try:
            found = arxiv.fetch_papers(lookup.ids, self.config.arxiv, self.http, budget) if lookup.ids else None
        except FetchError as error:
            requests, now = self.http.requests[ARXIV] - before, rfc3339(self.now())
            failed = SourceStatus("failed", error.reason, error.url, requests=requests, fetched_at=now)
            return replace(snapshot, sources={**snapshot.sources, ARXIV: failed})
        if found and found.refused:
            why = f"{count(len(found.refused), 'paper')} whose metadata no snapshot may hold ({found.refused[0]})"
            log.warning("%s: arxiv: left out %s", snapshot.date, why)
        snapshot = replace(snapshot, papers=snapshot.papers + tuple(found.papers if found else ()))
        requests = self.http.requests[ARXIV] - before
        status = metadata_status(snapshot, lookup, budget, self.config.arxiv.api_url, requests, rfc3339(self.now()))
        return replace(snapshot, sources={**snapshot.sources, ARXIV: status})

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
        """Embeds for the shown posts of `sources`, each source in a thread of its own. A
        failure costs only the embeds (the post shows its escaped fallback). Their status
        goes under `Embeds.source`, or `NAME-embeds` where that would replace a search's."""
        shown = [m for ranked in rank(snapshot, self.config) for m in ranked.shown]
        wanted = [(s, [m for m in shown if m.platform == s.name and not m.embed_html]) for s in sources]
        wanted = [(source, mentions) for source, mentions in wanted if mentions]
        statuses, html = dict(snapshot.sources), {}
        before = dict(self.http.requests)
        with ThreadPoolExecutor(max_workers=max(1, len(wanted))) as pool:
            futures = [(source, pool.submit(source.embeds, mentions)) for source, mentions in wanted]
            for source, future in futures:
                try:
                    embeds = future.result()
                except FetchError as error:
                    log.warning("%s: %s; its posts are shown without their embeds", snapshot.date, error)
                    statuses[f"{source.name}-embeds"] = SourceStatus(
                        status="partial", detail=f"embeds failed: {error.reason}", fetched_at=rfc3339(self.now())
                    )
                    continue
                if embeds is None:
                    continue
                requests = self.http.requests[embeds.source] - before.get(embeds.source, 0)
                why = f"{count(embeds.unavailable, 'post')} without embed (deleted, protected or failed)"
                key = f"{source.name}-embeds" if embeds.source in {*SOURCES, ARXIV} else embeds.source
                statuses[key] = self._status(
                    why if embeds.unavailable else None, embeds.endpoint, requests, len(embeds.html)
                )
                html.update(embeds.html)
        mentions = tuple(replace(m, embed_html=html[m.key]) if m.key in html else m for m in snapshot.mentions)
        return replace(snapshot, mentions=mentions, sources=statuses)


def _checked(mentions: list[Mention]) -> tuple[list[Mention], str]:
    """The mentions that pass the snapshot check (the models' own types checked again on
    their plain data), and what was left out, as '2 mentions the snapshot check refuses
    (the first at $.url)'; '' when none was."""
    kept, refused = [], []
    for mention in mentions:
        try:
            msgspec.convert(msgspec.to_builtins(mention), Mention)
        except msgspec.ValidationError as exc:
            refused.append(str(exc).rpartition(" - at `")[2].rstrip("`"))
            continue
        kept.append(mention)
    if not refused:
        return kept, ""
    where = f"the first at {refused[0]}" if len(refused) > 1 else f"at {refused[0]}"
    return kept, f"{count(len(refused), 'mention')} the snapshot check refuses ({where})"


def make_fetcher(
    config: Config,
    environ: Mapping[str, str],
    now: Callable[[], datetime],
    progress: Progress = no_progress,
    *,
    sleep: Callable[[float], None] = time.sleep,
    monotonic: Callable[[], float] = time.monotonic,
    wall_clock: Callable[[], float] = time.time,
) -> Fetcher:
    """A fetcher over the sources enabled in `config`, reading credentials from `environ`;
    `sleep` and the clocks pace its requests (tests pass fakes)."""
    http = HttpClient(**asdict(config.http), sleep=sleep, monotonic=monotonic, wall_clock=wall_clock)
    enabled = config.enabled_sources
    sources = [SOURCES[name](config.sources[name], http, environ, now, progress) for name in enabled]
    return Fetcher(config, http, sources, now, disabled=[name for name in config.sources if name not in enabled])
