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
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp_name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    except OSError as exc:
        raise WriteError(f"cannot write {path}: {exc.strerror or exc}") from exc
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
            if durable:
                handle.flush()
                os.fsync(handle.fileno())
        os.chmod(tmp_name, 0o644)
        os.replace(tmp_name, path)
    except BaseException as exc:
        Path(tmp_name).unlink(missing_ok=True)
        if isinstance(exc, OSError):
            raise WriteError(f"cannot write {path}: {exc.strerror or exc}") from exc
        raise
