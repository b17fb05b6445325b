"""`hotpapers init` on the command line: its options and its prompt (site_init.py does the work)."""

from __future__ import annotations

from pathlib import Path

import click

from hotpapers.profiles import PROFILES


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

    Picks the output profile from the site it finds (Hugo, Jekyll, Gatsby lumen); when
    unsure, asks at a terminal, else takes the default and says so. Never replaces a file.

    \b
    Examples:
      hotpapers init
      hotpapers init ../my-site --profile hugo
    """
    from hotpapers.console import echo
    from hotpapers.site_init import init_site, stdin_is_terminal

    def ask(choices: list[str], default: str) -> str:
        return str(click.prompt("Output profile", type=click.Choice(choices), default=default, err=True))

    config_path = config_path or click.get_current_context().meta.get("hotpapers.config")  # given before init
    echo(init_site(folder, profile, ask if stdin_is_terminal() else None, config_path).text() + "\n")
