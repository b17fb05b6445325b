"""What the command line says: the day as build's argument, the config in use, advice
for a day not built yet, and counts in proper English."""

import json
import shutil
from datetime import UTC, datetime, timedelta

import pytest
from click.testing import CliRunner

from conftest import EXAMPLE_POST, add_settings, example_data
from hotpapers.cli import cli
from hotpapers.sources import SOURCES

POST = "content/posts/2020-09-24---Hot-Papers.md"
SNAPSHOTS = "data/snapshots"
SNAPSHOT = f"{SNAPSHOTS}/2020-09-24.json"


def run(*args):
    return CliRunner().invoke(cli, list(args))


def test_build_takes_the_day_as_an_argument_as_explain_and_preview_do(site):
    result = run("build", "2020-09-24", "--offline")
    assert result.exit_code == 0, result.output
    assert (site / POST).read_bytes() == EXAMPLE_POST.read_bytes()
    assert run("build", "2020-09-24", "--date", "2020-09-24", "--offline").exit_code == 0
    clash = run("build", "2020-09-24", "--date", "2020-09-25")
    assert clash.exit_code == 2 and "give the day once: 2020-09-24 and --date 2020-09-25 differ" in clash.stderr


@pytest.mark.parametrize("command", ["explain", "preview"])
def test_explain_and_preview_take_the_day_as_date_as_build_does(site, command):
    """`hotpapers explain --date D`, as build is run, said "No such option: --date"."""
    assert run("build", "2020-09-24", "--offline").exit_code == 0
    given = run(command, "--date", "2020-09-24")
    assert given.exit_code == 0 and given.stdout == run(command, "2020-09-24").stdout != ""
    clash = run(command, "2020-09-24", "--date", "2020-09-25")
    assert clash.exit_code == 2 and "give the day once: 2020-09-24 and --date 2020-09-25 differ" in clash.stderr
    typo = run(command, "--date", "2020-13-01")
    assert typo.exit_code == 2 and typo.stderr.startswith(
        "Error: Invalid value for --date: '2020-13-01' is not a real date"
    )


@pytest.mark.parametrize(
    "args", [["explain", "--date", ""], ["preview", "--date", ""], ["explain", ""], ["check", "--until", ""]]
)
def test_an_empty_day_is_refused_as_builds_is_not_read_as_yesterday(site, args):
    """`explain --date "$DAY"` with DAY unset explained yesterday (exit 0, or 2 naming a day
    nobody asked for), where `build --date ""` is refused."""
    result = run(*args)
    assert result.exit_code == 2 and "'' is not a date in the form YYYY-MM-DD" in result.stderr, result.output


def test_verbose_names_the_config_file_in_use(site):
    result = run("-v", "build", "--date", "2020-09-24", "--offline")
    assert result.exit_code == 0 and f"config: {site / 'config.yaml'}\n" in result.stderr
    (site / "config.yaml").unlink()
    result = run("-v", "explain", "2020-09-24")
    assert result.exit_code == 0
    assert f"config: built-in defaults (no hotpapers.yaml or config.yaml in {site})\n" in result.stderr


@pytest.mark.parametrize(("command", "missing"), [("explain", "no snapshot"), ("preview", "no post")])
def test_a_day_not_built_yet_says_to_build_it(site, command, missing):
    result = run(command, "2020-09-23")
    assert result.exit_code == 2 and missing in result.stderr
    assert result.stderr.endswith("; run `hotpapers build --date 2020-09-23` first\n")


@pytest.mark.parametrize(
    ("command", "missing"),
    [
        ("explain", "no snapshot for {0} at data/snapshots/{0}.json"),
        ("preview", "no post for {0} at content/posts/{0}---Hot-Papers.md"),
    ],
)
def test_a_day_not_ended_yet_is_not_said_to_be_built_now(site, command, missing):
    """`preview TODAY` said 'run hotpapers build --date TODAY first', and that build is
    refused: the day has not ended yet (the sample site's time zone is UTC)."""
    tomorrow = (datetime.now(UTC).date() + timedelta(days=1)).isoformat()
    for day in tomorrow, "9000-01-01":
        result = run(command, day)
        assert (result.exit_code, result.stdout) == (2, ""), result.output
        assert result.stderr == (
            f"Error: {missing.format(day)} (the last day stored is 2020-09-24); {day} has not ended yet in UTC:"
            f" `hotpapers build --date {day}` fetches it once it has\n"
        )
        assert run("build", day).stderr == f"Error: {day} has not ended yet in UTC; its posts cannot all be fetched\n"


def test_check_until_a_day_not_ended_yet_is_refused(site):
    """`check --until TODAY` failed on a day no build can have made yet ('no snapshot;
    `hotpapers build --date TODAY` fetches it', a build refused as the day has not ended),
    and so it would every night in a script that gives it the date."""
    tomorrow = (datetime.now(UTC).date() + timedelta(days=1)).isoformat()
    for day in tomorrow, "9000-01-01":
        before = datetime.now(UTC).date() - timedelta(days=1)
        result = run("check", "--until", day)
        after = datetime.now(UTC).date() - timedelta(days=1)
        assert (result.exit_code, result.stdout) == (2, ""), result.output
        assert result.stderr in {
            f"Error: Invalid value for --until: {day} has not ended yet in UTC, so no build can have made it: "
            f"give a day up to {yesterday} (see 'hotpapers check --help')\n"
            for yesterday in (before, after)
        }
    assert run("check", "--until", "2020-09-24", "--days", "1").exit_code == 1  # an ended day: checked (no post)


@pytest.mark.parametrize("args", [["build", "2020-09-23", "--offline"], ["explain", "2020-09-23"]])
def test_a_snapshot_stored_under_another_name_is_named_where_none_is_found(site, args):
    """A user bringing the bundled example kept its name, 2020-09-24.snapshot.json: the error
    named only the path it wanted, which reads as if the copy had not happened."""
    (site / SNAPSHOTS / "2020-09-24.json").rename(site / SNAPSHOTS / "2020-09-23.snapshot.json")
    (site / SNAPSHOTS / "ours-2020-09-23.json").write_text("{}")  # any name holding the day
    (site / SNAPSHOTS / "2020-09-230.json").write_text("{}")  # a name holding a longer number: not the day
    (site / SNAPSHOTS / "12020-09-23.json").write_text("{}")  # nor a longer year
    (site / SNAPSHOTS / "2020-9-23-2.json").write_text("{}")  # nor the day's numbers and one more
    result = run(*args)
    assert result.exit_code == 2
    assert (
        f"no snapshot for 2020-09-23 at {SNAPSHOTS}/2020-09-23.json (2020-09-23.snapshot.json, ours-2020-09-23.json "
        "beside it are not read: a snapshot is named 2020-09-23.json)"
    ) in result.stderr
    (site / SNAPSHOTS / "ours-2020-09-23.json").unlink()
    assert "(2020-09-23.snapshot.json beside it is not read: a snapshot is named 2020-09-23.json)" in run(*args).stderr
    (site / SNAPSHOTS / "2020-09-23.snapshot.json").rename(site / SNAPSHOTS / "2020-09-24.json")
    assert "beside it" not in run(*args).stderr


@pytest.mark.parametrize(
    "name",
    [
        *("2020-9-23.json", "2020_09_23.json", "23.09.2020.json", "hn 2020-9-23.json"),
        *("2020-09-23.json.txt", "2020-09-23.JSON", "2020-09-23.Json.json"),  # an editor's extension; a system's case
    ],
)
def test_a_snapshot_whose_name_writes_the_day_otherwise_is_named_where_none_is_found(site, name):
    """A user writing snapshots by hand saved 2020-9-23.json, or 2020-09-23.json.txt from an
    editor, which a file manager hiding extensions shows as 2020-09-23.json: build --offline said
    only that there was no data/snapshots/2020-09-23.json. The example day, 2020-09-24.json, is not named."""
    (site / SNAPSHOTS / name).write_text("{}")
    result = run("build", "2020-09-23", "--offline")
    assert result.exit_code == 2
    assert result.stderr == (
        f"Error: no snapshot for 2020-09-23 at {SNAPSHOTS}/2020-09-23.json ({name} beside it is not read: a "
        "snapshot is named 2020-09-23.json), and --offline was given\n"
    )


@pytest.mark.parametrize(
    ("args", "change", "error"),
    [
        (["build", "2020-09-24"], lambda site: (site / SNAPSHOT).write_text("{"), f"{SNAPSHOT}: not valid JSON"),
        (["build", "2020-09-23", "--offline"], lambda site: None, f"no snapshot for 2020-09-23 at {SNAPSHOTS}/2020-"),
        (
            ["build", "2020-09-24"],
            lambda site: (site / "config.yaml").write_text("post: {x: 1}\n"),
            "config.yaml: post.x: unknown",
        ),
        (
            ["build", "2020-09-24"],
            lambda site: shutil.rmtree(site / "content/posts") or (site / "content/posts").write_text("x"),
            f"cannot write {POST}: content/posts is a file, not a folder",
        ),
        (["preview", "2020-09-24"], lambda site: (site / POST).write_bytes(b"\xff"), f"{POST}: the post is not UTF-8"),
        (["explain", "2020-09-23"], lambda site: None, f"no snapshot for 2020-09-23 at {SNAPSHOTS}/2020-09-23.json"),
        (["preview", "2020-09-23"], lambda site: None, "no post for 2020-09-23 at content/posts/2020-09-23---Hot-"),
    ],
)
def test_errors_name_the_site_s_files_from_the_working_directory(site, args, change, error):
    """As check, the feeds and the output guards name them; these named them from /."""
    assert run("build", "2020-09-24", "--offline").exit_code == 0
    change(site)
    result = run(*args)
    assert result.exit_code != 0 and result.stderr.startswith(f"Error: {error}"), result.stderr


def test_one_of_a_thing_is_singular(site):
    (site / "config.yaml").write_text("site: {url: https://lab.example.org}\n", encoding="utf-8")
    result = run("build", "--date", "2020-09-24", "--offline")
    assert result.exit_code == 0 and "feeds: 1 entry, wrote" in result.stderr


def test_a_broken_snapshot_under_offline_is_not_told_to_refresh_offline(site):
    (site / "data" / "snapshots" / "2020-09-24.json").write_text("{", encoding="utf-8")
    result = run("build", "--date", "2020-09-24", "--offline")
    assert result.exit_code == 2
    assert result.stderr.endswith(
        "; fix the file, or replace it by fetching the day from the sources: `hotpapers build --date 2020-09-24 --refresh`\n"
    )


def test_a_broken_imported_snapshot_is_to_be_fixed_or_replaced_by_the_sources_day(site):
    """The hint fits a user's own data as well as a fetched day: no 'fresh fetch' of data
    that was never fetched; the command that replaces it says where its data comes from."""
    data = example_data()
    data["mentions"][0]["likes"] = -3
    (site / "data" / "snapshots" / "2020-09-24.json").write_text(json.dumps(data), encoding="utf-8")
    result = run("build", "--date", "2020-09-24", "--offline")
    assert result.exit_code == 2
    assert result.stderr == (
        f"Error: {SNAPSHOT}: $.mentions[0].likes: -3 is less than the minimum "
        "of 0; fix the file, or replace it by fetching the day from the sources: `hotpapers build --date 2020-09-24 --refresh`\n"
    )


def with_failed_sources(site, *names):
    data = example_data()
    data["sources"] = {"twitter": {"status": "ok"}, **{n: {"status": "failed", "detail": "HTTP 503"} for n in names}}
    (site / "data" / "snapshots" / "2020-09-24.json").write_text(json.dumps(data), encoding="utf-8")


@pytest.mark.parametrize("quiet", [[], ["-q"]])
def test_an_offline_build_warns_of_a_failed_source_it_does_not_fetch_again(site, quiet):
    with_failed_sources(site, "hackernews")
    result = run(*quiet, "build", "--date", "2020-09-24", "--offline")
    assert result.exit_code == 0, result.output
    warning = (
        "2020-09-24: the snapshot records source hackernews as failed, so the post lacks its mentions; "
        "a build without --offline fetches it again\n"
    )
    assert result.stderr.count(warning) == 1 and (site / POST).exists()
    assert result.stderr.startswith(warning) if quiet else "wrote content/posts/" in result.stderr


def test_failed_sources_are_named_in_one_warning_for_their_day_unless_turned_off_since(site):
    (site / "config.yaml").write_text("sources: {hackernews: {enabled: true}, bluesky: {enabled: true}}\n")
    with_failed_sources(site, "hackernews", "bluesky")
    result = run("build", "--date", "2020-09-24", "--offline")
    assert result.exit_code == 0, result.output
    assert result.stderr.startswith(
        "2020-09-24: the snapshot records sources bluesky, hackernews as failed, so the post lacks their mentions; "
        "a build without --offline fetches them again\n"
    )
    assert result.stderr.count("as failed") == 1
    (site / "config.yaml").write_text("sources: {hackernews: {enabled: false}, bluesky: {enabled: false}}\n")
    for offline in ["--offline"], []:
        result = run("build", "--date", "2020-09-24", *offline)
        assert result.exit_code == 0 and "failed" not in result.stderr, result.output


def test_a_site_with_every_source_off_is_told_how_to_bring_a_day_it_has_no_snapshot_of(site):
    """A lab writing its own snapshots turns every source off; a day it has not written yet
    was 'no source can fetch it: every source is disabled in the config', which named the
    state it chose and not what to do."""
    add_settings(site, "sources: {" + ", ".join(f"{n}: {{enabled: false}}" for n in SOURCES) + "}")
    stored = site / "data" / "snapshots" / "2020-09-23.json"
    for args in (("build", "2020-09-23"), ("build", "2020-09-23", "--dry-run")):
        result = run("-q", *args)
        assert (result.exit_code, result.stdout) == (2, "")
        assert result.stderr == (
            "Error: 2020-09-23 has no snapshot and no source can fetch it: every source is disabled in the config; "
            "turn one on (sources.NAME.enabled), or write the day's snapshot to data/snapshots/2020-09-23.json "
            "(docs/snapshot.md)\n"
        )
    assert not stored.exists()


@pytest.mark.parametrize(
    ("count", "others"),  # 40 days: the days without a snapshot in two spans
    [(4, "2020-09-27"), (40, "2020-09-27, 2020-11-02")],
)
def test_a_range_with_days_no_source_can_fetch_is_refused_before_any_day_is_built(site, count, others):
    """A site writing its own snapshots ran a backfill with days it had not written: the days
    before the first of them were built, and the range stopped there. Like --offline, the
    range is now refused before any day is built, naming every day without a snapshot."""
    add_settings(site, "sources: {" + ", ".join(f"{n}: {{enabled: false}}" for n in SOURCES) + "}")
    snapshots = site / "data" / "snapshots"
    data = example_data()
    days = [(datetime(2020, 9, 24) + timedelta(days=n)).date().isoformat() for n in range(count)]
    for day in days:
        if day not in ("2020-09-26", "2020-09-27", days[-1]):
            data["date"], data["taken_at"] = day, f"{day}T23:59:59Z"
            (snapshots / f"{day}.json").write_text(json.dumps(data), encoding="utf-8")
    result = run("build", "--since", days[0], "--until", days[-1])
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr == (
        f"Error: 2020-09-26 has no snapshot (nor has {others}) and no source can fetch them: every "
        "source is disabled in the config; turn one on (sources.NAME.enabled), or write each day's snapshot, as "
        "data/snapshots/2020-09-26.json (docs/snapshot.md)\n"
    )
    assert not (site / "content" / "posts").exists()


@pytest.mark.parametrize("order", ["stored first", "unstored first"])
def test_a_refresh_no_source_can_fetch_names_only_the_days_without_a_snapshot_as_such(site, order):
    """A refresh of 2020-09-24 (stored) and 2020-09-25 (not) with every source off said of
    both that their stored snapshots stay, or, the other way round, that neither has one:
    whether the first day had a snapshot was said of them all."""
    add_settings(site, "sources: {" + ", ".join(f"{n}: {{enabled: false}}" for n in SOURCES) + "}")
    snapshots = site / "data" / "snapshots"
    if order == "unstored first":
        data = example_data()
        data["date"], data["taken_at"] = "2020-09-25", "2020-09-25T23:59:59Z"
        (snapshots / "2020-09-25.json").write_text(json.dumps(data), encoding="utf-8")
        (snapshots / "2020-09-24.json").unlink()
    unstored = "2020-09-25" if order == "stored first" else "2020-09-24"
    result = run("build", "--since", "2020-09-24", "--until", "2020-09-25", "--refresh")
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr == (
        f"Error: {unstored} has no snapshot and no source can fetch it: every source is disabled in the config; "
        f"turn one on (sources.NAME.enabled), or write the day's snapshot to data/snapshots/{unstored}.json "
        "(docs/snapshot.md)\n"
    )


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["--bogus", "check"], ["No such option", "--bogus", "Did you mean", "--verbose"]),
        (["--days", "3", "check"], ["No such option", "--days"]),
        (["--config", ".", "check"], ["Invalid value for '--config'", "'.' is a directory"]),
    ],
)
def test_a_mistake_in_the_options_before_the_command_is_one_line_too(site, args, words):
    """After the command it was one line; before it, click's three, naming `python -m
    hotpapers` or whatever ran it: 'Usage: ...', 'Try ... for help.', a blank, 'Error: ...'.
    The words between are click's own, which its releases word differently (8.4: "No such
    option '--bogus'.", 8.3: "No such option: --bogus")."""
    result = run(*args)
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr.startswith("Error: ") and result.stderr.endswith(" (see 'hotpapers --help')\n")
    assert result.stderr.count("\n") == 1 and all(word in result.stderr for word in words), result.stderr
    assert "\nCommands:\n" in run().output  # no argument at all: the help, as before


def test_a_command_run_in_a_subfolder_of_a_site_names_the_site_s_config(site, monkeypatch):
    """Run from content/ of a site, a command found no config there and went on with the
    built-in defaults without a word (at -v only): a build would have fetched the day and
    written data/snapshots and a lumen post inside content/."""
    (site / "config.yaml").rename(site / "hotpapers.yaml")
    (site / "content").mkdir()
    monkeypatch.chdir(site / "content")
    for quiet in [], ["-q"]:
        result = run(*quiet, "explain", "2020-09-24")
        assert result.exit_code == 2
        assert result.stderr.startswith(
            "no hotpapers.yaml or config.yaml here, so the built-in defaults apply; the site's is ../hotpapers.yaml: "
            "run hotpapers in its folder, or give --config ../hotpapers.yaml\n"
        ), result.stderr
    (site / "content" / "hotpapers.yaml").write_text("")
    assert "the site's is" not in run("explain", "2020-09-24").stderr  # a config here is the one meant


@pytest.mark.parametrize(
    "args", [["build", "--dry-run"], ["-q", "build", "2020-09-24", "--dry-run"], ["build", "--offline"]]
)
def test_build_run_in_a_subfolder_of_a_site_is_refused(site, monkeypatch, args):
    """Run from _posts/ of a Jekyll site, build warned that the defaults apply and went on:
    its dry run planned a fetch (exit 0), and a real one would fetch the day and write
    _posts/data/snapshots and _posts/content/posts/D---Hot-Papers.md, a lumen post that
    Jekyll publishes beside the site's own. It writes nothing there now, and fetches nothing."""
    (site / "config.yaml").rename(site / "hotpapers.yaml")
    (site / "_posts").mkdir()
    monkeypatch.chdir(site / "_posts")
    result = run(*args)
    assert (result.exit_code, result.stdout) == (2, ""), result.output
    assert result.stderr == (
        "Error: no hotpapers.yaml or config.yaml here, and the site's is ../hotpapers.yaml: run hotpapers in its "
        "folder, or give --config ../hotpapers.yaml (with the built-in defaults, build would write a site of its "
        "own here: data/snapshots and content/posts)\n"
    )
    assert list((site / "_posts").iterdir()) == []
    built = run("--config", "../hotpapers.yaml", "build", "2020-09-24", "--offline")
    assert built.exit_code == 0 and (site / POST).is_file(), built.output


def test_render_o_run_in_a_subfolder_of_a_site_is_refused_as_build_is(site, monkeypatch):
    """Run from data/ of a Hugo site, `render SNAPSHOT -o ../content/posts/...` warned that the
    built-in defaults apply and wrote the post all the same, in the default lumen profile:
    it replaced the site's post of the day by one whose `.Z` date Hugo drops (dated
    0001-01-01). Printing it (no -o) still only warns."""
    (site / "config.yaml").write_text("output: {profile: hugo}\n", encoding="utf-8")
    (site / "config.yaml").rename(site / "hotpapers.yaml")
    (site / "hugo.toml").write_text('baseURL = "https://lab.example.org/"\n', encoding="utf-8")
    assert run("build", "2020-09-24", "--offline").exit_code == 0
    post = site / "content" / "posts" / "2020-09-24-hot-papers.md"
    built = post.read_bytes()
    monkeypatch.chdir(site / "data")
    result = run("render", "snapshots/2020-09-24.json", "-o", "../content/posts/2020-09-24-hot-papers.md")
    assert (result.exit_code, result.stdout) == (2, ""), result.output
    assert result.stderr == (
        "Error: no hotpapers.yaml or config.yaml here, and the site's is ../hotpapers.yaml: run hotpapers in its "
        "folder, or give --config ../hotpapers.yaml (with the built-in defaults, render -o would write a post of "
        "output.profile lumen)\n"
    )
    assert post.read_bytes() == built
    printed = run("render", "snapshots/2020-09-24.json")
    assert printed.exit_code == 0 and printed.stdout.startswith("---\ntitle: "), printed.output
    assert "the built-in defaults apply; the site's is ../hotpapers.yaml" in printed.stderr


def test_a_site_s_config_yaml_above_is_named_as_its_hotpapers_yaml_is(site, monkeypatch):
    """The README's other config name, config.yaml holding hotpapers' settings (the sample
    site's), was not looked for above: from its content/, build went on with the defaults
    without a word and would write content/data/snapshots and content/content/posts. Another
    tool's config.yaml (Hugo's) above is no site config of hotpapers: no word of it."""
    (site / "content").mkdir()
    monkeypatch.chdir(site / "content")
    result = run("build", "2020-09-24", "--dry-run")
    assert (result.exit_code, result.stdout) == (2, ""), result.output
    assert result.stderr.startswith(
        "Error: no hotpapers.yaml or config.yaml here, and the site's is ../config.yaml: run hotpapers in its folder, "
        "or give --config ../config.yaml ("
    )
    assert "the site's is ../config.yaml" in run("explain", "2020-09-24").stderr
    (site / "config.yaml").write_text("baseURL: https://example.org/\ntitle: A Hugo site\n", encoding="utf-8")
    result = run("build", "2020-09-24", "--dry-run")
    assert result.exit_code == 0 and "site's is" not in result.stderr, result.output
    (site / "config.yaml").write_text("[unreadable\n", encoding="utf-8")
    assert "site's is" not in run("build", "2020-09-24", "--dry-run").stderr


@pytest.mark.parametrize("option", ["-q", "--quiet", "-v", "--debug"])
def test_an_option_of_hotpapers_itself_after_the_command_is_said_to_go_before_it(site, option):
    """`hotpapers build -q` said "No such option '-q'", as if hotpapers had none, and
    `build --debug` asked "Did you mean '--date'?". The help named is the one listing it."""
    result = run("build", "2020-09-24", option)
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr == (
        f"Error: {option} is an option of hotpapers itself, so it goes before the command: "
        f"hotpapers {option} build ... (see 'hotpapers --help')\n"
    )
    assert option in run("--help").stdout and option not in run("build", "--help").stdout
    assert "before the command" not in run("build", "--bogus").stderr
    assert "before the command" not in run("--bogus", "build").stderr


def test_preview_of_a_day_whose_snapshot_qualifies_no_paper_says_so_rather_than_to_build_it(site):
    """`preview D` said "no post ...; run hotpapers build --date D first" for a day whose
    snapshot is stored but ranks no paper, where that build writes nothing either."""
    data = example_data()
    data.update(date="2020-09-23", taken_at="2020-09-24T08:00:00Z", papers=[], mentions=[])
    (site / SNAPSHOTS / "2020-09-23.json").write_text(json.dumps(data), encoding="utf-8")
    assert "no paper qualifies" in run("build", "2020-09-23").stderr
    result = run("preview", "2020-09-23")
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr == (
        "Error: no post for 2020-09-23: no paper of its snapshot qualifies (a paper needs a score of 50, "
        "ranking.min_paper_score, and a category that candidates.categories matches, and publication at most 7 days "
        "before the day, candidates.max_age_days; `hotpapers explain 2020-09-23` shows each one's), so build writes "
        "none\n"
    )


@pytest.mark.parametrize(("command", "missing"), [("explain", "snapshot"), ("preview", "post")])
def test_a_day_after_the_last_stored_one_names_that_one(site, command, missing):
    """A site that imported 2020-09-24 ran `explain` (yesterday, by default) and was told only
    to build yesterday, which fetches it: the day it has was not named."""
    assert run("build", "2020-09-24").exit_code == 0
    result = run(command, "2020-09-30")
    assert result.exit_code == 2
    assert result.stderr.startswith(f"Error: no {missing} for 2020-09-30 at ")
    assert result.stderr.endswith(
        " (the last day stored is 2020-09-24); run `hotpapers build --date 2020-09-30` first\n"
    )
    assert "last day stored" not in run(command, "2020-09-23").stderr  # a day before it: a gap, not the default


OFF = "sources: {" + ", ".join(f"{name}: {{enabled: false}}" for name in SOURCES) + "}"


@pytest.mark.parametrize(("command", "missing"), [("explain", "snapshot"), ("preview", "post")])
def test_a_site_with_every_source_off_is_told_to_write_a_day_not_to_build_it(site, command, missing):
    """A site bringing its own data (every source off) was told to 'run hotpapers build
    --date D first' for a day without a snapshot: that build ends in 'every source is disabled'."""
    add_settings(site, OFF)
    result = run(command, "2020-09-30")
    assert result.exit_code == 2 and result.stderr.startswith(f"Error: no {missing} for 2020-09-30 at "), result.stderr
    written = "it" if missing == "snapshot" else f"the day's snapshot to {SNAPSHOTS}/2020-09-30.json"
    then = "" if missing == "snapshot" else ", then run `hotpapers build --date 2020-09-30`"
    assert result.stderr.endswith(
        f" (the last day stored is 2020-09-24); every source is disabled in the config, so write {written} "
        f"(docs/snapshot.md){then}\n"
    )
    assert run("build", "2020-09-24").exit_code == 0
    (site / SNAPSHOTS / "2020-09-30.json").write_bytes((site / SNAPSHOTS / "2020-09-24.json").read_bytes())
    assert run("build", "2020-09-30", "--offline").exit_code == 2  # holds another day: not a day to write
    if command == "explain":  # preview says to build the day, which says what is wrong
        assert run(command, "2020-09-30").stderr.endswith("as its name says; fix the file (docs/snapshot.md)\n")


@pytest.mark.parametrize(
    "args", [["build", "2020-09-24", "--offline"], ["explain", "2020-09-24"], ["check", "--until", "2020-09-24"]]
)
def test_a_broken_snapshot_of_a_site_with_every_source_off_is_to_be_fixed_not_refreshed(site, args):
    """Its advice was to replace it with 'hotpapers build --date D --refresh', which then
    failed: 'no source can fetch it again (its stored snapshot stays)'."""
    add_settings(site, OFF)
    (site / SNAPSHOTS / "2020-09-24.json").write_text("{", encoding="utf-8")
    result = run(*args)
    assert result.exit_code == (1 if args[0] == "check" else 2)
    assert result.stderr.endswith(
        "(Expecting property name enclosed in double quotes at line 1, column 2); fix the file (docs/snapshot.md)\n"
    ), result.stderr


def test_a_command_run_from_the_root_folder_names_the_site_s_files_by_their_whole_path(site, monkeypatch):
    """A systemd timer runs its command in / unless told otherwise: every path was named
    without its leading slash (`wrote srv/site/content/posts/...`), and a command to run
    repeated `--config srv/site/config.yaml`, which works nowhere but in /."""
    monkeypatch.chdir("/")
    result = run("--config", str(site / "config.yaml"), "build", "2020-09-24", "--offline")
    assert result.exit_code == 0, result.output
    assert f"2020-09-24: wrote {site}/{POST} (" in result.stderr
    missing = run("--config", str(site / "config.yaml"), "explain", "2020-09-23")
    assert missing.exit_code == 2
    assert f"no snapshot for 2020-09-23 at {site}/{SNAPSHOTS}/2020-09-23.json" in missing.stderr
    assert f"hotpapers --config {site}/config.yaml build --date 2020-09-23" in missing.stderr
