"""Reading and writing snapshot files, checked against the packaged JSON Schema.

Every snapshot read or written is validated, so a corrupt or hand-edited file is
reported with its path and the JSON path of the problem instead of surfacing later as
a broken post. A validator compiled by fastjsonschema checks every file (about 20
times faster than jsonschema, which matters when re-rendering years of days); only a
file that fails is checked again by jsonschema, for its complete, precise report.
Both use the same format checks.
"""

from __future__ import annotations

import json
import re
from datetime import date
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import fastjsonschema
from jsonschema import Draft202012Validator, FormatChecker
from rfc3339_validator import validate_rfc3339
from rfc3986_validator import validate_rfc3986

from hotpapers.atomic import write_atomically
from hotpapers.errors import SnapshotError
from hotpapers.models import SCHEMA_ID, Snapshot


_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def _is_date(value: str) -> bool:
    try:
        return bool(_DATE.match(value)) and bool(date.fromisoformat(value))
    except ValueError:
        return False


def _strings_only(check: Any) -> Any:
    """Formats apply to strings; other types are the `type` keyword's business."""
    return lambda value: not isinstance(value, str) or bool(check(value))


FORMATS = {
    "date": _strings_only(_is_date),
    "date-time": _strings_only(validate_rfc3339),
    "uri": _strings_only(lambda value: validate_rfc3986(value, rule="URI")),
}


def _schema() -> dict[str, Any]:
    return json.loads(resources.files("hotpapers").joinpath("schema/snapshot.schema.json").read_text("utf-8"))


@cache
def _validator() -> Draft202012Validator:
    checker = FormatChecker(formats=())
    for name, check in FORMATS.items():
        checker.checks(name)(check)
    return Draft202012Validator(_schema(), format_checker=checker)


@cache
def _fast_validator() -> Any:
    return fastjsonschema.compile({**_schema(), "$schema": "http://json-schema.org/draft-07/schema#"}, formats=FORMATS)


def snapshot_problems(data: Any) -> list[str]:
    """Every schema violation in `data`, as 'JSON path: message', in document order."""
    if isinstance(data, dict) and "schema" in data and data["schema"] != SCHEMA_ID:
        return [f"$.schema: unsupported snapshot schema {data['schema']!r} (this version reads {SCHEMA_ID!r})"]
    try:
        _fast_validator()(data)
    except fastjsonschema.JsonSchemaException:
        pass
    else:
        return _duplicate_paper_problems(data["papers"])
    problems = [
        f"{error.json_path}: {error.message}"
        for error in sorted(_validator().iter_errors(data), key=lambda e: list(map(str, e.absolute_path)))
    ]
    if not problems:
        problems = _duplicate_paper_problems(data["papers"])
    return problems


def _duplicate_paper_problems(papers: list[dict[str, Any]]) -> list[str]:
    seen: set[str] = set()
    problems = []
    for index, paper in enumerate(papers):
        if paper["id"] in seen:
            problems.append(f"$.papers[{index}].id: duplicate paper id {paper['id']!r}")
        seen.add(paper["id"])
    return problems


def parse_snapshot(raw: bytes, source: str) -> Snapshot:
    """Decode, validate and build a snapshot; `source` names it in error messages."""
    try:
        data = json.loads(raw.decode("utf-8"))
    except UnicodeDecodeError:
        raise SnapshotError(f"{source}: not a snapshot (not UTF-8 text)") from None
    except json.JSONDecodeError as exc:
        raise SnapshotError(f"{source}: not valid JSON ({exc.msg} at line {exc.lineno}, column {exc.colno})") from None
    problems = snapshot_problems(data)
    if problems:
        more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
        raise SnapshotError(f"{source}: {problems[0]}{more}")
    return Snapshot.from_dict(data)


def load_snapshot(path: Path) -> Snapshot:
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise SnapshotError(f"{path}: no such snapshot") from None
    except OSError as exc:
        raise SnapshotError(f"{path}: cannot read ({exc.strerror or exc})") from None
    return parse_snapshot(raw, str(path))


def dump_snapshot(snapshot: Snapshot) -> str:
    """The stable, diff-friendly text of a snapshot: sorted, indented, UTF-8, one trailing newline."""
    data = snapshot.to_dict()
    problems = snapshot_problems(data)
    if problems:
        raise SnapshotError(f"refusing to write an invalid snapshot: {problems[0]}")
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def save_snapshot(snapshot: Snapshot, path: Path) -> None:
    write_atomically(path, dump_snapshot(snapshot), durable=True)
