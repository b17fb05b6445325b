"""A build's claim on the snapshots folder before it fetches: a file can be created there
(a fetch whose snapshot cannot be saved is lost, and paid sources bill it), and no other
build is fetching into it (cron and a hand-run --refresh would both fetch, and both be
billed). The claim is an flock on the folder itself (or, before a site's first snapshot,
on the folder it will be made in), so no file is left behind; it lasts until the process
ends, and the system drops it even when the process is killed."""

from __future__ import annotations

import os
from pathlib import Path

from hotpapers.atomic import unwritable
from hotpapers.errors import WriteError
from hotpapers.targets import shown_path

try:
    import fcntl
except ImportError:  # Windows has no flock: builds there are not kept apart
    fcntl = None  # type: ignore[assignment]

_claimed: dict[Path, int] = {}
"""The folders this process holds, with the descriptor that holds each."""


def claim_for_fetching(folder: Path) -> None:
    """Hold the snapshots `folder` for this process's fetches, or raise a WriteError saying
    why it cannot (nothing has been fetched yet)."""
    if folder.absolute() in _claimed:
        return
    cannot = unwritable(folder)
    if cannot:
        raise WriteError(f"cannot write into {shown_path(folder)}: {cannot}; nothing was fetched")
    if fcntl is None:
        return
    existing = next((place for place in (folder, *folder.parents) if place.is_dir()), folder)
    descriptor = os.open(existing, os.O_RDONLY)
    try:
        fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        os.close(descriptor)
        raise WriteError(
            f"another hotpapers build is fetching into {shown_path(folder)}; nothing was fetched (run it again "
            "when that one ends)"
        ) from None
    _claimed[folder.absolute()] = descriptor
