"""Atomic file replacement: readers see the old file or the new one, never half of one."""

from __future__ import annotations

import contextlib
import itertools
import os
import re
import stat
from pathlib import Path

from hotpapers.errors import WriteError, shown_path

_TEMPORARY_NUMBERS = itertools.count()
_TEMPORARY_NAME = re.compile(r"\..+\.([0-9]+)-[0-9]+\.tmp")
"""`.NAME.PID-N.tmp`: the writer's process id tells a dead writer's leftovers."""
_NEW_FILE = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_BINARY", 0)
"""A file that must not exist yet, not inherited by child processes, written as bytes
(O_BINARY exists on Windows only, O_CLOEXEC everywhere else)."""
_swept: set[str] = set()
"""Folders this process has already cleared of dead writers' temporary files."""


def unwritable(folder: Path) -> str | None:
    """Why no file can be created in `folder`, or in the folder it would be made in when
    missing, or None when one can: a temporary file is made there and removed, named as
    a writer's so that a leftover is swept."""
    existing = next((place for place in (folder, *folder.parents) if place.exists()), folder)
    probe = existing / f".probe.{os.getpid()}-{next(_TEMPORARY_NUMBERS)}.tmp"
    try:
        os.close(os.open(probe, _NEW_FILE, 0o600))
        probe.unlink()
    except OSError as exc:
        return exc.strerror or str(exc)
    return None


def write_atomically(path: Path, data: str | bytes, *, durable: bool = False) -> None:
    """Write `data` (text as UTF-8) to a temporary file beside `path`, then rename it
    over `path`.

    A failure or a concurrent writer leaves either the old or the new content, and no
    temporary file behind. `durable` also flushes the data to disk before the rename,
    so a power cut cannot leave an empty file: worth it for snapshots, which hold
    fetched facts, not for posts, which any build makes again from their snapshot.
    An existing target that is not a regular file (a FIFO, a device, /dev/stdout) is
    written into instead: replacing it would put a regular file where the system or
    another program expects the special one.
    """
    if isinstance(data, str):
        data = encode_text(data, path)
    if is_special_file(path):
        _write_into(path, data)
        return
    try:
        fd, temporary = create_beside(path)
    except OSError as exc:
        raise WriteError(f"cannot write {shown_path(path)}: {exc.strerror or exc}") from exc
    try:
        with os.fdopen(fd, "wb") as file:
            file.write(data)
            if durable:
                file.flush()
                os.fsync(fd)
        os.replace(temporary, path)
    except BaseException as exc:
        Path(temporary).unlink(missing_ok=True)
        if isinstance(exc, OSError):
            raise WriteError(f"cannot write {shown_path(path)}: {exc.strerror or exc}") from exc
        raise


def encode_text(text: str, path: Path) -> bytes:
    """`text` as UTF-8, or a WriteError naming `path` when it holds half a surrogate pair."""
    try:
        return text.encode("utf-8")
    except UnicodeEncodeError as exc:
        raise WriteError(
            f"cannot write {shown_path(path)}: the text holds a lone surrogate ({text[exc.start : exc.end]!a}), which UTF-8 cannot"
        ) from None


def is_special_file(path: Path) -> bool:
    """Whether `path` (or what it links to) exists and is neither a regular file nor a folder."""
    try:
        mode = os.stat(path).st_mode
    except (OSError, ValueError):
        return False
    return not (stat.S_ISREG(mode) or stat.S_ISDIR(mode))


def _write_into(path: Path, data: bytes) -> None:
    try:
        with open(path, "wb") as file:
            file.write(data)
    except OSError as exc:
        raise WriteError(f"cannot write {shown_path(path)}: {exc.strerror or exc}") from None


def create_beside(path: Path) -> tuple[int, str]:
    """A new file in `path`'s folder, named after this process, with the permissions
    any new file gets (0666 less the umask; `tempfile.mkstemp` makes it 0600). The
    folder is created when missing."""
    sweep(path.parent)
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
            try:
                path.parent.mkdir(parents=True, exist_ok=True)
            except (FileExistsError, NotADirectoryError) as exc:  # 'File exists': which part, and what?
                raise OSError(exc.errno, in_the_way(path.parent) or exc.strerror) from None
            made_folder = True
        except NotADirectoryError as exc:
            raise OSError(exc.errno, in_the_way(path.parent) or exc.strerror) from None


def in_the_way(folder: Path) -> str | None:
    """What keeps `folder` from being made: the first part of its path that is a file, or a
    link to nothing."""
    for part in (*reversed(folder.parents), folder):
        if part.is_symlink() and not part.exists():
            return f"{shown_path(part)} is a link to {os.readlink(part)}, which does not exist"
        if part.exists() and not part.is_dir():
            return f"{shown_path(part)} is a file, not a folder"
    return None


def sweep(folder: Path) -> None:
    """remove_dead_writers_files, once per folder and process."""
    key = os.path.join(folder, "")
    if key not in _swept:
        _swept.add(key)
        remove_dead_writers_files(folder)


def remove_dead_writers_files(folder: Path) -> None:
    """Remove the temporary files in `folder` whose writer process no longer runs (a
    build killed while writing). Those of live writers, and of this process, stay."""
    try:
        names = os.listdir(folder)
    except OSError:
        return
    for name in names:
        match = _TEMPORARY_NAME.fullmatch(name)
        if match and int(match[1]) != os.getpid() and not process_runs(int(match[1])):
            with contextlib.suppress(OSError):  # another build removed it first, or the folder is read-only
                os.unlink(os.path.join(folder, name))


def process_runs(pid: int) -> bool:
    """Whether a process with this id exists (a zombie counts)."""
    if os.name == "nt":
        return True  # os.kill would end the process there, not test it
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OverflowError, ValueError):
        return True  # another user's process (or a number no process can have: keep it, to be safe)
    return True
