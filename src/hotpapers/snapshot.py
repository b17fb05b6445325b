"""Reading and writing snapshot files, checked against the packaged JSON Schema.

Every snapshot read or written is validated, so a corrupt or hand-edited file is
reported with its path and the JSON path of the problem instead of surfacing later as
a broken post. msgspec decodes a file straight into the model's Structs, checking the
constraints their annotations carry as it goes (models.py): as fast as a bare
`json.load`, which matters for years of days and for days of 200,000 mentions. Its
types accept a subset of what the schema accepts; any file they refuse is read again
and checked by jsonschema, the reference, which either names every problem or accepts
the file after all (a `ftp:` URL, a count written `3.0`).
"""

from __future__ import annotations

import json
import os
import re
import reprlib
import stat
from collections.abc import Iterator
from datetime import date, timedelta
from functools import cache
from importlib import resources
from operator import attrgetter
from pathlib import Path
from typing import Any, Literal

import msgspec
from rfc3339_validator import validate_rfc3339
from rfc3986_validator import validate_rfc3986

from hotpapers.atomic import write_atomically
from hotpapers.errors import SnapshotError
from hotpapers.models import (
    ARXIV_ID_PATTERN,
    DAY_PATTERN,
    SCHEMA_ID,
    TIMESTAMP_PATTERN,
    Day,
    Mention,
    Paper,
    Record,
    Snapshot,
    SourceStatus,
    Timestamp,
    Window,
    parse_time,
)

_DATE = re.compile(DAY_PATTERN, re.ASCII)
_observed_at, _created_at = attrgetter("observed_at"), attrgetter("created_at")


def _is_date(value: str) -> bool:
    try:
        return bool(_DATE.fullmatch(value)) and bool(date.fromisoformat(value))
    except ValueError:
        return False


def _format(check: Any) -> Any:
    """A format check for strings (other types are the `type` keyword's business). None
    of these formats allows a line break, which the validators' `$` lets through at the
    end of a string."""
    return lambda value: not isinstance(value, str) or ("\n" not in value and bool(check(value)))


FORMATS = {
    "date": _format(_is_date),
    "date-time": _format(validate_rfc3339),
    "uri": _format(lambda value: validate_rfc3986(value, rule="URI")),
}


def _whole_string_pattern(validator: Any, pattern: str, instance: Any, schema: Any) -> Iterator[Any]:
    """The `pattern` keyword as JSON Schema means it (ECMA 262): `$` is the end of the
    string and `\\d` an ASCII digit. jsonschema uses Python's regexes, where `$` also
    matches before a final line break and `\\d` any script's digits. The schema's
    patterns are anchored with `^...$`, so an ASCII full match is the ECMA test."""
    from jsonschema import ValidationError

    if validator.is_type(instance, "string") and not re.fullmatch(pattern, instance, re.ASCII):
        yield ValidationError(f"{instance!r} does not match {pattern!r}")


def _schema() -> dict[str, Any]:
    return json.loads(resources.files("hotpapers").joinpath("schema/snapshot.schema.json").read_text("utf-8"))


@cache
def _validator() -> Any:
    """jsonschema's validator, imported only for a file the fast check refused (see config.py for why)."""
    from jsonschema import Draft202012Validator, FormatChecker, validators

    checker = FormatChecker(formats=())
    for name, check in FORMATS.items():
        checker.checks(name)(check)
    validator = validators.extend(Draft202012Validator, {"pattern": _whole_string_pattern})
    return validator(_schema(), format_checker=checker)


class SnapshotFile(Record, kw_only=True):
    """The top level of a snapshot file: a snapshot's fields and its required `schema`
    key. `window` may be left out but not null."""

    schema: Literal["hotpapers/snapshot@1"]
    date: Day
    taken_at: Timestamp
    window: Window | msgspec.UnsetType = msgspec.UNSET
    sources: dict[str, SourceStatus] = msgspec.field(default_factory=dict)
    papers: tuple[Paper, ...]
    mentions: tuple[Mention, ...]


_DECODER = msgspec.json.Decoder(SnapshotFile)


def _decode(raw: bytes) -> Snapshot | None:
    """The snapshot in `raw` when it passes the fast check, else None."""
    try:
        file = _DECODER.decode(raw)
    except msgspec.DecodeError:
        return None
    if not _ids_and_times_valid(file):
        return None
    return Snapshot(
        date=file.date,
        taken_at=file.taken_at,
        papers=file.papers,
        mentions=file.mentions,
        window=file.window or None,
        sources=file.sources,
    )


_ARXIV_ID = re.compile(ARXIV_ID_PATTERN, re.ASCII)
_TIMESTAMP = re.compile(TIMESTAMP_PATTERN, re.ASCII)


def _ids_and_times_valid(file: SnapshotFile) -> bool:
    """Whether every arXiv id and time stamp in the file is well-formed, each distinct
    value checked once (models.ArxivId), no paper id repeats, and the date is a day of
    the calendar."""
    paper_ids = {paper.id for paper in file.papers}
    ids = paper_ids.union(paper_id for mention in file.mentions for paper_id in mention.paper_ids)
    stamps = _time_stamps(file)
    return (
        len(paper_ids) == len(file.papers)
        and _is_date(file.date)
        and all(map(_ARXIV_ID.fullmatch, ids))
        and all(map(_TIMESTAMP.fullmatch, stamps))
        and all(_is_date(day) for day in {stamp[:10] for stamp in stamps})
        and not _stamp_problems(stamps)
        and not _taken_too_early(file.date, file.taken_at, file.window or None)
    )


def _time_stamps(snapshot: SnapshotFile | Snapshot) -> set[str]:
    """Every distinct time stamp a snapshot holds."""
    stamps = {snapshot.taken_at, *map(_observed_at, snapshot.mentions), *map(_created_at, snapshot.mentions)}
    if snapshot.window:
        stamps.update((snapshot.window.since, snapshot.window.until))
    stamps.update(status.fetched_at for status in snapshot.sources.values())
    stamps.update(stamp for paper in snapshot.papers for stamp in (paper.published, paper.updated))
    stamps.discard(None)
    return stamps


def _stamp_problems(stamps: set[str]) -> list[str]:
    """Time stamps outside the years 1000 to 9998: the schema allows them, but a post
    could not show them in every time zone (Python's dates end at 9999, and a year
    before 1000 loses its fourth digit)."""
    return [
        f"$: the time stamp {stamp!r} is outside the years 1000 to 9998"
        for stamp in sorted(stamps)
        if not "1000" <= stamp[:4] <= "9998"
    ]


def _taken_too_early(day: str, taken_at: str, window: Window | None) -> list[str]:
    """A snapshot taken before its day ended cannot hold the whole day, and its post,
    dated `taken_at`, would be dated before the end of the day it covers.

    The day ends where the snapshot's window ends, when it records one: that is the
    interval that was searched, in the time zone that was configured then. A file
    without a window (an import) does not say which zone its day is in, and the
    configured zone may have changed since, so the bound is the earliest end of that
    date anywhere on Earth, midnight at UTC+14: refused is only what is too early in
    every zone.
    """
    if window is not None:
        end, which = window.until, "its window's end"
    else:
        end, which = (
            f"{date.fromisoformat(day) + timedelta(days=1)}T00:00:00+14:00",
            "its earliest end in any time zone",
        )
    if parse_time(taken_at) >= parse_time(end):
        return []
    return [f"$.taken_at: {taken_at!r} is before the end of the day {day} ({which}, {end}): the day was not over yet"]


def snapshot_problems(data: Any) -> list[str]:
    """Every schema violation in `data`, as 'JSON path: message', in document order."""
    if isinstance(data, dict) and "schema" in data and data["schema"] != SCHEMA_ID:
        return [f"$.schema: unsupported snapshot schema {data['schema']!r} (this version reads {SCHEMA_ID!r})"]
    problems = [
        f"{error.json_path}: {_shortened(error)}"
        for error in sorted(_validator().iter_errors(data), key=lambda e: list(map(str, e.absolute_path)))
    ]
    if not problems:
        snapshot = Snapshot.from_dict(data)
        problems = (
            _duplicate_paper_problems(data["papers"])
            or _stamp_problems(_time_stamps(snapshot))
            or _taken_too_early(snapshot.date, snapshot.taken_at, snapshot.window)
        )
    return problems


_SHORT = reprlib.Repr()
_SHORT.maxlevel, _SHORT.maxstring, _SHORT.maxother = 2, 80, 80


def _shortened(error: Any) -> str:
    """jsonschema's message with the offending value cut short, so that a 10 MB string
    or a value nested a thousand deep still makes a one-line message."""
    full = repr(error.instance) if len(error.message) > 200 else ""
    return error.message.replace(full, _SHORT.repr(error.instance)) if full else error.message


def _duplicate_paper_problems(papers: list[dict[str, Any]]) -> list[str]:
    seen: set[str] = set()
    problems = []
    for index, paper in enumerate(papers):
        if paper["id"] in seen:
            problems.append(f"$.papers[{index}].id: duplicate paper id {paper['id']!r}")
        seen.add(paper["id"])
    return problems


def parse_snapshot(raw: bytes, source: str, advice: str = "") -> Snapshot:
    """Decode, validate and build a snapshot; `source` names it in error messages, which
    end with `advice` (what to do about a broken file, such as fetching the day again)."""
    snapshot = _decode(raw)
    if snapshot is not None:
        return snapshot
    try:
        data, problems = _read_and_check(raw)
    except SnapshotError as exc:
        raise SnapshotError(f"{source}: {exc.message}{advice}") from None
    if problems:
        more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
        raise SnapshotError(f"{source}: {problems[0]}{more}{advice}")
    return Snapshot.from_dict(data)


MAX_DIGITS = 20
"""The longest integer a snapshot may hold (as many as the largest 64-bit count). Longer
ones are refused before Python converts them, which it refuses past 4,300 digits."""


def _read_and_check(raw: bytes) -> tuple[Any, list[str]]:
    """The JSON in `raw` and its problems; a file that is not JSON at all raises."""
    try:
        data = json.loads(raw.decode("utf-8"), parse_float=_integral_as_int, parse_int=_bounded_int)
        json.dumps(data, ensure_ascii=False).encode("utf-8")
        return data, snapshot_problems(data)
    except UnicodeDecodeError:
        raise SnapshotError("not a snapshot (not UTF-8 text)") from None
    except json.JSONDecodeError as exc:
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


def load_snapshot(path: Path, day: str | None = None) -> Snapshot:
    snapshot = stored_snapshot(path, day)
    if snapshot is None:
        raise SnapshotError(f"{path}: no such snapshot")
    return snapshot


def stored_snapshot(path: Path, day: str | None = None) -> Snapshot | None:
    """The snapshot at `path`, or None when there is no such file. `day` says that the
    file is the site's stored snapshot of that day, which `build --refresh` replaces:
    the error for a broken one says so."""
    try:
        raw = _read_regular_file(path)
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise SnapshotError(f"{path}: cannot read ({exc.strerror or exc})") from None
    advice = f"; 'hotpapers build --date {day} --refresh' fetches the day again" if day else ""
    return parse_snapshot(raw, str(path), advice)


_KINDS = {stat.S_IFDIR: "a directory", stat.S_IFIFO: "a FIFO", stat.S_IFCHR: "a device", stat.S_IFBLK: "a device"}


def _read_regular_file(path: Path) -> bytes:
    """The bytes of a regular file. Anything else is refused: a FIFO would keep the
    build waiting for a writer, a device could send forever. It is opened without
    blocking, which is what lets the open of a FIFO return."""
    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    try:
        mode = os.fstat(fd).st_mode
        if not stat.S_ISREG(mode):
            kind = _KINDS.get(stat.S_IFMT(mode), "not a regular file")
            raise SnapshotError(f"{path}: not a snapshot file but {kind}")
        with open(fd, "rb", closefd=False) as handle:
            return handle.read()
    finally:
        os.close(fd)


def dump_snapshot(snapshot: Snapshot) -> str:
    """The stable, diff-friendly text of a snapshot: sorted, indented, UTF-8, one trailing
    newline. Only a text that reads back is returned."""
    text = json.dumps(snapshot.to_dict(), ensure_ascii=False, indent=2) + "\n"
    try:
        raw = text.encode("utf-8")
    except UnicodeEncodeError as exc:
        raise SnapshotError(
            f"refusing to write an invalid snapshot: it holds a lone surrogate ({text[exc.start : exc.end]!a})"
        ) from None
    if _decode(raw) is None:
        problems = snapshot_problems(json.loads(raw))
        if problems:
            raise SnapshotError(f"refusing to write an invalid snapshot: {problems[0]}")
    return text


def save_snapshot(snapshot: Snapshot, path: Path) -> None:
    write_atomically(path, dump_snapshot(snapshot), durable=True)
