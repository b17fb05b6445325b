"""Health of the last days: is every day there, did every source work, and did the
volume of mentions hold up? `day_problems` is a pure function over what check_files.py
read from disk."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from pathlib import Path
from statistics import median

from hotpapers.config import Paths
from hotpapers.errors import ALL_SOURCES_OFF, command, shown_path
from hotpapers.models import ARXIV, Snapshot
from hotpapers.plural import count
from hotpapers.unbuilt import spans

COLLAPSE_MIN_HISTORY = 3
"""Days of history needed before a day's volume is compared with their median."""


@dataclass(frozen=True, slots=True)
class DayFiles:
    """What one day has on disk: its snapshot (None when missing or unusable), whether it
    has a post, and whether a post was due (some paper qualifies)."""

    day: str
    snapshot: Snapshot | None
    post_exists: bool
    post_due: bool
    unusable: str | None = None
    """Why the snapshot file cannot be used (broken, or holding another day), and what fixes it."""
    other_posts: tuple[tuple[str, str], ...] = ()
    """The day's posts beside its own under another file name, another profile's or this
    one's default: (whose name it is, as 'the lumen profile's name', path)."""
    served_posts: tuple[tuple[str, str, str | None], ...] = ()
    """The day's posts in another profile's posts folder inside the one the site serves:
    (profile, path, why the site's config that could leave it out cannot be read, or None)."""
    post_held: tuple[str, str] | None = None
    """The post's path and what it holds when that is no file ("a folder"): build stops
    on the day rather than replace it, so the day has no post (`post_exists` is False)."""
    misnamed: str = ""
    """For a day without a snapshot file: the files beside it that hold the day under another
    name, as misnamed_snapshot says them ('' when none)."""

    @property
    def written_by_hand(self) -> bool:
        """A post and no snapshot file: most likely written by hand (a nightly build neither
        fetches such a day nor replaces its post), or its snapshot lost."""
        return self.snapshot is None and self.post_exists and not self.unusable


DEFAULT_SNAPSHOTS = Paths().snapshots
"""paths.snapshots unless configured, for callers of day_problems that give no folder."""


def day_problems(
    days: list[DayFiles], min_ratio: float, enabled: Collection[str], snapshots: Path = DEFAULT_SNAPSHOTS
) -> list[str]:
    """Every problem, oldest day first, one line each (a run of days without a snapshot is
    one: the nightly build stopped, or never ran; with no source `enabled`, the line names
    the file to write in the folder `snapshots`). A failed source counts when a build
    would fetch it again (it is `enabled`); a source turned off since, or a platform no
    source module reads (an imported snapshot's), is no problem the site can act on."""
    problems = []
    volumes: list[int] = []
    missing: list[str] = []  # the days of a run without a snapshot, named in one line
    misnamed = ""  # the files beside the run's first day's snapshot that hold it under another name
    for entry in days:
        snap = entry.snapshot
        if snap is not None or entry.unusable or entry.written_by_hand:
            missing = []
        if entry.unusable:
            problems.append(f"{entry.day}: unusable snapshot {entry.unusable}")
            continue
        if snap is None:
            if not entry.written_by_hand:  # that is a note
                if missing:
                    problems.pop()  # the run's line, written again with this day
                missing.append(entry.day)
                it = "it" if len(missing) == 1 else "them"
                write = (
                    shown_path(snapshots / f"{missing[0]}.json")
                    if len(missing) == 1
                    else f"them as {shown_path(snapshots / 'DAY.json')}"
                )
                make = (
                    f"{_build(missing)} fetches {it}"
                    if enabled
                    else f"{ALL_SOURCES_OFF}: write {write} (docs/snapshot.md), then {_build(missing)}"
                )
                misnamed = entry.misnamed if len(missing) == 1 else misnamed  # as `write` names the first day
                problems.append(f"{spans(missing)}: no snapshot{misnamed}; {make}")
            continue
        if entry.post_due and not entry.post_exists and not entry.other_posts:
            problems.append(_no_post(entry))
        problems += [
            f"{entry.day}: {path} is the day's post under {whose}, {_beside(entry)}"
            for whose, path in entry.other_posts
        ]
        problems += [
            f"{entry.day}: {path} is the day's post under the {profile} profile, in its posts folder, which "
            "the site serves (paths.public): the site publishes it as a page of its own (delete it)"
            + (f"; whether Jekyll excludes it is unknown: {unread}" if unread else "")
            for profile, path, unread in entry.served_posts
        ]
        for name, source in sorted(snap.sources.items()):
            if source.status == "failed" and (name in enabled or name == ARXIV):
                detail = f" ({source.detail})" if source.detail else ""
                problems.append(f"{entry.day}: source {name} failed{detail}; {_build([entry.day])} asks it again")
        volume = len(snap.mentions)
        if len(volumes) >= COLLAPSE_MIN_HISTORY:
            typical = median(volumes)
            if volume < min_ratio * typical:
                problems.append(
                    f"{entry.day}: {count(volume, 'mention')}, against a median of {typical:g} on the days before"
                )
        volumes.append(volume)
    return problems


def _no_post(entry: DayFiles) -> str:
    if entry.post_held is None:
        return f"{entry.day}: no post, though papers qualify; {_build([entry.day])} writes it"
    path, kind = entry.post_held
    return (
        f"{entry.day}: no post, though papers qualify: {path} holds {kind}, not a file, which build does not "
        f"replace; move it away, then {_build([entry.day])} writes the post"
    )


def _build(days: list[str]) -> str:
    """The command that builds `days`, a run of consecutive days."""
    return (
        f"`{command(f'build --date {days[0]}')}`"
        if len(days) == 1
        else f"`{command(f'build --since {days[0]} --until {days[-1]}')}`"
    )


def _beside(entry: DayFiles) -> str:
    """What to do with a post another profile left for the day of `entry`."""
    if entry.post_exists:
        return "beside this profile's: the site lists the day twice (delete it)"
    if entry.post_due:  # the day's only post: deleted first, the day would have none
        return f"and this profile's is not written: build the day with {_build([entry.day])}, then delete it"
    return "and no paper qualifies under the settings now, so this profile writes none (delete it)"


def notes(days: list[DayFiles], enabled: Collection[str]) -> list[str]:
    """What check says of days that are no problem but not what its "ok" line claims: those
    `written_by_hand`, and a line for each `enabled` source that days skipped for want of
    credentials (a site may mean to run on the free sources; the build warns of it every night)."""
    by_hand = [entry.day for entry in days if entry.written_by_hand]
    written = (
        [f"{spans(by_hand)}: a post and no snapshot (written by hand, or its snapshot lost): not checked"]
        if by_hand
        else []
    )
    skipped: dict[tuple[str, str], list[str]] = {}
    for entry in days:
        for name, source in sorted(entry.snapshot.sources.items() if entry.snapshot else ()):
            detail = source.detail or ""
            if source.status == "skipped" and name in enabled and detail.startswith("needs "):
                skipped.setdefault((name, detail.removeprefix("needs ")), []).append(entry.day)
    return written + [
        f"{name} was skipped on {spans(skipped_days)} for want of credentials: set {needs}, or turn it off with "
        f"sources.{name}.enabled: false"
        for (name, needs), skipped_days in skipped.items()
    ]
