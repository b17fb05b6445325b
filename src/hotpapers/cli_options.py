"""The options several commands take: --config, and the day ([DAY] or --date DAY); and
what render reads (`-`: standard input), and what its -o may not be."""

from __future__ import annotations

import functools
import os
import shlex
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, BinaryIO

import click

import hotpapers
from hotpapers.config import Output, Paths
from hotpapers.config_file import config_above, default_config_path
from hotpapers.console import log
from hotpapers.errors import ConfigError, SnapshotError, command, repeat_config_option, shown_path
from hotpapers.models import Snapshot
from hotpapers.profiles import PROFILES
from hotpapers.regular_file import real_path
from hotpapers.site import refuse_unfit_post
from hotpapers.snapshot import STANDARD_INPUT, piped_snapshot
from hotpapers.template_use import published_templates_warning, unread_templates_warning

config_option = click.option(
    "--config",
    "config_path",
    type=click.Path(path_type=Path, dir_okay=False),
    help="The site's config file. Default: ./hotpapers.yaml, else ./config.yaml, else built-in defaults.",
)


YESTERDAY = "Default: yesterday in the configured time zone."
"""What a day option left out means (days.day_or_yesterday), in its help."""


def day_options(command: Callable[..., None]) -> Callable[..., None]:
    """The day as an argument or as --date (`build 2020-09-24`, `explain --date 2020-09-24`),
    given once: `command` gets `day` (None: not given) and `typed`, what to name in errors."""

    @click.argument("day_argument", metavar="[DAY]", required=False)
    @click.option("--date", "day_option", help=f"The day, YYYY-MM-DD (or DAY). {YESTERDAY}")
    @functools.wraps(command)
    def with_day(day_argument: str | None, day_option: str | None, **kwargs: Any) -> None:
        if day_argument is not None and day_option is not None and day_argument != day_option:
            raise click.UsageError(f"give the day once: {day_argument} and --date {day_option} differ")
        typed = "--date" if day_option is not None else "DAY"
        command(day=day_option if day_option is not None else day_argument, typed=typed, **kwargs)

    return with_day


def given_config_path(config_path: Path | None) -> Path | None:
    """--config given after the command, else before it (`hotpapers --config X build`)."""
    return config_path or click.get_current_context().meta.get("hotpapers.config")


_WRITES = {
    "build": f"build would write a site of its own here: {Paths().snapshots} and {PROFILES[Output().profile].posts}",
    "render": f"render -o would write a post of output.profile {Output().profile}",
}
"""What a command that writes the site's files would write with the built-in defaults."""


def obtain_config(config_path: Path | None, writes: str = "") -> hotpapers.Config:
    """The config the command names, else the working directory's, else the built-in
    defaults, with a warning when a folder above holds a site's config (a command run in
    its subfolder); a command that `writes` the site's files there (build, render -o: a
    key of _WRITES) is refused, since the defaults are not the site's settings."""
    config_path = given_config_path(config_path)
    if config_path is not None:
        try:
            config_path.stat()
        except OSError as exc:  # not there, or a link that leads nowhere: its own words
            raise click.BadParameter(f"{config_path}: {exc.strerror or exc}", param_hint="--config") from None
    here = default_config_path(Path.cwd())
    found = config_path or here
    if found is None:
        log.debug("config: built-in defaults (no hotpapers.yaml or config.yaml in %s)", Path.cwd())
        if above := config_above(Path.cwd(), set(hotpapers.Config.__struct_fields__)):
            site = os.path.relpath(above)
            advice = f"run hotpapers in its folder, or give --config {site}"
            if writes:
                raise ConfigError(
                    f"no hotpapers.yaml or config.yaml here, and the site's is {site}: {advice} (with the built-in "
                    f"defaults, {_WRITES[writes]})"
                )
            log.warning(
                "no hotpapers.yaml or config.yaml here, so the built-in defaults apply; the site's is %s: %s",
                site,
                advice,
            )
    else:
        log.debug("config: %s", found)
    if config_path is not None and not (here and real_path(here) == real_path(config_path)):
        shown = shlex.quote(shown_path(Path(os.path.abspath(config_path))))
        click.get_current_context().call_on_close(repeat_config_option(f" --config {shown}"))  # for the hints
    config = hotpapers.load_config(found)
    for warning in (unread_templates_warning(config), published_templates_warning(config)):
        if warning:
            log.warning("%s", warning)
    return config


def render_input(
    snapshot: str, output: Path | None, profile: str, config_path: Path | None
) -> tuple[Snapshot, Path | None]:
    """render's SNAPSHOT read: the file, or standard input for `-` (`./-` names a file so
    named); then its -o FILE, if any, as it is written (_followed), refused when unfit
    (refuse_output)."""
    piped = snapshot == "-"
    read = piped_snapshot(_standard_input()) if piped else hotpapers.load_snapshot(snapshot)
    if output is not None:
        output = _followed(output)
        refuse_output(output, None if piped else Path(snapshot), profile, config_path)
    return read, output


def _followed(path: Path) -> Path:
    """`path` without the `FOLDER/..` whose FOLDER does not exist (`_posts/sub/../hot.md` is
    `_posts/hot.md` while there is no `_posts/sub`): the system follows `..` only out of a
    folder that exists, so the file there looked missing (a file that is no post was
    replaced, unguarded), and writing it made FOLDER, left empty. Lexically so, since a
    missing folder is no link that `..` would leave elsewhere."""
    parts: list[str] = []
    for part in path.parts:
        if part == ".." and parts and parts[-1] != ".." and not os.path.lexists(Path(*parts)):
            parts.pop()
        else:
            parts.append(part)
    return Path(*parts) if parts else Path(".")


def _standard_input() -> BinaryIO:
    """Standard input, to read a snapshot piped in; a SnapshotError when it is closed (`<&-`)
    or a terminal, where the run would wait for a snapshot to be typed."""
    state = "closed" if sys.stdin is None else "a terminal" if sys.stdin.isatty() else ""
    if state:
        pipe = f"my-collector | {command('render -')}"
        raise SnapshotError(f"{STANDARD_INPUT}: {state}: pipe a snapshot in ({pipe}), or name its file")
    return sys.stdin.buffer


def refuse_output(output: Path, snapshot: Path | None, profile: str, config_path: Path | None) -> None:
    """render -o's FILE may be no folder, not the snapshot file rendered, and no post in a
    site whose generator cannot read posts of `profile` (as build refuses it)."""
    if output.is_dir():
        raise click.BadParameter(f"{output} is a folder", param_hint="-o")
    if snapshot is not None and output.exists() and output.samefile(snapshot):
        raise click.BadParameter(f"{output} is the snapshot being rendered", param_hint="-o")
    refuse_unfit_post(profile, config_path, output)
