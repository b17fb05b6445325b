"""Which of a site's own templates its posts read. A copy made under a name its profile
never reads (the classic `post.md.j2` edited on a Hugo site, whose posts read
`post-hugo.md.j2`) changes nothing, so a build says so instead of staying silent."""

from __future__ import annotations

from pathlib import Path

import jinja2
from jinja2 import meta

from hotpapers.config import Config
from hotpapers.errors import InputError, shown_path
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
    own = {path.relative_to(folder).as_posix() for path in folder.rglob("*.j2") if not _bundled_as_is(path, folder)}
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


def _bundled_as_is(path: Path, folder: Path) -> bool:
    """Whether the site's file `path` is byte for byte the bundled template of its name."""
    bundled = bundled_templates() / path.relative_to(folder)
    return not path.is_file() or (bundled.is_file() and bundled.read_bytes() == path.read_bytes())
