"""Reading and writing snapshot files: one JSON file per day, validated whenever it is
read or written (snapshot_schema.py), so that a corrupt or hand-edited file is reported
in one line with its path and the JSON paths of its first problems instead of surfacing
later as a broken post.
"""

from __future__ import annotations

import codecs
import json
import math
import os
import re
import sys
from os import PathLike
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO

from hotpapers.atomic import write_atomically
from hotpapers.errors import SnapshotError, command, shown_path
from hotpapers.models import Mention, Paper, Snapshot
from hotpapers.plural import listed
from hotpapers.regular_file import NotRegularFile, TooLarge, read_regular_file, read_stream
from hotpapers.snapshot_schema import decode_fast, is_date, snapshot_problems

if TYPE_CHECKING:
    from hotpapers.config import Config


def parse_snapshot(raw: bytes, source: str, advice: str = "") -> Snapshot:
    """Decode, validate and build a snapshot; `source` names it in error messages, which
    end with `advice` (what to do about a broken file, such as fetching the day again)."""
    raw = raw.removeprefix(codecs.BOM_UTF8)  # JSON allows a reader to ignore one, and editors add it
    snapshot = decode_fast(raw)
    if snapshot is not None:
        return snapshot
    try:
        data, problems = _read_and_check(raw)
    except SnapshotError as exc:
        raise SnapshotError(f"{source}: {exc.message}{advice}") from None
    if problems:
        raise SnapshotError(f"{source}: {listed(problems, SHOWN_PROBLEMS)}{advice}")
    return Snapshot.from_dict(data)


SHOWN_PROBLEMS = 3
"""The problems an error names; a file written by hand is then fixed in one go, and one whose
collector wrote the same mistake into every mention still makes a short line."""


MAX_FILE_BYTES = 512 * 2**20
"""The largest snapshot file read: figure 2's day of 200,000 mentions is 177 MB and takes
642 MB of memory to render (benchmarks/README.md), so a file of gigabytes would fill the
memory and have the build killed without a word, rather than hold a day."""


MAX_DIGITS = 400
"""The longest integer read from a snapshot (1e308 is one of 309 digits). Longer ones are
refused before Python converts them, which it refuses past 4,300 digits; shorter ones
above a count's maximum (models.MAX_COUNT) are refused with their JSON path."""


def _read_and_check(raw: bytes) -> tuple[Any, list[str]]:
    """The JSON in `raw` and its problems; a file that is not JSON at all raises."""
    try:
        data = json.loads(raw.decode("utf-8"), parse_float=_integral_as_int, parse_int=_bounded_int)
        json.dumps(data, ensure_ascii=False).encode("utf-8")
        return data, snapshot_problems(data)
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise SnapshotError(f"not UTF-8 text (byte 0x{raw[exc.start]:02x} on line {line}): save it as UTF-8") from None
    except json.JSONDecodeError as exc:
        if not exc.doc.strip():  # `true | hotpapers render -`, an empty file
            blank = "only blank space" if exc.doc else "empty"
            raise SnapshotError(f"{blank}, where a snapshot (JSON) was expected") from None
        if exc.pos == 0 and exc.doc.startswith("---"):  # `render` given the post instead of its snapshot
            raise SnapshotError("a post (Markdown with frontmatter), not a snapshot (JSON)") from None
        what = exc.msg.removesuffix(" at")  # "Unterminated string starting at" names a place, as we do
        raise SnapshotError(f"not valid JSON ({what} at line {exc.lineno}, column {exc.colno})") from None
    except UnicodeEncodeError:
        raise SnapshotError(
            "a string holds half of a UTF-16 surrogate pair (a lone \\udXXX escape), which no post can hold"
        ) from None
    except RecursionError:
        raise SnapshotError("not a snapshot (arrays or objects nested too deeply)") from None


def _bounded_int(text: str) -> int:
    if len(text.lstrip("-")) > MAX_DIGITS:
        raise SnapshotError(f"not a snapshot (a number of {len(text.lstrip('-'))} digits, {text[:12]}...)")
    return int(text)


def _integral_as_int(text: str) -> int | float:
    """JSON Schema counts 3.0 as an integer; so does the model."""
    number = float(text)
    return int(number) if number.is_integer() else number


def load_snapshot(path: str | PathLike[str], day: str | None = None) -> Snapshot:
    """The snapshot in the file at `path`, checked as every snapshot read is (a
    SnapshotError, an InputError, names the first problems); `day` as for stored_snapshot."""
    path = Path(path)
    snapshot = stored_snapshot(path, day)
    if snapshot is None:
        raise SnapshotError(f"{shown_path(path)}: no such snapshot")
    return snapshot


def stored_snapshot(path: Path, day: str | None = None, *, refetch: bool = True) -> Snapshot | None:
    """The snapshot at `path`, or None when there is no such file. `day` says that the
    file is the site's stored snapshot of that day, which `build --refresh` replaces:
    the error for a broken one says so, after fixing it (it may hold the user's own data),
    unless `refetch` is False (the config enables no source, so a refresh fetches nothing).
    Such a file that holds another day is refused, by every command alike: its post
    would carry the other day's title under this day's name."""
    shown = shown_path(path)
    pasted = command(f"build --date {day} --refresh")
    refresh = f"; fix the file, or replace it by fetching the day from the sources: `{pasted}`"
    advice = (refresh if refetch else "; fix the file (docs/snapshot.md)") if day else ""
    try:
        raw = read_regular_file(path, max_bytes=MAX_FILE_BYTES, refuse_larger=True)
    except NotRegularFile as exc:
        raise SnapshotError(f"{shown}: not a snapshot file but {exc.kind}") from None
    except TooLarge:
        raise SnapshotError(f"{shown}: {_too_large()}{advice}") from None
    except FileNotFoundError:
        if path.is_symlink():  # a link to a file that is gone (a lab's collector on a mount) is no absent day
            raise SnapshotError(
                f"{shown}: a symbolic link to {os.readlink(path)}, which is not there{advice}"
            ) from None
        return None
    except NotADirectoryError:  # a file where a folder of the path goes: none is there (is_stored)
        return None
    except OSError as exc:
        raise SnapshotError(f"{shown}: cannot read it ({exc.strerror or exc})") from None
    snapshot = parse_snapshot(raw, shown, advice)
    if day is not None and snapshot.date != day:
        raise SnapshotError(f"{shown}: holds the day {snapshot.date}, not {day} as its name says{advice}")
    return snapshot


STANDARD_INPUT = "standard input"


def piped_snapshot(stream: BinaryIO) -> Snapshot:
    """The snapshot `stream` holds (standard input, for `render -`), checked as every
    snapshot read is, and no larger than a snapshot file may be."""
    try:
        raw = read_stream(stream, MAX_FILE_BYTES)
    except TooLarge:
        raise SnapshotError(f"{STANDARD_INPUT}: {_too_large()}") from None
    except OSError as exc:
        raise SnapshotError(f"{STANDARD_INPUT}: cannot read it ({exc.strerror or exc})") from None
    return parse_snapshot(raw, STANDARD_INPUT)


def _too_large() -> str:
    return f"larger than {MAX_FILE_BYTES // 2**20} MiB, the most a snapshot file may hold"


def site_snapshot(config: Config, day: str) -> Snapshot | None:
    """The site's stored snapshot of `day` (stored_snapshot), None when it has none; its errors
    advise a refresh only when the config enables a source to fetch the day again."""
    return stored_snapshot(config.snapshot_path(day), day, refetch=bool(config.enabled_sources))


def is_stored(path: Path) -> bool:
    """Whether there is a snapshot file at `path`, or a link, even one to nothing (which
    stored_snapshot names): then the day is not one to fetch."""
    return path.is_symlink() or path.exists()


def misnamed_snapshot(path: Path) -> str:
    """For an error saying there is no snapshot at `path`: the files beside it whose name holds
    its day but is not `DAY.json` (`2020-09-24.snapshot.json`, as the bundled example is
    named; `2020-9-24.json` or `24.09.2020.json`, as a hand writes it; `2020-09-24.json.txt`,
    as an editor saves it where the system hides the last extension), which no command reads
    there; '' when there are none. Hidden files (a write's temporary ones) are not named, nor
    `DAY.json` itself, which a fetch saves as it reads."""
    try:
        found = sorted(
            other.name
            for other in path.parent.iterdir()
            if ".json" in other.name.lower()
            and not other.name.startswith(".")
            and other.name != path.name
            and _names_day(other.name, path.stem)
        )
    except OSError:
        return ""
    if not found:
        return ""
    names = ", ".join(found[:3]) + (f" and {len(found) - 3} more" if len(found) > 3 else "")
    return f" ({names} beside it {'is' if len(found) == 1 else 'are'} not read: a snapshot is named {path.name})"


def unread_beside(path: Path, day: str) -> tuple[str, ...]:
    """For a day fetched as no snapshot is stored at `path`: a warning naming the files
    beside it that hold the day under another name (misnamed_snapshot), as a snapshot written
    by hand may be, which the fetched day passes over; () when there are none."""
    hint = misnamed_snapshot(path)
    return (f"{day}: no snapshot stored{hint}: the day is fetched from the sources",) if hint else ()


def _names_day(name: str, day: str) -> bool:
    """Whether the file name `name` holds the date `day` (YYYY-MM-DD): as written, or as its
    numbers alone, year first or last (2020-9-24, 2020_09_24, 24.09.2020)."""
    if re.search(f"(?<!\\d){day}(?!\\d)", name):  # not 2020-09-240.json
        return True
    year, month, date = (int(part) for part in day.split("-"))
    numbers = [int(run) for run in re.findall(r"\d+", name)]  # a name's few hundred digits at most
    return numbers in ([year, month, date], [date, month, year])


def first_stored_day(folder: Path) -> str | None:
    """The earliest of the `_stored_days` in `folder`: the night a site was first built."""
    return min(_stored_days(folder), default=None)


def last_stored_day(folder: Path) -> str | None:
    """The latest of the `_stored_days` in `folder`."""
    return max(_stored_days(folder), default=None)


def _stored_days(folder: Path) -> list[str]:
    """The days with a snapshot file in `folder` (its name, `YYYY-MM-DD.json`), however
    good the file; none when the folder cannot be read."""
    try:
        return [path.stem for path in folder.glob("*.json") if is_date(path.stem)]
    except OSError:
        return []


def dump_snapshot(snapshot: Snapshot) -> str:
    """The stable, diff-friendly text of a snapshot: sorted, indented, UTF-8, one trailing
    newline. Only a text that reads back is returned: valid, and no larger than MAX_FILE_BYTES."""
    try:
        if misplaced := _misplaced(snapshot):
            raise SnapshotError(f"refusing to write an invalid snapshot: {misplaced}")
        text = json.dumps(snapshot.to_dict(), ensure_ascii=False, indent=2) + "\n"
    except TypeError as exc:  # a snapshot made in Python, holding what JSON cannot (a Path, bytes)
        raise SnapshotError(f"refusing to write an invalid snapshot: {exc}") from None
    except ValueError:  # an integer past Python's limit of digits written
        digits = sys.get_int_max_str_digits()
        raise SnapshotError(f"refusing to write an invalid snapshot: a number of more than {digits} digits") from None
    try:
        raw = text.encode("utf-8")
    except UnicodeEncodeError as exc:
        raise SnapshotError(
            f"refusing to write an invalid snapshot: it holds a lone surrogate ({text[exc.start : exc.end]!a})"
        ) from None
    if len(raw) > MAX_FILE_BYTES:  # read back by no build
        raise SnapshotError(
            f"{snapshot.date}: refusing to write a snapshot of {math.ceil(len(raw) * 10 / 2**20) / 10} MiB, more than the "
            f"{MAX_FILE_BYTES // 2**20} MiB a snapshot file may hold, so no build would read it back"
        )
    parse_snapshot(raw, "refusing to write an invalid snapshot")
    return text


def _misplaced(snapshot: Snapshot) -> str:
    """What a snapshot made in Python holds where a record, or their tuple, is expected
    (`$.papers[1]: a value of type str, where a Paper is expected`), which writing it met as
    a missing attribute; ''."""
    if not isinstance(snapshot, Snapshot):
        return f"a value of type {type(snapshot).__name__}, where a Snapshot is expected"
    for field, record in (("papers", Paper), ("mentions", Mention)):
        items = getattr(snapshot, field)
        if not isinstance(items, (tuple, list)):  # a generator read here would be written empty
            return f"$.{field}: a value of type {type(items).__name__}, where a tuple of {record.__name__}s is expected"
        for index, item in enumerate(items):
            if not isinstance(item, record):
                return (
                    f"$.{field}[{index}]: a value of type {type(item).__name__}, where a {record.__name__} is expected"
                )
    return ""


def save_snapshot(snapshot: Snapshot, path: str | PathLike[str]) -> None:
    """Writes `snapshot` to `path` as dump_snapshot makes it, atomically, with its folders;
    one that breaks the schema is a SnapshotError (an InputError) naming its first problems,
    and nothing is written."""
    write_atomically(Path(path), dump_snapshot(snapshot), durable=True)
