"""check names a post another profile left in its own posts folder when the site serves
it (site.served_profiles_posts): on a Jekyll site, only when Jekyll publishes it, which
the site's `_config.yml` decides with `exclude` and `include` (Jekyll's EntryFilter).
Each verdict is compared with what Debian's Jekyll does with the same site."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from conftest import add_settings
from hotpapers import jekyll_entries
from hotpapers.cli import cli
from hotpapers.errors import ConfigError
from test_consumers import require

OLD_POST = "content/posts/2020-09-24---Hot-Papers.md"
CONFIGS = [
    "title: a site",  # Jekyll's defaults: content/ is published
    "- a list",  # no mapping: Jekyll warns and uses the defaults
    "exclude: [content]",
    "exclude: [cont]",  # a prefix of the path excludes it
    "exclude: ['*.md']",  # '*' matches '/' too
    "exclude: ['C?ntent/[!x]osts']",  # case counts
    "exclude: ['c?ntent/[a-p]osts']",
    "exclude: [./content]",  # joined to the source as it is: matches nothing
    "exclude: [content]\ninclude: [content]",  # include wins
    "exclude: [content/posts]\ninclude: [posts]",  # include matches a folder's name, at any depth
]


def jekyll_publishes(site: Path) -> bool:
    return any(site.glob("_site/content/posts/2020-09-24---Hot-Papers*"))


@pytest.fixture
def switched(site):
    """A site whose lumen post of 2020-09-24 stayed in content/posts after a switch to jekyll."""
    runner = CliRunner()
    assert runner.invoke(cli, ["build", "--date", "2020-09-24"]).exit_code == 0
    add_settings(site, "output: {profile: jekyll}")
    assert runner.invoke(cli, ["build", "--date", "2020-09-24"]).exit_code == 0
    assert (site / OLD_POST).is_file() and (site / "_posts/2020-09-24-hot-papers.md").is_file()
    return site


def test_check_names_the_old_post_exactly_when_jekyll_publishes_it(switched, tmp_path_factory):
    require("jekyll", shutil.which("jekyll"))
    copies = []
    for n, text in enumerate(CONFIGS):
        copy = tmp_path_factory.mktemp(f"site{n}")
        shutil.copytree(switched, copy, dirs_exist_ok=True)
        (copy / "_config.yml").write_text(text + "\n", encoding="utf-8")
        command = ["jekyll", "build", "-q", "-s", str(copy), "-d", str(copy / "_site")]
        copies.append((copy, subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)))
    verdicts = []
    for (copy, jekyll), text in zip(copies, CONFIGS, strict=True):
        _output, errors = jekyll.communicate(timeout=300)  # reads and closes its pipe, then waits
        assert jekyll.returncode == 0, (text, errors)
        shutil.copy(copy / "_config.yml", switched / "_config.yml")
        result = CliRunner().invoke(cli, ["-q", "check", "--days", "1", "--until", "2020-09-24"])
        named = f"2020-09-24: {OLD_POST} is the day's post under the lumen profile" in result.stderr
        assert result.exit_code == (1 if named else 0), result.output
        verdicts.append((text, named, jekyll_publishes(copy)))
    assert [(text, named) for text, named, _ in verdicts] == [(text, published) for text, _, published in verdicts]
    assert {published for _, _, published in verdicts} == {True, False}


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("exclude: [content", "not valid YAML at line 2 (did not find expected ',' or ']')"),
        ("exclude: content", "exclude is a str, not a list"),
        ("include:", "include is a null, not a list"),
    ],
)
def test_a_config_jekyll_refuses_is_one_line_and_the_post_is_named(switched, text, problem):
    require("jekyll", shutil.which("jekyll"))
    (switched / "_config.yml").write_text(text + "\n", encoding="utf-8")
    jekyll = subprocess.run(
        ["jekyll", "build", "-q", "-s", str(switched), "-d", str(switched / "_site")], capture_output=True, timeout=300
    )
    assert jekyll.returncode != 0  # Jekyll builds nothing with it
    result = CliRunner().invoke(cli, ["-q", "check", "--days", "1", "--until", "2020-09-24"])
    assert result.exit_code == 1 and result.stderr.count("\n") == 1, result.output
    assert result.stderr.startswith(f"Error: check failed: 2020-09-24: {OLD_POST} is the day's post under the lumen")
    assert result.stderr.endswith(f"(delete it); whether Jekyll excludes it is unknown: _config.yml: {problem}\n")


def test_a_fifo_as_the_config_hangs_no_check(switched):
    """A FIFO read as a file waits for a writer for ever."""
    os.mkfifo(switched / "_config.yml")
    command = [sys.executable, "-m", "hotpapers", "-q", "check", "--days", "1", "--until", "2020-09-24"]
    run = subprocess.run(command, cwd=switched, capture_output=True, text=True, timeout=30)
    assert run.returncode == 1, run.stderr
    assert run.stderr.endswith(
        "(delete it); whether Jekyll excludes it is unknown: _config.yml: not a file but a FIFO\n"
    )


@pytest.mark.parametrize(("size", "error"), [(2**20, None), (2**20 + 1, "_config.yml: larger than 1 MiB")])
def test_a_config_past_1_mib_is_not_read(tmp_path, monkeypatch, size, error):
    """Jekyll's config is read whole (YAML) only up to 1 MiB, so no huge or endless one fills the memory."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "_config.yml").write_bytes(b"exclude: [content]\n".ljust(size, b"#"))
    post = tmp_path / "content" / "posts" / "2020-09-24---Hot-Papers.md"
    if error is None:
        assert not jekyll_entries.jekyll_publishes(tmp_path, post)
    else:
        with pytest.raises(ConfigError) as raised:
            jekyll_entries.jekyll_publishes(tmp_path, post)
        assert raised.value.message == error


def test_the_newest_posts_permalink_reads_the_config_once(tmp_path, monkeypatch):
    """The feeds' permalink check reads _config.yml once, for the permalink and the note that
    no `defaults` entry applies to the newest post."""
    (tmp_path / "_posts").mkdir()
    (tmp_path / "_posts" / "2020-09-24-lab.md").write_text("", encoding="utf-8")
    (tmp_path / "_config.yml").write_text(
        'defaults: [{scope: {path: "_posts/*-hot-papers.md"}, values: {permalink: /:slug/}}]\n', encoding="utf-8"
    )
    reads = []
    settings = jekyll_entries._settings
    monkeypatch.setattr(jekyll_entries, "_settings", lambda site: reads.append(site) or settings(site))
    found = jekyll_entries.newest_posts_permalink(tmp_path / "_posts", "*-lab.md")
    assert found == (
        jekyll_entries.PERMALINK_STYLES["date"],
        " (no `defaults` entry setting one applies to _posts/2020-09-24-lab.md)",
    )
    assert reads == [tmp_path]
