"""A post's frontmatter: what each profile's must read back as, and why a written one
does not or cannot be read at all (a site's own template may leave keys out, but never
change what they read as)."""

from __future__ import annotations

import re
import reprlib
from dataclasses import dataclass
from datetime import UTC, date
from typing import Any

import yaml

from hotpapers.config import Config
from hotpapers.models import Snapshot, parse_time
from hotpapers.yaml_c import Repeat, load_plain_yaml, yaml_problem

FRONTMATTER = re.compile(r"---[ \t]*(?:\r\n?|\n)(?P<yaml>.*?(?:\r\n?|\n))---[ \t]*(?:\r\n?|\n|$)", re.DOTALL)
"""YAML between two `---` lines; any line break (LF, CR, CRLF) ends a line."""


@dataclass(frozen=True, slots=True)
class FrontmatterStrings:
    """The configured frontmatter strings with the day filled in."""

    title: str
    description: str
    slug: str


def frontmatter_strings(config: Config, day: str) -> FrontmatterStrings:
    post = config.post
    return FrontmatterStrings(*(value.replace("{date}", day) for value in (post.title, post.description, post.slug)))


def frontmatter_problem(post: bytes) -> str | None:
    """Why the post's frontmatter cannot be read (a hand edit broke its YAML), or None."""
    try:
        _with_repeats(post.decode("utf-8-sig", "replace"))
    except yaml.YAMLError as exc:
        return f"the frontmatter is {yaml_problem(exc)}"
    return None


def _with_repeats(post: str) -> tuple[Any, list[Repeat]]:
    match = FRONTMATTER.match(post)
    return load_plain_yaml("\n" * post.count("\n", 0, match.start("yaml")) + match["yaml"]) if match else (None, [])


def reads_back(post: str, config: Config, snapshot: Snapshot, *, ignore: tuple[str, ...] = ()) -> bool:
    """Whether the post's frontmatter parses back to exactly the configured values (but the
    keys in `ignore`); a post without frontmatter does not."""
    return frontmatter_mismatch(post, config, snapshot, ignore=ignore) is None


UNPUBLISHED = {"draft": True, "published": False}
"""The frontmatter values that keep a site from publishing a post: lumen's and Hugo's
`draft`, Jekyll's `published`."""


def unpublished(post: bytes) -> bool:
    """Whether the post's own frontmatter keeps its site from publishing it (UNPUBLISHED,
    as `post.draft` writes, or as a hand edit leaves it); False when it cannot be read."""
    try:
        parsed, _ = _with_repeats(post.decode("utf-8-sig", "replace"))
    except yaml.YAMLError:
        return False
    return isinstance(parsed, dict) and any(parsed.get(key) is value for key, value in UNPUBLISHED.items())


def frontmatter_mismatch(post: str, config: Config, snapshot: Snapshot, *, ignore: tuple[str, ...] = ()) -> str | None:
    """Why the post's frontmatter does not read back as configured (but the keys in
    `ignore`), in words that point at the line of the post or the key to mend; None when it does."""
    return read_back(post, config, snapshot, ignore=ignore)[0]


PLACING = ("date", "slug")
"""The keys a site dates and addresses a post by, as the feeds do: a site's own template
may leave them out (as any key), but the post is then published otherwise than the feeds say."""


def read_back(
    post: str, config: Config, snapshot: Snapshot, *, ignore: tuple[str, ...] = ()
) -> tuple[str | None, tuple[str, ...]]:
    """frontmatter_mismatch's answer, and the keys of PLACING that a frontmatter reading
    back as configured leaves out."""
    try:
        parsed, repeated = _with_repeats(post)
    except yaml.YAMLError as exc:
        number: int = getattr(getattr(exc, "problem_mark", None), "line", -1)
        lines = post.split("\n")
        where = (
            f"; line {number + 1} of the post reads {_SHORT.repr(lines[number])}" if 0 <= number < len(lines) else ""
        )
        return f"it is {yaml_problem(exc)}{where}", ()
    if not isinstance(parsed, dict):
        return "it is no YAML mapping of keys to values", ()
    if repeated:  # YAML keeps the last value; gray-matter (Gatsby) refuses the post
        key, first, again = repeated[0]
        return f"{key} is given twice, at lines {first} and {again} of the post", ()
    expected = expected_frontmatter(config, snapshot, frontmatter_strings(config, snapshot.date))
    for key, value in expected.items():
        if key not in ignore and parsed.get(key, value) != value:
            return f"{key} reads back as {_shown(parsed[key])}, not {_shown(value)}", ()
    return None, tuple(key for key in PLACING if key not in parsed)


_SHORT = reprlib.Repr()
_SHORT.maxstring, _SHORT.maxother = 80, 80


def _shown(value: Any) -> str:
    return value.isoformat() if isinstance(value, date) else _SHORT.repr(value)  # a datetime is a date too


def expected_frontmatter(config: Config, snapshot: Snapshot, strings: FrontmatterStrings) -> dict[str, Any]:
    """What the frontmatter of each profile must read back as in a YAML parser."""
    post, profile = config.post, config.profile.name
    common: dict[str, Any] = {
        "title": strings.title,
        "date": parse_time(snapshot.taken_at).astimezone(UTC).replace(microsecond=0),
        "tags": list(post.tags),
        "description": strings.description,
    }
    if profile == "hugo":
        return {
            **common,
            "draft": post.draft,
            "slug": strings.slug,
            "categories": [post.category] if post.category else [],
        }
    if profile == "jekyll":
        return {
            **common,
            "layout": "post",
            "published": not post.draft,
            "slug": strings.slug,
            "categories": [post.category] if post.category else [],
        }
    expected = {**common, "template": post.template, "draft": post.draft, "category": post.category}
    if profile == "lumen-2022":
        return {**expected, "slug": f"/posts/{strings.slug}"}
    expected["slug"] = strings.slug
    if post.social_image is not None:
        expected["socialImage"] = post.social_image
    return expected
