"""What `check` reads of a site's last days from disk: each day's snapshot and posts
(check.py judges them)."""

from __future__ import annotations

import logging
from datetime import date, timedelta

from hotpapers.check import DayFiles, day_problems, notes
from hotpapers.config import Config
from hotpapers.errors import InputError, SnapshotError, shown_path
from hotpapers.pipeline import listed_days
from hotpapers.rank import rank
from hotpapers.site import other_profiles_posts, served_profiles_posts
from hotpapers.snapshot import first_stored_day, is_stored, misnamed_snapshot, site_snapshot
from hotpapers.targets import irregular

log = logging.getLogger("hotpapers")


def check_days(config: Config, last: date | str, days: int = 7, min_ratio: float = 0.25) -> list[str]:
    """What `hotpapers check` reports of the `days` days up to `last` (a date, or
    YYYY-MM-DD), one line a problem, oldest first; [] when they are healthy. Days before
    the first stored snapshot are not checked."""
    if days < 1:
        raise InputError(f"the days to check must be at least 1, not {days}")
    if isinstance(last, str):
        last = date.fromisoformat(listed_days([last])[0])
    return problems_of_days(config, checked_days(config, last, days), min_ratio)


def problems_of_days(config: Config, days: list[str], min_ratio: float) -> list[str]:
    """Every problem of `days`, oldest first, one line each: no snapshot or an unusable
    one, no post though papers qualify, a post another profile left beside the day's or in
    its own posts folder where the site serves it, a failed source a build would fetch
    again, or far fewer mentions than the median of the days before (under `min_ratio` of it)."""
    if not 0 <= min_ratio <= 1:  # NaN too
        raise InputError(f"the minimum ratio must be between 0 and 1, not {min_ratio}")
    folder = config.paths.snapshots
    if not folder.is_dir():  # then checked_days, finding no first snapshot, gave every day: days is never empty
        return [
            f"no snapshots folder {shown_path(folder)} (paths.snapshots): if it moved, set paths.snapshots to "
            "where it is; else build a day first"
        ]
    entries = [_day_files(day, config) for day in days]
    for note in notes(entries, config.enabled_sources):
        log.info("note: %s", note)
    return day_problems(entries, min_ratio, config.enabled_sources, folder)


def checked_days(config: Config, last: date, days: int) -> list[str]:
    """The `days` days up to `last`, but none before the site's first stored snapshot,
    and none before the first of them that has one when none of the `days` days before
    them has one: the site's nightly build began among them (after an imported archive
    of older days, say), and the days before were never its to build, as the nightly
    build's repair takes them too. When none of them has one, every one is missing its
    snapshot: the build stopped, or never ran."""
    first = first_stored_day(config.paths.snapshots) or ""
    window = [(last - timedelta(days=back)).isoformat() for back in range(2 * days - 1, -1, -1)]
    before, window = window[:days], [day for day in window[days:] if day >= first]
    stored = [day for day in window if is_stored(config.snapshot_path(day))]
    if stored and not any(is_stored(config.snapshot_path(day)) for day in before):
        return [day for day in window if day >= stored[0]]
    return window


def _day_files(day: str, config: Config) -> DayFiles:
    """What check reads of `day`: a snapshot that cannot be used is a problem of its own,
    listed with the others, not the end of the check."""
    try:
        snap = site_snapshot(config, day)
    except SnapshotError as error:
        return DayFiles(day, None, False, False, unusable=error.message)
    post = config.post_path(day)
    folder = config.posts_folder
    others = tuple((_whose(names, config), shown_path(path)) for names, path in other_profiles_posts(folder, post, day))
    served = served_profiles_posts(folder, config.profile, config.paths.public, day)
    held = irregular(post)
    return DayFiles(
        day,
        snap,
        post.exists() and held is None,
        bool(snap and rank(snap, config)),
        post_held=(shown_path(post), held) if held else None,
        other_posts=others,
        served_posts=tuple((name, shown_path(path), unread) for name, path, unread in served),
        misnamed=misnamed_snapshot(config.snapshot_path(day)) if snap is None else "",
    )


def _whose(profiles: str, config: Config) -> str:
    """Whose file name a post left in the posts folder has (`profiles`: 'hugo or jekyll'):
    another profile's, or this profile's own default, which output.filename changed."""
    if config.output.profile in profiles.split(" or "):
        return f"the {config.output.profile} profile's default file name, which output.filename changed"
    return f"the {profiles} profile's name"
