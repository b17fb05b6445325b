"""A post's address on its site, for the feeds: its slug as the site's generator turns
it into a URL path, percent-encoded as a browser asks for it. The post's frontmatter
keeps the slug as configured; the generator makes the page's path from it:

- lumen (Gatsby) takes the slug as the path as it is;
- Hugo drops every character its paths do not allow and turns a run of spaces into one
  hyphen (`paths.Sanitize`), over the whole path: after `posts/`, so a space after
  dropped characters at the start is a hyphen too (`🔥 hot` is `-hot`); then it
  lowercases each character alone, as Go does (`İ` is `i`, not `i` and a dot above);
- Jekyll's `:slug` lowercases it and turns every run of characters other than letters,
  marks and digits into one hyphen, none at either end (`Utils.slugify`, default mode).

tests/test_feed_addresses.py checks these against Hugo and Jekyll building a post.
`unlinked` says when the site publishes its posts elsewhere than site.link puts them.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from pathlib import Path
from urllib.parse import quote

from hotpapers.config import Config
from hotpapers.errors import shown_path
from hotpapers.frontmatter import frontmatter_strings
from hotpapers.hugo_config import hugo_config_files
from hotpapers.hugo_permalinks import UnknownPermalinks, as_site_link, page_sections, section_permalink, ugly_urls
from hotpapers.jekyll_entries import SLUG_PERMALINKS, newest_posts_permalink

_PATH_SAFE = "/!$&'()*+,;=:@"
"""What a URL path holds as it is besides letters, digits and `-._~` (RFC 3986); a `%`
is encoded too, since it names a file that holds one."""
_HUGO_KEPT = frozenset("./\\_#+~-@")


def post_url(config: Config, slug: str) -> str:
    """The address of the post whose slug is `slug`, under site.url."""
    assert config.site.url is not None, "a post's address needs site.url"
    path = config.post_link(url_path(_PAGE_PATH[config.profile.name](slug)))
    return f"{config.site.url}/{path.lstrip('/')}"


def hugo_title_is_slug(config: Config) -> bool:
    """Whether Hugo's `:title` permalink makes each post's path as its `:slug` does (the
    default title, `Hot Papers {date}`, and slug, `hot-papers-{date}`, make one path)."""
    days = ("2020-09-24", "2021-12-31")
    return all(_hugo(made.title) == _hugo(made.slug) for made in (frontmatter_strings(config, day) for day in days))


def url_path(path: str) -> str:
    """A path of the site's files as a URL's path: percent-encoded UTF-8."""
    return quote(path, safe=_PATH_SAFE)


def _word_character(character: str) -> bool:
    """A letter, a mark or a decimal digit."""
    category = unicodedata.category(character)
    return category[0] in "LM" or category == "Nd"


def _hugo(slug: str) -> str:
    slug = slug.strip("-")  # Hugo trims a slug's hyphens first
    kept: list[str] = []
    hyphen_due = after_hyphen = False
    for index, character in enumerate(slug):
        escape = slug[index + 1 : index + 3]
        if (
            character in _HUGO_KEPT
            or _word_character(character)
            or (character == "%" and len(escape) == 2 and all(c in "0123456789abcdefABCDEF" for c in escape))
        ):
            after_hyphen = character == "-"
            if hyphen_due and not after_hyphen:
                kept.append("-")
            hyphen_due = False
            kept.append(character)
        elif not after_hyphen and character.isspace():  # the section's path comes before it
            hyphen_due = True
    return "".join(_go_lower(character) for character in kept)


def _go_lower(character: str) -> str:
    """Go's unicode.ToLower: one character for one (Python lowers `İ` to two)."""
    lower = character.lower()
    return lower if len(lower) == 1 else lower[0]


def _jekyll(slug: str) -> str:
    parts: list[str] = []
    for character in slug:
        if _word_character(character):
            parts.append(character)
        elif not parts or parts[-1] != "-":
            parts.append("-")
    path = "".join(parts)
    return path.removeprefix("-").removesuffix("-").lower()


_PAGE_PATH: dict[str, Callable[[str], str]] = {
    "lumen": str,
    "lumen-2022": str,
    "hugo": _hugo,
    "jekyll": _jekyll,
}


def unlinked(config: Config) -> str | None:
    """Why the feeds link the posts where the site publishes none, site.link being left
    at the profile's: Hugo's posts in another section of content/ than posts/, or Jekyll's
    under a permalink other than /SLUG/. None when that is not known to be so."""
    posts, link = config.posts_folder, config.site.link
    if link != config.profile.link:
        return None
    if config.output.profile == "hugo" and "content" in posts.parts:
        where = _hugo_unlinked(posts, link, hugo_title_is_slug(config))
        if where is None:
            return None
    elif config.output.profile == "jekyll" and posts.name == "_posts":
        permalink, scoped = newest_posts_permalink(posts, config.post_name("*"))
        if permalink is None or permalink in SLUG_PERMALINKS:
            return None
        where = (
            f"Jekyll gives the posts the permalink {permalink}{scoped}; give hotpapers' posts "
            "`permalink: /:slug/` in _config.yml (README: Jekyll), or set site.link to where they are"
        )
    else:
        return None
    return f"feeds: the entries link each post at {link} (site.link), where the site publishes none: {where}"


def _hugo_unlinked(posts: Path, link: str, title_is_slug: bool) -> str | None:
    """Where Hugo publishes the posts of `posts` (a folder of its content/), when not at `link`."""
    content = len(posts.parts) - posts.parts[::-1].index("content")
    section = posts.parts[content:]
    if not all(_PLAIN_SECTION.fullmatch(part) for part in section):
        return None
    files = hugo_config_files(Path(*posts.parts[: content - 1]))
    try:
        pattern = section_permalink(files, section[0]) if section else None
        ugly = ugly_urls(files, section[0] if section else None)
    except UnknownPermalinks:
        return None
    if pattern is None:
        hugo_link: str | None = "/" + "".join(f"{part.lower()}/" for part in section) + "{slug}/"
    else:
        hugo_link = as_site_link(pattern, page_sections(Path(*posts.parts[:content]), section), title_is_slug)
    if hugo_link is not None and ugly:  # /posts/SLUG.html
        hugo_link = hugo_link.removesuffix("/") + ".html"
    if hugo_link == link:
        return None
    if hugo_link is None:
        return (
            f"Hugo's permalinks put the posts of {shown_path(posts)} at {pattern}, which site.link cannot give (it "
            f"takes only {{slug}}); give their section a permalink such as /{section[0].lower()}/:slug/"
        )
    return f"Hugo publishes the posts of {shown_path(posts)} at {hugo_link}; set site.link to that"


_PLAIN_SECTION = re.compile(r"[A-Za-z0-9_-]+")
"""A folder name Hugo keeps in a URL as it is (lowercased)."""
