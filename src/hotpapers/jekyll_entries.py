"""Whether Jekyll publishes a file of its site: the rules of its reader (Jekyll 4's
EntryFilter) for each folder down to the file, with the `exclude` and `include` of the
site's config, so `check` names only a post the site serves."""

from __future__ import annotations

import os
from fnmatch import fnmatchcase
from pathlib import Path
from typing import Any

import yaml

from hotpapers.errors import ConfigError, shown_path
from hotpapers.regular_file import SITE_FILE_MAX_BYTES, NotRegularFile, read_regular_file
from hotpapers.yaml_c import load_yaml, yaml_problem

CONFIG_NAMES = ("_config.yml", "_config.yaml")
"""The config files Jekyll reads, the first there is (a TOML one needs a gem Debian's lacks)."""
DEFAULT_EXCLUDES = (
    *(".sass-cache", ".jekyll-cache", "gemfiles", "Gemfile", "Gemfile.lock", "node_modules"),
    *("vendor/bundle/", "vendor/cache/", "vendor/gems/", "vendor/ruby/"),
)
"""Added to every site's `exclude`."""


def jekyll_publishes(site: Path, path: Path) -> bool:
    """Whether Jekyll, building the site in the folder `site`, reads `path` (inside it):
    no folder on the way, nor the file, is excluded and not included, nor named with a
    leading `.`, `_`, `#` or `~` or a trailing `~` and not included. A ConfigError when
    the site's config cannot be read (Jekyll refuses to build the site then)."""
    exclude, include = _entries(site)
    source = str(site.absolute())
    parts = path.absolute().relative_to(source).parts
    for depth, name in enumerate(parts, 1):
        included = _matches(include, source, name)
        if _matches([p for p in exclude if p not in include], source, "/".join(parts[:depth])) and not included:
            return False
        if not included and (name[0] in "._#~" or name.endswith("~")):
            return False
    return True


def _entries(site: Path) -> tuple[list[Any], list[Any]]:
    """The site's `exclude` (with Jekyll's default ones) and `include`. Jekyll uses its
    defaults for a config that holds no mapping, and refuses either key unless a list."""
    settings: dict[str, Any] = {}
    config = next((site / name for name in CONFIG_NAMES if (site / name).exists()), None)
    if config is not None:
        try:
            raw = read_regular_file(config, SITE_FILE_MAX_BYTES + 1)  # a FIFO would wait for a writer for ever
            if len(raw) > SITE_FILE_MAX_BYTES:
                raise ConfigError(f"{shown_path(config)}: larger than {SITE_FILE_MAX_BYTES // 2**20} MiB")
            document = load_yaml(raw.decode("utf-8"))
        except OSError as exc:
            raise ConfigError(f"{shown_path(config)}: cannot read it ({exc.strerror or exc})") from None
        except NotRegularFile as exc:
            raise ConfigError(f"{shown_path(config)}: not a file but {exc.kind}") from None
        except UnicodeDecodeError:
            raise ConfigError(f"{shown_path(config)}: not UTF-8") from None
        except yaml.YAMLError as exc:
            raise ConfigError(f"{shown_path(config)}: {yaml_problem(exc)}") from None
        settings = document if isinstance(document, dict) else {}
    listed = {key: settings.get(key, default) for key, default in (("exclude", []), ("include", [".htaccess"]))}
    for key, value in listed.items():
        if not isinstance(value, list):
            kind = "null" if value is None else type(value).__name__
            raise ConfigError(f"{shown_path(config or site)}: {key} is a {kind}, not a list")
    return [*listed["exclude"], *DEFAULT_EXCLUDES], listed["include"]


def _matches(patterns: list[Any], source: str, entry: str) -> bool:
    """Jekyll's glob_include?: a pattern joined to the source folder matches the entry
    joined to it, begins it, or is it with a trailing `/`. Ruby's File.fnmatch, which
    Jekyll matches with, reads `*`, `?`, `[...]` and `[!...]` as Python's fnmatch does
    (`*` matches `/` too, case counts); it also reads `[^...]` and `\\` escapes, which a
    site's `exclude` hardly holds."""
    entry = _join(source, entry)
    for pattern in patterns:
        if isinstance(pattern, str):
            joined = _join(source, pattern)
            if (
                fnmatchcase(entry, joined)
                or entry.startswith(joined)
                or (joined == entry + "/" and os.path.isdir(entry))
            ):
                return True
    return False


def _join(base: str, item: str) -> str:
    """Ruby's File.join of two parts: one `/` between them."""
    return base.rstrip("/") + "/" + item.lstrip("/")
