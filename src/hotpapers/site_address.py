"""The address a site's own config gives it, which `init` offers for site.url: a Hugo
site's `baseURL`, a Jekyll site's `url` and `baseurl`. Each file is parsed as what it is
(TOML, YAML, JSON); a file that cannot be read or parsed, settings that disagree, a
placeholder (`hugo new site` writes https://example.org/) or a value site.url would refuse
offer nothing: init then asks for the address as before."""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import msgspec

from hotpapers.config import Site
from hotpapers.hugo_config import UnreadableConfig, config_document, config_value, hugo_config_files

_PLACEHOLDERS = frozenset({"example.com", "example.net", "example.org", "localhost", "127.0.0.1", "::1"})


def site_address(folder: Path, profile: str) -> tuple[str, str] | None:
    """(address, what it is, for the user) for the site in `folder` built with `profile`,
    such as ('https://lab.org/blog', 'your Jekyll url and baseurl in _config.yml'); None
    when its config gives none for sure."""
    if profile == "hugo":
        found: dict[str, str] = {}
        for path in hugo_config_files(folder):  # the production environment's, which `hugo` builds with
            try:
                base = config_value(path, "baseurl")
            except UnreadableConfig:
                continue
            if isinstance(base, str) and (address := _usable(base)):
                found.setdefault(address, path.relative_to(folder).as_posix())
        if len(found) != 1:
            return None
        address, file = found.popitem()
        return address, f"your Hugo baseURL in {file}"
    if profile == "jekyll":
        settings = _parsed(folder / "_config.yml")
        url, base = (settings.get(key) if isinstance(settings, dict) else None for key in ("url", "baseurl"))
        if not isinstance(url, str) or not isinstance(base, str | None):
            return None
        address = _usable(url.rstrip("/") + ("/" + base.strip("/") if base else ""))  # _usable drops a last /
        return (address, "your Jekyll url and baseurl in _config.yml") if address else None
    return None


def _parsed(path: Path) -> Any:
    """The document in the config file at `path`, or None when it cannot be read as its format."""
    try:
        return config_document(path)
    except UnreadableConfig:
        return None


def _usable(address: str) -> str | None:
    """`address` without its trailing '/', when site.url takes it (no user or password, which
    init would print) and it names a host that is no placeholder."""
    address = address.strip().rstrip("/")
    try:
        parts = urlsplit(address)
        msgspec.convert({"url": address}, Site)
    except (ValueError, msgspec.ValidationError):
        return None
    host = (parts.hostname or "").removeprefix("www.")
    if not host or host in _PLACEHOLDERS or host.endswith((".example", ".localhost")):
        return None
    return address
