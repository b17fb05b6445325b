"""Where a Hugo site's `permalinks` and `uglyURLs` settings put the pages of a section, read from its
config file and the files of its config folder, so the feeds can say when they link the
posts where Hugo publishes none (post_address.unlinked).

Hugo reads `permalinks: {SECTION: PATTERN}` (since 0.120 also under `page:`), its keys in
any case, from its config file or from `config/_default/` and `config/production/` (the
environment `hugo` builds in), in `permalinks.*` or `hugo.*` there; a PATTERN is
the page's path, with tokens such as `:slug` and `:year`.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from hotpapers.hugo_config import UnreadableConfig, config_value, lowered

_TOKEN = re.compile(r":(\w+)(\[[^\]]*\])?")
_SLUG_TOKENS = frozenset({"slug", "slugorfilename", "slugorcontentbasename"})
"""The tokens that stand for a post's slug, which every post sets."""


class UnknownPermalinks(Exception):
    """The site's config cannot be read for sure: a file fails to parse or gives its
    permalinks in a form not read here, or two settings give the section different patterns."""


def section_permalink(config_files: list[Path], section: str) -> str | None:
    """The pattern the Hugo config in `config_files` gives the pages of `section`, or None
    when it sets none for it."""
    found: set[str] = set()
    for path in config_files:
        table = _permalinks(path)
        # both may be set: Hugo takes the one its unordered walk of the table meets last
        for pattern in (lowered(table.get("page")).get(section), table.get(section)):
            if pattern is not None:
                if not isinstance(pattern, str):
                    raise UnknownPermalinks
                found.add(pattern)
    if len(found) > 1:
        raise UnknownPermalinks
    return found.pop() if found else None


def ugly_urls(config_files: list[Path], section: str | None) -> bool:
    """Whether the Hugo config in `config_files` publishes the pages of `section` (None: of
    content/ itself) as `PATH.html`, not `PATH/` (`uglyURLs`, true or, by section, a table);
    UnknownPermalinks when it says so in a form not read here, or two files disagree."""
    found: set[bool] = set()
    for path in config_files:
        try:
            value = config_value(path, "uglyurls")
        except UnreadableConfig:
            raise UnknownPermalinks from None
        if isinstance(value, dict) and section is not None:
            value = lowered(value).get(section.lower(), False)
        if value is not None and not isinstance(value, bool):
            raise UnknownPermalinks
        found |= set() if value is None else {value}
    if len(found) > 1:
        raise UnknownPermalinks
    return found == {True}


def as_site_link(pattern: str, section: tuple[str, ...], title_is_slug: bool = False) -> str | None:
    """`pattern` as a site.link ('/:section/:slug/' is '/posts/{slug}/'), as Hugo lowers it
    and gives it a trailing `/`, for pages in `section` (the folders of content/ they are
    in, at least one); None when it needs more than the slug, such as the date, or the
    title, unless `title_is_slug` (each post's title makes the path its slug makes)."""
    parts: list[str] = []
    at = 0
    for token in _TOKEN.finditer(pattern):
        parts.append(pattern[at : token.start()].lower())
        name, at = token[1].lower(), token.end()
        if token[2] is not None:
            return None
        if name in _SLUG_TOKENS or (name == "title" and title_is_slug):
            parts.append("{slug}")
        elif name == "section":
            parts.append(section[0].lower())
        elif name == "sections":
            parts.append("/".join(part.lower() for part in section))
        else:
            return None
    link = "".join(parts) + pattern[at:].lower()
    return "/" + link.strip("/") + "/"


def page_sections(content: Path, folders: tuple[str, ...]) -> tuple[str, ...]:
    """The sections Hugo puts a page of the folder `content`/`folders` in, for `:sections`:
    the top folder, and the folders down to the deepest that holds an _index file, below
    which a folder is no section of Hugo's."""
    deepest = max(
        (depth for depth in range(1, len(folders) + 1) if _has_index(content.joinpath(*folders[:depth]))), default=1
    )
    return folders[:deepest]


def _has_index(folder: Path) -> bool:
    """Whether `folder` holds the _index file (_index.md, _index.html, ...) that makes it a section."""
    return any(path.is_file() for path in folder.glob("_index.*"))


def _permalinks(path: Path) -> dict[str, Any]:
    """The `permalinks` table of one config file, keys lowered ({} when it sets none)."""
    try:
        table = config_value(path, "permalinks")
    except UnreadableConfig:
        raise UnknownPermalinks from None
    if table is not None and not isinstance(table, dict):  # such as a newer Hugo's list of {target, pattern}
        raise UnknownPermalinks
    return lowered(table)
