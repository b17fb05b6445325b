"""Which of a site's own templates its posts read. A copy made under a name its profile
never reads (the classic `post.md.j2` edited on a Hugo site, whose posts read
`post-hugo.md.j2`) changes nothing, so a build says so instead of staying silent."""

from __future__ import annotations

from pathlib import Path

import jinja2
from jinja2 import meta

from hotpapers.config import Config
from hotpapers.errors import ConfigError, InputError, shown_path
from hotpapers.jekyll_entries import CONFIG_NAMES, config_file, jekyll_publishes
from hotpapers.platform_text import embed_templates
from hotpapers.render import bundled_templates, make_env


def unread_templates(config: Config) -> list[str]:
    """The templates in the site's folder (`paths.templates`), by name, that no post of its
    profile reads: reached neither from the profile's template nor from an embed template
    through what they include, import or extend, each name looked up as a build does (the
    site's file first). A copy of a bundled template as it is changes nothing, read or not,
    and is not named: the repository's own `templates/`, the sample site's, holds every
    profile's. [] when a template names another by an expression (it may read any), or one
    cannot be read (rendering says why)."""
    folder = config.paths.templates
    if not folder.is_dir():
        return []
    files = [path for path in folder.rglob("*") if path.is_file()]
    own = {path.relative_to(folder).as_posix() for path in files if _own_template(path, folder)}
    if not own:
        return []
    env = make_env(folder)
    loader = env.loader
    assert loader is not None  # make_env gives it one
    todo = [config.profile.template, *(f"embeds/{name}.html.j2" for name in embed_templates())]
    read: set[str] = set()
    while todo:
        name = todo.pop()
        if name in read:
            continue
        read.add(name)
        try:
            names = list(meta.find_referenced_templates(env.parse(loader.get_source(env, name)[0])))
        except (jinja2.TemplateError, InputError):
            return []
        if None in names:
            return []
        todo += [name for name in names if name is not None]
    return sorted(own - read)


def unread_templates_warning(config: Config) -> str | None:
    """One line naming the site's templates that its posts never read, or None."""
    unread = unread_templates(config)
    if not unread:
        return None
    one = len(unread) == 1
    return (
        f"{shown_path(config.paths.templates)}: {', '.join(unread)} {'is' if one else 'are'} read by no post of the "
        f"{config.output.profile} profile (its posts start from {config.profile.template}): rename or delete "
        f"{'it' if one else 'them'}"
    )


def published_templates_warning(config: Config) -> str | None:
    """On a Jekyll site, one line naming the site's templates that Jekyll publishes, or None.
    Jekyll reads every file of its folder that it does not exclude: it copies a template as a
    file of the site, and runs Liquid over one that starts with `---`, where the
    `{% include "_papers.md.j2" %}` of a copy without the bundled one's first line stops its
    build. None too when the site's config cannot be read (Jekyll builds nothing then)."""
    folder, site = config.paths.templates, config.paths.public
    if config.output.profile != "jekyll" or site is None or not folder.is_dir() or not folder.is_relative_to(site):
        return None
    try:
        published = sorted(
            path.relative_to(folder).as_posix() for path in folder.rglob("*.j2") if jekyll_publishes(site, path)
        )
    except ConfigError:
        return None
    if not published:
        return None
    settings = (config_file(site) or site / CONFIG_NAMES[0]).name
    return (
        f"{shown_path(folder)}: Jekyll publishes {', '.join(published)} as {'a file' if len(published) == 1 else 'files'} "
        "of the site (and runs Liquid over a template that starts with ---, which stops its build): add "
        f"{folder.relative_to(site).as_posix()} to the `exclude` list in {settings}"
    )


def _own_template(path: Path, folder: Path) -> bool:
    """Whether the site's file `path` is a template of its own: one that is not byte for byte
    the bundled template of its name, or one named as a bundled template without its `.j2`
    (`post.md`), which no post reads."""
    if path.name.endswith(".j2"):
        return not _bundled_as_is(path, folder)
    return (bundled_templates() / f"{path.relative_to(folder).as_posix()}.j2").is_file()


def _bundled_as_is(path: Path, folder: Path) -> bool:
    """Whether the site's file `path` is byte for byte the bundled template of its name."""
    bundled = bundled_templates() / path.relative_to(folder)
    return not path.is_file() or (bundled.is_file() and bundled.read_bytes() == path.read_bytes())
