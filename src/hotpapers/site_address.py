"""The address a site's own config gives it, which `init` offers for site.url: a Hugo
site's `baseURL`, a Jekyll site's `url` and `baseurl`. Each file is parsed as what it is
(TOML, YAML, JSON); a file that cannot be read or parsed, settings that disagree, a
placeholder (`hugo new site` writes https://example.org/) or a value site.url would refuse
offer nothing: init then asks for the address as before."""

from __future__ import annotations

import json
import tomllib
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import msgspec
import yaml

from hotpapers.config import Site
from hotpapers.regular_file import SITE_FILE_MAX_BYTES, NotRegularFile, read_regular_file
from hotpapers.yaml_c import load_yaml

_HUGO_FILES = tuple(f"{stem}.{suffix}" for stem in ("hugo", "config") for suffix in ("toml", "yaml", "yml", "json"))
"""Hugo's config file names, in the order it picks one from a folder."""
_HUGO_FOLDERS = (".", "config/_default", "config/production")
"""Where a site's baseURL for `hugo` (the production environment) may be set; the files of
other environments' folders are not what the site publishes with."""
_PLACEHOLDERS = frozenset({"example.com", "example.net", "example.org", "localhost", "127.0.0.1", "::1"})


def site_address(folder: Path, profile: str) -> tuple[str, str] | None:
    """(address, what it is, for the user) for the site in `folder` built with `profile`,
    such as ('https://lab.org/blog', 'your Jekyll url and baseurl in _config.yml'); None
    when its config gives none for sure."""
    if profile == "hugo":
        found: dict[str, str] = {}
        for where in _HUGO_FOLDERS:
            name = next((name for name in _HUGO_FILES if (folder / where / name).is_file()), None)
            base = _lowered(_parsed(folder / where / name)).get("baseurl") if name else None
            if isinstance(base, str) and (address := _usable(base)):
                found.setdefault(address, Path(where, name or "").as_posix())
        if len(found) != 1:
            return None
        address, file = found.popitem()
        return address, f"your Hugo baseURL in {file}"
    if profile == "jekyll":
        settings = _parsed(folder / "_config.yml")
        url, base = (settings.get(key) if isinstance(settings, dict) else None for key in ("url", "baseurl"))
        if not isinstance(url, str) or not isinstance(base, str | None):
            return None
        address = _usable(url.rstrip("/") + ("/" + base.strip("/") if base and base.strip("/") else ""))
        return (address, "your Jekyll url and baseurl in _config.yml") if address else None
    return None


def _parsed(path: Path) -> Any:
    """The document in the config file at `path`, or None when it cannot be read as its format."""
    try:
        text = read_regular_file(path, SITE_FILE_MAX_BYTES).decode("utf-8")
        if path.suffix == ".toml":
            return tomllib.loads(text)
        if path.suffix == ".json":
            return json.loads(text)
        return load_yaml(text)
    except (
        OSError,
        NotRegularFile,
        ValueError,
        yaml.YAMLError,
    ):  # TOMLDecodeError, JSON's and Unicode's are ValueErrors
        return None


def _lowered(table: Any) -> dict[str, Any]:
    """A mapping's keys in lower case, as Hugo reads them; {} for anything else."""
    return {str(key).lower(): value for key, value in table.items()} if isinstance(table, dict) else {}


def _usable(address: str) -> str | None:
    """`address` without its trailing '/', when site.url takes it (no user or password, which
    init would print) and it is no placeholder."""
    address = address.strip().rstrip("/")
    try:
        parts = urlsplit(address)
        msgspec.convert({"url": address}, Site)
    except (ValueError, msgspec.ValidationError):
        return None
    host = (parts.hostname or "").removeprefix("www.")
    if host in _PLACEHOLDERS or host.endswith((".example", ".localhost")):
        return None
    return address
