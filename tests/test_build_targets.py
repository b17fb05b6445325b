"""What `build` writes to: never a FIFO or device in a post's or feed's place, never one
output over another or over a snapshot, feeds at the address the site serves them at,
and no dead writer's temporary file left behind."""

import json
import os
import subprocess
import sys

import feedparser
import pytest
from click.testing import CliRunner

import hotpapers
from conftest import EXAMPLE_POST, add_settings
from hotpapers.cli import cli
from hotpapers.errors import ConfigError

POST = "content/posts/2020-09-24---Hot-Papers.md"
SNAPSHOT = "data/snapshots/2020-09-24.json"
SITE = "https://lab.example.org"


def run(*args):
    return CliRunner().invoke(cli, list(args))


def run_process(*args):
    """In a process of its own: a build that opened a FIFO would wait forever (the timeout fails it)."""
    return subprocess.run(
        [sys.executable, "-m", "hotpapers", *args], capture_output=True, text=True, timeout=60, check=False
    )


@pytest.mark.parametrize("force", [[], ["--force"]])
def test_a_fifo_at_the_posts_path_is_refused_in_one_line(site, force):
    (site / POST).parent.mkdir(parents=True)
    os.mkfifo(site / POST)
    result = run_process("build", "--offline", "--date", "2020-09-24", *force)
    assert result.returncode == 2, result.stderr
    assert result.stderr.count("\n") == 1 and "post path holds a FIFO" in result.stderr and POST in result.stderr
    assert not (site / POST).is_file()


def test_a_fifo_at_a_feeds_path_is_refused_before_anything_is_written(site):
    add_settings(site, f"site: {{url: {SITE}}}\n")
    (site / "static").mkdir()
    os.mkfifo(site / "static" / "hot-papers.json")
    result = run_process("build", "--offline", "--date", "2020-09-24")
    assert result.returncode == 2, result.stderr
    assert "static/hot-papers.json: the feeds.json path holds a FIFO" in result.stderr
    assert result.stderr.count("\n") == 1 and not (site / POST).exists()


def test_posts_inside_the_snapshots_folder_are_refused(site):
    (site / "config.yaml").write_text(
        "output: {filename: '{date}.json'}\npaths: {posts: data/snapshots}\n", encoding="utf-8"
    )
    before = (site / SNAPSHOT).read_bytes()
    result = run("build", "--offline", "--date", "2020-09-24", "--force")
    assert result.exit_code == 2
    assert "would go inside paths.snapshots" in result.stderr and result.stderr.count("\n") == 1
    assert (site / SNAPSHOT).read_bytes() == before


@pytest.mark.parametrize(
    ("feeds", "message"),
    [
        (f"{{atom: {POST}}}", "feeds.atom (" + str(POST) + ") is inside the posts' folder"),
        ("{atom: static/feed, json: static/feed}", "feeds.json and feeds.atom are the same file"),
        (
            "{json: data/snapshots/2020-09-25.json}",
            "feeds.json (data/snapshots/2020-09-25.json) is inside paths.snapshots",
        ),
    ],
)
def test_feeds_over_a_post_a_snapshot_or_each_other_are_refused(site, feeds, message):
    assert run("build", "--offline", "--date", "2020-09-24").exit_code == 0
    (site / "config.yaml").write_text(f"site: {{url: {SITE}}}\nfeeds: {feeds}\n", encoding="utf-8")
    result = run("build", "--offline", "--date", "2020-09-24", "--force")
    assert result.exit_code == 2 and message in result.stderr, result.stderr
    assert (site / POST).read_bytes() == EXAMPLE_POST.read_bytes()
    assert not (site / "data" / "snapshots" / "2020-09-25.json").exists()


def test_update_feeds_called_alone_checks_the_outputs(site):
    assert run("build", "--offline", "--date", "2020-09-24").exit_code == 0
    before = (site / SNAPSHOT).read_bytes()
    (site / "config.yaml").write_text(f"site: {{url: {SITE}}}\nfeeds: {{json: {SNAPSHOT}}}\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=f"feeds.json \\({SNAPSHOT}\\) is inside paths.snapshots"):
        hotpapers.update_feeds(hotpapers.load_config())
    assert (site / SNAPSHOT).read_bytes() == before


@pytest.mark.parametrize(
    ("feeds", "message"),
    [
        ("{atom: static}", "feeds.atom (static) is paths.public (static), but a feed is a file"),
        ("{json: data}", "feeds.json (data) is above paths.snapshots (data/snapshots)"),
        ("{atom: content, json: null}", "feeds.atom (content) is above the posts' folder (content/posts)"),
        ("{atom: ., json: null}", "feeds.atom (.) is above paths.public (static)"),
        ("{atom: static/f, json: static/f/x.json}", "feeds.atom (static/f) is the folder of feeds.json (static/f)"),
    ],
)
def test_a_feed_in_the_place_of_a_folder_of_outputs_is_refused_before_anything_is_written(site, feeds, message):
    """A feed written as a file named `static` made the other feed and every later build fail."""
    (site / "config.yaml").write_text(f"site: {{url: {SITE}}}\nfeeds: {feeds}\n", encoding="utf-8")
    result = run("build", "--offline", "--date", "2020-09-24")
    assert result.exit_code == 2 and result.stderr.count("\n") == 1, result.output
    assert message in result.stderr and "name one inside paths.public, such as static/hot-papers." in result.stderr
    assert sorted(path.name for path in site.iterdir()) == ["config.yaml", "data"]


def jekyll_site(site, feeds=""):
    (site / "config.yaml").write_text(f"output: {{profile: jekyll}}\nsite: {{url: {SITE}}}\n{feeds}", encoding="utf-8")
    result = run("build", "--offline", "--date", "2020-09-24")
    assert result.exit_code == 0, result.stderr


def test_jekyll_feeds_go_where_jekyll_serves_them_and_say_so(site):
    """Jekyll serves the site's folder at the root: static/ is at /static/, not at /."""
    jekyll_site(site)
    atom = feedparser.parse((site / "hot-papers.atom").read_bytes())
    assert [link.href for link in atom.feed.links] == [f"{SITE}/", f"{SITE}/hot-papers.atom"]
    assert json.loads((site / "hot-papers.json").read_text(encoding="utf-8"))["feed_url"] == f"{SITE}/hot-papers.json"


def test_a_jekyll_feed_in_static_has_the_static_address(site):
    jekyll_site(site, "feeds: {atom: static/feeds/hot.atom, json: null}\n")
    atom = feedparser.parse((site / "static" / "feeds" / "hot.atom").read_bytes())
    assert atom.feed.links[1].href == f"{SITE}/static/feeds/hot.atom"


def test_a_feed_outside_the_served_folder_is_refused(site):
    (site / "config.yaml").write_text(f"site: {{url: {SITE}}}\nfeeds: {{atom: feeds/hot.atom}}\n", encoding="utf-8")
    result = run("build", "--offline", "--date", "2020-09-24")
    assert result.exit_code == 2 and "is outside paths.public" in result.stderr
    (site / "config.yaml").write_text(
        f"site: {{url: {SITE}}}\nfeeds: {{atom: feeds/hot.atom}}\npaths: {{public: feeds}}\n", encoding="utf-8"
    )
    assert run("build", "--offline", "--date", "2020-09-24").exit_code == 0
    assert feedparser.parse((site / "feeds" / "hot.atom").read_bytes()).feed.links[1].href == f"{SITE}/hot.atom"


def test_a_dry_run_says_an_up_to_date_post_is_up_to_date(site):
    assert run("build", "--offline", "--date", "2020-09-24").exit_code == 0
    result = run("build", "--offline", "--date", "2020-09-24", "--dry-run")
    assert result.exit_code == 0
    assert f"2020-09-24: {POST} is up to date (11 papers)" in result.stderr and "would write" not in result.stderr


def test_an_up_to_date_build_removes_dead_writers_temporary_files(site):
    assert run("build", "--offline", "--date", "2020-09-24").exit_code == 0
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    stale = [
        site / "content" / "posts" / f".2020-09-24---Hot-Papers.md.{dead.pid}-0.tmp",
        site / "data" / "snapshots" / f".2020-09-24.json.{dead.pid}-0.tmp",
    ]
    for path in stale:
        path.write_text("half", encoding="utf-8")
    result = run_process("build", "--offline", "--date", "2020-09-24")
    assert result.returncode == 0 and "is up to date" in result.stderr
    assert [path.exists() for path in stale] == [False, False]


@pytest.mark.parametrize(
    ("filename", "written"),
    [
        ("hot-papers-{date}.md", None),
        ("{date}.md", None),
        ("2020/{date}.md", None),
        ("{date}-digest.markdown", "_posts/2020-09-24-digest.markdown"),
        ("digests/{date}-x.md", "_posts/digests/2020-09-24-x.md"),
    ],
)
def test_a_jekyll_post_named_without_its_date_first_is_refused(site, filename, written):
    """Jekyll reads a post from _posts only when its file name starts with the date and a
    hyphen (DATE_FILENAME_MATCHER), and passes over any other without a word: with
    `output.filename: hot-papers-{date}.md`, build wrote each night a post the site never
    published, whose feed entry linked nowhere, and warned only of the permalink."""
    add_settings(site, f"output: {{profile: jekyll, filename: '{filename}'}}\n")
    result = run("build", "--offline", "--date", "2020-09-24")
    if written:
        assert result.exit_code == 0 and (site / written).is_file(), result.output
        return
    assert (result.exit_code, result.stdout) == (2, ""), result.output
    assert result.stderr == (
        f"Error: output.filename: Jekyll reads no post from _posts/{filename} and publishes nothing of it: "
        "a post's file name in _posts starts with its date, as {date}-hot-papers.md does\n"
    )
    assert not (site / "_posts").exists()


def test_render_o_refuses_a_jekyll_post_name_jekyll_reads_no_post_from(site):
    add_settings(site, "output: {profile: jekyll}\n")
    (site / "_posts").mkdir()
    result = run("render", SNAPSHOT, "-o", "_posts/hot-papers.md")
    assert (result.exit_code, result.stdout) == (2, ""), result.output
    assert result.stderr == (
        "Error: Jekyll reads no post from _posts/hot-papers.md and publishes nothing of it: "
        "a post's file name in _posts starts with its date, as 2020-09-24-hot-papers.md does\n"
    )
    assert list((site / "_posts").iterdir()) == []
    assert run("render", SNAPSHOT, "-o", "_posts/2020-09-24-ours.md").exit_code == 0
    assert run("render", SNAPSHOT, "-o", "hot-papers.md").exit_code == 0  # outside _posts: any name
