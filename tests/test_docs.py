"""The README and --help stay honest about the commands (after sqlite-utils' test_docs)."""

import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from hotpapers.cli import cli

README = (Path(__file__).parent.parent / "README.md").read_text(encoding="utf-8")
CI_RUN = (Path(__file__).parent.parent / ".ci" / "run").read_text(encoding="utf-8")


@pytest.mark.parametrize("name", sorted(cli.commands))
def test_every_command_has_help_and_is_in_the_readme(name):
    result = CliRunner().invoke(cli, [name, "--help"])
    assert result.exit_code == 0
    assert "Examples:" in result.output and "--config" in result.output
    assert f"`hotpapers {name}" in README


def test_ci_runs_the_readme_test_command():
    test_command = re.search(r"Run the tests:\n\n```sh\n(.+)\n```", README).group(1)
    assert test_command in CI_RUN.splitlines()


def test_readme_main_command_builds_the_sample_day():
    assert "pip install . && hotpapers build --date 2020-09-24" in README
