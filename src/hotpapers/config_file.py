"""Reading a config file: bounded in size, YAML without aliases, and not another tool's.

Many Hugo sites keep their own settings in `config.yaml`; such a file is refused with
a pointer to `hotpapers.yaml` instead of a list of its keys as unknown.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml

from hotpapers.config_check import clip, key_text, short
from hotpapers.errors import ConfigError, shown_path
from hotpapers.models import SCHEMA_ID
from hotpapers.regular_file import NotRegularFile, TooLarge, read_regular_file
from hotpapers.sanitize import one_line
from hotpapers.yaml_c import NumberTooLong, Repeat, load_plain_yaml

MAX_BYTES = 256 * 1024
"""Fifty times the bundled config: a larger file is no settings file anyone wrote, and only costs time to parse."""
OTHER_TOOLS_KEYS = {"baseURL", "baseurl", "languageCode", "theme", "permalink", "permalinks", "markup", "params"}
"""Top-level keys of Hugo's and Jekyll's settings, which a hotpapers config never has."""


def default_config_path(cwd: Path) -> Path | None:
    """`hotpapers.yaml` in `cwd`, else its `config.yaml` (refused later if another tool's), else None."""
    for name in ("hotpapers.yaml", "config.yaml"):
        if (cwd / name).is_file():
            return cwd / name
    return None


def config_above(cwd: Path, known: set[str]) -> Path | None:
    """The nearest site config in a folder above `cwd`, where none is in `cwd`: a command run
    in a subfolder of a site (its content/, say), which the built-in defaults would build as
    a site of its own. A `hotpapers.yaml`, or a `config.yaml` holding hotpapers' settings
    (keys of `known`, the top-level ones it reads, and not another tool's, as Hugo's)."""
    for folder in cwd.parents:
        try:
            if (folder / "hotpapers.yaml").is_file():
                return folder / "hotpapers.yaml"
            if (folder / "config.yaml").is_file() and _holds_ours(folder / "config.yaml", known):
                return folder / "config.yaml"
        except OSError:  # a folder above that cannot be searched
            return None
    return None


def _holds_ours(path: Path, known: set[str]) -> bool:
    try:
        mapping = read_yaml_mapping(path)
    except ConfigError:  # unreadable: no config anyone can build with
        return False
    return any(_ours(key, known) for key in mapping) and not another_tools(mapping, known)


def read_mapping(path: Path, known: set[str]) -> tuple[dict[str, Any], list[str], str]:
    """The mapping in the YAML file `path`, a problem for each key it repeats (whose
    values but the last YAML drops), and the file's text; `known` are the top-level keys
    hotpapers reads."""
    mapping, repeated, text = read_yaml(path)
    if mapping.get("schema") == SCHEMA_ID:
        raise ConfigError(
            f"{shown_path(path)}: this is a snapshot (a day's fetched facts), not settings; give --config the "
            "site's hotpapers.yaml, and a snapshot to the commands that read one (`hotpapers render SNAPSHOT`)"
        )
    if path.name != "hotpapers.yaml" and another_tools(mapping, known):
        keys = ", ".join(key_text(key) for key in list(mapping)[:3])
        raise ConfigError(
            f"{shown_path(path)}: these are another tool's settings ({keys}, ...), not hotpapers'; "
            "put hotpapers' settings in hotpapers.yaml next to it (`hotpapers init` writes one)"
        )
    return mapping, [repeat_problem(*repeat) for repeat in repeated], text


def repeat_problem(key: str, first: int, line: int) -> str:
    where = f"repeated at line {line} (first at line {first})" if line != first else f"given twice on line {line}"
    return f"{key_text(key)}: {where}; YAML keeps only the last, so merge them"


def read_yaml_mapping(path: Path) -> dict[str, Any]:
    return read_yaml(path)[0]


def read_yaml(path: Path) -> tuple[dict[str, Any], list[Repeat], str]:
    """The mapping in the YAML file `path`, its repeated keys (`yaml_c.load_plain_yaml`) and its text."""
    shown = shown_path(path)
    try:
        data = read_regular_file(path, max_bytes=MAX_BYTES, refuse_larger=True)
        text = data.decode("utf-8")
    except TooLarge:
        raise ConfigError(f"{shown}: the config is larger than {MAX_BYTES // 1024} KiB") from None
    except NotRegularFile as exc:
        raise ConfigError(f"{shown}: the config is {exc.kind}, not a regular file") from None
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise ConfigError(
            f"{shown}: the config is not UTF-8 text (byte 0x{data[exc.start]:02x} on line {line}): save it as UTF-8"
        ) from None
    except OSError as exc:
        raise ConfigError(f"{shown}: cannot read it ({exc.strerror or exc})") from None
    try:
        mapping, repeated = load_plain_yaml(text)
    except NumberTooLong as exc:
        raise ConfigError(f"{shown}: {clip(one_line(exc.problem), 200)}") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        reason = clip(one_line(str(getattr(exc, "problem", None) or exc)), 120)
        reason = _tab_said(text, mark, reason) if mark else reason
        raise ConfigError(f"{shown}: not valid YAML{where}: {reason}{key_under_commented_section(text)}") from None
    if mapping is None:
        return {}, [], text
    if not isinstance(mapping, dict):
        raise ConfigError(f"{shown}: the config must be a mapping of keys, not {short(mapping)}")
    return mapping, repeated, text


def _tab_said(text: str, mark: Any, reason: str) -> str:
    """The reason of a YAML error at `mark`, saying when the character there is a tab (libyaml
    says only "found character that cannot start any token")."""
    lines = text.splitlines()
    line = lines[mark.line] if mark.line < len(lines) else ""
    return "a tab, where YAML wants spaces" if line[mark.column : mark.column + 1] == "\t" else reason


def another_tools(mapping: dict[Any, Any], known: set[str]) -> bool:
    ours = [key for key in mapping if _ours(key, known)]
    others = [key for key in mapping if not _ours(key, known)]
    return bool(others) and (not ours or bool(OTHER_TOOLS_KEYS.intersection(map(str, others))))


def _ours(key: Any, known: set[str]) -> bool:
    """A top-level key of hotpapers' (`known`), or one such written dotted, as the docs name
    keys (`sources.NAME.enabled`), which the config check tells how to nest."""
    return key in known or (isinstance(key, str) and key.split(".", 1)[0] in known)


_SECTION_COMMENT = re.compile(r"( *)# ?([A-Za-z_]\w*):\s*")


def key_under_commented_section(text: str) -> str:
    """Advice to add to an error when a key is indented under a section line that is still
    commented out (`  url: ...` below `# site:`): YAML then puts the key in the section
    above it, or fails. Empty when there is none."""
    section: tuple[int, str, int] | None = None  # indentation, name and line of a `# name:`
    for number, line in enumerate(text.splitlines(), start=1):
        body = line.lstrip(" ")
        header = _SECTION_COMMENT.fullmatch(line)
        if header:
            section = (len(header[1]), header[2], number)
        elif body and not body.startswith("#"):
            if section and len(line) - len(body) > section[0]:
                key, name = clip(one_line(body.split(":", 1)[0]), 40), section[1]
                return (
                    f"; line {number} ({key}) is indented under `# {name}:` (line {section[2]}), which is "
                    f"commented out: remove the '# ' in front of `{name}:` too"
                )
            section = None
    return ""
