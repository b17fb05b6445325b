"""The command line's site-aware parts: `hotpapers init`, and the check by `build` that
the output profile fits the site around the config."""

from __future__ import annotations

from pathlib import Path

import click

from hotpapers.config_file import default_config_path
from hotpapers.errors import ConfigError
from hotpapers.profiles import PROFILES
from hotpapers.site import detect_site


@click.command()
@click.argument("folder", default=".", type=click.Path(path_type=Path, file_okay=False))
@click.option("--profile", type=click.Choice(list(PROFILES)), help="The post format. Default: the one the site needs.")
@click.option(
    "--config",
    "config_path",
    type=click.Path(path_type=Path, dir_okay=False),
    help="Write the config here. Default: FOLDER/hotpapers.yaml.",
)
def init(folder: Path, profile: str | None, config_path: Path | None) -> None:
    """Write a commented hotpapers.yaml and a nightly GitHub workflow into a site's folder.

    Picks the output profile from the site it finds (Hugo, Jekyll, Gatsby lumen), or
    asks when unsure; never replaces an existing file.

    \b
    Examples:
      hotpapers init
      hotpapers init ../my-site --profile hugo
    """
    from hotpapers.site_init import init_site, stdin_is_terminal

    def ask(choices: list[str], default: str) -> str:
        return str(click.prompt("Output profile", type=click.Choice(choices), default=default, err=True))

    config_path = config_path or click.get_current_context().meta.get("hotpapers.config")  # given before init
    click.echo(init_site(folder, profile, ask if stdin_is_terminal() else None, config_path).text())


def refuse_unfit_profile(profile: str, config_path: Path | None) -> None:
    """A ConfigError when `profile` is the classic lumen one and the config's folder holds a
    lumen site since 2022 (Gatsby 4 or later), whose build fails on such posts: its
    socialImage must be an image file object, and its slugs are page paths that need a
    leading /. An error rather than a warning: the post would break the site's next deploy,
    far from this message (a nightly job's warning is read by no one), and nothing is lost
    by stopping, since nothing has been written yet."""
    if profile != "lumen":
        return
    config_path = config_path or default_config_path(Path.cwd()) or Path("hotpapers.yaml")
    folder = config_path.resolve().parent
    site = detect_site(folder)
    if site is not None and site.profile == "lumen-2022":
        raise ConfigError(
            f"{folder / 'package.json'}: a lumen site on Gatsby 4 or later ({site.evidence}) cannot build posts "
            f"of output.profile lumen; set `output: {{profile: lumen-2022}}` in {config_path}"
        )
