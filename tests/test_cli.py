"""The command line end to end in a scratch site: exit codes, messages, and what is written."""

import codecs
import json
import logging
import os
import shutil
import subprocess
import sys
import threading
from datetime import date

import click
import pytest
from click.testing import CliRunner

import hotpapers.snapshot
from conftest import EXAMPLE_POST, add_settings, example_data, stored_days
from hotpapers import __version__
from hotpapers.cli import cli
from hotpapers.console import log, progress, progress_bar
from hotpapers.days import select_days

POST = "content/posts/2020-09-24---Hot-Papers.md"


def run(*args):
    return CliRunner().invoke(cli, list(args))


def test_version():
    result = run("--version")
    assert result.exit_code == 0 and result.output == f"hotpapers, version {__version__}\n"


def test_render_prints_the_post(site):
    result = run("render", "data/snapshots/2020-09-24.json")
    assert result.exit_code == 0
    assert result.stdout == EXAMPLE_POST.read_text(encoding="utf-8")


def test_render_to_a_file(site):
    result = run("render", "data/snapshots/2020-09-24.json", "-o", "out/post.md")
    assert result.exit_code == 0
    assert (site / "out" / "post.md").read_bytes() == EXAMPLE_POST.read_bytes()


def test_render_dash_reads_the_snapshot_from_standard_input(site):
    """`render -` said `-: no such snapshot`, and `render /dev/stdin` refuses a pipe (a FIFO):
    a snapshot made by a script of one's own could not be piped in, as `-` pipes a file
    into most commands that read one."""
    snapshot = (site / "data" / "snapshots" / "2020-09-24.json").read_bytes()
    piped = subprocess.run(
        [sys.executable, "-m", "hotpapers", "-q", "render", "-"], input=snapshot, capture_output=True, timeout=60
    )
    assert (piped.returncode, piped.stderr, piped.stdout) == (0, b"", EXAMPLE_POST.read_bytes())
    result = CliRunner().invoke(cli, ["render", "-", "-o", "out.md"], input=snapshot)
    assert result.exit_code == 0, result.output
    assert (site / "out.md").read_bytes() == EXAMPLE_POST.read_bytes()
    result = CliRunner().invoke(cli, ["render", "-"], input=b"{")
    assert (result.exit_code, result.stderr) == (
        2,
        "Error: standard input: not valid JSON (Expecting property name enclosed in double quotes at line 1, "
        "column 2)\n",
    )
    (site / "-").write_bytes(snapshot)  # a file so named is named ./-
    assert run("render", "./-").stdout == EXAMPLE_POST.read_text(encoding="utf-8")


def test_render_dash_reads_no_more_than_a_snapshot_file_may_hold(site, monkeypatch):
    """Standard input is bounded as a file is: one of gigabytes would fill the memory."""
    monkeypatch.setattr(hotpapers.snapshot, "MAX_FILE_BYTES", 2 * 2**20)
    result = CliRunner().invoke(cli, ["render", "-"], input=b" " * (2 * 2**20 + 1))
    assert (result.exit_code, result.stderr) == (
        2,
        "Error: standard input: larger than 2 MiB, the most a snapshot file may hold\n",
    )
    result = CliRunner().invoke(cli, ["render", "-"], input=b" " * 2 * 2**20)  # read, and found no JSON
    assert result.stderr == "Error: standard input: only blank space, where a snapshot (JSON) was expected\n"


def test_render_dash_with_nothing_piped_in_says_that_standard_input_was_empty(site):
    """`true | hotpapers render -` said 'not valid JSON (Expecting value at line 1, column 1)',
    as if something had been read."""
    command = [sys.executable, "-m", "hotpapers", "render", "-"]
    for piped in (b"", codecs.BOM_UTF8):  # an editor's byte order mark alone is no JSON either
        empty = subprocess.run(command, input=piped, capture_output=True, timeout=60)
        assert (empty.returncode, empty.stderr, empty.stdout) == (
            2,
            b"Error: standard input: empty, where a snapshot (JSON) was expected\n",
            b"",
        )
    (site / "empty.json").write_bytes(b"")
    assert run("render", "empty.json").stderr == "Error: empty.json: empty, where a snapshot (JSON) was expected\n"


def test_output_that_cannot_be_printed_fails_in_one_line(site):
    """`explain DAY >&-` exited 0 having printed nothing (click drops what it echoes when
    there is no standard output), as did render, preview and init (a full disk behind it:
    test_cli_guards). A build, which prints nothing there, still runs with it closed."""
    command = [sys.executable, "-m", "hotpapers"]
    built = subprocess.run(
        [*command, "-q", "build", "--date", "2020-09-24", "--offline"],
        stderr=subprocess.PIPE,
        timeout=60,
        preexec_fn=lambda: os.close(1),
    )
    feeds_off = b"feeds: off until site.url (the site's address) is set; feeds.atom and feeds.json null silence this\n"
    assert (built.returncode, built.stderr) == (0, feeds_off)  # a warning, said under -q
    assert (site / POST).read_bytes() == EXAMPLE_POST.read_bytes()
    closed = "Error: standard output: closed, so nothing was printed: redirect it to a file (> FILE)\n"
    for args in (
        ["explain", "2020-09-24"],
        ["explain", "2020-09-24", "--json"],
        ["render", "data/snapshots/2020-09-24.json"],
        ["preview", "2020-09-24"],
        ["init", "new-site", "--profile", "hugo"],
    ):
        ran = subprocess.run(command + args, stderr=subprocess.PIPE, timeout=60, preexec_fn=lambda: os.close(1))
        assert (ran.returncode, ran.stderr.decode()) == (1, closed), args


def test_output_whose_reader_left_ends_quietly(site):
    """`explain DAY | grep -q x` and `| head` on a long output: the reader leaves before all
    is written, and the command said 'Error: Broken pipe' after the reader's own output."""
    for args in (["explain", "2020-09-24"], ["render", "data/snapshots/2020-09-24.json"]):
        reader_gone = subprocess.Popen(
            [sys.executable, "-m", "hotpapers", *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE
        )
        reader_gone.stdout.close()  # long before the command has started to write
        assert reader_gone.wait(timeout=60) == 1, args
        assert reader_gone.stderr.read() == b"", args
        reader_gone.stderr.close()


def test_render_dash_with_standard_input_closed_or_a_terminal_says_so(site):
    """`render - <&-` ended in 'internal error: AttributeError: 'NoneType' object has no
    attribute 'buffer'', and `render -` typed at a prompt waited without a word for a
    snapshot to be typed in: neither is a snapshot piped in."""
    command = [sys.executable, "-m", "hotpapers", "render", "-"]
    closed = subprocess.run(command, stdin=None, capture_output=True, timeout=60, preexec_fn=lambda: os.close(0))
    assert (closed.returncode, closed.stderr, closed.stdout) == (
        2,
        b"Error: standard input: closed: pipe a snapshot in (my-collector | hotpapers render -), or name its file\n",
        b"",
    )
    leader, follower = os.openpty()
    try:
        typed = subprocess.run(command, stdin=follower, capture_output=True, timeout=60)
    finally:
        os.close(leader)
        os.close(follower)
    assert (typed.returncode, typed.stderr, typed.stdout) == (
        2,
        b"Error: standard input: a terminal: pipe a snapshot in (my-collector | hotpapers render -), or name "
        b"its file\n",
        b"",
    )


def test_render_o_dot_slash_dash_writes_a_file_named_dash(site):
    """`-o -` prints the post, as `-` names stdout; `-o ./-` printed it too (Path("./-") is
    Path("-")), where ./- names a file so named, as it does for SNAPSHOT."""
    result = run("render", "data/snapshots/2020-09-24.json", "-o", "./-")
    assert (result.exit_code, result.stdout) == (0, "")
    assert (site / "-").read_bytes() == EXAMPLE_POST.read_bytes()


def test_a_file_named_dash_is_named_dot_slash_dash_in_messages(site):
    """`render ./-` without such a file said `-: no such snapshot`, as if standard input were
    missing, and `render SNAPSHOT -o ./-` said `wrote -`: the name a command reads as
    standard input, or an option, where `./-` is the file."""
    result = run("render", "./-")
    assert (result.exit_code, result.stderr) == (2, "Error: ./-: no such snapshot\n")
    result = run("render", "data/snapshots/2020-09-24.json", "-o", "./-")
    assert (result.exit_code, result.stderr) == (0, "2020-09-24: wrote ./- (11 papers)\n")


def test_render_given_a_post_instead_of_a_snapshot_says_so(site):
    """`render content/posts/...md` said only `not valid JSON (Expecting value at line 1, column 1)`."""
    assert run("build", "--date", "2020-09-24").exit_code == 0
    result = run("render", POST)
    assert (result.exit_code, result.stderr) == (
        2,
        f"Error: {POST}: a post (Markdown with frontmatter), not a snapshot (JSON)\n",
    )


def test_unchanged_post_is_not_rewritten(site):
    assert run("build", "--date", "2020-09-24").exit_code == 0
    post = site / POST
    os.utime(post, (1_000_000, 1_000_000))
    result = run("build", "--date", "2020-09-24")
    assert result.exit_code == 0 and "is up to date (11 papers)" in result.stderr
    assert post.stat().st_mtime == 1_000_000


def write_snapshot(site, change):
    data = example_data()
    change(data)
    (site / "data" / "snapshots" / "2020-09-24.json").write_text(json.dumps(data))


def test_a_post_with_more_papers_is_kept_unless_forced(site):
    assert run("build", "--date", "2020-09-24").exit_code == 0
    write_snapshot(site, lambda d: d["mentions"].pop(0))  # drops 2009.11094, the 11th paper
    result = run("-q", "build", "--date", "2020-09-24")  # a warning: the config change did not apply
    assert result.exit_code == 0
    assert (
        "kept content/posts/2020-09-24---Hot-Papers.md: it lists 11 papers, the new one 10 (--force replaces it)"
        in result.stderr
    )
    assert (site / POST).read_bytes() == EXAMPLE_POST.read_bytes()
    assert run("build", "--date", "2020-09-24", "--force").exit_code == 0
    assert (site / POST).read_text().count("\n# ") == 10


def test_a_day_where_nothing_qualifies_writes_nothing(site):
    write_snapshot(site, lambda d: [m.update(reposts=0, likes=1) for m in d["mentions"]])
    result = run("build", "--date", "2020-09-24")
    assert result.exit_code == 0 and (
        "2020-09-24: no paper qualifies (a paper needs a score of 50, ranking.min_paper_score, and a category that "
        "candidates.categories matches, and publication at most 7 days before the day, candidates.max_age_days; "
        "`hotpapers explain 2020-09-24` shows each one's); no post written" in result.stderr
    )
    assert not (site / "content").exists()


def test_a_built_day_where_nothing_qualifies_now_says_its_post_stays(site):
    """After ranking.min_paper_score was raised over every paper of a built day, build said
    'no post written', while the day's post stayed on the site (and --force kept it too)."""
    assert run("build", "--date", "2020-09-24").exit_code == 0
    add_settings(site, "ranking: {min_paper_score: 100000}")
    for force in ([], ["--force"]):
        result = run("build", "--date", "2020-09-24", *force)
        assert (
            result.exit_code == 0
            and (
                "shows each one's); no post written; the day's post already there, "
                f"{POST}, is kept (delete it to take the day off the site)\n"
            )
            in result.stderr
        )
        assert (site / POST).read_bytes() == EXAMPLE_POST.read_bytes()


def test_nothing_qualifies_names_the_candidate_rules_that_are_set(site):
    """A site that keeps only math papers read that a paper needs a score of 50, which every
    paper of the day had: lowering ranking.min_paper_score changed nothing."""
    add_settings(site, "candidates: {categories: ['math.*'], max_age_days: 30}")
    result = run("build", "--date", "2020-09-24")
    assert (
        result.exit_code == 0
        and (
            "2020-09-24: no paper qualifies (a paper needs a score of 50, ranking.min_paper_score, and a category that "
            "candidates.categories matches, and publication at most 30 days before the day, "
            "candidates.max_age_days; `hotpapers explain 2020-09-24` shows each one's); no post written\n"
        )
        in result.stderr
    )
    assert not (site / "content").exists()


def test_dry_run_writes_nothing(site):
    result = run("build", "--date", "2020-09-24", "--dry-run")
    assert result.exit_code == 0 and "would write content/posts/2020-09-24---Hot-Papers.md (11 papers)" in result.stderr
    assert not (site / "content").exists()


def test_a_corrupt_snapshot_fails_cleanly_and_keeps_the_post(site):
    assert run("build", "--date", "2020-09-24").exit_code == 0
    (site / "data" / "snapshots" / "2020-09-24.json").write_bytes(b'{"schema": "hotpapers/snapshot@1", "date": 5')
    result = run("build", "--date", "2020-09-24", "--force")
    assert result.exit_code == 2
    assert result.stderr.startswith("Error: ") and result.stderr.count("\n") == 1
    assert "2020-09-24.json: not valid JSON" in result.stderr and "Traceback" not in result.stderr
    assert (site / POST).read_bytes() == EXAMPLE_POST.read_bytes()


def test_offline_without_a_snapshot(site):
    result = run("build", "--date", "2020-09-23", "--offline")
    assert result.exit_code == 2
    assert "no snapshot for 2020-09-23" in result.stderr and "--offline was given" in result.stderr


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["--date", "2020-13-01"], "'2020-13-01' is not a real date"),
        (["--date", "24.09.2020"], "'24.09.2020' is not a date in the form YYYY-MM-DD"),
        (["--date", "2020-09-24\n"], "'2020-09-24\\n' is not a date in the form YYYY-MM-DD"),
        (["--date", "٢٠٢٠-٠٩-٢٤"], "'٢٠٢٠-٠٩-٢٤' is not a date in the form YYYY-MM-DD"),
        (["--since", "2020-09-24"], "--since and --until go together"),
        (["--since", "2020-09-25", "--until", "2020-09-24"], "2020-09-25 is after 2020-09-24"),
        (
            ["--date", "2020-09-24", "--since", "2020-09-24", "--until", "2020-09-24"],
            "either --date or --since/--until",
        ),
        (["--offline", "--refresh"], "--offline and --refresh contradict each other"),
        (["--colour"], "No such option"),
    ],
)
def test_bad_usage_is_one_line_and_exit_2(site, args, expected):
    result = run("build", *args)
    assert result.exit_code == 2
    assert expected in result.stderr and result.stderr.count("\n") == 1


@pytest.mark.parametrize(
    ("args", "meant"),
    [
        (["--date", "2020-9-24"], "2020-09-24"),
        (["--date", "2020/09/24"], "2020-09-24"),
        (["--date", "20200924"], "2020-09-24"),
        (["--date", "2020-09-24\n"], "2020-09-24"),
        (["--since", "2020-9-1", "--until", "2020-09-24"], "2020-09-01"),
        (["--since", "2020-09-01", "--until", "2020.9.24"], "2020-09-24"),
    ],
)
def test_a_day_lacking_only_its_form_is_suggested_not_taken(site, args, meant):
    """A new user typed --date 2020-9-24 and was told only that it is not YYYY-MM-DD;
    a day that is plainly year, month and day is named in the right form, and still refused."""
    result = run("build", *args)
    assert result.exit_code == 2 and result.stderr.count("\n") == 1
    assert f"is not a date in the form YYYY-MM-DD; did you mean {meant}?" in result.stderr


@pytest.mark.parametrize("value", ["2020-13-1", "2020-2-30", "24.09.2020", "2020-9/24", "2020924", "٢٠٢٠-٩-٢٤"])
def test_no_day_is_suggested_for_what_is_no_plain_day(site, value):
    result = run("build", "--date", value)
    assert result.exit_code == 2 and result.stderr.count("\n") == 1
    assert "did you mean" not in result.stderr


@pytest.mark.parametrize(
    ("args", "named"),
    [
        (["build", "2020-13-01"], "DAY"),
        (["build", "--date", "2020-13-01"], "--date"),
        (["build", "--since", "2020-13-01", "--until", "2020-09-24"], "--since"),
        (["build", "--since", "2020-09-24", "--until", "2020-13-01"], "--until"),
        (["check", "--until", "2020-13-01"], "--until"),
        (["explain", "2020-13-01"], "DAY"),
        (["preview", "2020-13-01"], "DAY"),
    ],
)
def test_a_bad_date_is_named_as_it_was_given(site, args, named):
    """`build 2026-13-01` was answered 'Invalid value for --date', which nobody typed."""
    result = run(*args)
    assert (result.exit_code, result.stderr) == (
        2,
        f"Error: Invalid value for {named}: '2020-13-01' is not a real date (month must be in 1..12) "
        f"(see 'hotpapers {args[0]} --help')\n",
    )


@pytest.mark.parametrize(("day", "named"), [(["2020-09-24"], "DAY"), (["--date", "2020-09-24"], "--date")])
def test_a_day_and_a_range_together_are_refused_naming_the_day_as_given(site, day, named):
    result = run("build", *day, "--since", "2020-09-24", "--until", "2020-09-24")
    assert result.exit_code == 2
    assert result.stderr.startswith(f"Error: give either {named} or --since/--until, not both")


def test_a_broken_config_is_exit_2_naming_the_key(site):
    (site / "config.yaml").write_text("ranking: {min_paper_score: lots}\n")
    result = run("build", "--date", "2020-09-24")
    assert result.exit_code == 2
    assert "ranking.min_paper_score: expected a number, got a string" in result.stderr


def test_explicit_config_path_and_missing_one(site, tmp_path_factory):
    elsewhere = tmp_path_factory.mktemp("elsewhere")
    shutil.copytree(site / "data", elsewhere / "data")
    (elsewhere / "my.yaml").write_text("paths: {posts: public}\n")
    assert run("build", "--date", "2020-09-24", "--config", str(elsewhere / "my.yaml")).exit_code == 0
    assert (elsewhere / "public" / "2020-09-24---Hot-Papers.md").exists()
    result = run("build", "--config", str(elsewhere / "nope.yaml"))
    assert result.exit_code == 2 and "nope.yaml: No such file or directory" in result.stderr
    (elsewhere / "loop.yaml").symlink_to("loop.yaml")  # it was said not to exist
    result = run("build", "--config", str(elsewhere / "loop.yaml"))
    assert result.exit_code == 2 and "loop.yaml: Too many levels of symbolic links" in result.stderr


def test_an_offline_range_with_missing_days_is_refused_before_any_day_is_built(site):
    result = run("build", "--since", "2020-09-22", "--until", "2020-09-25", "--offline")
    assert result.exit_code == 2 and result.stderr.count("\n") == 1
    assert (
        "no snapshot for 2020-09-22 at " in result.stderr
        and "(nor for 2020-09-23, 2020-09-25), and --offline was given" in result.stderr
    )
    assert not (site / "content").exists()


def test_quiet_prints_nothing_on_success(site):
    add_settings(site, "site: {url: 'https://lab.example.org'}\n")
    result = run("-q", "build", "--date", "2020-09-24")
    assert result.exit_code == 0 and result.stderr == ""


@pytest.mark.parametrize("quiet", [[], ["-q"]])
def test_a_build_says_once_that_feeds_are_off_without_a_site_url(site, quiet):
    """The nightly workflow commits the feeds: a site without them must hear why."""
    stored_days(site, date(2020, 8, 1), 2)
    result = run(*quiet, "build", "--since", "2020-08-01", "--until", "2020-08-02")
    assert result.exit_code == 0
    assert result.stderr.count("feeds: off until site.url (the site's address) is set") == 1
    (site / "config.yaml").write_text("feeds: {atom: null, json: null}\n", encoding="utf-8")
    assert "feeds" not in run(*quiet, "build", "--date", "2020-08-01").stderr


def test_days_selection():
    today = date(2020, 9, 25)
    assert select_days(None, None, None, today) == [date(2020, 9, 24)]
    assert select_days("2020-02-29", None, None, today) == [date(2020, 2, 29)]
    assert select_days(None, "2020-02-28", "2020-03-01", today) == [
        date(2020, 2, 28),
        date(2020, 2, 29),
        date(2020, 3, 1),
    ]


def test_a_long_backfill_reports_in_order_and_matches_single_day_renders(site):
    days = stored_days(site, date(2020, 8, 1), 40)
    result = run("build", "--since", days[0], "--until", days[-1], "--offline")
    assert result.exit_code == 0, result.stderr
    wrote = [line.split(":")[0] for line in result.stderr.splitlines() if ": wrote " in line]
    assert wrote == days
    assert "summary: 40/40 days built, 40 posts written" in result.stderr
    for day in (days[0], days[17], days[-1]):
        single = run("render", f"data/snapshots/{day}.json")
        assert (site / f"content/posts/{day}---Hot-Papers.md").read_text(encoding="utf-8") == single.stdout


def test_the_summary_says_whose_papers_it_counts(site):
    """A second build of two days ended 'summary: 2/2 days built, 0 posts written, 22 papers',
    as if 22 papers had gone somewhere; the papers are the days' posts', written now or not."""
    days = stored_days(site, date(2020, 8, 1), 2)
    first = run("build", "--since", days[0], "--until", days[-1], "--offline")
    assert "summary: 2/2 days built, 2 posts written, 22 papers in the days' posts" in first.stderr
    again = run("build", "--since", days[0], "--until", days[-1], "--offline")
    assert again.exit_code == 0
    summary = [line for line in again.stderr.splitlines() if line.startswith("summary: ")]
    assert summary == ["summary: 2/2 days built, 0 posts written (2 up to date), 22 papers in the days' posts"]


def test_the_summary_counts_the_papers_of_a_post_kept_as_it_lists_more(site):
    """The post kept on the site lists 11 papers; the summary counted the 10 of the post not
    written, 'summary: ..., 21 papers in the days' posts', where the two days' posts list 22."""
    days = stored_days(site, date(2020, 8, 1), 2)
    assert run("build", "--since", days[0], "--until", days[-1], "--offline").exit_code == 0
    stored = site / "data" / "snapshots" / f"{days[0]}.json"
    data = json.loads(stored.read_text(encoding="utf-8"))
    data["mentions"] = [m for m in data["mentions"] if m["paper_ids"] != ["2009.11243"]]  # its one mention
    stored.write_text(json.dumps(data), encoding="utf-8")
    again = run("build", "--since", days[0], "--until", days[-1], "--offline")
    assert (
        f"{days[0]}: kept content/posts/{days[0]}---Hot-Papers.md: it lists 11 papers, the new one 10" in again.stderr
    )
    summary = [line for line in again.stderr.splitlines() if line.startswith("summary: ")]
    assert summary == ["summary: 2/2 days built, 0 posts written (1 up to date), 22 papers in the days' posts"]


@pytest.mark.parametrize("method", ["spawn", "forkserver"])
def test_a_long_backfill_builds_the_same_posts_in_workers_started_without_fork(site, method):
    """Worker processes are forked on Linux up to Python 3.13, but started by forkserver
    there since 3.14 and by spawn on macOS: what they are handed must travel by pickle, and
    what they need they must import."""
    days = stored_days(site, date(2020, 8, 1), 40)
    code = (
        "import multiprocessing, os, sys\n"
        "from hotpapers.cli import cli\n"
        "if __name__ == '__main__':\n"
        f"    multiprocessing.set_start_method({method!r})\n"
        "    os.cpu_count = lambda: 2  # two workers, whatever the machine\n"
        "    cli.main(sys.argv[1:])\n"
    )
    args = ["-q", "build", "--since", days[0], "--until", days[-1], "--offline"]
    done = subprocess.run([sys.executable, "-c", code, *args], cwd=site, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert len(list((site / "content/posts").iterdir())) == 40
    for day in (days[0], days[17], days[-1]):
        single = run("render", f"data/snapshots/{day}.json")
        assert (site / f"content/posts/{day}---Hot-Papers.md").read_text(encoding="utf-8") == single.stdout


def test_a_corrupt_day_in_a_long_backfill_is_named_and_the_others_are_built(site):
    days = stored_days(site, date(2020, 8, 1), 40)
    (site / "data" / "snapshots" / f"{days[30]}.json").write_text("{", encoding="utf-8")
    result = run("-q", "build", "--since", days[0], "--until", days[-1], "--offline")
    assert result.exit_code == 2
    reason, error = result.stderr.splitlines()
    assert reason.endswith(
        f"data/snapshots/{days[30]}.json: not valid JSON (Expecting property name enclosed in double quotes at line 1, "
        f"column 2); fix the file, or replace it by fetching the day from the sources: `hotpapers build --date {days[30]} --refresh`"
    )
    assert error == f"Error: 1 of 40 days not built, for the reason given above: {days[30]}"
    assert (site / f"content/posts/{days[29]}---Hot-Papers.md").exists()
    assert (site / f"content/posts/{days[31]}---Hot-Papers.md").exists()


def test_a_worker_started_without_fork_names_the_config_in_its_commands(site, tmp_path_factory):
    """A worker started by spawn (macOS) or forkserver (Linux since Python 3.14) had no copy
    of the --config the build was given, so its days' messages named a command without it."""
    days = stored_days(site, date(2020, 8, 1), 40)
    (site / "data" / "snapshots" / f"{days[30]}.json").write_text("{", encoding="utf-8")
    code = (
        "import multiprocessing, os, sys\n"
        "from hotpapers.cli import cli\n"
        "if __name__ == '__main__':\n"
        "    multiprocessing.set_start_method('spawn')\n"
        "    os.cpu_count = lambda: 2  # two workers, whatever the machine\n"
        "    cli.main(sys.argv[1:])\n"
    )
    config = site / "config.yaml"
    args = ["-q", "--config", str(config), "build", "--since", days[0], "--until", days[-1], "--offline"]
    elsewhere = tmp_path_factory.mktemp("home")
    done = subprocess.run(
        [sys.executable, "-c", code, *args], cwd=elsewhere, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 2
    assert done.stderr.splitlines()[0].endswith(f"`hotpapers --config {config} build --date {days[30]} --refresh`")


def imported_by(args, modules):
    """Which of `modules` a fresh interpreter has imported after running the CLI with `args`."""
    code = (
        "import json, sys\nfrom hotpapers.cli import cli\n"
        f"cli.main({args!r}, standalone_mode=False)\n"
        f"print(json.dumps(sorted(set({sorted(modules)!r}) & set(sys.modules))))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return json.loads(result.stdout)


def test_commands_that_read_only_local_files_do_not_import_the_network_stack(site):
    modules = {"requests", "feedparser", "hotpapers.render"}
    assert imported_by(["-q", "render", "data/snapshots/2020-09-24.json", "-o", "out.md"], modules) == [
        "hotpapers.render"
    ]
    assert (site / "out.md").read_text(encoding="utf-8") == EXAMPLE_POST.read_text(encoding="utf-8")
    network = {"requests", "feedparser", "hotpapers.fetch", "hotpapers.render"}
    assert imported_by(["-q", "build", "--date", "2020-09-24"], network) == ["hotpapers.render"]
    assert imported_by(["-q", "build", "--date", "2020-09-25", "--dry-run"], network) == sorted(network)


def test_a_progress_bar_only_on_a_terminal_and_for_more_than_one_item(monkeypatch):
    items = [1, 2, 3]
    monkeypatch.setattr(log, "level", logging.INFO)
    assert progress_bar(items, 3, "day") is items  # pytest's stderr is not a terminal
    monkeypatch.setattr(sys.stderr, "isatty", lambda: True)
    assert progress_bar(items, 1, "day") is items
    threads = threading.active_count()
    bar = progress_bar(items, 3, "day")
    assert type(bar).__name__ == "tqdm" and list(bar) == items
    assert threading.active_count() == threads  # workers are forked while a bar shows
    with progress(iter(items), 3, "day") as shown:
        assert list(shown) == items
    monkeypatch.setattr(log, "level", logging.WARNING)  # -q
    assert progress_bar(items, 3, "day") is items


@pytest.mark.parametrize("count", [1, 40])
def test_a_snapshot_named_for_another_day_is_refused(site, count):
    """A copied or renamed snapshot would publish one day's papers under another's name."""
    days = stored_days(site, date(2020, 8, 1), count)
    data = example_data()
    data["date"] = "2020-07-31"
    (site / "data" / "snapshots" / f"{days[-1]}.json").write_text(json.dumps(data), encoding="utf-8")
    result = run("-q", "build", "--since", days[0], "--until", days[-1], "--offline")
    assert result.exit_code == 2 and result.stderr.count("\n") == (1 if count == 1 else 2)
    assert f"data/snapshots/{days[-1]}.json: holds the day 2020-07-31, not {days[-1]} as its name says" in result.stderr
    assert not (site / f"content/posts/{days[-1]}---Hot-Papers.md").exists()


def test_one_paper_is_one_paper(site):
    data = example_data()
    for mention in data["mentions"]:
        mention.update(reposts=0, likes=0)
    data["mentions"][0]["likes"] = 60
    (site / "data" / "snapshots" / "2020-09-24.json").write_text(json.dumps(data), encoding="utf-8")
    result = run("build", "--date", "2020-09-24")
    assert "2020-09-24: wrote content/posts/2020-09-24---Hot-Papers.md (1 paper)\n" in result.stderr


def test_the_first_and_last_years_a_day_may_fall_in():
    # days.FIRST_YEAR, LAST_YEAR: 1000 to 9998, both included
    today = date(2020, 9, 25)
    assert select_days("1000-01-01", None, None, today) == [date(1000, 1, 1)]
    assert select_days("9998-12-31", None, None, today) == [date(9998, 12, 31)]
    for outside in ("0999-12-31", "9999-01-01"):
        with pytest.raises(click.BadParameter, match="outside the years 1000-9998"):
            select_days(outside, None, None, today)


@pytest.mark.parametrize("since, until", [("2020-09-01", None), (None, "2020-09-02")])
def test_a_day_with_either_end_of_a_range_is_refused_as_both(since, until):
    with pytest.raises(click.UsageError, match="give either --date or --since/--until, not both"):
        select_days("2020-09-24", since, until, date(2020, 9, 25))
