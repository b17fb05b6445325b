"""Every problem of a config at once, found by walking the Struct declarations.

msgspec stops at the first error, so each key is converted on its own: a section is
walked key by key, a mapping entry by entry, and a plain key is converted alone (the
other keys keep their defaults). Unknown keys and values get a "did you mean".
"""

from __future__ import annotations

import json
import os
import re
import types
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Annotated, Any, Literal, Union, get_args, get_origin
from zoneinfo import ZoneInfo, available_timezones

import msgspec
from msgspec import Meta, Struct

from hotpapers.config_types import TYPE_NAME, Hook, type_in_words, written_as
from hotpapers.guesses import closest
from hotpapers.plural import listed
from hotpapers.sanitize import one_line
from hotpapers.sources.base import SWITCH, SourceSettings
from hotpapers.yaml_c import number_read_as_text

MAX_PROBLEMS = 10
MAX_PROBLEM_LENGTH = 200
_AT = re.compile(r"^(?P<text>.*) - at `\$(?P<where>.*)`$", re.DOTALL)
_PLACEHOLDER = re.compile(r"\{([A-Za-z_][A-Za-z0-9_]*(?:[:!][^{}]*)?)\}")  # `{date:%d %B}`: no format is read
_OWN_KEYS = {"post": " (a frontmatter field of your own is written in the site's own template: docs/post-format.md)"}
"""Where a key of the site's own goes, for an unknown key of a section that has such a place."""
_FIRST_STEP = re.compile(r"^(\.[^.\[]*|\[[^\]]*\])")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
"""What no path-like key may hold: a NUL cannot reach the OS, the others name no file anyone means."""
_USERINFO = re.compile(r"(?<=://)[^@\s]*@")
"""The user and password of an address (`https://ada:secret@host`, or `ada:se#cret@` written
unencoded): never shown."""


def file_inside(folder_key: str) -> Meta:
    """Marks a string key naming a file inside the folder `folder_key` (Path keys are checked
    by the hook): relative, and no `..` part, so that it cannot name a file elsewhere."""
    return Meta(extra={"path": True, "inside": folder_key})


def decode_hook(root: Path) -> Hook:
    """Reads the types msgspec does not know: a time zone by name, a path relative to `root`."""

    def hook(kind: type, value: Any) -> Any:
        if kind is ZoneInfo:
            if isinstance(value, str) and value and "\0" not in value:
                try:
                    return ZoneInfo(value)
                except (ValueError, KeyError, OSError):
                    pass
            raise ValueError(f"unknown time zone {short(value)}{_zone_hint(value)}")
        if kind is Path:
            if isinstance(value, str) and value and not _CONTROL.search(value):
                return _joined(root, value)
            raise ValueError(f"expected a non-empty path without control characters, got {short(value)}")
        raise NotImplementedError(kind)

    return hook


def _zone_hint(value: Any) -> str:
    """The zone a misspelt name or a city alone likely stands for; else what a zone's name
    looks like (an offset such as UTC+2, or an abbreviation such as CEST, is none)."""
    zones = [
        name for name in sorted(available_timezones()) if "/" in name and not name.startswith(("Etc/", "SystemV/"))
    ]
    by_city = {name.rsplit("/", 1)[1].lower(): name for name in zones}
    typed = value.strip().lower() if isinstance(value, str) else ""
    meant = by_city.get(typed) or closest(typed, zones, cutoff=0.8)
    return (
        f" (did you mean '{meant}'?)"
        if meant
        else " (a name of the tz database, such as Europe/Paris or America/New_York)"
    )


def _joined(root: Path, value: str) -> Path:
    """`value` under `root` (a leading `~/` is the home folder), its leading `..` taking `root`'s
    parent, so that messages show `content/posts` rather than `conf/../content/posts`. `root`
    is its config file's resolved folder: its parent is where `..` leads whatever links follow."""
    parts = Path(os.path.expanduser(value)).parts
    while parts and parts[0] == "..":
        root, parts = root.parent, parts[1:]
    return root.joinpath(*parts)


def config_problems(
    data: dict[str, Any], kind: type[Struct], hook: Hook, sources: dict[str, type[Struct]], found: Sequence[str] = ()
) -> str:
    """'' when `data` fits `kind` and nothing was `found` before, else the problems
    (`listed`), each named by its dotted key."""
    problems = [*found, *_problems(data, kind, "", hook, sources)]
    if not problems:
        return ""
    return listed([clip(problem, MAX_PROBLEM_LENGTH) for problem in problems], MAX_PROBLEMS)


def merge(base: dict[str, Any], override: dict[str, Any]) -> dict[str, Any]:
    """`override` merged into `base`, mapping by mapping."""
    for key, value in override.items():
        if isinstance(value, dict) and isinstance(base.get(key), dict):
            merge(base[key], value)
        else:
            base[key] = value
    return base


def _problems(
    data: dict[str, Any], kind: type[Struct], prefix: str, hook: Hook, sources: dict[str, type[Struct]]
) -> Iterator[str]:
    fields = {f.encode_name: f for f in msgspec.structs.fields(kind)}
    for key, value in data.items():
        where = f"{prefix}.{key_text(key)}" if prefix else key_text(key)
        if key not in fields:
            yield f"{where}: unknown key{_nested(key, value, fields) or did_you_mean(key, fields) or _OWN_KEYS.get(prefix, '')}"
            continue
        base, metas = unwrap(fields[key].type)
        if value is None and (_is_struct(base) or get_origin(base) is dict):
            yield _empty_section(where, key)
        elif _is_struct(base) and isinstance(value, dict):
            yield from _problems(value, base, where, hook, sources)
        elif get_origin(base) is dict and isinstance(value, dict):
            yield from _mapping_problems(value, base, where, hook, sources)
        else:
            yield from _value_problems({key: value}, kind, base, hook, where, metas)
            yield from _extra_problems(value, metas, where)


def _mapping_problems(
    data: dict[Any, Any], kind: Any, where: str, hook: Hook, sources: dict[str, type[Struct]]
) -> Iterator[str]:
    """A mapping entry by entry: its keys are a Literal's values, or the registered sources."""
    key_type, value_type = get_args(kind)
    is_sources = _is_struct(value_type) and issubclass(value_type, SourceSettings)
    names = tuple(sources) if is_sources else _literal(key_type)
    for name, item in data.items():
        entry = f"{where}.{key_text(name)}"
        if names is not None and name not in names:
            what = "source" if is_sources else "key"
            yield f"{entry}: unknown {what}{did_you_mean(name, names)} (known: {', '.join(names)})"
        elif is_sources and item is None:
            yield _empty_section(entry, name)
        elif is_sources and isinstance(item, dict):
            yield from _problems(item, sources[name], entry, hook, {})
        elif get_origin(value_type) is dict and isinstance(item, dict):
            yield from _mapping_problems(item, value_type, entry, hook, sources)
        else:
            yield from _value_problems({name: item}, kind, value_type, hook, entry, [SWITCH] if is_sources else None)


def _value_problems(
    data: dict[Any, Any], kind: Any, value_kind: Any, hook: Hook, where: str, metas: list[Meta] | None = None
) -> Iterator[str]:
    """Converts `data`, one key and its value, to `kind` (a Struct, or a mapping type)."""
    value = next(iter(data.values()))
    choices = _literal(value_kind)
    if choices is not None and isinstance(value, str) and value not in choices:
        yield f"{where}: {short(value)} is not one of {', '.join(choices)}{did_you_mean(value, choices)}"
        return
    try:
        msgspec.convert(data, kind, dec_hook=hook)
    except msgspec.ValidationError as exc:
        match = _AT.match(str(exc))
        text, inner = (match["text"], match["where"]) if match else (str(exc), "")
        rest = _FIRST_STEP.sub("", inner)
        text = TYPE_NAME.sub(type_in_words, text)
        expected = [m.extra["expected"] for m in metas or () if m.extra and "expected" in m.extra]
        if expected and " matching regex " in text and not rest:
            text = f"expected {expected[0]}"
        got = "" if rest or "got" in text or "time zone" in text else f" (got {short(value)})"
        hints = [
            f"; {hint}"
            for m in metas or ()
            for bad, hint in (m.extra or {}).get("hints", {}).items()
            if type(value) is type(bad) and value == bad
        ]
        if isinstance(value, str) and text.endswith("got a string") and (number := number_read_as_text(value)):
            hints.append(f"; YAML reads {value} as text: write {number}")
        hints += written_as(data, kind, hook)
        yield f"{where}{clip(rest, 40)}: {text[:1].lower()}{text[1:]}{got}{''.join(hints)}"


def _extra_problems(value: Any, metas: list[Meta], where: str) -> Iterator[str]:
    for meta in metas:
        extra = meta.extra or {}
        if extra.get("path") and isinstance(value, str) and _CONTROL.search(value):
            yield f"{where}: a path cannot hold control characters (got {short(value)})"
        if extra.get("inside") and isinstance(value, str):
            if _leaves_folder(value):
                yield f"{where}: {short(value)} must stay inside {extra['inside']}: a relative path without a '..' part"
            elif value.replace("\\", "/").rsplit("/", 1)[-1] in ("", "."):
                yield f"{where}: {short(value)} names a folder, not a file: end it with the file's name"
        if "placeholders" not in extra or not isinstance(value, str):
            continue
        allowed = extra["placeholders"]
        for name in dict.fromkeys(_PLACEHOLDER.findall(value)):
            if name not in allowed:
                options = " or ".join(f"{{{a}}}" for a in allowed)
                hint = did_you_mean(name, allowed, "{%s}")
                yield f"{where}: unknown placeholder {clip('{' + name + '}', 40)}{hint} (it may hold {options})"
        required = extra.get("required")
        if required and f"{{{required}}}" not in value:
            yield f"{where}: {short(value)} must contain {{{required}}}"


def _leaves_folder(name: str) -> bool:
    """Whether the path `name` names a file outside the folder it is joined to."""
    path = Path(name)
    return path.is_absolute() or ".." in path.parts


def _nested(key: Any, value: Any, fields: Any) -> str:
    """For a key written dotted as the docs name keys (`site.url`), one key to YAML: the nesting meant."""
    parts = key.split(".") if isinstance(key, str) else []
    if len(parts) < 2 or parts[0] not in fields or not all(parts):
        return ""
    nested = ": {".join(parts) + f": {json.dumps(value, default=str)}" + "}" * (len(parts) - 1)
    return f" (a dotted name is one key to YAML: nest it, {nested}, in the {parts[0]}: section if there is one)"


def did_you_mean(word: Any, options: Any, form: str = "'%s'") -> str:
    if not isinstance(word, str):
        return ""
    close = closest(word, [str(option) for option in options])
    return f" (did you mean {form % close}?)" if close else ""


def unwrap(kind: Any) -> tuple[Any, list[Meta]]:
    """The type without its Annotated layers and Optional, and the Metas found on the way."""
    metas: list[Meta] = []
    while True:
        if get_origin(kind) is Annotated:
            kind, *extra = get_args(kind)
            metas += [m for m in extra if isinstance(m, Meta)]
        elif get_origin(kind) in (Union, types.UnionType):
            options = [a for a in get_args(kind) if a is not type(None)]
            if len(options) != 1:
                return kind, metas
            kind = options[0]
        else:
            return kind, metas


def _literal(kind: Any) -> tuple[str, ...] | None:
    kind = unwrap(kind)[0]
    return get_args(kind) if get_origin(kind) is Literal else None


def _empty_section(where: str, name: Any) -> str:
    """A section line left with no key: in the file `init` writes, one whose keys are all
    still commented out, which YAML reads as null."""
    return (
        f"{where}: a section with no key (are the keys under it still commented out?): remove the '# ' in front "
        f"of those to set, or comment out `{key_text(name)}:` again"
    )


def _is_struct(kind: Any) -> bool:
    return isinstance(kind, type) and issubclass(kind, Struct)


def short(value: Any) -> str:
    """A value for a message: one line, at most 60 characters, safe for huge numbers, null as YAML's."""
    if isinstance(value, int) and not isinstance(value, bool) and value.bit_length() > 200:
        return f"a number of about {int(value.bit_length() * 0.30103)} digits"
    if isinstance(value, str):
        return clip(one_line(repr(_USERINFO.sub("***@", value))), 60)
    if isinstance(value, bytes | int | float | bool) or value is None:  # YAML's null, true and false for a YAML user
        return json.dumps(value) if value is None or isinstance(value, bool) else clip(one_line(repr(value)), 60)
    return f"a {type(value).__name__}"


def key_text(key: Any) -> str:
    """A key for a message: as written when it is a short printable string, else quoted and cut short."""
    return key if isinstance(key, str) and key.isprintable() and len(key) <= 60 else short(key)


def clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 3] + "..."
