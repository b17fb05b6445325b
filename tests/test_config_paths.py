"""Config keys that become paths, config files that are no regular file, numbers too long: one line, exit 2."""

from __future__ import annotations

import os
import threading

import pytest
from click.testing import CliRunner

from hotpapers.cli import cli
from hotpapers.config import load_config
from hotpapers.errors import ConfigError
from test_config import load_text, problem


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


@pytest.mark.parametrize("name", ["{date}/../../../hotpapers.yaml", "../{date}.md", "/tmp/{date}.md", "a/../{date}.md"])
def test_a_post_file_name_that_leaves_the_posts_folder_is_refused(tmp_path, name):
    assert problem(tmp_path, f'output: {{filename: "{name}"}}\n').endswith(
        f"config.yaml: output.filename: {name!r} must stay inside paths.posts: a relative path without a '..' part"
    )


@pytest.mark.parametrize(
    ("name", "shown"),
    [("{date}/", "'{date}/'"), ("{date}/.", "'{date}/.'"), ("posts/{date}\\\\", "'posts/{date}\\\\'")],
)
def test_a_post_file_name_that_names_a_folder_is_refused(tmp_path, name, shown):
    """`{date}/` wrote each day's post as a file named after the day, without its extension."""
    assert problem(tmp_path, f'output: {{filename: "{name}"}}\n').endswith(
        f"config.yaml: output.filename: {shown} names a folder, not a file: end it with the file's name"
    )


@pytest.mark.parametrize("name", ["{date}---hot-papers/index.md", "./{date}..md", "x..y/{date}.md"])
def test_a_post_file_name_in_a_subfolder_or_with_dots_is_accepted(tmp_path, name):
    assert load_text(tmp_path, f'output: {{filename: "{name}"}}\n').post_name("2020-09-24") == name.replace(
        "{date}", "2020-09-24"
    )


def test_a_post_file_name_outside_the_posts_is_refused_by_build_before_writing(site):
    """The trial's case: the post replaced the site's config."""
    config = 'output: {filename: "{date}/../../../config.yaml"}\nsite: {url: "ftp:x"}\n'
    (site / "config.yaml").write_text(config, encoding="utf-8")
    result = CliRunner().invoke(cli, ["build", "--offline", "--date", "2020-09-24"])
    assert result.exit_code == 2 and result.stderr.count("\n") == 1, result.output
    assert "2 problems: " in result.stderr and "output.filename: " in result.stderr and "site.url: " in result.stderr
    assert (site / "config.yaml").read_text(encoding="utf-8") == config and not (site / "content").exists()


@pytest.mark.parametrize("given", [[], ["--config", "hotpapers.yaml"]])  # the config's path found, or given relative
@pytest.mark.parametrize("feed", ["hotpapers.yaml", "./hotpapers.yaml"])
def test_a_feed_over_the_config_file_itself_is_refused_before_anything_is_written(tmp_path, monkeypatch, feed, given):
    """Jekyll serves the site's folder, where hotpapers.yaml lives: the feed replaced the config."""
    config = f"output: {{profile: jekyll}}\nsite: {{url: https://lab.example.org}}\nfeeds: {{atom: {feed}}}\n"
    (tmp_path / "hotpapers.yaml").write_text(config, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(cli, [*given, "build", "--offline", "--date", "2020-09-24"])
    assert result.exit_code == 2 and result.stderr.count("\n") == 1
    assert result.stderr.endswith("hotpapers.yaml: feeds.atom is this config file, which the feed would replace\n")
    assert (tmp_path / "hotpapers.yaml").read_text(encoding="utf-8") == config
    assert sorted(path.name for path in tmp_path.iterdir()) == ["hotpapers.yaml"]


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


def test_paths_templates_naming_a_file_is_refused(tmp_path, monkeypatch):
    """The site's templates were silently not read: a build used the bundled ones."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "post.md.j2").write_text("{{ title }}\n", encoding="utf-8")
    assert problem(tmp_path, "paths: {templates: post.md.j2}\n").endswith(
        "config.yaml: paths.templates is post.md.j2, a file: it names the folder whose templates replace "
        "the bundled ones of the same name"
    )


def test_paths_templates_naming_a_fifo_is_refused(tmp_path, monkeypatch):
    """No folder either: its templates would not be read."""
    monkeypatch.chdir(tmp_path)
    os.mkfifo(tmp_path / "templates")
    assert problem(tmp_path, "paths: {templates: templates}\n").endswith(
        "config.yaml: paths.templates is templates, a file: it names the folder whose templates replace "
        "the bundled ones of the same name"
    )


def test_paths_templates_naming_a_missing_folder_is_accepted(tmp_path):
    """The sample config.yaml names `templates`, which a site copying it need not have."""
    assert load_text(tmp_path, "paths: {templates: templates}\n").paths.templates == tmp_path / "templates"


def test_a_path_under_the_home_folder_written_with_a_tilde_is_there(tmp_path, monkeypatch):
    """`paths.snapshots: ~/lab/snapshots` named a folder `~` inside the site's, which a build
    made and wrote the snapshots into (and which `rm -rf ~`, to take it away, would not)."""
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    config = load_text(tmp_path, "paths: {snapshots: ~/lab/snapshots, templates: ~/lab/templates}\n")
    assert config.paths.snapshots == tmp_path / "home" / "lab" / "snapshots"
    assert config.paths.templates == tmp_path / "home" / "lab" / "templates"
    assert (
        load_text(tmp_path, "paths: {snapshots: data/~snapshots}\n").paths.snapshots == tmp_path / "data" / "~snapshots"
    )
