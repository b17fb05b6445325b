"""Reading a file the user named, which must be a regular file: a FIFO would keep the
run waiting for a writer, a device could send forever. It is opened without blocking,
which is what lets the open of a FIFO return."""

from __future__ import annotations

import os
import stat
from pathlib import Path

SITE_FILE_MAX_BYTES = 1024 * 1024
"""The most read of a file of the site (its config, package.json, Gemfile): no real one
comes near it, and a huge or endless one would fill the memory."""
_KINDS = {stat.S_IFDIR: "a directory", stat.S_IFIFO: "a FIFO", stat.S_IFCHR: "a device", stat.S_IFBLK: "a device"}


class NotRegularFile(Exception):
    """The path is something else; `kind` says what, for messages ("a FIFO")."""

    def __init__(self, kind: str) -> None:
        super().__init__(kind)
        self.kind = kind


def read_regular_file(path: Path, limit: int = -1) -> bytes:
    """The bytes of a regular file (at most `limit` of them when it is not -1)."""
    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    try:
        mode = os.fstat(fd).st_mode
        if not stat.S_ISREG(mode):
            raise NotRegularFile(_KINDS.get(stat.S_IFMT(mode), "a special file"))
        with open(fd, "rb", closefd=False) as handle:
            return handle.read(limit)
    finally:
        os.close(fd)
