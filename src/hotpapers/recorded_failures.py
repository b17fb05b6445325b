"""What a build does with the failed sources a stored snapshot records: its look at a
file for one before reading any day (`may_record_failure`), and its warning when it
publishes the day without fetching them again (`failures_kept`)."""

from __future__ import annotations

import re
from collections.abc import Collection
from pathlib import Path

from hotpapers.models import Snapshot
from hotpapers.regular_file import NotRegularFile, TooLarge, read_regular_file
from hotpapers.snapshot import MAX_FILE_BYTES

_FAILED_SOURCE = re.compile(rb'"status"\s*:\s*"failed"')


def failures_kept(snapshot: Snapshot, enabled: Collection[str]) -> tuple[str, ...]:
    """A warning for a build that publishes `snapshot` without fetching again the
    `enabled` sources it records as failed, naming them (a source turned off since is
    no problem, as for day_problems); none when there are none."""
    failed = [name for name, s in sorted(snapshot.sources.items()) if s.status == "failed" and name in enabled]
    if not failed:
        return ()
    one = len(failed) == 1
    sources = ("source " if one else "sources ") + ", ".join(failed)
    return (
        f"{snapshot.date}: the snapshot records {sources} as failed, so the post lacks {'its' if one else 'their'} "
        f"mentions; a build without --offline fetches {'it' if one else 'them'} again",
    )


def may_record_failure(snapshot: Path) -> bool:
    """Whether a snapshot file may record a failed source: a look at its bytes, without
    decoding it (a status is the only "status" key), so a build knows whether it needs
    the network before reading any day. None but a regular file is read: a FIFO would
    wait for a writer for ever, and none larger than a snapshot file may be (reading the
    day names what it is)."""
    try:
        raw = read_regular_file(snapshot, max_bytes=MAX_FILE_BYTES, refuse_larger=True)
        return _FAILED_SOURCE.search(raw) is not None
    except (OSError, NotRegularFile, TooLarge):
        return False
