"""Where a Hugo site's config lives, and reading one of its files: the site's config file
(hugo.*, config.*), the files of its config folder that `hugo` merges with it in the
production environment, and any config file parsed as its suffix says (TOML, YAML, JSON),
its keys lowered as Hugo reads them: declared here once for site.py, site_address.py and
hugo_permalinks.py. A file that is there but cannot be read as its format (not UTF-8,
invalid TOML, YAML or JSON) raises UnreadableConfig; each caller says what that means."""

from __future__ import annotations

import json
import re
import tomllib
from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml

from hotpapers.regular_file import SITE_FILE_MAX_BYTES, NotRegularFile, read_regular_file, site_file_text
from hotpapers.yaml_c import load_yaml

_PARSERS: dict[str, Callable[[str], Any]] = {
    ".toml": tomllib.loads,
    ".yaml": load_yaml,
    ".yml": load_yaml,
    ".json": json.loads,
}
"""How a config file of each suffix is parsed."""
_HUGO_NAMES = tuple(f"hugo{suffix}" for suffix in _PARSERS)
_CONFIG_NAMES = tuple(f"config{suffix}" for suffix in _PARSERS)
FILE_NAMES = (*_HUGO_NAMES, *_CONFIG_NAMES)
"""Hugo's config file names, in the order it picks one from a folder."""
PRODUCTION_FOLDERS = ("config/_default", "config/production")
"""The folders of the config folder that `hugo` merges with the config file: _default/ and
production/ (the environment it builds in), not development/ (`hugo server`) or another
environment's, whose files are not what the site publishes with."""
_BASE_URL = re.compile(r"""^\s*["']?baseurl["']?\s*[:=]""", re.IGNORECASE | re.MULTILINE)


class UnreadableConfig(Exception):
    """A config file that is there but cannot be read as its format: not UTF-8, or not
    valid TOML, YAML or JSON."""


def hugo_config(folder: Path) -> Path | None:
    """The Hugo site's config file in `folder`: hugo.*, else a config.* that sets baseURL,
    else the hugo.* or config.* of its config folder, config/_default/, where a site may
    keep all its settings."""
    for name in _HUGO_NAMES:
        if (folder / name).is_file():
            return folder / name
    for name in _CONFIG_NAMES:
        if _sets_base_url(folder / name):
            return folder / name
    default = folder / PRODUCTION_FOLDERS[0]
    for name in FILE_NAMES:
        if (default / name).is_file():
            return default / name
    return None


def writes_no_page(folder: Path) -> bool:
    """Whether Hugo makes no page of a post in the site at `folder`: its config names no theme
    (`theme`, nor a `module` importing one) and its layouts/ holds no file, as in a site that
    `hugo new site` has just made (Hugo warns `found no layout file`); False when unsure."""
    try:
        if any(config_value(path, key) for path in hugo_config_files(folder) for key in ("theme", "module")):
            return False
    except UnreadableConfig:
        return False
    layouts = folder / "layouts"
    return not (layouts.is_dir() and any(path.is_file() for path in layouts.rglob("*")))


def _sets_base_url(path: Path) -> bool:
    """Whether the config file at `path` sets baseURL: a line of it starts with the key, or
    the document of a JSON one, which may be a single line, holds the key."""
    text = site_file_text(path)
    if path.suffix == ".json":
        try:
            return "baseurl" in lowered(parse_config(text, ".json"))
        except UnreadableConfig:
            pass  # not JSON: its lines, as before
    return bool(_BASE_URL.search(text))


def hugo_config_files(folder: Path) -> list[Path]:
    """The files of the Hugo site's config in `folder`: its config file and its config folder's."""
    return list(dict.fromkeys([*filter(None, [hugo_config(folder)]), *_config_folder_files(folder)]))


def _config_folder_files(folder: Path) -> list[Path]:
    """The files of Hugo's config folder (config/_default/hugo.toml, ...) that it merges with
    its config file when `hugo` builds the site (PRODUCTION_FOLDERS)."""
    return sorted(path for where in PRODUCTION_FOLDERS for path in (folder / where).rglob("*") if path.is_file())[:200]


def config_text(path: Path) -> str | None:
    """The text of the config file at `path` (its first SITE_FILE_MAX_BYTES), None when no
    regular file can be read there; UnreadableConfig when it is not UTF-8."""
    try:
        return read_regular_file(path, max_bytes=SITE_FILE_MAX_BYTES).decode("utf-8")  # a FIFO would wait for ever
    except (OSError, NotRegularFile):
        return None
    except UnicodeDecodeError:
        raise UnreadableConfig from None


def parse_config(text: str, suffix: str) -> Any:
    """The document in the `text` of a config file whose name ends with `suffix` ('.toml'),
    parsed as that says; None for a suffix of no config format; UnreadableConfig when it
    fails to parse."""
    parse = _PARSERS.get(suffix.lower())  # Hugo 0.111.3 read config/_default/permalinks.TOML too
    try:
        return parse(text) if parse else None
    # TOMLDecodeError and JSON's are ValueErrors; json and tomllib recurse into nested values
    except (ValueError, yaml.YAMLError, RecursionError):
        raise UnreadableConfig from None


def config_document(path: Path) -> Any:
    """The document in the config file at `path` (config_text, parse_config)."""
    text = config_text(path)
    return None if text is None else parse_config(text, path.suffix)


def config_value(path: Path, key: str) -> Any:
    """The value the Hugo config file at `path` gives `key` (lower case): a file of the whole
    config (hugo.*, config.*) holds it under that key, a file of the config folder named
    after it (permalinks.toml) is it; None for another key's file (params.toml) or a file
    that never names the key, which is not parsed (a broken one is no concern of the key's);
    UnreadableConfig when one that may hold it cannot be read as its format."""
    stem = path.stem.lower()
    if stem not in (key, "hugo", "config"):
        return None
    text = config_text(path)
    if text is None or (stem != key and key not in text.lower()):
        return None
    document = parse_config(text, path.suffix)
    return document if stem == key else lowered(document).get(key)


def lowered(table: Any) -> dict[str, Any]:
    """A mapping's keys in lower case, as Hugo reads them; {} for anything else."""
    return {str(key).lower(): value for key, value in table.items()} if isinstance(table, dict) else {}
