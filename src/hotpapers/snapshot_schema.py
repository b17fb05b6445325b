"""What a snapshot file may hold. The truth is one validator: jsonschema with the
packaged JSON Schema (`schema/snapshot.schema.json`), which names every problem with its
JSON path. Beyond the schema: no count (or version) above models.MAX_COUNT, no paper id
twice, time stamps in the years 1000 to 9998, and the rules of its day (snapshot_day.py).

Running jsonschema on every file read would dominate a re-render of many days, so a
file is first decoded by msgspec straight into the model's Structs (models.py), whose
annotations, with the distinct-value checks below, accept a subset of what the schema
accepts (tests/test_snapshot_agreement.py checks that they never accept more). A file
they accept is valid; any other goes to jsonschema, which names its problems or accepts
it after all (a `ftp:` URL, a count written `3.0`). So msgspec never refuses a file on
its own, and the gains that keep it are in benchmarks/README.md.
"""

from __future__ import annotations

import json
import re
import reprlib
from collections.abc import Iterator
from datetime import date
from importlib import resources
from typing import Any, Literal
from urllib.parse import quote

import msgspec
from jsonschema import Draft202012Validator, FormatChecker, ValidationError, validators
from rfc3339_validator import validate_rfc3339
from rfc3986_validator import validate_rfc3986

from hotpapers.models import (
    ARXIV_ID_PATTERN,
    DAY_PATTERN,
    MAX_COUNT,
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
)
from hotpapers.snapshot_day import time_problems
from hotpapers.snapshot_guesses import key_guesses, missing_for_a_guess, with_guess

_DATE = re.compile(DAY_PATTERN, re.ASCII)


def is_date(value: str) -> bool:
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
    "date": _format(is_date),
    "date-time": _format(validate_rfc3339),
    "uri": _format(lambda value: validate_rfc3986(value, rule="URI")),
}


def _whole_string_pattern(validator: Any, pattern: str, instance: Any, schema: Any) -> Iterator[Any]:
    """The `pattern` keyword as JSON Schema means it (ECMA 262): `$` is the end of the
    string and `\\d` an ASCII digit. jsonschema uses Python's regexes, where `$` also
    matches before a final line break and `\\d` any script's digits. The schema's
    patterns are anchored with `^...$`, so an ASCII full match is the ECMA test."""
    if validator.is_type(instance, "string") and not re.fullmatch(pattern, instance, re.ASCII):
        yield ValidationError(f"{instance!r} is not {_PATTERN_WORDS[pattern]}")


def _format_in_words(validator: Any, format: str, instance: Any, schema: Any) -> Iterator[Any]:
    """The `format` keyword, its failure said as what the value should look like."""
    if not validator.format_checker.conforms(instance, format):
        yield ValidationError(f"{instance!r} is not {_FORMAT_WORDS[format]}{_uri_hint(instance, format)}")


_AT_DID = re.compile(r"at://did:\S*")


_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*://")
"""A URL's scheme and `//`: a word and a colon alone (`Paper: https://...`) start no address whose characters the hint may name."""
_NOT_IN_URI = re.compile(r"[^A-Za-z0-9._~:/?#\[\]@!$&'()*+,;=%-]")


def _uri_hint(value: Any, format: str) -> str:
    """For a URI refused: an AT URI whose authority is a DID (`at://did:plc:...`, the form of a
    post's URI in AT Protocol APIs), which no `uri` format accepts (the DID's `:` starts a
    port), or an address (`scheme://`) holding a character no URI may (`ü`, a space, as a
    browser's address bar shows them): why, and what to give instead; '' otherwise."""
    if format != "uri" or not isinstance(value, str):
        return ""
    if _AT_DID.fullmatch(value):
        return " (a DID after at:// reads as a host and a port: give the post's https:// address, docs/snapshot.md)"
    if _SCHEME.match(value) and (character := _NOT_IN_URI.search(value)):
        return f" ({character[0]!r} cannot stand in a URI: write it percent-encoded, {quote(character[0])})"
    return ""


_FORMAT_WORDS = {
    "date": "a day of the calendar written YYYY-MM-DD",
    "date-time": "a time stamp written as 2020-09-25T08:00:47Z or with an offset, as 2020-09-25T10:00:47+02:00",
    "uri": "a URI with its scheme, such as https://arxiv.org/abs/2009.11243",
}


_PATTERN_WORDS = {
    ARXIV_ID_PATTERN: "an arXiv id as the schema has it: no version and no prefix, such as 2009.11243 or "
    "hep-th/9901001 (a paper's version goes in `version`)",
    DAY_PATTERN: "a day written YYYY-MM-DD",
}
"""The schema's patterns in words, for the error an importer reads."""


def packaged_schema() -> dict[str, Any]:
    return json.loads(resources.files("hotpapers").joinpath("schema/snapshot.schema.json").read_text("utf-8"))


def _validator() -> Any:
    checker = FormatChecker(formats=())
    for name, check in FORMATS.items():
        checker.checks(name)(check)
    validator = validators.extend(Draft202012Validator, {"pattern": _whole_string_pattern, "format": _format_in_words})
    return validator(packaged_schema(), format_checker=checker)


_VALIDATOR = _validator()


class SnapshotFile(Record, frozen=True, kw_only=True):
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


def decode_fast(raw: bytes) -> Snapshot | None:
    """The snapshot in `raw` when the model's types and the distinct-value checks accept
    it, else None: then `snapshot_problems` decides."""
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
    value checked once (models.ArxivId), no paper id repeats, the date is a day of the
    calendar, and the rules beyond the schema hold."""
    paper_ids = {paper.id for paper in file.papers}
    ids = paper_ids.union(paper_id for mention in file.mentions for paper_id in mention.paper_ids)
    stamps = _time_stamps(file)
    return (
        len(paper_ids) == len(file.papers)
        and is_date(file.date)
        and all(map(_ARXIV_ID.fullmatch, ids))
        and all(map(_TIMESTAMP.fullmatch, stamps))
        and all(is_date(day) for day in {stamp[:10] for stamp in stamps})
        and not _stamp_problems(stamps)
        and not time_problems(file.date, file.taken_at, file.window or None)
    )


def _time_stamps(snapshot: SnapshotFile | Snapshot) -> set[str]:
    """Every distinct time stamp a snapshot holds."""
    stamps: set[str | None] = {snapshot.taken_at}
    stamps.update(stamp for mention in snapshot.mentions for stamp in (mention.observed_at, mention.created_at))
    if snapshot.window:
        stamps.update((snapshot.window.since, snapshot.window.until))
    stamps.update(status.fetched_at for status in snapshot.sources.values())
    stamps.update(stamp for paper in snapshot.papers for stamp in (paper.published, paper.updated))
    return {stamp for stamp in stamps if stamp is not None}


def _stamp_problems(stamps: set[str]) -> list[str]:
    """Time stamps outside the years 1000 to 9998: the schema allows them, but a post
    could not show them in every time zone (Python's dates end at 9999, and a year
    before 1000 loses its fourth digit)."""
    return [
        f"$: the time stamp {stamp!r} is outside the years 1000 to 9998"
        for stamp in sorted(stamps)
        if not "1000" <= stamp[:4] <= "9998"
    ]


def snapshot_problems(data: Any) -> list[str]:
    """Every schema violation in `data`, as 'JSON path: message', in document order;
    when there is none, the first rule beyond the schema that `data` breaks."""
    if isinstance(data, dict) and "schema" in data and data["schema"] != SCHEMA_ID:
        return [f"$.schema: unsupported snapshot schema {data['schema']!r} (this version reads {SCHEMA_ID!r})"]
    errors = sorted(_VALIDATOR.iter_errors(data), key=_document_order)
    worded = {error.json_path for error in errors if error.validator == "pattern"}
    guessed = {(error.json_path, guess) for error in errors for guess in key_guesses(error).values()}
    problems = [
        f"{error.json_path}: {with_guess(error, _shortened(error), _VALIDATOR.evolve)}"
        for error in errors
        if (error.validator != "format" or error.json_path not in worded)  # said once, in words
        and not missing_for_a_guess(error, guessed)
    ]
    if not problems:
        snapshot = Snapshot.from_dict(data)
        problems = (
            _count_problems(data)
            or _duplicate_paper_problems(data["papers"])
            or _stamp_problems(_time_stamps(snapshot))
            or time_problems(snapshot.date, snapshot.taken_at, snapshot.window)
        )
    return problems


def _document_order(error: Any) -> tuple[list[str], int]:
    """By JSON path; at one path an unexpected key first, since it is the likely cause of a
    required key missing there (a misspelt name). (A pattern and the format it also breaks
    are said once, in words, by snapshot_problems.)"""
    return list(map(str, error.absolute_path)), error.validator != "additionalProperties"


_SHORT = reprlib.Repr()
_SHORT.maxlevel, _SHORT.maxstring, _SHORT.maxother = 2, 80, 80


def _shortened(error: Any) -> str:
    """jsonschema's message with the offending value cut short, so that a 10 MB string
    or a value nested a thousand deep still makes a one-line message, and with JSON's
    `true`, `false` and `null` where it wrote Python's `True`, `False` and `None`."""
    value = error.instance
    if value is None or isinstance(value, bool):
        return error.message.replace(repr(value), json.dumps(value), 1)
    if len(error.message) <= 200:
        return error.message
    return error.message.replace(repr(value), _SHORT.repr(value))


_BOUNDED = {
    "papers": ("version",),
    "mentions": ("reposts", "likes", "replies", "quotes"),
    "sources": ("requests", "items"),
}
"""The integers of a snapshot, where the schema has no maximum but the model has one."""


def _count_problems(data: dict[str, Any]) -> list[str]:
    problems = []
    for where, fields in _BOUNDED.items():
        records = data.get(where, {})
        for key, record in records.items() if isinstance(records, dict) else enumerate(records):
            path = f"$.{where}.{key}" if isinstance(key, str) else f"$.{where}[{key}]"
            problems += [
                f"{path}.{name}: {_SHORT.repr(record[name])} is greater than the maximum of {MAX_COUNT}"
                for name in fields
                if record.get(name) is not None and record[name] > MAX_COUNT
            ]
    return problems


def _duplicate_paper_problems(papers: list[dict[str, Any]]) -> list[str]:
    seen: set[str] = set()
    problems = []
    for index, paper in enumerate(papers):
        if paper["id"] in seen:
            problems.append(f"$.papers[{index}].id: duplicate paper id {paper['id']!r}")
        seen.add(paper["id"])
    return problems
