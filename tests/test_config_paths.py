"""Config keys that become paths, config files that are no regular file, numbers too long: one line, exit 2."""

from __future__ import annotations

import os
import threading

import pytest
from click.testing import CliRunner

from hotpapers.cli import cli
from hotpapers.config import load_config
from hotpapers.errors import ConfigError
from test_config import problem


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ('output: {filename: "x/{date}/\\0.md"}', "output.filename"),
        ('output: {filename: "{date}\\n.md"}', "output.filename"),
        ('paths: {snapshots: "data/\\0snap"}', "paths.snapshots"),
        ('paths: {posts: "posts\\x1b[31m"}', "paths.posts"),
        ('feeds: {atom: "static/a\\u007f.atom"}', "feeds.atom"),
    ],
)
def test_a_control_character_in_a_path_like_key_is_named(tmp_path, text, key):
    message = problem(tmp_path, text + "\n")
    assert f"{key}: " in message and "control characters" in message


def test_a_nul_in_the_post_file_name_is_a_config_error_through_build(tmp_path, monkeypatch):
    (tmp_path / "hotpapers.yaml").write_text('output: {filename: "x/{date}/\\0.md"}\n')
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(cli, ["build", "--date", "2020-09-24", "--offline"])
    assert result.exit_code == 2, result.output
    assert "output.filename: a path cannot hold control characters" in result.stderr
    assert result.stderr.count("\n") == 1 and "internal error" not in result.stderr


def test_a_fifo_as_the_config_is_refused_at_once(tmp_path):
    fifo = tmp_path / "fifo.yaml"
    os.mkfifo(fifo)
    outcome: dict = {}
    reading = threading.Thread(
        target=lambda: outcome.update(result=CliRunner().invoke(cli, ["--config", str(fifo), "check"])), daemon=True
    )
    reading.start()
    reading.join(5)
    assert not reading.is_alive(), "reading a FIFO as the config waits for a writer"
    result = outcome["result"]
    assert result.exit_code == 2 and result.stderr == f"Error: {fifo}: the config is a FIFO, not a regular file\n"


def test_a_directory_as_the_config_is_named_as_such(tmp_path):
    (tmp_path / "conf.yaml").mkdir()
    with pytest.raises(ConfigError) as info:
        load_config(tmp_path / "conf.yaml", tmp_path)
    assert info.value.message == f"{tmp_path / 'conf.yaml'}: the config is a directory, not a regular file"


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("ranking:\n  weights: {likes: 1%s}", "ranking.weights.likes"),
        ("candidates: {categories: [cs.LG, -1%s]}", "candidates.categories[1]"),
    ],
)
def test_a_number_too_long_for_python_is_named_by_its_key(tmp_path, text, key):
    message = problem(tmp_path, text % ("0" * 5000) + "\n")
    assert message.endswith(f"config.yaml: a number of 5001 digits at {key} is too large")
    assert "sys.set_int_max_str_digits" not in message
