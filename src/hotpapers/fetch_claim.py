"""A build's claim on the snapshots folder before it fetches: a file can be created there,
on a disk with room for it (a fetch whose snapshot cannot be saved is lost, and paid
sources bill it: on a full disk, every night), and no other
build is fetching into it (cron and a hand-run --refresh would both fetch, and both be
billed). The claim is an flock on the folder itself, made first on a new site: a lock on
the folder it would be made in let a build that came once the first had made it lock the
new folder, and fetch too. No file is left behind; the claim lasts until the process
ends, and the system drops it even when the process is killed. A dry run holds nothing,
but warns of what would stop the build (which it would otherwise plan as if it could fetch).
A fetch that makes the folder anew in a site whose posts are of earlier days is warned of
too (warn_of_lost_snapshots): the snapshots moved without paths.snapshots."""

from __future__ import annotations

import logging
import os
import shutil
from collections.abc import Sequence
from pathlib import Path

from hotpapers.atomic import in_the_way, unwritable
from hotpapers.config import Config
from hotpapers.errors import WriteError, shown_path
from hotpapers.plural import count
from hotpapers.targets import post_days

try:
    import fcntl
except ImportError:  # Windows has no flock: builds there are not kept apart
    fcntl = None  # type: ignore[assignment]

log = logging.getLogger("hotpapers")
MIN_FREE = 2**20
"""The least free space a fetch needs, whatever the stored snapshots' sizes."""
_claimed: dict[Path, int] = {}
"""The folders this process holds, with the descriptor that holds each."""


class FolderClaimed(WriteError):
    """Another build is fetching into the snapshots folder: this one fetched and saved nothing,
    so a day's snapshot there is that build's (one it is still writing), not this one's."""


def claim_for_fetching(folder: Path, *, dry_run: bool = False) -> None:
    """Hold the snapshots `folder` for this process's fetches, or raise a WriteError saying
    why it cannot (nothing has been fetched yet). A `dry_run` only warns why it could not
    (its probe file is made and removed, as a build's), and holds nothing."""
    if folder.absolute() in _claimed:
        return
    cannot = unwritable(folder)  # a file in the folder's place, or a folder's on its path: named
    cannot = (in_the_way(folder) or cannot) if cannot else no_room(folder)
    if cannot and dry_run:
        log.warning(
            "cannot write into %s: %s; the build would stop there and fetch nothing", shown_path(folder), cannot
        )
    elif cannot:
        raise WriteError(f"cannot write into {shown_path(folder)}: {cannot}; nothing was fetched")
    if fcntl is None or dry_run:
        return
    try:
        folder.mkdir(parents=True, exist_ok=True)
        descriptor = os.open(folder, os.O_RDONLY)
    except OSError as exc:
        raise WriteError(
            f"cannot write into {shown_path(folder)}: {in_the_way(folder) or exc.strerror or exc}; nothing was fetched"
        ) from None
    try:
        fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        os.close(descriptor)
        raise FolderClaimed(
            f"another hotpapers build is fetching into {shown_path(folder)}; nothing was fetched (run it again "
            "when that one ends)"
        ) from None
    _claimed[folder.absolute()] = descriptor


def warn_of_lost_snapshots(config: Config, fetching: Sequence[str], *, dry_run: bool = False) -> None:
    """Warn of a fetch of days into a snapshots folder that is not there while the posts folder
    holds posts of earlier days (it moved, and paths.snapshots was not changed with it; a disk
    not mounted): the fetch makes it anew, and the feeds, `check` and the nightly repairs, which
    read the snapshots, then know only the days fetched from now on. Not on a new site. A
    `dry_run` says what the fetch would do."""
    snapshots = config.paths.snapshots
    days = [day for day in post_days(config) if day < min(fetching)] if fetching and not snapshots.is_dir() else []
    if days:
        log.warning(
            "%s is not there, though %s holds the posts of %s (the latest %s): the fetch %s it anew, and the "
            "feeds %s only the days it holds; if the snapshots moved, set paths.snapshots to their folder",
            shown_path(snapshots),
            shown_path(config.posts_folder),
            count(len(days), "day"),
            days[0],
            "would start" if dry_run else "starts",
            "would list" if dry_run else "list",
        )


def no_room(folder: Path) -> str | None:
    """Why the disk holding `folder` has no room for a day's snapshot, or None: its free
    space is less than the largest snapshot stored there, or than MIN_FREE. A full disk
    still lets the probe of `unwritable` make its empty file."""
    existing = next((place for place in (folder, *folder.parents) if place.is_dir()), folder)
    free = shutil.disk_usage(existing).free
    sizes = [(size, path) for path in folder.glob("*.json") if (size := _size_of(path)) is not None]
    size, largest = max(sizes, default=(0, None))
    if largest is not None and free < size:
        return (
            f"the disk has {_size(free)} free, less than the largest stored snapshot ({shown_path(largest)}, "
            f"{_size(size)})"
        )
    if free < MIN_FREE:
        return f"the disk has {_size(free)} free, less than {_size(MIN_FREE)}"
    return None


def _size_of(path: Path) -> int | None:
    """The size of a stored snapshot's file, or None when it has none to read (a link to a
    file that is gone: the day's own build names it)."""
    try:
        return path.stat().st_size
    except OSError:
        return None


def _size(size: int) -> str:
    return f"{size / 2**20:.1f} MiB" if size >= 2**20 else f"{size / 2**10:.0f} KiB"
