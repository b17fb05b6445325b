"""The stages in order: snapshot (stored or fetched) → rank → render → write, for each day
of a build (check_files.py reads the last days for `check`)."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from datetime import date, datetime
from os import PathLike
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn, Protocol

from msgspec import Struct

from hotpapers.compose import compose
from hotpapers.config import Config
from hotpapers.errors import InputError, SnapshotError, config_option, repeat_config_option, shown_path
from hotpapers.fetch_claim import claim_for_fetching, warn_of_lost_snapshots
from hotpapers.metadata_failure import metadata_warning, refuse_without_metadata
from hotpapers.models import Snapshot
from hotpapers.recorded_failures import failures_kept, may_record_failure
from hotpapers.refresh_guard import settle_fetched, unfetched_mentions
from hotpapers.render import PostRenderer
from hotpapers.snapshot import is_stored, misnamed_snapshot, save_snapshot, site_snapshot, unread_beside
from hotpapers.snapshot_schema import is_date
from hotpapers.targets import check_feed_targets, check_outputs, check_post_target, refuse_irregular, sweep_outputs
from hotpapers.unbuilt import naming_unbuilt, spans
from hotpapers.worker_life import die_with, results_of_workers, until_failure, worker_context
from hotpapers.write import Outcome, kept_post_note, outcome_message, write_post

if TYPE_CHECKING:
    from hotpapers.http import HttpClient  # a build of stored days imports no network stack

PARALLEL_MIN_DAYS = 16
"""Below this many days a worker would get, starting worker processes costs more than it saves."""


class Fetch(Protocol):
    """Collects one day from the live sources; raises FetchError when it cannot."""

    def __call__(self, day: str, keep: Callable[[Snapshot], None] | None = None) -> Snapshot: ...

    def plan(self, day: str) -> str: ...

    def check_fetchable(self, days: list[str]) -> None: ...

    def failed_sources(self, snapshot: Snapshot) -> list[str]: ...

    def plan_repair(self, snapshot: Snapshot) -> str: ...

    def repair(self, snapshot: Snapshot, keep: Callable[[Snapshot], None] | None = None) -> Snapshot: ...

    http: HttpClient


@dataclass(frozen=True, slots=True)
class BuildOptions:
    offline: bool = False
    refresh: bool = False
    force: bool = False
    dry_run: bool = False
    now: datetime | None = None
    """The time the build runs at: a post dated later gets a warning (None: no such check)."""


class DayReport(Struct, frozen=True):
    """What building one day did; a worker process sends one for each day it builds."""

    day: str
    message: str
    papers: int = 0
    fetched: bool = False
    outcome: Outcome | None = None
    """What happened to the post; None when none was written or due (a dry run, no paper)."""
    notes: tuple[str, ...] = ()
    """Things worth logging before the message."""
    warnings: tuple[str, ...] = ()
    """Things to say even with -q: a stored snapshot kept instead of the new one, a failure
    it records left unrepaired, a post dated in the future, an embed refused."""
    failed: bool = False
    """The day was not built, as the message says: its snapshot is unusable (in a range of days)."""
    missed: bool = False
    """A day before a nightly build's that an earlier night left without a snapshot (repair_recent.py)."""

    @property
    def written(self) -> bool:
        return self.outcome is Outcome.WRITTEN

    @property
    def kept(self) -> bool:
        """The file at the post's path was kept (a post listing more papers, a file that is no
        post, or one differing from a new post whose papers cannot be counted): the message
        is a warning."""
        return self.outcome is Outcome.KEPT


def build_day(
    day: str, config: Config, renderer: PostRenderer, options: BuildOptions, fetch: Fetch | None
) -> DayReport:
    """Snapshot → rank → render → write for one day.

    A stored snapshot is used unless there is none or --refresh; a fresh one is saved
    only once complete, so a failed fetch or refresh leaves the old files as they were,
    and so does a refresh that would lose mentions or metadata (refresh_guard), unless
    --force. A source that failed in a stored snapshot is fetched again (`Fetch.repair`),
    or named in a warning when it is not (--offline).
    """
    path = config.snapshot_path(day)
    stored = _stored(day, config, tolerate_damage=options.refresh)
    if stored is not None and not options.refresh:
        retry = fetch.failed_sources(stored) if fetch is not None and not options.offline else []
        if fetch is None or not retry:
            kept = failures_kept(stored, config.enabled_sources) + metadata_warning(stored)
            return publish(stored, config, options, renderer=renderer, warnings=kept)
        if options.dry_run:
            plan = fetch.plan_repair(stored)
            return DayReport(day, plan) if plan else publish(stored, config, options, renderer=renderer)
        repaired = fetch.repair(stored, lambda read: save_snapshot(read, path))  # the posts read, even if killed
        refuse_without_metadata(repaired, path, fetch.failed_sources(repaired), keep=True)
        if repaired is not stored:
            save_snapshot(repaired, path)
        return publish(repaired, config, options, renderer=renderer, fetched=repaired is not stored)
    # with no source enabled a refresh fails, fetching nothing, where --force could replace nothing
    refreshable = not options.force and config.enabled_sources
    unfetched = unfetched_mentions(stored, config.enabled_sources) if stored is not None and refreshable else ""
    if stored is not None and unfetched:  # a refresh would drop them: they were imported
        keeping = f"{day}: kept the stored snapshot {shown_path(path)}: it holds {unfetched} (--force replaces it)"
        return publish(stored, config, options, renderer=renderer, warnings=(keeping,))
    if options.offline or fetch is None:
        refuse_unstored([day], config, options)
    if options.dry_run:
        return DayReport(day, fetch.plan(day), warnings=() if path.exists() else unread_beside(path, day))
    unstored = not path.exists()  # the posts read are kept (even if killed): a refresh keeps the stored file
    snapshot = fetch(day, (lambda read: save_snapshot(read, path)) if unstored else None)
    refuse_without_metadata(snapshot, path, fetch.failed_sources(snapshot), keep=unstored)
    snapshot, warnings = settle_fetched(snapshot, stored, path, config, force=options.force, unstored=unstored)
    return publish(snapshot, config, options, renderer=renderer, fetched=True, warnings=warnings)


def publish(
    snapshot: Snapshot,
    config: Config,
    options: BuildOptions | None = None,
    *,
    path: str | PathLike[str] | None = None,
    renderer: PostRenderer | None = None,
    fetched: bool = False,
    warnings: tuple[str, ...] = (),
) -> DayReport:
    """Rank → render → write one snapshot's post (`compose`) to `path` (the day's post by
    default), with the guards of write_post; `renderer` saves compiling the templates again."""
    options = options or BuildOptions()
    day = snapshot.date
    now = None if fetched else options.now  # a day fetched now is dated by the clock after options.now
    post = compose(snapshot, config, renderer, now, stored=path is None)
    notes, warnings = post.notes, warnings + post.warnings
    if not post.text:
        kept = kept_post_note(config.post_path(day)) if path is None else ""
        return DayReport(day, post.message + kept, 0, fetched, None, notes, warnings)
    target = config.post_path(day) if path is None else Path(path)
    if path is None:
        refuse_irregular(target, "post")
    else:
        warnings += check_post_target(target, config, day)
    shown = shown_path(target)
    result = write_post(target, post.text, force=options.force, papers=post.papers, dry_run=options.dry_run)
    message = outcome_message(day, shown, result, options.dry_run)
    outcome = None if options.dry_run else result.outcome
    return DayReport(day, message, result.listed, fetched, outcome, notes, warnings)


def build_days(
    days: Iterable[str | date],
    config: Config,
    options: BuildOptions | None = None,
    make_fetch: Callable[[], Fetch] | None = None,
) -> Iterator[DayReport]:
    """build_day for each day (YYYY-MM-DD, or a date), reported in order. `make_fetch` is called once
    when a day needs fetching: it has no snapshot, --refresh, or its snapshot may record a
    failed source, which is fetched again (none: a day without a snapshot is an error).

    When no day needs fetching (a re-render or backfill of stored snapshots), the days are
    spread over worker processes, one per CPU core (worker_life.worker_context says how they
    start). Fetching stays in this process: the APIs' rate limits, not the CPU, bound it. A
    day to fetch that has not ended yet, or that nothing may fetch (--offline, or no source can run), is
    refused before any day is built. In a range, a day whose snapshot is unusable is reported
    `failed` and the others are built; an InputError naming such days follows the last
    report (unbuilt.naming_unbuilt). Call site.refuse_unfit_profile first, as `build` does:
    a Config does not know the folder of its file, the site's.
    """
    options = options or BuildOptions()
    days = listed_days(days)
    check_outputs(config)
    check_feed_targets(config)
    to_fetch = [day for day in days if options.refresh or not is_stored(config.snapshot_path(day))]
    if to_fetch and (options.offline or make_fetch is None):
        refuse_unstored(to_fetch, config, options)
    fetch = None
    if make_fetch and not options.offline and (to_fetch or any_may_record_failure(days, config)):
        fetch = make_fetch()
        fetch.check_fetchable(to_fetch)
        warn_of_lost_snapshots(config, to_fetch, dry_run=options.dry_run)  # before the claim, which makes the folder
        claim_for_fetching(config.paths.snapshots, dry_run=options.dry_run)
    sweep_outputs(config, days)
    workers = min(os.cpu_count() or 1, len(days) // PARALLEL_MIN_DAYS)
    if workers < 2 or fetch is not None:
        renderer = PostRenderer(config)
        yield from naming_unbuilt(
            days, (_build_in_range(day, config, renderer, options, fetch, len(days) == 1) for day in days)
        )
        return
    pool = ProcessPoolExecutor(
        workers, worker_context(), initializer=_start_worker, initargs=(config, options, os.getpid(), config_option())
    )
    size = max(1, len(days) // (8 * workers))
    try:
        chunks = [pool.submit(_build_stored_days, days[start : start + size]) for start in range(0, len(days), size)]
        yield from naming_unbuilt(days, results_of_workers(chunks))
    finally:
        pool.shutdown(cancel_futures=True)


def _build_in_range(
    day: str, config: Config, renderer: PostRenderer, options: BuildOptions, fetch: Fetch | None, alone: bool = False
) -> DayReport:
    """build_day, except that a day whose snapshot is unusable is reported as failed
    unless it is built `alone`, so a range builds the others (unbuilt.naming_unbuilt names it)."""
    try:
        return build_day(day, config, renderer, options, fetch)
    except SnapshotError as error:
        if alone:
            raise
        return DayReport(day, f"{day}: not built: {error.message}", failed=True)


def refuse_unstored(days: list[str], config: Config, options: BuildOptions) -> NoReturn:
    """An InputError for days to fetch (without a snapshot, or any on a refresh) when nothing may fetch them."""
    why = (
        "--offline was given"
        if options.offline
        else "no make_fetch was given to fetch with (FetcherOnDemand, from hotpapers.fetch_on_demand)"
    )
    if options.refresh:
        raise InputError(f"refresh asked for {spans(days)}, and {why}")
    more = (f" (nor for {spans(days[1:])})" if days[1:] else "") + misnamed_snapshot(config.snapshot_path(days[0]))
    raise InputError(f"no snapshot for {days[0]} at {shown_path(config.snapshot_path(days[0]))}{more}, and {why}")


def listed_days(days: Iterable[str | date]) -> list[str]:
    """A library caller's days (strings YYYY-MM-DD or dates) as strings, each checked."""
    if isinstance(days, str):
        raise InputError(f"the days to build are a list of days, not one string: [{days!r}]")
    listed = [day.isoformat() if isinstance(day, date) else day for day in days]
    for day in listed:
        if not isinstance(day, str) or not is_date(day):
            raise InputError(f"{day!r} is not a day written YYYY-MM-DD")
    return listed


def any_may_record_failure(days: list[str], config: Config) -> bool:
    """Whether a stored day may record a failed source, which a build fetches again."""
    return any(may_record_failure(config.snapshot_path(day)) for day in days)


_worker_state: tuple[Config, PostRenderer, BuildOptions] | None = None


def _start_worker(config: Config, options: BuildOptions, parent: int, hinted_option: str) -> None:
    """Tie the worker's life to the build's, then compile the templates once; the commands
    its messages name repeat the build's --config (a started worker has no copy of it)."""
    global _worker_state
    die_with(parent)
    repeat_config_option(hinted_option)
    _worker_state = (config, PostRenderer(config), options)


def _build_stored_days(days: list[str]) -> tuple[list[DayReport], Exception | None]:
    assert _worker_state is not None, "worker not started"
    config, renderer, options = _worker_state
    return until_failure(lambda day: _build_in_range(day, config, renderer, options, None), days)


def _stored(day: str, config: Config, *, tolerate_damage: bool) -> Snapshot | None:
    """The stored snapshot of `day`, or None. With `tolerate_damage` (a refresh replaces
    it), a broken file, or one holding another day, counts as none."""
    try:
        return site_snapshot(config, day)
    except SnapshotError:
        if tolerate_damage:
            return None
        raise
