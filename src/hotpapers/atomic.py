"""Atomic file replacement: readers see the old file or the new one, never half of one."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from hotpapers.errors import WriteError


def write_atomically(path: Path, text: str, *, durable: bool = False) -> None:
    """Write `text` as UTF-8 to a temporary file beside `path`, then rename it over `path`.

    A failure or a concurrent writer leaves either the old or the new content, and no
    temporary file behind. `durable` also flushes the data to disk before the rename,
    so a power cut cannot leave an empty file: worth its cost (most of a small file's
    write time) for snapshots, which hold fetched facts, not for posts, which any
    build makes again from their snapshot.
    """
    try:
        data = text.encode("utf-8")
    except UnicodeEncodeError as exc:
        raise WriteError(f"cannot write {path}: the text holds a lone surrogate ({text[exc.start:exc.end]!a}), which UTF-8 cannot") from None
    try:
        fd, tmp_name = _temporary_file_beside(path)
    except OSError as exc:
        raise WriteError(f"cannot write {path}: {exc.strerror or exc}") from exc
    try:
        with open(fd, "wb") as handle:
            os.fchmod(fd, 0o644)  # mkstemp makes the file readable by its owner only
            handle.write(data)
            if durable:
                handle.flush()
                os.fsync(fd)
        os.replace(tmp_name, path)
    except BaseException as exc:
        Path(tmp_name).unlink(missing_ok=True)
        if isinstance(exc, OSError):
            raise WriteError(f"cannot write {path}: {exc.strerror or exc}") from exc
        raise


def _temporary_file_beside(path: Path) -> tuple[int, str]:
    """A new file in `path`'s folder, which is created when missing rather than tried
    before every write."""
    options = {"dir": path.parent, "prefix": f".{path.name}.", "suffix": ".tmp"}
    try:
        return tempfile.mkstemp(**options)
    except FileNotFoundError:
        path.parent.mkdir(parents=True, exist_ok=True)
        return tempfile.mkstemp(**options)
