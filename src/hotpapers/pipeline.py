"""The stages in order, for one day: snapshot (stored or fetched) → rank → render → write."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from hotpapers.config import Config
from hotpapers.errors import InputError
from hotpapers.models import Snapshot
from hotpapers.rank import rank, unknown_paper_ids
from hotpapers.render import PostRenderer
from hotpapers.snapshot import load_snapshot, save_snapshot
from hotpapers.write import Outcome, write_post

log = logging.getLogger("hotpapers")

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


def needs_fetch(day: str, config: Config, options: BuildOptions) -> bool:
    return options.refresh or not config.snapshot_path(day).exists()


def build_day(day: str, config: Config, renderer: PostRenderer, options: BuildOptions, fetch: Fetch | None) -> DayReport:
    """Snapshot → rank → render → write for one day.

    A stored snapshot is used unless there is none or --refresh; a fresh one is saved
    only once complete, so a failed fetch or refresh leaves the old files as they were.
    """
    path = config.snapshot_path(day)
    fetched = needs_fetch(day, config, options)
    if not fetched:
        snapshot = load_snapshot(path)
    elif options.offline or fetch is None:
        why = "--offline was given" if options.offline else "live fetching is not configured"
        raise InputError(f"no snapshot for {day} at {path}, and {why}")
    elif options.dry_run:
        return DayReport(day, fetch.plan(day))
    else:
        snapshot = fetch(day)
        save_snapshot(snapshot, path)
    unknown = unknown_paper_ids(snapshot)
    if unknown:
        log.info("%s: ignored mentions of %d id(s) without metadata: %s", day, len(unknown), ", ".join(unknown[:10]))
    ranked = rank(snapshot, config)
    path = config.post_path(day)
    if not ranked:
        return DayReport(day, f"{day}: no paper qualifies; nothing written", fetched=fetched)
    text = renderer.render(ranked, snapshot)
    if options.dry_run:
        return DayReport(day, f"{day}: would write {_shown(path)} ({len(ranked)} papers)", len(ranked), fetched)
    result = write_post(path, text, force=options.force)
    messages = {
        Outcome.WRITTEN: f"{day}: wrote {_shown(path)} ({result.papers} papers)",
        Outcome.UNCHANGED: f"{day}: {_shown(path)} is up to date ({result.papers} papers)",
        Outcome.KEPT: f"{day}: kept {_shown(path)}: it lists {result.existing_papers} papers, "
        f"the new one {result.papers} (--force replaces it)",
    }
    return DayReport(day, messages[result.outcome], result.papers, fetched, result.outcome is Outcome.WRITTEN)


def _shown(path: Path) -> str:
    try:
        return str(path.relative_to(Path.cwd()))
    except ValueError:
        return str(path)
