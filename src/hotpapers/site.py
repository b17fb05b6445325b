"""What kind of site a folder holds (Hugo, Jekyll, Gatsby lumen before or since 2022),
so `init` can pick the output profile and a build (or `render -o` into the site) can refuse
one the site cannot build, and warn when a Hugo site reads its pages or static files from
other folders than the posts' or the feeds'; and what another profile left in its posts
folder, or in its own one the site serves, for `check`.
"""

from __future__ import annotations

import json
import logging
import re
from dataclasses import dataclass
from os import PathLike
from pathlib import Path
from typing import Any

from hotpapers.config import Config
from hotpapers.config_file import default_config_path
from hotpapers.errors import ConfigError, shown_path
from hotpapers.hugo_config import UnreadableConfig, config_value, hugo_config, hugo_config_files, lowered
from hotpapers.jekyll_entries import CONFIG_NAMES, jekyll_publishes
from hotpapers.profiles import PROFILES, Profile
from hotpapers.regular_file import real_path, site_file_text

_MAJOR = re.compile(r"^\D*(\d+)")
HUGO_RAW_HTML = {
    ".toml": "`unsafe = true` under `[markup.goldmark.renderer]`",
    ".yaml": "`markup: {goldmark: {renderer: {unsafe: true}}}`",
    ".yml": "`markup: {goldmark: {renderer: {unsafe: true}}}`",
    ".json": '`"markup": {"goldmark": {"renderer": {"unsafe": true}}}`',
}
"""The Hugo setting that keeps raw HTML, in the syntax of each kind of config file."""

log = logging.getLogger("hotpapers")


@dataclass(frozen=True, slots=True)
class SiteKind:
    profile: str | None
    """The output profile that fits, or None when the folder shows no site hotpapers knows."""
    evidence: str
    """What was found, for messages: 'hugo.toml', 'package.json: gatsby ^5.14.0, lumen'."""


def detect_site(folder: Path) -> SiteKind | None:
    """The kind of site in `folder`, or None when nothing there looks like a site."""
    hugo = hugo_config(folder)
    if hugo is not None:
        found = hugo.relative_to(folder).as_posix()
        return SiteKind(
            "hugo", found if hugo.name.startswith("hugo.") or hugo.parent != folder else f"{found} with baseURL"
        )
    for name in CONFIG_NAMES:
        if (folder / name).is_file():
            return SiteKind("jekyll", name)
    if "jekyll" in site_file_text(folder / "Gemfile"):
        return SiteKind("jekyll", "Gemfile with jekyll")
    return _gatsby(folder)


def refuse_unfit_profile(profile: str, config_path: str | PathLike[str] | None = None) -> None:
    """A ConfigError when `profile` is the classic lumen one (the default, with no config
    file) and the config's folder holds a lumen site since 2022 (Gatsby 4 or later), whose
    build fails on such posts: its socialImage must be an image file object, and its slugs
    are page paths that need a leading /; or a Hugo site, which dates such a post 0001-01-01
    without a word; or a Jekyll one, which publishes it as a page, not a post; or when it
    is lumen-2022 or hugo and the folder holds a Jekyll site, or lumen-2022 or jekyll and
    it holds a Hugo site, which publishes jekyll's posts (in _posts/) not at all, or hugo or
    jekyll and it holds a lumen site, which publishes their posts not at all either (_UNFIT).
    An error rather than a warning: the post would break the site's next deploy,
    far from this message (a nightly job's warning is read by no one), and nothing is lost
    by stopping, since nothing has been written yet. `config_path` None: the working
    directory's config file, as `load_config()` reads it. On a Hugo site whose config
    drops raw HTML, the `hugo` profile's posts build without their embeds: a warning (on
    the logger `hotpapers`), as Hugo says nothing then."""
    if profile not in {refused for refused, _ in _UNFIT}:
        return
    config_path = _config_file(config_path)
    folder = _site_folder(config_path)
    site = detect_site(folder)
    if unfit_profile(profile, site) and site is not None and site.profile is not None:
        evidence = folder / site.evidence.split()[0].rstrip(":")  # its file: 'package.json: gatsby ^5...'
        raise ConfigError(
            f"{shown_path(evidence)}: {_UNFIT[profile, site.profile].format(evidence=site.evidence)}; "
            f"set `output: {{profile: {site.profile}}}` in {shown_path(config_path)}"
            + ("" if config_path.exists() else " (`hotpapers init` writes one)")
        )
    if profile == "hugo":
        _warn_of_dropped_html(folder)


def refuse_unfit_post(profile: str, config_path: str | PathLike[str] | None, post: Path) -> None:
    """refuse_unfit_profile for a post written at `post` (`render -o`): when it lies in the
    config's folder, the site whose generator would read it; a post written elsewhere is
    no page of that site."""
    if real_path(post).is_relative_to(_site_folder(config_path)):
        refuse_unfit_profile(profile, config_path)


def warn_of_unread_outputs(config: Config, config_path: str | PathLike[str] | None) -> None:
    """Warn when the Hugo site in the config's folder reads its pages from another folder
    than the posts' (its `contentDir`, `content` by default), or copies its static files from
    others than the feeds' (`staticDir`, `static`): Hugo publishes none of them, without a
    word. For the `hugo` profile only; nothing when the site's config cannot be read for
    sure (a file fails to parse, two disagree, or `module` settings may mount other folders)."""
    if config.output.profile != "hugo":
        return
    folder = _site_folder(config_path)
    if (hugo := hugo_config(folder)) is None:
        return
    try:
        files = hugo_config_files(folder)
        content, static = _hugo_folders(files, "contentdir", "content"), _hugo_folders(files, "staticdir", "static")
    except UnreadableConfig:
        return
    posts = config.posts_folder
    if content and len(content) == 1 and not real_path(posts).is_relative_to(real_path(folder / content[0])):
        log.warning(
            "%s: Hugo reads the site's pages from %s (contentDir), so it publishes none of the posts written to %s: "
            "set paths.posts to a folder inside it, such as %s",
            *(shown_path(hugo), content[0], shown_path(posts), f"{content[0].rstrip('/')}/posts"),
        )
    feeds = [path for path in (config.feeds.atom, config.feeds.json) if path and config.site.url]
    if (
        static
        and feeds
        and not any(real_path(feed).is_relative_to(real_path(folder / n)) for feed in feeds for n in static)
    ):
        log.warning(
            "%s: Hugo copies the site's static files from %s (staticDir), so it publishes none of the feeds written to "
            "%s: set paths.public to %s",
            *(shown_path(hugo), " and ".join(static), shown_path(feeds[0].parent), "one" if static[1:] else "it"),
        )


def _hugo_folders(files: list[Path], key: str, default: str) -> list[str] | None:
    """The folders the Hugo config in `files` gives `key` (a name, or a list of names), or
    [`default`]; None when not known for sure. UnreadableConfig as config_value."""
    given = [value for path in files if (value := config_value(path, key)) is not None]
    if len({repr(value) for value in given}) > 1 or any(config_value(path, "module") is not None for path in files):
        return None
    value = given[0] if given else default
    names = [value] if isinstance(value, str) else value
    return names if isinstance(names, list) and names and all(isinstance(name, str) for name in names) else None


def _config_file(config_path: str | PathLike[str] | None) -> Path:
    """The config file given, else the working directory's, as `load_config()` reads it."""
    return Path(config_path) if config_path else default_config_path(Path.cwd()) or Path("hotpapers.yaml")


def _site_folder(config_path: str | PathLike[str] | None) -> Path:
    """The site's folder: the real one of its config file (`_config_file`)."""
    return real_path(_config_file(config_path)).parent


_UNFIT = {
    (
        "lumen",
        "lumen-2022",
    ): "a lumen site on Gatsby 4 or later ({evidence}) cannot build posts of output.profile lumen",
    ("lumen", "hugo"): "a Hugo site ({evidence}) reads no date from posts of output.profile lumen (it drops their "
    "`.Z` date and dates each one 0001-01-01)",
    ("lumen-2022", "hugo"): "a Hugo site ({evidence}) publishes posts of output.profile lumen-2022 at "
    "/posts/posts/SLUG/ (their slug is a Gatsby page path, which Hugo puts under the section)",
    **{
        (profile, "jekyll"): "a Jekyll site ({evidence}) reads its posts from _posts/, not from content/posts/, "
        f"where output.profile {profile} writes them (it would publish them as pages of their own)"
        for profile in ("lumen", "lumen-2022", "hugo")
    },
    ("jekyll", "hugo"): "a Hugo site ({evidence}) reads its posts from content/, not from _posts/, where "
    "output.profile jekyll writes them (it would publish neither them nor the feeds written beside them)",
    **{
        ("jekyll", lumen): "a lumen site ({evidence}) reads its posts from content/, not from _posts/, where "
        "output.profile jekyll writes them"
        for lumen in ("lumen", "lumen-2022")
    },
    **{
        ("hugo", lumen): "a lumen site ({evidence}) makes a page only of a post whose frontmatter has "
        "`template: post`, which output.profile hugo does not write (it would publish none of them)"
        for lumen in ("lumen", "lumen-2022")
    },
}
"""Why a site of each kind cannot take the posts of a profile: (profile, site's)."""


def unfit_profile(profile: str, site: SiteKind | None) -> bool:
    """Whether a site of that kind cannot build posts of `profile` (refuse_unfit_profile)."""
    return site is not None and (profile, site.profile) in _UNFIT


def keeps_raw_html(folder: Path) -> bool:
    """Whether the Hugo site in `folder` sets goldmark's renderer `unsafe` (keep raw HTML) to
    true, in its config file or a file of its config folder (config/_default/markup.toml):
    `markup.goldmark.renderer.unsafe`, keys in any case, as Hugo reads them (not the same
    words in a comment or another table). A file that cannot be read as its format counts
    as setting it: Hugo stops on it, and says why."""
    for path in hugo_config_files(folder):
        try:
            markup = config_value(path, "markup")
        except UnreadableConfig:
            return True
        if lowered(lowered(lowered(markup).get("goldmark")).get("renderer")).get("unsafe") is True:
            return True
    return False


def _warn_of_dropped_html(folder: Path) -> None:
    """Warn when the Hugo site in `folder` drops the embeds' HTML (keeps_raw_html)."""
    hugo = hugo_config(folder)
    if hugo is None or keeps_raw_html(folder):
        return
    log.warning(
        "%s: Hugo drops the HTML of the posts' embeds (it writes `<!-- raw HTML omitted -->` in their place): "
        "set %s in it",
        shown_path(hugo),
        HUGO_RAW_HTML[hugo.suffix],
    )


def _gatsby(folder: Path) -> SiteKind | None:
    try:
        package = json.loads(site_file_text(folder / "package.json") or "null")
    except (ValueError, RecursionError):  # not JSON, or nested past the recursion limit
        return None
    if not isinstance(package, dict):
        return None
    version = _dependency(package, "gatsby")
    if version is None:
        return None
    major = _MAJOR.match(version)
    evidence = f"package.json: gatsby {version}"
    if not _is_lumen(package, folder):
        return SiteKind(None, evidence + ", not the lumen starter")
    if major is None:
        return SiteKind(None, evidence + ", lumen")
    return SiteKind("lumen-2022" if int(major[1]) >= 4 else "lumen", evidence + ", lumen")


def _dependency(package: dict[str, Any], name: str) -> str | None:
    for key in ("dependencies", "devDependencies"):
        table = package.get(key)
        if isinstance(table, dict) and isinstance(table.get(name), str):
            return str(table[name])[:40]
    return None


def _is_lumen(package: dict[str, Any], folder: Path) -> bool:
    """gatsby-starter-lumen's name, description or repository, kept by most forks, or its config."""
    fields = " ".join(str(package.get(key, "")) for key in ("name", "description", "repository", "homepage"))
    if "lumen" in fields.lower():
        return True
    return any("lumen" in site_file_text(folder / name).lower() for name in ("gatsby-config.js", "gatsby-config.ts"))


def other_profiles_posts(folder: Path, own: Path, day: str) -> list[tuple[str, Path]]:
    """The posts of `day` in the posts `folder` under another profile's file name than
    `own` (each with that profile's name): left there by a switch of profile, they make
    the site list the day twice, or fail its build (lumen's frontmatter on Gatsby 5). A file
    name that profiles share (Hugo's and Jekyll's) is one post, of 'hugo or jekyll'."""
    found: dict[Path, list[str]] = {}
    for name, profile in PROFILES.items():
        path = folder / profile.filename.replace("{date}", day)
        if path != own and path.is_file():
            found.setdefault(path, []).append(name)
    return [(" or ".join(names), path) for path, names in found.items()]


def served_profiles_posts(
    folder: Path, own: Profile, public: Path | None, day: str
) -> list[tuple[str, Path, str | None]]:
    """The posts of `day` another profile wrote into its own posts folder, when that lies
    inside `public`, the folder the site serves (Jekyll's is the whole site, where
    lumen's and Hugo's content/posts is), and Jekyll does not leave it out (its config's
    `exclude`): left by a switch of profile (from lumen to jekyll), the site publishes
    them as pages of their own. Each with its profile's name, and why the site's config
    that could exclude it cannot be read (None when it can). Looked for only when the posts
    `folder` is its profile's own (`own`), the site's folder being then known: a folder
    set in paths.posts stays the same across a switch of profile."""
    default = Path(own.posts).parts
    if public is None or folder.parts[-len(default) :] != default:
        return []
    site = folder.parents[len(default) - 1]
    named = (
        (name, site / profile.posts, profile.filename.replace("{date}", day)) for name, profile in PROFILES.items()
    )
    found = [
        (name, other / filename)
        for name, other, filename in named
        if other != folder and other.is_relative_to(public) and (other / filename).is_file()
    ]
    served: list[tuple[str, Path, str | None]] = []
    for name, path in found:
        try:
            if own.name != "jekyll" or jekyll_publishes(site, path):
                served.append((name, path, None))
        except ConfigError as error:  # Jekyll builds nothing then: the post is named all the same
            served.append((name, path, error.message))
    return served
