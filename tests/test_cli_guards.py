"""The guards of the command line against hostile or absurd input and a hostile
machine: special output files, killed builds, dates outside the calendar, refreshes
that lose data, and terminal escapes in messages."""

import json
import os
import shutil
import signal
import stat
import subprocess
import sys
import time
from datetime import date, timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner

from conftest import EXAMPLE_POST, add_settings, example_data
from fakes import TOKEN, Recorder, example_scenario, live_config, serve_scenario
from hotpapers.cli import cli
from hotpapers.snapshot import load_snapshot
from hotpapers.sources import SOURCES

SNAPSHOT = "data/snapshots/2020-09-24.json"
POST = "content/posts/2020-09-24---Hot-Papers.md"


def run(*args):
    return CliRunner().invoke(cli, list(args))


def test_render_into_a_fifo_writes_into_it(site):
    fifo = site / "post.fifo"
    os.mkfifo(fifo)
    reader = os.open(fifo, os.O_RDONLY | os.O_NONBLOCK)  # so that the writer's open does not wait
    try:
        result = run("render", SNAPSHOT, "-o", str(fifo))
        received = b""
        while chunk := os.read(reader, 1 << 16):
            received += chunk
    finally:
        os.close(reader)
    assert result.exit_code == 0, result.output
    assert received == EXAMPLE_POST.read_bytes()
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)


def test_render_into_a_link_to_a_device_writes_into_the_device(site):
    link = site / "null.md"
    link.symlink_to("/dev/null")
    result = run("render", SNAPSHOT, "-o", str(link))
    assert result.exit_code == 0, result.output
    assert os.readlink(link) == "/dev/null" and stat.S_ISCHR(os.stat("/dev/null").st_mode)


@pytest.mark.skipif(not Path("/proc/self/fd/1").exists(), reason="links to /proc/self/fd/1")
def test_render_to_dev_stdout_prints_the_post(site):
    """As /dev/stdout is, but a link of our own: a build that replaced it (as root) would
    break the machine's /dev/stdout."""
    (site / "stdout").symlink_to("/proc/self/fd/1")
    result = subprocess.run(
        [sys.executable, "-m", "hotpapers", "-q", "render", SNAPSHOT, "-o", "stdout"],
        capture_output=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout == EXAMPLE_POST.read_bytes() and os.readlink(site / "stdout") == "/proc/self/fd/1"


def test_what_the_system_refuses_is_one_line_and_exit_1(site):
    """A file name longer than the file system takes, and a full disk behind stdout (named:
    it said 'No space left on device' alone)."""
    result = run("render", SNAPSHOT, "-o", "a" * 300 + ".md")
    assert result.exit_code == 1 and result.stderr.startswith("Error: File name too long (")
    assert len(result.stderr.splitlines()) == 1
    if Path("/dev/full").exists():
        with open("/dev/full", "wb") as full:
            done = subprocess.run(
                [sys.executable, "-m", "hotpapers", "render", SNAPSHOT],
                stdout=full,
                stderr=subprocess.PIPE,
                timeout=60,
                check=False,
            )
        assert done.returncode == 1 and done.stderr.decode().splitlines() == [
            "Error: standard output: No space left on device"
        ]


def test_a_path_out_of_a_missing_folder_is_followed_as_written_and_makes_no_folder(site):
    """`-o _posts/sub/../X.md` without a `_posts/sub` looked for X.md there, found none (the
    system follows `..` only out of a folder that exists), made `_posts/sub` to write it and
    left it empty: replacing a file that is no post unguarded, or failing on a folder."""
    (site / "_posts" / "adir").mkdir(parents=True)
    (site / "_posts" / "X.md").write_text("my notes\n", encoding="utf-8")
    kept = run("render", SNAPSHOT, "-o", "_posts/sub/../X.md")
    assert (kept.exit_code, kept.stderr) == (
        0,
        "2020-09-24: kept _posts/X.md: it is no post (no frontmatter, no heading `N. title`), "
        "the new one lists 11 papers (--force replaces it)\n",
    )
    assert (site / "_posts" / "X.md").read_text(encoding="utf-8") == "my notes\n"
    folder = run("render", SNAPSHOT, "-o", "_posts/sub/../adir")
    assert (folder.exit_code, folder.stderr) == (
        2,
        "Error: Invalid value for -o: _posts/adir is a folder (see 'hotpapers render --help')\n",
    )
    assert sorted(path.name for path in (site / "_posts").iterdir()) == ["X.md", "adir"]
    written = run("render", SNAPSHOT, "-o", "new/a/b/../c/X.md")
    assert (written.exit_code, written.stderr) == (0, "2020-09-24: wrote new/a/c/X.md (11 papers)\n")
    assert (site / "new/a/c/X.md").read_bytes() == EXAMPLE_POST.read_bytes()
    assert [path.name for path in (site / "new/a").iterdir()] == ["c"]


def test_an_existing_post_that_cannot_be_read_is_one_line_and_exit_1(site):
    """The post is read before it is replaced: a path through a file cannot be, and the
    error names the file in the way (it named a post that cannot be there)."""
    (site / "out.md").write_text("x", encoding="utf-8")
    result = run("render", SNAPSHOT, "-o", "out.md/post.md")
    assert result.exit_code == 1
    assert result.stderr == "Error: cannot write out.md/post.md: out.md is a file, not a folder\n"
    assert (site / "out.md").read_text(encoding="utf-8") == "x"


def test_render_to_a_dash_prints_the_post(site):
    """`-o -`, the usual name of stdout, wrote a file named `-` ('2020-09-24: wrote - (11 papers)')."""
    result = run("render", SNAPSHOT, "-o", "-")
    assert (result.exit_code, result.stdout, result.stderr) == (0, EXAMPLE_POST.read_text(encoding="utf-8"), "")
    assert not (site / "-").exists()


def test_render_to_a_file_keeps_a_post_that_lists_more_papers(site):
    assert run("render", SNAPSHOT, "-o", "out.md").exit_code == 0
    data = example_data()
    data["mentions"].pop(0)  # drops the 11th paper
    (site / "fewer.json").write_text(json.dumps(data), encoding="utf-8")
    result = run("-q", "render", "fewer.json", "-o", "out.md")
    assert result.exit_code == 0
    assert result.stderr == "2020-09-24: kept out.md: it lists 11 papers, the new one 10 (--force replaces it)\n"
    assert (site / "out.md").read_bytes() == EXAMPLE_POST.read_bytes()
    assert run("render", "fewer.json", "-o", "out.md", "--force").exit_code == 0
    assert (site / "out.md").read_text(encoding="utf-8").count("\n# ") == 10


@pytest.mark.parametrize(
    ("output", "expected"),
    [("", ". is a folder"), (SNAPSHOT, f"{SNAPSHOT} is the snapshot being rendered")],
)
def test_render_refuses_a_folder_or_its_own_snapshot_as_output(site, output, expected):
    before = (site / SNAPSHOT).read_bytes()
    result = run("render", SNAPSHOT, "-o", output)
    assert result.exit_code == 2 and result.stderr.count("\n") == 1 and expected in result.stderr
    assert (site / SNAPSHOT).read_bytes() == before


@pytest.mark.parametrize(
    ("output", "expected"),
    [
        ("data/snapshots/2020-09-25.json", "data/snapshots/2020-09-25.json is inside paths.snapshots (data/snapshots)"),
        (
            "content/posts/2020-09-23---Hot-Papers.md",
            "content/posts/2020-09-23---Hot-Papers.md is the site's post of 2020-09-23, not of 2020-09-24, "
            "the snapshot's day",
        ),
    ],
)
@pytest.mark.parametrize("exists", [True, False])
def test_render_refuses_a_snapshot_or_another_days_post_as_output(site, output, expected, exists):
    """The write guards compare papers, not days: the post of 09-23 listing no more papers
    was replaced by 09-24's, and a post written among the snapshots was read as 09-25's."""
    if exists:
        (site / output).parent.mkdir(parents=True, exist_ok=True)
        (site / output).write_text(EXAMPLE_POST.read_text(encoding="utf-8").replace("11. ", "x. "), encoding="utf-8")
    before = (site / output).read_bytes() if exists else None
    result = run("render", SNAPSHOT, "-o", output, "--force")
    assert (result.exit_code, result.stderr) == (
        2,
        f"Error: {expected}" + (": write the post elsewhere\n" if "snapshots" in expected else "\n"),
    )
    assert ((site / output).read_bytes() if (site / output).exists() else None) == before


def test_render_refuses_another_days_post_in_a_linked_posts_folder(site):
    """The posts' folder a link: the output's path, its links followed, is compared with the
    folder's, its links followed too, so the post of 09-23 is still the site's post."""
    (site / "real-posts").mkdir()
    (site / "content").mkdir()
    (site / "content" / "posts").symlink_to(site / "real-posts", target_is_directory=True)
    result = run("render", SNAPSHOT, "-o", "content/posts/2020-09-23---Hot-Papers.md")
    assert (result.exit_code, result.stderr) == (
        2,
        "Error: content/posts/2020-09-23---Hot-Papers.md is the site's post of 2020-09-23, not of 2020-09-24, "
        "the snapshot's day\n",
    )
    assert list((site / "real-posts").iterdir()) == []


def test_render_o_into_a_site_that_cannot_read_the_profile_is_refused_as_build_is(site, tmp_path_factory):
    """In a Hugo site without hotpapers' config yet (the defaults: lumen), `render D.json -o
    content/posts/D.md` wrote a lumen post whose `.Z` date Hugo drops without a word (the page
    dated 0001-01-01), where build refuses the profile. Outside the site, or printed, it is
    written as asked."""
    (site / "config.yaml").unlink()
    (site / "hugo.toml").write_text('baseURL = "https://lab.example.org/"\n', encoding="utf-8")
    (site / "content" / "posts").mkdir(parents=True)
    result = run("render", SNAPSHOT, "-o", "content/posts/2020-09-24.md")
    assert (result.exit_code, result.stdout) == (2, ""), result.output
    assert result.stderr.startswith("Error: hugo.toml: a Hugo site (hugo.toml) reads no date from posts of ")
    assert result.stderr.endswith("set `output: {profile: hugo}` in hotpapers.yaml (`hotpapers init` writes one)\n")
    assert list((site / "content" / "posts").iterdir()) == []
    elsewhere = tmp_path_factory.mktemp("elsewhere") / "2020-09-24.md"
    assert run("render", SNAPSHOT, "-o", str(elsewhere)).exit_code == 0
    assert elsewhere.read_bytes() == EXAMPLE_POST.read_bytes() == run("render", SNAPSHOT).stdout_bytes


def test_render_writes_a_file_named_as_a_post_with_more_after_it(site):
    """A post's name must end the path: a copy beside another day's post (`.orig`) is no post of the site."""
    (site / "content" / "posts").mkdir(parents=True)
    result = run("-q", "render", SNAPSHOT, "-o", "content/posts/2020-09-23---Hot-Papers.md.orig")
    assert (result.exit_code, result.stderr) == (0, "")
    assert (site / "content/posts/2020-09-23---Hot-Papers.md.orig").read_bytes() == EXAMPLE_POST.read_bytes()


def test_a_file_that_is_no_post_is_kept_unless_forced(site):
    """`render -o config.yaml` replaced the site's config: a file with no paper heading
    counted as a post of 0 papers, which any post lists more than."""
    config = (site / "config.yaml").read_bytes()
    result = run("-q", "render", SNAPSHOT, "-o", "config.yaml")
    assert (result.exit_code, result.stderr) == (
        0,
        "2020-09-24: kept config.yaml: it is no post (no frontmatter, no heading `N. title`), the new one "
        "lists 11 papers (--force replaces it)\n",
    )
    assert (site / "config.yaml").read_bytes() == config
    (site / POST).parent.mkdir(parents=True, exist_ok=True)
    (site / POST).write_text("\n \n", encoding="utf-8")  # blank: no post to lose
    assert run("build", "--date", "2020-09-24", "--offline").exit_code == 0
    assert (site / POST).read_bytes() == EXAMPLE_POST.read_bytes()
    (site / POST).write_bytes(b"\xef\xbb\xbf\r\n")  # blank too: an editor's empty file with its BOM
    assert run("build", "--date", "2020-09-24", "--offline").exit_code == 0
    assert (site / POST).read_bytes() == EXAMPLE_POST.read_bytes()
    for stub in ("---\ntitle: Hot Papers\ndraft: true\n---\n", "\ufeff---\r\ntitle: x\r\n---\r\nprose, no heading\r\n"):
        (site / POST).write_text(stub, encoding="utf-8")  # a post all the same (`hugo new`'s stub): 0 papers
        assert run("build", "--date", "2020-09-24", "--offline").exit_code == 0
        assert (site / POST).read_bytes() == EXAMPLE_POST.read_bytes()
    (site / POST).write_text("a: 1\n---\nb: 2\n---\n", encoding="utf-8")  # YAML documents, not opened by ---
    assert "it is no post" in run("build", "--date", "2020-09-24", "--offline").stderr
    (site / POST).write_text("notes for the day\n", encoding="utf-8")
    kept = run("build", "--date", "2020-09-24", "--offline")
    assert kept.exit_code == 0 and f"kept {POST}: it is no post" in kept.stderr
    assert (site / POST).read_text(encoding="utf-8") == "notes for the day\n"
    dry = run("build", "--date", "2020-09-24", "--offline", "--dry-run")
    assert dry.exit_code == 0 and f"2020-09-24: would keep {POST}: it is no post" in dry.stderr
    assert run("build", "--date", "2020-09-24", "--offline", "--force").exit_code == 0
    assert (site / POST).read_bytes() == EXAMPLE_POST.read_bytes()


def test_a_ratio_that_is_not_a_number_is_refused(site):
    result = run("check", "--min-ratio", "nan")
    assert result.exit_code == 2 and result.stderr.count("\n") == 1
    assert "minimum ratio must be between 0 and 1, not nan" in result.stderr


def finished_process_id() -> int:
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


def test_a_build_removes_the_temporary_files_of_dead_writers_only(site):
    posts = site / "content" / "posts"
    posts.mkdir(parents=True)
    dead = posts / f".2020-09-24---Hot-Papers.md.{finished_process_id()}-0.tmp"
    alive = posts / f".2020-09-24---Hot-Papers.md.{os.getppid()}-0.tmp"  # a writer still running
    other = posts / ".notes.tmp"
    for path in (dead, alive, other):
        path.write_text("half a post", encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "-m", "hotpapers", "-q", "build", "--date", "2020-09-24"], capture_output=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    assert not dead.exists() and alive.exists() and other.exists()
    assert (site / POST).read_bytes() == EXAMPLE_POST.read_bytes()


def _gone(pid: int) -> bool:
    """Whether the process ended (a zombie nobody reaped has ended too)."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] in "ZX"
    except (FileNotFoundError, ProcessLookupError):
        return True


STUCK_WORKER = """
import os, sys, threading
import hotpapers.compose as composing

def stuck(snapshot, config):
    open(os.path.join(sys.argv[1], str(os.getpid())), "w").close()
    threading.Event().wait()

composing.rank = stuck
os.cpu_count = lambda: 2  # two workers even on one core
if __name__ == "__main__":  # run again, as __mp_main__, in each worker that spawn or forkserver starts
    import multiprocessing
    multiprocessing.set_start_method(sys.argv[2])
    from hotpapers.cli import cli
    cli.main(sys.argv[3:])
"""


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads process states from /proc")
@pytest.mark.parametrize("method", ["fork", "forkserver"])
def test_the_workers_of_a_range_build_die_with_it(site, tmp_path_factory, method):
    """Workers are forked on Linux up to Python 3.13 and started by forkserver since 3.14.
    The patch that makes them hang is in a script file, which forkserver's workers import
    too: given by -c, it stayed in the parent, and under forkserver no worker hung."""
    first, count = date(2020, 8, 1), 40
    data = example_data()
    for n in range(count):
        data["date"] = (first + timedelta(days=n)).isoformat()
        (site / "data" / "snapshots" / f"{data['date']}.json").write_text(json.dumps(data), encoding="utf-8")
    marks = tmp_path_factory.mktemp("workers")
    last = (first + timedelta(days=count - 1)).isoformat()
    args = ["-q", "build", "--since", first.isoformat(), "--until", last, "--offline"]
    script = tmp_path_factory.mktemp("script") / "stuck_build.py"
    script.write_text(STUCK_WORKER, encoding="utf-8")
    build = subprocess.Popen([sys.executable, str(script), str(marks), method, *args])
    try:
        deadline = time.monotonic() + 60
        while len(os.listdir(marks)) < 2 and time.monotonic() < deadline and build.poll() is None:
            time.sleep(0.05)
        workers = [int(name) for name in os.listdir(marks)]
        assert len(workers) == 2, f"the build ended or started no workers (exit {build.poll()})"
        os.kill(build.pid, signal.SIGKILL)
        build.wait(timeout=10)
        deadline = time.monotonic() + 10
        while not all(_gone(pid) for pid in workers) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert all(_gone(pid) for pid in workers)
    finally:
        for pid in [int(name) for name in os.listdir(marks)]:
            if not _gone(pid):
                os.kill(pid, signal.SIGKILL)
        if build.poll() is None:
            build.kill()


@pytest.mark.parametrize(
    "args",
    [
        ["build", "--date", "9999-12-31"],
        ["build", "--date", "0001-01-01", "--offline"],
        ["build", "--since", "0999-12-31", "--until", "1000-01-01", "--offline"],
        ["check", "--until", "0001-01-01"],
        ["explain", "9999-12-31"],
    ],
)
def test_absurd_dates_are_one_line_and_exit_2(site, args):
    result = run(*args)
    assert result.exit_code == 2, result.output
    assert result.stderr.count("\n") == 1 and "is outside the years 1000-9998" in result.stderr


@pytest.fixture
def refreshed_site(tmp_path, monkeypatch, httpserver):
    scenario = example_scenario()
    serve_scenario(httpserver, scenario, Recorder())
    (tmp_path / "config.yaml").write_text(live_config(httpserver, site={"url": "https://lab.example.org"}))
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("X_BEARER_TOKEN", TOKEN)
    assert run("build", "--date", "2020-09-24").exit_code == 0
    first = scenario.pages[0]
    scenario.pages[:] = [{**first, "data": first["data"][:1], "meta": {"result_count": 1}}]
    return tmp_path


def _kept_unless_forced(snapshot: Path, stderr: str) -> None:
    """A refresh keeps `snapshot` as it was, saying `stderr`; one with --force replaces it."""
    stored = snapshot.read_bytes()
    result = run("-q", "build", "--date", "2020-09-24", "--refresh")
    assert result.exit_code == 0, result.output
    assert result.stderr == stderr
    assert snapshot.read_bytes() == stored
    assert run("build", "--date", "2020-09-24", "--refresh", "--force").exit_code == 0


def test_a_refresh_that_finds_far_fewer_mentions_keeps_the_snapshot_unless_forced(refreshed_site):
    snapshot = refreshed_site / SNAPSHOT
    count = len(load_snapshot(snapshot).mentions)
    _kept_unless_forced(
        snapshot,
        f"2020-09-24: kept the stored snapshot {SNAPSHOT}: it holds {count} mentions, "
        "the new fetch 1 (--force replaces it)\n",
    )
    assert len(load_snapshot(snapshot).mentions) == 1


def test_a_refresh_keeps_the_snapshot_holding_mentions_no_enabled_source_fetches_unless_forced(refreshed_site):
    """A lab added its Mastodon counts to a fetched day (snapshots are the import format);
    `build --refresh`, which the error for a broken snapshot advises, replaced the file
    with a fresh fetch and the lab's mentions were gone without a word."""
    snapshot = refreshed_site / SNAPSHOT
    data = json.loads(snapshot.read_text(encoding="utf-8"))
    imported = {**data["mentions"][0], "platform": "mastodon", "id": "113", "url": "https://sigmoid.social/@lab/113"}
    imported.pop("embed_html", None)
    data["mentions"] += [imported, {**imported, "id": "114"}]
    snapshot.write_text(json.dumps(data), encoding="utf-8")
    _kept_unless_forced(
        snapshot,
        f"2020-09-24: kept the stored snapshot {SNAPSHOT}: it holds 2 mentions of mastodon, which no enabled source "
        "fetches (--force replaces it)\n",
    )
    assert {mention.platform for mention in load_snapshot(snapshot).mentions} == {"twitter"}


def test_a_refresh_with_every_source_off_says_nothing_can_fetch_the_day(site):
    """A site bringing all its data: `build --refresh` kept the snapshot, saying that it held
    mentions no enabled source fetches '(--force replaces it)', and exited 0; with --force it
    failed, as nothing can fetch the day. Both now fail alike, the snapshot kept."""
    add_settings(site, json.dumps({"sources": {name: {"enabled": False} for name in SOURCES}}))
    snapshot = site / SNAPSHOT
    stored = snapshot.read_bytes()
    for force in ([], ["--force"]):
        result = run("-q", "build", "--date", "2020-09-24", "--refresh", *force)
        assert result.exit_code == 2
        assert result.stderr == (
            "Error: 2020-09-24: no source can fetch it again (its stored snapshot stays): "
            "every source is disabled in the config\n"
        )
        assert snapshot.read_bytes() == stored


@pytest.mark.skipif(not Path("/proc/self").is_dir(), reason="a folder no one can create a file in")
def test_a_build_that_could_not_save_its_snapshot_fetches_nothing(tmp_path, monkeypatch, httpserver):
    """A snapshots folder no file can be created in (a read-only disk, another user's
    folder; here /proc/self, even for root) was found only after the day was fetched:
    the posts read were lost, and X bills each; every nightly retry paid again."""
    recorder = Recorder()
    serve_scenario(httpserver, example_scenario(), recorder)
    (tmp_path / "config.yaml").write_text(live_config(httpserver, paths={"snapshots": "/proc/self"}), encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("X_BEARER_TOKEN", TOKEN)
    result = run("-q", "build", "--date", "2020-09-24")
    assert result.exit_code == 1 and result.stderr.startswith("Error: cannot write into /proc/self: ")
    assert result.stderr.endswith("; nothing was fetched\n") and result.stderr.count("\n") == 1
    assert recorder.calls == []
    assert run("build", "--date", "2020-09-24", "--dry-run").exit_code == 0  # writes nothing, so may plan


def test_the_refresh_advised_for_a_snapshot_holding_another_day_replaces_it(refreshed_site):
    snapshot = refreshed_site / SNAPSHOT
    snapshot.write_text(snapshot.read_text(encoding="utf-8").replace('"date": "2020-09-24"', '"date": "2020-09-23"', 1))
    refused = run("-q", "build", "--date", "2020-09-24")
    assert refused.exit_code == 2 and "--date 2020-09-24 --refresh" in refused.stderr
    assert run("build", "--date", "2020-09-24", "--refresh").exit_code == 0
    assert load_snapshot(snapshot).date == "2020-09-24"


def test_terminal_escapes_in_messages_are_shown_as_escapes(site):
    missing = run("render", "no\x1b]0;owned\x07such\n.json")
    assert missing.exit_code == 2 and "\x1b" not in missing.stderr and "\x07" not in missing.stderr
    assert "no\\x1b]0;owned\\x07such\\n.json" in missing.stderr and missing.stderr.count("\n") == 1
    written = run("render", SNAPSHOT, "-o", "out\x1b[2J.md")
    assert written.exit_code == 0 and "wrote out\\x1b[2J.md (11 papers)" in written.stderr
    assert "\x1b" not in written.stderr


def test_a_build_fetching_into_a_folder_another_build_is_fetching_into_fetches_nothing(
    tmp_path, monkeypatch, httpserver
):
    """Cron's build and a hand-run --refresh of the same site each fetched the day, and X
    billed both; now the second says so in one line. The claim is an flock on the folder
    (here taken as another process would), so it leaves no file to commit."""
    import fcntl

    recorder = Recorder()
    serve_scenario(httpserver, example_scenario(), recorder)
    (tmp_path / "config.yaml").write_text(live_config(httpserver), encoding="utf-8")
    snapshots = tmp_path / "data" / "snapshots"
    snapshots.mkdir(parents=True)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("X_BEARER_TOKEN", TOKEN)
    other = os.open(snapshots, os.O_RDONLY)
    try:
        fcntl.flock(other, fcntl.LOCK_EX | fcntl.LOCK_NB)
        result = run("-q", "build", "--date", "2020-09-24")
        assert (result.exit_code, result.stderr) == (
            1,
            "Error: another hotpapers build is fetching into data/snapshots; nothing was fetched (run it again when "
            "that one ends)\n",
        )
        assert recorder.calls == [] and os.listdir(snapshots) == []
        assert run("build", "--date", "2020-09-24", "--dry-run").exit_code == 0  # writes nothing, so may plan
    finally:
        os.close(other)
    assert run("-q", "build", "--date", "2020-09-24").exit_code == 0
    assert run("-q", "build", "--date", "2020-09-24", "--refresh").exit_code == 0  # this process holds it already
    assert sorted(os.listdir(snapshots)) == ["2020-09-24.json"]


def test_a_build_that_comes_once_the_first_build_of_a_new_site_made_its_folder_fetches_nothing(tmp_path):
    """The first build of a site without a snapshots folder locked the folder it would be
    made in; a second build, coming once the first had saved its first day there, locked the
    new folder and fetched too (X billing both). Here the first is another process."""
    from hotpapers.errors import WriteError
    from hotpapers.fetch_claim import claim_for_fetching

    snapshots = tmp_path / "site" / "data" / "snapshots"
    (tmp_path / "site").mkdir()
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys; from pathlib import Path; from hotpapers.fetch_claim import claim_for_fetching; "
            f"claim_for_fetching(Path({str(snapshots)!r})); print('held', flush=True); sys.stdin.read()",
        ],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout.readline() == "held\n"
        snapshots.mkdir(parents=True, exist_ok=True)  # as the first build's save makes it, if the claim has not
        with pytest.raises(WriteError, match=r"^another hotpapers build is fetching into "):
            claim_for_fetching(snapshots)
    finally:
        holder.communicate("", timeout=30)
    claim_for_fetching(snapshots)  # the first one ended


def test_a_snapshots_folder_under_a_broken_link_is_refused_before_fetching(tmp_path, monkeypatch):
    """`data` a link to a folder that is gone: a file can be made beside it, but not the
    snapshots' folder through it, which the claim makes before a fetch is paid for. The
    error names the link, as a save's does: 'File exists' said neither which nor why."""
    from hotpapers.errors import WriteError
    from hotpapers.fetch_claim import claim_for_fetching

    monkeypatch.chdir(tmp_path)
    (tmp_path / "data").symlink_to(tmp_path / "gone")
    with pytest.raises(WriteError) as raised:
        claim_for_fetching(tmp_path / "data" / "snapshots")
    assert raised.value.message == (
        f"cannot write into data/snapshots: data is a link to {tmp_path / 'gone'}, which does not exist; "
        "nothing was fetched"
    )


@pytest.mark.parametrize("file", ["data/snapshots", "data"])
def test_a_file_in_the_snapshots_folder_s_way_is_named_before_fetching(tmp_path, monkeypatch, file):
    """A file where the snapshots' folder, or a folder on its path, goes said only 'Not a
    directory', not which part of the path is a file, as the claim names a link to nothing."""
    from hotpapers.errors import WriteError
    from hotpapers.fetch_claim import claim_for_fetching

    monkeypatch.chdir(tmp_path)
    (tmp_path / file).parent.mkdir(exist_ok=True)
    (tmp_path / file).write_text("x", encoding="utf-8")
    with pytest.raises(WriteError) as raised:
        claim_for_fetching(tmp_path / "data" / "snapshots")
    assert raised.value.message == (
        f"cannot write into data/snapshots: {file} is a file, not a folder; nothing was fetched"
    )


def test_a_posts_folder_that_is_a_link_to_itself_is_one_line_and_exit_1(site):
    """A link loop is a path the system refuses (ELOOP): on Python 3.11 and 3.12,
    `Path.resolve` raised a RuntimeError for it, which build reported as an internal error."""
    (site / "content").mkdir()
    (site / "content" / "posts").symlink_to("posts")
    result = run("build", "--offline", "2020-09-24")
    assert result.exit_code == 1
    assert result.stderr == f"Error: cannot read the existing post {POST}: Too many levels of symbolic links\n"


def test_a_feed_path_that_is_a_link_to_itself_is_replaced_by_the_feed(site):
    """Every command read the config, which compares the feeds' paths with the config file's,
    and stopped there with an internal error; a build now writes the feed over the link."""
    add_settings(site, "site: {url: 'https://example.org'}")
    (site / "static").mkdir()
    (site / "static" / "hot-papers.atom").symlink_to("hot-papers.atom")
    result = run("build", "--offline", "2020-09-24")
    assert result.exit_code == 0, result.output
    assert (site / "static" / "hot-papers.atom").read_text(encoding="utf-8").startswith("<?xml")


def test_render_refuses_force_without_a_file_to_write(site):
    """`render SNAPSHOT --force` printed the post and said nothing: --force replaces a
    file, and a post printed on stdout replaces none, so a user who meant -o learnt
    nothing of it."""
    result = CliRunner().invoke(cli, ["render", "data/snapshots/2020-09-24.json", "--force"])
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr == (
        "Error: Invalid value for '--force': it goes with -o (a post printed replaces nothing) "
        "(see 'hotpapers render --help')\n"
    )


@pytest.mark.skipif(not Path("/proc/self/status").is_file(), reason="no /proc")
def test_running_out_of_memory_is_one_line_and_exit_1(site):
    """A day too large for the memory a host allows (`ulimit -v`) said `internal error:
    MemoryError: ` and nothing more: nothing said what ran out."""
    snapshot = json.loads((site / SNAPSHOT).read_text(encoding="utf-8"))
    mention = snapshot["mentions"][0]
    snapshot["mentions"] = [{**mention, "id": str(n), "text": f"{n} " * 200} for n in range(40_000)]
    (site / SNAPSHOT).write_text(json.dumps(snapshot), encoding="utf-8")
    code = (
        "import re, resource, sys\n"
        "from pathlib import Path\n"
        "from hotpapers.cli import cli\n"
        "used = int(re.search(r'VmSize:\\s+(\\d+) kB', Path('/proc/self/status').read_text())[1]) * 1024\n"
        "resource.setrlimit(resource.RLIMIT_AS, (used + 32 * 1024 * 1024,) * 2)\n"
        "cli.main(['build', '--offline', '2020-09-24'])\n"
    )
    done = subprocess.run([sys.executable, "-c", code], cwd=site, capture_output=True, text=True, timeout=120)
    assert done.returncode == 1
    assert done.stderr == (
        "Error: out of memory: the system, or a limit such as `ulimit -v`, gave no more (--debug shows where)\n"
    )
    assert not (site / POST).exists()


@pytest.mark.parametrize("day_post_exists", [True, False])
def test_render_o_under_another_name_in_the_posts_folder_warns_of_a_second_post(site, day_post_exists):
    """content/posts/copy.md beside content/posts/2020-09-24---Hot-Papers.md: both have the
    slug hot-papers-2020-09-24, so the site had two pages for one address, without a word."""
    day_post = site / "content" / "posts" / "2020-09-24---Hot-Papers.md"
    day_post.parent.mkdir(parents=True)
    if day_post_exists:
        day_post.write_bytes(EXAMPLE_POST.read_bytes())
    result = run("-q", "render", SNAPSHOT, "-o", "content/posts/copy.md")
    both = (
        "publishes both"
        if day_post_exists
        else "will publish both once build writes content/posts/2020-09-24---Hot-Papers.md"
    )
    assert (result.exit_code, result.stderr) == (
        0,
        "2020-09-24: content/posts/copy.md is a second post of the day in the site's posts folder, beside "
        f"content/posts/2020-09-24---Hot-Papers.md, and the site {both} at one address: write it as "
        "content/posts/2020-09-24---Hot-Papers.md, or outside content/posts\n",
    )
    assert (site / "content" / "posts" / "copy.md").read_bytes() == EXAMPLE_POST.read_bytes()


def test_render_o_to_the_days_own_post_or_outside_the_posts_folder_warns_of_nothing(site):
    for output in ("content/posts/2020-09-24---Hot-Papers.md", "elsewhere.md"):
        result = run("-q", "render", SNAPSHOT, "-o", output)
        assert (result.exit_code, result.stderr) == (0, "")


def test_render_o_as_a_markdown_file_of_the_other_suffix_warns_of_a_second_post(site):
    """content/posts/copy.markdown is a post to Gatsby, Hugo and Jekyll alike, as .md is: only
    a file of the post's own suffix was warned of, and the site published both at one address."""
    result = run("-q", "render", SNAPSHOT, "-o", "content/posts/copy.markdown")
    assert (result.exit_code, result.stderr) == (
        0,
        "2020-09-24: content/posts/copy.markdown is a second post of the day in the site's posts folder, beside "
        "content/posts/2020-09-24---Hot-Papers.md, and the site will publish both once build writes "
        "content/posts/2020-09-24---Hot-Papers.md at one address: write it as "
        "content/posts/2020-09-24---Hot-Papers.md, or outside content/posts\n",
    )
    assert run("-q", "render", SNAPSHOT, "-o", "content/posts/copy.txt").stderr == ""  # no post to the site


@pytest.mark.parametrize(
    ("profile", "output", "post"),
    [
        ("lumen-2022", "content/posts/2020-09-24---hot-papers", "content/posts/2020-09-24---hot-papers/index.md"),
        ("lumen-2022", "content/posts/2020-09-25---hot-papers", "content/posts/2020-09-25---hot-papers/index.md"),
        ("lumen", "content/posts/2020-09-25---Hot-Papers.md/copy.md", "content/posts/2020-09-25---Hot-Papers.md"),
    ],
)
def test_render_o_where_a_post_needs_a_folder_or_its_file_is_refused(site, profile, output, post):
    """lumen-2022 writes each day's post as FOLDER/index.md: `render -o content/posts/2020-09-25---hot-papers`
    wrote a file where that folder goes, without a word, and the day's build then failed
    ('cannot read the existing post .../index.md: Not a directory'); a folder made for -o's
    FILE where a post's file goes stopped that day's build too."""
    add_settings(site, f"output: {{profile: {profile}}}")
    result = run("-q", "render", SNAPSHOT, "-o", output)
    day_post = (
        post.replace("2020-09-25", "2020-09-24")
        if profile == "lumen-2022"
        else "content/posts/2020-09-24---Hot-Papers.md"
    )
    assert (result.exit_code, result.stderr) == (
        2,
        f"Error: {output} would keep build from writing the site's post of {post[14:24]} ({post}): write the post "
        f"as {day_post}, or outside content/posts\n",
    )
    assert not (site / "content" / "posts").exists()


@pytest.mark.parametrize("output", ["content/posts", "content", "data"])
def test_render_o_where_the_posts_or_the_snapshots_folder_goes_is_refused(site, output):
    """`render -o content` in a site without posts yet wrote a file named content, and every
    build then failed to make content/posts; so did a file at data, the snapshots' folder above."""
    shutil.move(site / SNAPSHOT, site / "2020-09-24.json")
    shutil.rmtree(site / "data")
    result = run("-q", "render", "2020-09-24.json", "-o", output)
    folder = "content/posts" if output.startswith("content") else "data/snapshots"
    assert (result.exit_code, result.stderr) == (
        2,
        f"Error: {output} is where the folder {folder} goes, which build writes into: write the post elsewhere\n",
    )
    assert not (site / output).exists()
