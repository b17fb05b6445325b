"""The files a build writes, checked before it writes any: no post or feed where another
output or a snapshot lives, no post or feed path holding a FIFO or a device (reading the
old file would wait forever), and no dead writer's temporary file left in their folders."""

from __future__ import annotations

import re
from pathlib import Path

from hotpapers.atomic import sweep
from hotpapers.config import FEED_KINDS, Config, default_feeds
from hotpapers.errors import ConfigError, InputError, shown_path
from hotpapers.models import DAY_FORM
from hotpapers.post_address import url_path
from hotpapers.regular_file import real_path

SAMPLE_DAY = "2020-09-24"
"""Any day: where its post would go says whether posts would land among the snapshots
(a post's path depends on its day only through the file's name)."""


JEKYLL_POST_NAME = re.compile(r"\d{2,4}-\d{1,2}-\d{1,2}-[^/]*\.[^./]+")
"""A file name Jekyll reads as a post in a `_posts` folder (its DATE_FILENAME_MATCHER): the
date, a hyphen, a title and an extension. It passes over any other file there without a word."""


MARKDOWN_SUFFIXES = (".md", ".markdown")
"""The suffixes of the Markdown files every profile's generator reads as posts (Gatsby's
remark, Hugo, Jekyll: each reads more, not the same)."""


def unread_post(config: Config, path: Path, day: str) -> str | None:
    """Why the jekyll profile's post of `day` at `path` (`{date}` in it standing for the day)
    would never be published: Jekyll reads no post from it (a name without the date first,
    in a `_posts` folder); else None."""
    name = path.name.replace("{date}", SAMPLE_DAY)
    if config.output.profile != "jekyll" or "_posts" not in path.parent.parts or JEKYLL_POST_NAME.fullmatch(name):
        return None
    return (
        f"Jekyll reads no post from {shown_path(path)} and publishes nothing of it: a post's file name in _posts "
        f"starts with its date, as {config.profile.filename.replace('{date}', day)} does"
    )


def public_folder(config: Config) -> Path:
    return config.paths.public or Path(config.profile.public)


def feeds_written(config: Config) -> list[tuple[str, Path]]:
    """The feeds `build` writes: (the key naming it, its path)."""
    if config.site.url is None:
        return []
    return [(f"feeds.{kind}", path) for kind in FEED_KINDS if (path := getattr(config.feeds, kind))]


def feed_url(config: Config, path: Path) -> str:
    """A feed's address: site.url and the feed's path inside the folder served at the root."""
    assert config.site.url is not None, "feeds need site.url"
    inside = (real_path(path.parent) / path.name).relative_to(
        real_path(public_folder(config))
    )  # a linked folder followed
    return f"{config.site.url}/{url_path(inside.as_posix())}"


def check_outputs(config: Config) -> None:
    """A ConfigError when a post or a feed would replace a snapshot, the other feed or a post,
    or a feed would have no address on the site."""
    snapshots = real_path(config.paths.snapshots)
    post = real_path(config.post_path(SAMPLE_DAY))
    if post.is_relative_to(snapshots):
        raise ConfigError(
            f"the posts ({shown_path(config.posts_folder / config.post_name('{date}'))}) would go inside "
            f"paths.snapshots ({shown_path(config.paths.snapshots)}) and replace snapshots: set paths.posts or output.filename elsewhere"
        )
    if problem := unread_post(config, config.posts_folder / config.post_name("{date}"), "{date}"):
        raise ConfigError(f"output.filename: {problem}")
    seen: dict[Path, str] = {}
    public = real_path(public_folder(config))
    feeds = feeds_written(config)
    for key, path in feeds:
        where = real_path(path)
        _refuse_folder_of_outputs(key, path, config, feeds)
        if where in seen:
            raise ConfigError(
                f"{key} and {seen[where]} are the same file ({shown_path(path)}): give each feed its own path"
            )
        seen[where] = key
        for folder, name in ((snapshots, "paths.snapshots"), (real_path(config.posts_folder), "the posts' folder")):
            if where.is_relative_to(folder):
                raise ConfigError(
                    f"{key} ({shown_path(path)}) is inside {name} ({shown_path(folder)}): a feed there could replace its files"
                )
        if not where.is_relative_to(public):
            raise ConfigError(
                f"{key} ({shown_path(path)}) is outside paths.public ({shown_path(public)}), the folder the site serves at its root, "
                "so it would have no address: move it there, or set paths.public"
            )


def _refuse_folder_of_outputs(key: str, path: Path, config: Config, feeds: list[tuple[str, Path]]) -> None:
    """A ConfigError when the feed `path` is (or is above) a folder other outputs go in:
    written as a file there, it would make every later write into that folder fail."""
    where = real_path(path)
    folders = [
        ("paths.public", public_folder(config)),
        ("the posts' folder", config.posts_folder),
        ("paths.snapshots", config.paths.snapshots),
        *((f"the folder of {other}", feed.parent) for other, feed in feeds if other != key),
    ]
    for name, folder in folders:
        if real_path(folder).is_relative_to(where):
            relation = "is" if real_path(folder) == where else "is above"
            example = default_feeds(shown_path(public_folder(config)))[key.removeprefix("feeds.")]
            raise ConfigError(
                f"{key} ({shown_path(path)}) {relation} {name} ({shown_path(folder)}), but a feed is a file: "
                f"name one inside paths.public, such as {example}"
            )


def irregular(path: Path) -> str | None:
    """What `path` holds when it exists and is no regular file ("a folder"), else None."""
    if path.exists() and not path.is_file():
        return "a folder" if path.is_dir() else "a FIFO, a device or a socket"
    return None


def refuse_irregular(path: Path, what: str) -> None:
    """An InputError when `path` exists and is no regular file: a build reads the old file."""
    if kind := irregular(path):
        raise InputError(
            f"{shown_path(path)}: the {what} path holds {kind}, not a file; build writes only regular files there"
        )


def post_day_pattern(config: Config) -> re.Pattern[str]:
    """Matches a post's path inside the posts' folder (POSIX), its group the day."""
    return re.compile(f"{_day_pattern(config.post_name('{date}'))}$")


def post_days(config: Config) -> list[str]:
    """The days that have a post, newest first."""
    pattern = post_day_pattern(config)
    found = (
        pattern.search(path.relative_to(config.posts_folder).as_posix())
        for path in config.posts_folder.glob(config.post_name("*"))
    )
    return sorted((match[1] for match in found if match), reverse=True)


def _day_pattern(name: str) -> str:
    """`name`, a post's path or a part of it with `{date}` for the day, as a regex: the day its group."""
    return re.escape(name).replace(re.escape("{date}"), f"((?a:{DAY_FORM}))")


def check_post_target(path: Path, config: Config, day: str) -> tuple[str, ...]:
    """An InputError when `path`, given for the post of `day` (`render -o`), is where the site
    publishes no post (unread_post), inside paths.snapshots, or the site's post of another day:
    the guards of write_post compare papers, not days, and a snapshot's folder is read as
    snapshots; and when it is a folder of a post's path (the posts' or the snapshots' folder,
    or above one), or inside its file, which build could not write then. Else the warnings
    for it: a second post of the day in the posts folder."""
    where, snapshots = real_path(path), real_path(config.paths.snapshots)
    if problem := unread_post(config, path, day):
        raise InputError(problem)
    if where.is_relative_to(snapshots):
        raise InputError(
            f"{shown_path(path)} is inside paths.snapshots ({shown_path(snapshots)}): write the post elsewhere"
        )
    posts = real_path(config.posts_folder)
    for folder in (config.posts_folder, config.paths.snapshots):
        if real_path(folder).is_relative_to(where):  # none there yet: refuse_output refuses a folder
            raise InputError(
                f"{shown_path(path)} is where the folder {shown_path(folder)} goes, which build writes into: "
                "write the post elsewhere"
            )
    if not where.is_relative_to(posts):
        return ()
    relative = where.relative_to(posts).as_posix()
    found = post_day_pattern(config).match(relative)
    if found and found[1] != day:
        raise InputError(f"{shown_path(path)} is the site's post of {found[1]}, not of {day}, the snapshot's day")
    if (blocked := _blocked_post(config, relative, day)) is not None:
        raise InputError(
            f"{shown_path(path)} would keep build from writing the site's post of {blocked} "
            f"({shown_path(config.post_path(blocked))}): write the post as {shown_path(config.post_path(day))}, "
            f"or outside {shown_path(config.posts_folder)}"
        )
    if found or where.suffix not in {config.post_path(day).suffix, *MARKDOWN_SUFFIXES}:  # no post to the site
        return ()
    post = shown_path(config.post_path(day))
    both = "publishes both" if config.post_path(day).exists() else f"will publish both once build writes {post}"
    return (
        f"{day}: {shown_path(path)} is a second post of the day in the site's posts folder, beside {post}, and "
        f"the site {both} at one address: write it as {post}, or outside {shown_path(config.posts_folder)}",
    )


def _blocked_post(config: Config, relative: str, day: str) -> str | None:
    """The day whose post a file at `relative` (a path in the posts folder) keeps build from
    writing, being a folder of its path (lumen-2022's FOLDER/index.md) or inside its file;
    `day` when the paths share no date; None for a file beside the posts."""
    name, parts = config.post_name("{date}").split("/"), relative.split("/")
    if len(parts) == len(name):
        return None
    days: list[str] = []
    for part, pattern in zip(parts, name, strict=False):
        match = re.fullmatch(_day_pattern(pattern), part)
        if match is None:
            return None
        days += match.groups()
    return days[0] if days else day


def check_feed_targets(config: Config) -> None:
    for key, path in feeds_written(config):
        refuse_irregular(path, key)


def sweep_outputs(config: Config, days: list[str]) -> None:
    """Remove dead writers' temporary files from the snapshots' folder and the posts' folders."""
    folders = {config.paths.snapshots, config.posts_folder, *(config.post_path(day).parent for day in days)}
    for folder in sorted(folders):
        sweep(folder)
