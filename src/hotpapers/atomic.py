"""Atomic file replacement: readers see the old file or the new one, never half of one."""

from __future__ import annotations

import itertools
import os
from pathlib import Path

from hotpapers.errors import WriteError

_TEMPORARY_NUMBERS = itertools.count()
_NEW_FILE = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_BINARY", 0)
"""A file that must not exist yet, not inherited by child processes, written as bytes
(O_BINARY exists on Windows only, O_CLOEXEC everywhere else)."""


def write_atomically(path: Path, data: str | bytes, *, durable: bool = False) -> None:
    """Write `data` (text as UTF-8) to a temporary file beside `path`, then rename it
    over `path`.

    A failure or a concurrent writer leaves either the old or the new content, and no
    temporary file behind. `durable` also flushes the data to disk before the rename,
    so a power cut cannot leave an empty file: worth its cost (most of a small file's
    write time) for snapshots, which hold fetched facts, not for posts, which any
    build makes again from their snapshot.
    """
    if isinstance(data, str):
        data = encode_text(data, path)
    try:
        fd, temporary = _create_beside(path)
    except OSError as exc:
        raise WriteError(f"cannot write {path}: {exc.strerror or exc}") from exc
    try:
        try:
            _write_all(fd, data)
            if durable:
                os.fsync(fd)
        finally:
            os.close(fd)
        os.replace(temporary, path)
    except BaseException as exc:
        Path(temporary).unlink(missing_ok=True)
        if isinstance(exc, OSError):
            raise WriteError(f"cannot write {path}: {exc.strerror or exc}") from exc
        raise


def encode_text(text: str, path: Path) -> bytes:
    """`text` as UTF-8, or a WriteError naming `path` when it holds half a surrogate pair."""
    try:
        return text.encode("utf-8")
    except UnicodeEncodeError as exc:
        raise WriteError(
            f"cannot write {path}: the text holds a lone surrogate ({text[exc.start : exc.end]!a}), which UTF-8 cannot"
        ) from None


def _write_all(fd: int, data: bytes) -> None:
    """`os.write` until all is written. A buffered file object would add 10 us to each
    post and buffer nothing: a post is written in one call."""
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view) :]


def _create_beside(path: Path) -> tuple[int, str]:
    """A new file in `path`'s folder, named after this process, with the permissions
    any new file gets (0666 less the umask). `tempfile.mkstemp` makes it 0600, so a
    post would have needed a chmod that ignores the umask. The folder is created when
    missing rather than checked before every write."""
    prefix = os.path.join(path.parent, f".{path.name}.{os.getpid()}-")
    made_folder = False
    while True:
        name = f"{prefix}{next(_TEMPORARY_NUMBERS)}.tmp"
        try:
            return os.open(name, _NEW_FILE, 0o666), name
        except FileExistsError:
            continue  # left by a crashed process that had this process id
        except FileNotFoundError:
            if made_folder:
                raise
            path.parent.mkdir(parents=True, exist_ok=True)
            made_folder = True
