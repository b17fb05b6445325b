"""Health of the last days: is every day there, did every source work, and did the
volume of mentions hold up? A pure function over what the CLI read from disk."""

from __future__ import annotations

import re
from collections.abc import Collection
from dataclasses import dataclass
from pathlib import Path
from statistics import median

from hotpapers.config import Config
from hotpapers.models import Snapshot

_FAILED_SOURCE = re.compile(rb'"status"\s*:\s*"failed"')
COLLAPSE_MIN_HISTORY = 3
"""Days of history needed before a day's volume is compared with their median."""


@dataclass(frozen=True, slots=True)
class DayFiles:
    """What one day has on disk: its snapshot (None when missing), whether it has a post,
    and whether a post was due (some paper qualifies)."""

    day: str
    snapshot: Snapshot | None
    post_exists: bool
    post_due: bool


def day_problems(days: list[DayFiles], min_ratio: float, enabled: Collection[str]) -> list[str]:
    """Every problem, oldest day first, one line each. A failed source counts only while
    it is `enabled`: a build fetches it again then; a source turned off since is not a
    problem of the site."""
    problems = []
    volumes: list[int] = []
    for entry in days:
        snap = entry.snapshot
        if snap is None:
            problems.append(f"{entry.day}: no snapshot")
            continue
        if entry.post_due and not entry.post_exists:
            problems.append(f"{entry.day}: no post, though papers qualify")
        for name, source in sorted(snap.sources.items()):
            if source.status == "failed" and name in enabled:
                problems.append(f"{entry.day}: source {name} failed" + (f" ({source.detail})" if source.detail else ""))
        volume = len(snap.mentions)
        if len(volumes) >= COLLAPSE_MIN_HISTORY:
            typical = median(volumes)
            if volume < min_ratio * typical:
                problems.append(f"{entry.day}: {volume} mentions, against a median of {typical:g} on the days before")
        volumes.append(volume)
    return problems


def failures_kept(snapshot: Snapshot, config: Config) -> tuple[str, ...]:
    """A warning for a build that publishes `snapshot` without fetching again the sources
    it records as failed, naming them; none when every source worked."""
    failed = [name for name, status in sorted(snapshot.sources.items()) if status.status == "failed"]
    if not failed:
        return ()
    one = len(failed) == 1

    def named(names: list[str], pronoun: str) -> str:
        return pronoun if len(names) == len(failed) else ", ".join(names)

    enabled = [name for name in failed if name in config.sources and config.sources[name].enabled]
    disabled = [name for name in failed if name not in enabled]
    advice = [f"a build without --offline fetches {named(enabled, 'it' if one else 'them')} again"] if enabled else []
    if disabled:
        single = len(disabled) == 1
        being = "is not an enabled source" if single else "are not enabled sources"
        subject = named(disabled, "it" if one else "they")
        advice.append(f"{subject} {being}, so no build fetches {'it' if single else 'them'} again")
    sources = ("source " if one else "sources ") + ", ".join(failed)
    lacks = f"so the post lacks {'its' if one else 'their'} mentions"
    return (f"{snapshot.date}: the snapshot records {sources} as failed, {lacks}; " + "; ".join(advice),)


def may_record_failure(snapshot: Path) -> bool:
    """Whether a snapshot file may record a failed source: a look at its bytes, without
    decoding it (a status is the only "status" key), so a build knows whether it needs
    the network before reading any day."""
    try:
        return _FAILED_SOURCE.search(snapshot.read_bytes()) is not None
    except OSError:
        return False
