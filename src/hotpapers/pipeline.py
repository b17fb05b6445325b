"""The stages in order: snapshot (stored or fetched) → rank → render → write, for one day
or for a batch of stored days."""

from __future__ import annotations

import os
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from hotpapers.atomic import write_atomically
from hotpapers.config import Config, snapshot_name
from hotpapers.errors import InputError, SnapshotError
from hotpapers.models import RankedPaper, Snapshot
from hotpapers.rank import rank, unknown_paper_ids
from hotpapers.render import PostRenderer
from hotpapers.snapshot import load_snapshot, save_snapshot, stored_snapshot
from hotpapers.write import Outcome, write_post

PARALLEL_MIN_DAYS = 16
"""Below this many days, starting worker processes costs more than it saves."""
BATCH_DAYS, BATCH_MENTIONS = 8, 20_000
"""How many stored days a worker publishes stage by stage together (see `publish`)."""


class Fetch(Protocol):
    """Collects one day from the live sources; raises FetchError when it cannot."""

    def __call__(self, day: str) -> Snapshot: ...

    def plan(self, day: str) -> str: ...


@dataclass(frozen=True, slots=True)
class BuildOptions:
    offline: bool = False
    refresh: bool = False
    force: bool = False
    dry_run: bool = False


@dataclass(frozen=True, slots=True)
class DayReport:
    day: str
    message: str
    papers: int = 0
    fetched: bool = False
    written: bool = False
    notes: tuple[str, ...] = ()
    """Things worth logging before the message."""


def papers_text(count: int) -> str:
    return f"{count} paper" if count == 1 else f"{count} papers"


def build_day(
    day: str, config: Config, renderer: PostRenderer, options: BuildOptions, fetch: Fetch | None
) -> DayReport:
    """Snapshot → rank → render → write for one day.

    A stored snapshot is used unless there is none or --refresh; a fresh one is saved
    only once complete, so a failed fetch or refresh leaves the old files as they were.
    """
    path = config.snapshot_path(day)
    snapshot = None if options.refresh else stored_snapshot(path, day)
    fetched = snapshot is None
    if snapshot is not None:
        _check_day(snapshot, day, path)
    elif options.offline or fetch is None:
        why = "--offline was given" if options.offline else "live fetching is not configured"
        raise InputError(f"no snapshot for {day} at {path}, and {why}")
    elif options.dry_run:
        return DayReport(day, fetch.plan(day))
    else:
        snapshot = fetch(day)
        save_snapshot(snapshot, path)
    return publish([(day, snapshot)], config, renderer, options, fetched=fetched)[0]


def publish(
    days: list[tuple[str, Snapshot]],
    config: Config,
    renderer: PostRenderer,
    options: BuildOptions,
    *,
    fetched: bool = False,
) -> list[DayReport]:
    """Rank → render → write for each (day, snapshot), each stage for all the days
    before the next. A stage's code then stays in the CPU's caches from one day to the
    next, which makes a re-render of many days a tenth faster than going day by day."""
    ranked_days = [(day, snapshot, rank(snapshot, config)) for day, snapshot in days]
    texts = iter(renderer.render_days([(papers, snapshot) for _, snapshot, papers in ranked_days if papers]))
    return [
        _write_day(day, snapshot, papers, next(texts) if papers else "", config, options, fetched)
        for day, snapshot, papers in ranked_days
    ]


def _write_day(
    day: str,
    snapshot: Snapshot,
    ranked: list[RankedPaper],
    text: str,
    config: Config,
    options: BuildOptions,
    fetched: bool,
) -> DayReport:
    unknown = unknown_paper_ids(snapshot)
    notes = (
        (f"{day}: ignored mentions of {len(unknown)} id(s) without metadata: {', '.join(unknown[:10])}",)
        if unknown
        else ()
    )
    if not ranked:
        return DayReport(day, f"{day}: no paper qualifies; nothing written", fetched=fetched, notes=notes)
    path = config.post_path(day)
    shown = _shown(path)
    if options.dry_run:
        return DayReport(
            day, f"{day}: would write {shown} ({papers_text(len(ranked))})", len(ranked), fetched, notes=notes
        )
    result = write_post(path, text, force=options.force, papers=len(ranked))
    if result.outcome is Outcome.WRITTEN:
        message = f"{day}: wrote {shown} ({papers_text(result.papers)})"
    elif result.outcome is Outcome.UNCHANGED:
        message = f"{day}: {shown} is up to date ({papers_text(result.papers)})"
    else:
        message = (
            f"{day}: kept {shown}: it lists {result.existing_papers} papers, "
            f"the new one {result.papers} (--force replaces it)"
        )
    return DayReport(day, message, result.papers, fetched, result.outcome is Outcome.WRITTEN, notes)


def build_days(days: list[str], config: Config, options: BuildOptions, fetch: Fetch | None) -> Iterator[DayReport]:
    """build_day for each day, reported in order.

    When no day needs fetching (a re-render or backfill of stored snapshots), the days
    are spread over the CPU cores, in eight chunks a worker: each chunk's result costs
    this process about 0.4 ms of a core the workers share, and eight still keep them
    busy to the end. Fetching stays sequential in this process: the APIs' rate limits,
    not the CPU, bound it.
    """
    workers = min(os.cpu_count() or 1, len(days) // PARALLEL_MIN_DAYS)
    if workers < 2 or options.refresh or not all_stored(days, config):
        renderer = PostRenderer(config)
        for day in days:
            yield build_day(day, config, renderer, options, fetch)
        return
    size = max(1, len(days) // (8 * workers))
    pool = ProcessPoolExecutor(workers, initializer=_start_worker, initargs=(config, options))
    try:
        for reports in pool.map(
            _build_stored_days, [days[start : start + size] for start in range(0, len(days), size)]
        ):
            yield from reports
    finally:
        pool.shutdown(cancel_futures=True)


def update_feeds(config: Config) -> str | None:
    """Write the feeds of the latest days that have a post, when site.url is set;
    files are rewritten only when their text changes. Returns a line for the log."""
    if config.site.url is None or not (config.feeds.atom or config.feeds.json) or config.feeds.entries == 0:
        return None
    from hotpapers.feeds import atom_feed, feed_entry, json_feed  # feedgen and lxml: only when feeds are made

    targets = [(path, make) for path, make in ((config.feeds.atom, atom_feed), (config.feeds.json, json_feed)) if path]
    entries = []
    for path in sorted(config.paths.snapshots.glob("*.json"), reverse=True):
        day = path.stem
        if len(entries) == config.feeds.entries:
            break
        if config.post_path(day).exists():
            snapshot = load_snapshot(path, day)
            ranked = rank(snapshot, config)
            if ranked:
                entries.append(feed_entry(snapshot, ranked, config))
    if not entries:
        return None
    written = []
    for path, make in targets:
        text = make(entries, config)
        if not path.exists() or path.read_text(encoding="utf-8") != text:
            write_atomically(path, text)
            written.append(_shown(path))
    return f"feeds: {len(entries)} entries" + (f", wrote {', '.join(written)}" if written else ", up to date")


def all_stored(days: list[str], config: Config) -> bool:
    """Whether every day has a stored snapshot: one listing of the folder, not a stat per day."""
    try:
        stored = set(os.listdir(config.paths.snapshots))
    except OSError:
        return False
    return all(snapshot_name(day) in stored for day in days)


_worker_state: tuple[Config, PostRenderer, BuildOptions] | None = None


def _start_worker(config: Config, options: BuildOptions) -> None:
    """Compile the templates once per worker process."""
    global _worker_state
    _worker_state = (config, PostRenderer(config), options)


def _build_stored_days(days: list[str]) -> list[DayReport]:
    assert _worker_state is not None, "worker not started"
    config, renderer, options = _worker_state
    return [report for batch in _stored_batches(days, config) for report in publish(batch, config, renderer, options)]


def _stored_batches(days: list[str], config: Config) -> Iterator[list[tuple[str, Snapshot]]]:
    """The days with their stored snapshots, a few at a time for `publish`: at most
    BATCH_DAYS days, and fewer when they hold BATCH_MENTIONS mentions, so that a batch
    of busy days (a million mentions take a few GB) stays small."""
    batch: list[tuple[str, Snapshot]] = []
    mentions = 0
    for day in days:
        path = config.snapshot_path(day)
        snapshot = load_snapshot(path, day)
        _check_day(snapshot, day, path)
        batch.append((day, snapshot))
        mentions += len(snapshot.mentions)
        if len(batch) == BATCH_DAYS or mentions >= BATCH_MENTIONS:
            yield batch
            batch, mentions = [], 0
    if batch:
        yield batch


def _check_day(snapshot: Snapshot, day: str, path: Path) -> None:
    """Refuse a file named for `day` that holds another day: its post would carry the
    other day's title under this day's name."""
    if snapshot.date != day:
        raise SnapshotError(f"{path}: holds the day {snapshot.date}, not {day} as its name says")


def _shown(path: Path) -> str:
    """`path` relative to the working directory when inside it, for messages."""
    text, cwd = str(path), os.path.join(os.getcwd(), "")
    return text[len(cwd) :] if text.startswith(cwd) else text
