"""Reading a file the user named, which must be a regular file: a FIFO would keep the
run waiting for a writer, a device could send forever. It is opened without blocking,
which is what lets the open of a FIFO return. Standard input, read as a stream, is
bounded alike."""

from __future__ import annotations

import os
import stat
from pathlib import Path
from typing import BinaryIO

SITE_FILE_MAX_BYTES = 1024 * 1024
"""The most read of a file of the site (its config, package.json, Gemfile): no real one
comes near it, and a huge or endless one would fill the memory."""
_PIECE = 64 * 1024
"""The least asked for in one read of a file that grew past its size (`/proc` files say 0)."""
_KINDS = {stat.S_IFDIR: "a directory", stat.S_IFIFO: "a FIFO", stat.S_IFCHR: "a device", stat.S_IFBLK: "a device"}


class NotRegularFile(Exception):
    """The path is something else; `kind` says what, for messages ("a FIFO")."""

    def __init__(self, kind: str) -> None:
        super().__init__(kind)
        self.kind = kind


class TooLarge(Exception):
    """The file holds more bytes than the caller reads at most."""


def read_regular_file(path: Path, *, max_bytes: int | None = None, refuse_larger: bool = False) -> bytes:
    """The bytes of a regular file: all of them when `max_bytes` is None, else its first
    `max_bytes`, the rest left unread; with `refuse_larger`, a file of more than `max_bytes`
    raises TooLarge instead, before any is read (or, when it grows while read, once more
    than `max_bytes` are)."""
    if refuse_larger and max_bytes is None:
        raise ValueError("refuse_larger needs max_bytes")
    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    try:
        status = os.fstat(fd)
        if not stat.S_ISREG(status.st_mode):
            raise NotRegularFile(_KINDS.get(stat.S_IFMT(status.st_mode), "a special file"))
        if refuse_larger and max_bytes is not None and status.st_size > max_bytes:
            raise TooLarge
        with open(fd, "rb", closefd=False) as handle:
            if max_bytes is None:
                data = handle.read()
            else:  # with refuse_larger, one byte more shows a file that grew while read
                data = _read_at_most(handle, max_bytes + 1 if refuse_larger else max_bytes, status.st_size)
        if refuse_larger and max_bytes is not None and len(data) > max_bytes:
            raise TooLarge
        return data
    finally:
        os.close(fd)


def read_stream(handle: BinaryIO, max_bytes: int) -> bytes:
    """All the bytes of a stream that is no file named (standard input, a pipe): it ends
    when its writer does; TooLarge once more than `max_bytes` have come, holding no more
    than those in memory (pieces joined at the end would hold them twice)."""
    data = bytearray()
    while piece := handle.read(_PIECE):
        data += piece
        if len(data) > max_bytes:
            raise TooLarge
    return bytes(data)


def _read_at_most(handle: BinaryIO, wanted: int, size: int) -> bytes:
    """Up to `wanted` bytes, asked for in pieces of about the file's `size`: one read of
    `wanted` bytes sets that much memory aside first, which a process under an address
    space limit (`ulimit -v`) may not get, even for a file of a few kilobytes."""
    pieces: list[bytes] = []
    piece = max(size + 1, _PIECE)
    while wanted > 0 and (read := handle.read(min(wanted, piece))):
        pieces.append(read)
        wanted -= len(read)
    return b"".join(pieces)


def site_file_text(path: Path) -> str:
    """The text of a file of the site (its first SITE_FILE_MAX_BYTES, bytes that are no
    UTF-8 replaced), '' when no regular file can be read there."""
    try:
        # a FIFO would wait for ever: read_regular_file refuses it
        return read_regular_file(path, max_bytes=SITE_FILE_MAX_BYTES).decode("utf-8", "replace")
    except (OSError, NotRegularFile):
        return ""


def real_path(path: Path) -> Path:
    """`path` absolute, its links followed as far as they lead, as `Path.resolve` does;
    but a link loop, which the system refuses with ELOOP where a command then reads or
    writes there (one line, as any such refusal), is kept as a path, as Python 3.13's
    `resolve` keeps it: Python 3.11's and 3.12's raise a RuntimeError."""
    return Path(os.path.realpath(path))
