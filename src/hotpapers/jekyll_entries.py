"""Whether Jekyll publishes a file of its site: the rules of its reader (Jekyll 4's
EntryFilter) for each folder down to the file, with the `exclude` and `include` of the
site's config, so `check` names only a post the site serves; and the permalink its
config gives the posts, so the feeds say when they link the posts where Jekyll puts none."""

from __future__ import annotations

import os
from fnmatch import fnmatchcase
from pathlib import Path
from typing import Any

import yaml

from hotpapers.errors import ConfigError, shown_path
from hotpapers.regular_file import SITE_FILE_MAX_BYTES, NotRegularFile, TooLarge, read_regular_file
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


def published_names(site: Path, names: list[str]) -> list[str]:
    """Those of `names` (paths inside the site's folder) that Jekyll publishes (jekyll_publishes):
    all of them when the site's config cannot be read."""
    try:
        return [name for name in names if jekyll_publishes(site, site / name)]
    except ConfigError:
        return names


PERMALINK_STYLES = {
    "date": "/:categories/:year/:month/:day/:title:output_ext",
    "pretty": "/:categories/:year/:month/:day/:title/",
    "ordinal": "/:categories/:year/:y_day/:title:output_ext",
    "weekdate": "/:categories/:year/W:week/:short_day/:title:output_ext",
    "none": "/:categories/:title:output_ext",
}
"""Jekyll's permalink styles: `permalink: pretty` stands for its pattern."""
SLUG_PERMALINKS = ("/:slug/", "/:title/")
"""The permalinks that put a post at /SLUG/ (a post's `slug` sets both :slug and :title)."""


def posts_permalink(site: Path, post: str | None = None) -> str | None:
    """The permalink pattern Jekyll gives the site's posts when its config leaves no doubt:
    that of the `defaults` entries setting one whose scope applies to `post` (the post's
    path in the site, `_posts/2020-09-24-hot-papers.md`), as Jekyll's FrontmatterDefaults
    reads scopes; when none does, the posts collection's own `permalink` (`collections:
    {posts: {permalink: ...}}`, taken as written), else the site's `permalink` (Jekyll's
    `date` style when unset). None when the entries that apply differ, or are not known (no
    `post` given, an entry Jekyll would refuse, `collections_dir`), `collections` is null,
    or the config cannot be read (`check` says that)."""
    try:
        settings, _ = _settings(site)
    except ConfigError:
        return None
    return _posts_permalink(settings, _scoped_permalinks(settings, site, post))


def _posts_permalink(settings: dict[str, Any], scoped: list[Any] | None) -> str | None:
    """posts_permalink for the site's `settings`, given the permalinks of the `defaults`
    entries that apply to the post (_scoped_permalinks)."""
    if scoped is None:
        return None
    if scoped:
        first = scoped[0]
        return first if isinstance(first, str) and all(other == first for other in scoped) else None
    collections = settings.get("collections", {})
    if collections is None:
        return None
    posts = collections.get("posts") if isinstance(collections, dict) else None
    if isinstance(posts, dict) and posts.get("permalink"):  # Jekyll's `||=`: before the site's, no style read
        return posts["permalink"] if isinstance(posts["permalink"], str) else None
    permalink = settings.get("permalink", "date")
    if not isinstance(permalink, str):
        return None
    return PERMALINK_STYLES.get(permalink, permalink)


def newest_posts_permalink(posts: Path, name: str) -> tuple[str | None, str]:
    """posts_permalink for the newest post of the site's `posts` folder (_posts) named as
    `name` (a pattern, `*-hot-papers.md`), and, when entries of the site's `defaults` set a
    permalink but none applies to it, a note naming it for a message ('' otherwise)."""
    site = posts.parent
    post = max((path.relative_to(site).as_posix() for path in posts.glob(name)), default=None)
    try:
        settings, _ = _settings(site)  # read once, for the permalink and the note
    except ConfigError:
        return None, ""
    scoped = _scoped_permalinks(settings, site, post)
    permalink = _posts_permalink(settings, scoped)
    if post is None or not _permalink_defaults(settings) or scoped != []:
        return permalink, ""
    return permalink, f" (no `defaults` entry setting one applies to {post})"


def _scoped_permalinks(settings: dict[str, Any], site: Path, post: str | None) -> list[Any] | None:
    """The permalinks of the `defaults` entries whose scope applies to `post`; None when
    unknown (no `post` given, a scope Jekyll would refuse, `collections_dir`)."""
    entries = _permalink_defaults(settings)
    if not entries:
        return []
    if post is None or settings.get("collections_dir"):
        return None
    applying = [_applies(entry, site, post) for entry in entries]
    if None in applying:
        return None
    return [entry["values"]["permalink"] for entry, applies in zip(entries, applying, strict=True) if applies]


def _permalink_defaults(settings: dict[str, Any]) -> list[dict[str, Any]]:
    defaults = settings.get("defaults")
    if not isinstance(defaults, list):
        return []
    return [
        e for e in defaults if isinstance(e, dict) and isinstance(e.get("values"), dict) and "permalink" in e["values"]
    ]


def _applies(entry: dict[str, Any], site: Path, post: str) -> bool | None:
    """Whether the scope of a `defaults` entry applies to the post at `post` (a path in the
    site), as Jekyll 4's FrontmatterDefaults#applies? reads it: a type of `posts` (or the
    deprecated `post`) or none, and a path that is empty, begins the post's, or is a glob
    (`_posts/*-hot-papers.md`) matching a file or folder that begins it, or the post itself,
    which init asks about before it is written. None when unknown."""
    if "scope" not in entry:
        return True
    scope = entry["scope"]
    if not isinstance(scope, dict) or ("type" in scope and not isinstance(scope["type"], str)):
        return None
    if "type" in scope and {"post": "posts"}.get(scope["type"], scope["type"]) != "posts":
        return False
    path = scope.get("path")
    if not isinstance(path, str) or not path:
        return True
    if "*" not in path:
        return post.startswith(path)
    parts = path.split("/")
    if len(parts) == post.count("/") + 1 and all(map(fnmatchcase, post.split("/"), parts)):
        return True
    try:  # Ruby's Dir.glob, as Python's: `*` stops at a `/`, `**/` goes down folders
        found = [match.relative_to(site).as_posix() for match in site.glob(path)]
    except (ValueError, NotImplementedError, OSError):  # an absolute path, a bad pattern
        return None
    return any(post.startswith(match) for match in found)


def _entries(site: Path) -> tuple[list[Any], list[Any]]:
    """The site's `exclude` (with Jekyll's default ones) and `include`. Jekyll uses its
    defaults for a config that holds no mapping, and refuses either key unless a list."""
    settings, config = _settings(site)
    listed = {key: settings.get(key, default) for key, default in (("exclude", []), ("include", [".htaccess"]))}
    for key, value in listed.items():
        if not isinstance(value, list):
            kind = "null" if value is None else type(value).__name__
            raise ConfigError(f"{shown_path(config or site)}: {key} is a {kind}, not a list")
    return [*listed["exclude"], *DEFAULT_EXCLUDES], listed["include"]


def config_file(site: Path) -> Path | None:
    """The config file Jekyll reads in the folder `site` (CONFIG_NAMES), None when there is none."""
    return next((site / name for name in CONFIG_NAMES if (site / name).exists()), None)


def _settings(site: Path) -> tuple[dict[str, Any], Path | None]:
    """The site's config as a mapping (empty when it holds none, as Jekyll reads it), and its file."""
    settings: dict[str, Any] = {}
    config = config_file(site)
    if config is not None:
        try:
            # a FIFO would wait for a writer for ever
            raw = read_regular_file(config, max_bytes=SITE_FILE_MAX_BYTES, refuse_larger=True)
            document = load_yaml(raw.decode("utf-8"))
        except TooLarge:
            raise ConfigError(f"{shown_path(config)}: larger than {SITE_FILE_MAX_BYTES // 2**20} MiB") from None
        except OSError as exc:
            raise ConfigError(f"{shown_path(config)}: cannot read it ({exc.strerror or exc})") from None
        except NotRegularFile as exc:
            raise ConfigError(f"{shown_path(config)}: not a file but {exc.kind}") from None
        except UnicodeDecodeError:
            raise ConfigError(f"{shown_path(config)}: not UTF-8") from None
        except yaml.YAMLError as exc:
            raise ConfigError(f"{shown_path(config)}: {yaml_problem(exc)}") from None
        settings = document if isinstance(document, dict) else {}
    return settings, config


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
