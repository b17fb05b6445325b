"""`explain` accounts for every mention of a day; `check` fails on dead or failing days."""

import json
from datetime import date, timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner
from msgspec.structs import replace

import hotpapers
from conftest import EXAMPLE_SNAPSHOT, add_settings, make_config, make_mention, make_paper, make_snapshot
from hotpapers.check import DayFiles, day_problems, notes
from hotpapers.cli import cli
from hotpapers.explain import explain, explanation_text
from hotpapers.models import SourceStatus
from hotpapers.snapshot import load_snapshot, save_snapshot


def day_with_every_fate():
    papers = [
        make_paper("2009.00001", categories=("cs.LG",)),
        make_paper("2009.00002", categories=("cs.LG",)),
        make_paper("2009.00003", categories=("q-bio.NC",)),
        make_paper("2009.00004", categories=("cs.CL",), published="2020-08-01T00:00:00Z"),
    ]
    mentions = [make_mention(str(n), ("2009.00001",), likes=30 + n) for n in range(1, 12)]  # 11: one beyond the cap
    mentions += [
        make_mention("20", ("2009.00001",), likes=3),  # beyond the cap as well (12th)
        make_mention("30", ("2009.00002",), likes=40),  # paper below 50
        make_mention("40", ("2009.00003",), likes=500),  # outside categories
        make_mention("50", ("2009.00004",), likes=500),  # too old
        make_mention("60", ("2009.99999",), likes=900),  # no metadata
        make_mention("1", ("2009.00001",), likes=2, observed_at="2020-09-25T07:00:00Z"),  # older duplicate of 1
    ]
    return make_snapshot(papers, mentions)


def test_explain_gives_every_paper_and_record_its_fate():
    config = make_config(candidates={"categories": ["cs.*"], "max_age_days": 7}, ranking={"min_mention_score": 35})
    snapshot = day_with_every_fate()
    e = explain(snapshot, config)
    by_id = {p.id: p for p in e.papers}
    assert [p.id for p in e.papers] == ["2009.00001", "2009.00003", "2009.00004", "2009.00002"]
    assert by_id["2009.00001"].rank == 1 and by_id["2009.00001"].score == sum(30 + n for n in range(1, 12)) + 3
    assert by_id["2009.00002"].reason == "score 40 is below ranking.min_paper_score 50"
    assert by_id["2009.00003"].reason == "categories q-bio.NC match none of candidates.categories (cs.*)"
    assert by_id["2009.00004"].reason.startswith(
        "published 2020-08-01T00:00:00Z, more than 7 days before 2020-09-24 (candidates.max_age_days)"
    )
    fates = {m.id: m.reason for m in by_id["2009.00001"].mentions}
    assert [m.id for m in by_id["2009.00001"].mentions if m.shown] == ["11", "10", "9", "8", "7", "6", "5"]
    assert fates["4"] == "counted; score 34 is below ranking.min_mention_score 35"
    assert fates["1"] == "counted; beyond ranking.max_mentions_per_paper 10"
    assert fates["20"] == "counted; beyond ranking.max_mentions_per_paper 10"
    assert {m.id: m.reason for m in e.dropped_records} == {
        "60": "links 2009.99999, which the snapshot has no metadata for",
        "1": "duplicate record; the one observed at 2020-09-25T08:00:00Z is kept",
    }
    accounted = sum(len(p.mentions) for p in e.papers) + len(e.dropped_records)
    assert accounted == len(snapshot.mentions) == e.records == 17
    text = explanation_text(e)
    assert "#1 2009.00001 score 399" in text and "dropped 2009.00002 score 40" in text
    assert "record twitter 60: links 2009.99999" in text


def test_explain_says_a_paper_without_categories_has_none_to_match():
    """A snapshot written by hand may give a paper no category: the reason read
    'categories  match none of ...', an empty list between two spaces."""
    config = make_config(candidates={"categories": ["cs.*"]})
    paper = make_paper("2009.00001", categories=())
    snapshot = make_snapshot([paper], [make_mention("1", ("2009.00001",), likes=500)])
    (fate,) = explain(snapshot, config).papers
    assert fate.reason == "no categories, so none matches candidates.categories (cs.*)"


def test_explain_command_prints_json(site):
    result = CliRunner().invoke(cli, ["explain", "2020-09-24", "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert [p["rank"] for p in data["papers"]] == list(range(1, 12))
    assert data["papers"][1]["mentions"][1] == {
        "platform": "twitter",
        "id": "1309217889568854016",
        "url": "https://twitter.com/swabhz/status/1309217889568854016",
        "score": 25,
        "shown": True,
        "reason": "embedded",
        "counts": {"reposts": 21, "likes": 4},
    }


def day(name, mentions=100, post=True, due=True, status="ok"):
    snap = make_snapshot(
        [make_paper()],
        [make_mention(str(n)) for n in range(mentions)],
        date=name,
        sources={"twitter": SourceStatus(status=status, detail="HTTP 503" if status == "failed" else None)},
    )
    return DayFiles(name, snap, post, due)


def test_check_finds_missing_days_failed_sources_and_a_collapse():
    days = [
        day("2020-09-20"),
        day("2020-09-21", 120),
        DayFiles("2020-09-22", None, False, False),
        day("2020-09-23", 90, status="failed"),
        day("2020-09-24", 20, post=False),
        day("2020-09-25", 26, post=False, due=False),
    ]
    assert day_problems(days, 0.25, {"twitter"}) == [
        "2020-09-22: no snapshot; `hotpapers build --date 2020-09-22` fetches it",
        "2020-09-23: source twitter failed (HTTP 503); `hotpapers build --date 2020-09-23` asks it again",
        "2020-09-24: no post, though papers qualify; `hotpapers build --date 2020-09-24` writes it",
        "2020-09-24: 20 mentions, against a median of 100 on the days before",
    ]
    assert (
        day_problems(
            [day("2020-09-20", 5), day("2020-09-21", 5), day("2020-09-22", 100), day("2020-09-23", 4)],
            0.25,
            {"twitter"},
        )
        == []
    )
    assert (
        day_problems(days, 0.25, {"bluesky"})[1]
        == "2020-09-24: no post, though papers qualify; `hotpapers build --date 2020-09-24` writes it"
    )  # twitter is off
    missing = [DayFiles(f"2020-09-{n}", None, False, False) for n in (20, 21, 23, 25)]
    unusable = DayFiles("2020-09-22", None, False, False, unusable="not JSON")
    by_hand = DayFiles("2020-09-24", None, True, False)
    runs = [*missing[:2], unusable, missing[2], by_hand, missing[3]]
    assert day_problems(runs, 0.25, {"twitter"}) == [  # a run ends at a day with a snapshot file or a post
        "2020-09-20 to 2020-09-21: no snapshot; `hotpapers build --since 2020-09-20 --until 2020-09-21` fetches them",
        "2020-09-22: unusable snapshot not JSON",
        "2020-09-23: no snapshot; `hotpapers build --date 2020-09-23` fetches it",
        "2020-09-25: no snapshot; `hotpapers build --date 2020-09-25` fetches it",
    ]
    assert day_problems(missing[:2], 0.25, set()) == [  # no source to fetch them: an importer's site
        "2020-09-20 to 2020-09-21: no snapshot; every source is disabled in the config: write them as "
        "data/snapshots/DAY.json (docs/snapshot.md), then `hotpapers build --since 2020-09-20 --until 2020-09-21`"
    ]
    assert day_problems(missing[:1], 0.25, set(), Path("/srv/lab/snaps")) == [  # the file to write, named
        "2020-09-20: no snapshot; every source is disabled in the config: write /srv/lab/snaps/2020-09-20.json "
        "(docs/snapshot.md), then `hotpapers build --date 2020-09-20`"
    ]
    one = [day("2020-09-20", 15), day("2020-09-21", 15), day("2020-09-22", 15), day("2020-09-23", 1)]
    assert day_problems(one, 0.25, {"twitter"}) == ["2020-09-23: 1 mention, against a median of 15 on the days before"]


def test_check_ends_a_run_of_missing_days_at_a_day_with_a_snapshot():
    """Days 20 and 22 lack a snapshot, 21 has one: two problems, not a run '20, 22'."""
    days = [DayFiles("2020-09-20", None, False, False), day("2020-09-21"), DayFiles("2020-09-22", None, False, False)]
    assert day_problems(days, 0.25, {"twitter"}) == [
        "2020-09-20: no snapshot; `hotpapers build --date 2020-09-20` fetches it",
        "2020-09-22: no snapshot; `hotpapers build --date 2020-09-22` fetches it",
    ]


def test_check_compares_a_days_volume_with_three_days_before_it_or_more():
    assert day_problems([day("2020-09-20"), day("2020-09-21"), day("2020-09-22", 1)], 0.25, {"twitter"}) == []
    even = [day(f"2020-09-2{n}", volume) for n, volume in enumerate((10, 20, 30, 40))] + [day("2020-09-24", 1)]
    assert day_problems(even, 0.25, {"twitter"}) == [  # the median of 10, 20, 30 and 40 is 25
        "2020-09-24: 1 mention, against a median of 25 on the days before"
    ]


def test_check_names_a_failed_source_that_recorded_no_detail_without_parentheses():
    snap = make_snapshot([make_paper()], [make_mention("1")], sources={"twitter": SourceStatus(status="failed")})
    assert day_problems([DayFiles("2020-09-24", snap, True, True)], 0.25, {"twitter"}) == [
        "2020-09-24: source twitter failed; `hotpapers build --date 2020-09-24` asks it again"
    ]


def test_the_notes_of_sources_skipped_for_credentials_go_by_name_and_other_skips_make_none():
    sources = {
        "twitter": SourceStatus("skipped", "needs X_BEARER_TOKEN"),
        "bluesky": SourceStatus("skipped", "needs BSKY_HANDLE and BSKY_APP_PASSWORD"),
        "mastodon": SourceStatus("skipped"),  # no detail: no credentials named
    }
    snap = make_snapshot([make_paper()], [make_mention("1")], sources=sources)
    assert notes([DayFiles("2020-09-24", snap, True, True)], {"twitter", "bluesky", "mastodon"}) == [
        "bluesky was skipped on 2020-09-24 for want of credentials: set BSKY_HANDLE and BSKY_APP_PASSWORD, or turn "
        "it off with sources.bluesky.enabled: false",
        "twitter was skipped on 2020-09-24 for want of credentials: set X_BEARER_TOKEN, or turn it off with "
        "sources.twitter.enabled: false",
    ]


def store_day(site, name):
    """The example day's snapshot stored as the day `name` too, taken the next morning."""
    snapshots = site / "data" / "snapshots"
    taken_at = f"{date.fromisoformat(name) + timedelta(days=1)}T08:00:47Z"
    snapshot = replace(load_snapshot(snapshots / "2020-09-24.json"), date=name, taken_at=taken_at)
    save_snapshot(snapshot, snapshots / f"{name}.json")


def test_check_command_fails_in_one_line_and_passes_on_a_healthy_site(site):
    runner = CliRunner()
    store_day(site, "2020-09-22")
    assert runner.invoke(cli, ["build", "--date", "2020-09-24"]).exit_code == 0
    result = runner.invoke(cli, ["-q", "check", "--days", "2", "--until", "2020-09-24"])
    assert result.exit_code == 1
    assert (
        result.stderr
        == "Error: check failed: 2020-09-23: no snapshot; `hotpapers build --date 2020-09-23` fetches it\n"
    )
    ok = runner.invoke(cli, ["check", "--days", "1", "--until", "2020-09-24"])
    assert ok.exit_code == 0 and "ok: no problem in 1 day up to 2020-09-24" in ok.stderr


def test_check_names_a_snapshot_saved_under_another_name_as_build_does(site):
    """2020-09-23.json.txt (an editor's extension, hidden by a file manager): build and
    explain named it beside the missing 2020-09-23.json, check said only "no snapshot"."""
    runner = CliRunner()
    store_day(site, "2020-09-22")
    assert runner.invoke(cli, ["build", "--date", "2020-09-24"]).exit_code == 0
    (site / "data" / "snapshots" / "2020-09-23.json.txt").write_text("{}", encoding="utf-8")
    result = runner.invoke(cli, ["-q", "check", "--days", "2", "--until", "2020-09-24"])
    assert (result.exit_code, result.stderr) == (
        1,
        "Error: check failed: 2020-09-23: no snapshot (2020-09-23.json.txt beside it is not read: a snapshot is "
        "named 2020-09-23.json); `hotpapers build --date 2020-09-23` fetches it\n",
    )


@pytest.mark.parametrize("quiet", [["-q"], []])
def test_check_names_every_problem_also_under_quiet(site, quiet):
    """Cron runs `hotpapers -q check`: its mail must name every problem, not the first."""
    store_day(site, "2020-09-20")
    store_day(site, "2020-09-23")  # no post
    assert CliRunner().invoke(cli, ["build", "--date", "2020-09-24"]).exit_code == 0
    result = CliRunner().invoke(cli, [*quiet, "check", "--days", "4", "--until", "2020-09-24"])
    assert result.exit_code == 1
    assert result.stderr == (
        "2020-09-21 to 2020-09-22: no snapshot; `hotpapers build --since 2020-09-21 --until 2020-09-22` fetches them\n2020-09-23: no post, though papers qualify; `hotpapers build --date 2020-09-23` writes it\n"
        "Error: check failed: 2 problems in 4 days up to 2020-09-24, listed above\n"
    )


def test_check_leaves_out_the_days_before_the_first_snapshot(site):
    """A site first built last night passes check (the days before it did not exist yet);
    it failed for its first week. With no snapshot at all, every day lacks one."""
    runner = CliRunner()
    assert runner.invoke(cli, ["build", "--date", "2020-09-24"]).exit_code == 0
    (site / "data" / "snapshots" / "notes.json").write_text("{}", encoding="utf-8")  # not a day's snapshot
    ok = runner.invoke(cli, ["check", "--until", "2020-09-24"])
    assert (ok.exit_code, ok.stderr.splitlines()[-1]) == (
        0,
        "ok: no problem in 1 day up to 2020-09-24 (snapshots, posts, sources)",
    )
    assert hotpapers.check_days(hotpapers.load_config(), date(2020, 9, 25), 3) == [
        "2020-09-25: no snapshot; `hotpapers build --date 2020-09-25` fetches it"
    ]
    before = runner.invoke(cli, ["check", "--until", "2020-09-23"])
    assert (before.exit_code, before.stderr.splitlines()[-1]) == (
        0,
        "ok: no day to check up to 2020-09-23: the first snapshot is of a later day",
    )
    (site / "data" / "snapshots" / "2020-09-24.json").unlink()
    (site / "content" / "posts" / "2020-09-24---Hot-Papers.md").unlink()  # else a post without snapshot: a note
    never = runner.invoke(cli, ["-q", "check", "--days", "2", "--until", "2020-09-24"])
    assert (never.exit_code, never.stderr) == (
        1,
        "Error: check failed: 2020-09-23 to 2020-09-24: no snapshot; `hotpapers build --since 2020-09-23 --until 2020-09-24` fetches them\n",
    )


def test_a_day_with_a_post_and_no_snapshot_is_no_problem_but_a_note():
    """A post written by hand for a day hotpapers did not fetch: a nightly build neither
    fetches the day nor replaces the post, yet check called it 'no snapshot' every day."""
    days = [day("2020-09-20"), DayFiles("2020-09-21", None, True, False), DayFiles("2020-09-22", None, True, False)]
    days += [DayFiles("2020-09-23", None, False, False), DayFiles("2020-09-24", None, True, False)]
    assert day_problems(days, 0.25, {"twitter"}) == [
        "2020-09-23: no snapshot; `hotpapers build --date 2020-09-23` fetches it"
    ]
    assert notes(days, {"twitter"}) == [
        "2020-09-21 to 2020-09-22, 2020-09-24: a post and no snapshot (written by hand, or its snapshot lost): not checked"
    ]


def test_check_command_passes_a_day_whose_post_was_written_by_hand(site):
    runner = CliRunner()
    assert runner.invoke(cli, ["build", "--date", "2020-09-24"]).exit_code == 0
    posts = site / "content" / "posts"
    (posts / "2020-09-25---Hot-Papers.md").write_text("---\ntitle: Written by hand\n---\nHello.\n", encoding="utf-8")
    result = runner.invoke(cli, ["check", "--days", "2", "--until", "2020-09-25"])
    assert result.exit_code == 0, result.stderr
    assert (
        "note: 2020-09-25: a post and no snapshot (written by hand, or its snapshot lost): not checked" in result.stderr
    )
    assert (
        "ok: no problem in 2 days up to 2020-09-25 (snapshots, posts, sources)\n" in result.stderr
    )  # no claim of a snapshot each
    (posts / "2020-09-25---Hot-Papers.md").unlink()
    assert runner.invoke(cli, ["-q", "check", "--days", "2", "--until", "2020-09-25"]).stderr == (
        "Error: check failed: 2020-09-25: no snapshot; `hotpapers build --date 2020-09-25` fetches it\n"
    )


def test_check_leaves_out_the_days_before_the_nightly_build_began_after_an_imported_archive(site):
    """A site holding an imported archive (here the 2020-09-24 snapshot) whose nightly build
    began on 2020-10-10 failed check for its first week: 'no snapshot' for every day before,
    which the build never fetches (init's workflow runs check every night)."""
    runner = CliRunner()
    for day in ("2020-10-10", "2020-10-11"):
        store_day(site, day)
    assert runner.invoke(cli, ["build", "--since", "2020-10-10", "--until", "2020-10-11", "--offline"]).exit_code == 0
    ok = runner.invoke(cli, ["check", "--until", "2020-10-11"])
    assert (ok.exit_code, ok.stderr.splitlines()[-1]) == (
        0,
        "ok: no problem in 2 days up to 2020-10-11 (snapshots, posts, sources)",
    )
    for day in ("2020-10-10", "2020-10-11"):
        (site / "content" / "posts" / f"{day}---Hot-Papers.md").unlink()
    unbuilt = runner.invoke(cli, ["-q", "check", "--until", "2020-10-11"]).stderr.splitlines()[-1]
    assert unbuilt == "Error: check failed: 2 problems in 2 days up to 2020-10-11, listed above"  # not 'in 7 days'
    store_day(site, "2020-10-04")  # the day before the 7 checked: the nightly build ran then, and stopped
    stopped = runner.invoke(cli, ["-q", "check", "--until", "2020-10-11"])
    assert stopped.exit_code == 1
    assert (
        stopped.stderr.splitlines()
        == [
            "2020-10-05 to 2020-10-09: no snapshot; `hotpapers build --since 2020-10-05 --until 2020-10-09` fetches them",  # one line for the run, not five
            *(
                f"2020-10-{day}: no post, though papers qualify; `hotpapers build --date 2020-10-{day}` writes it"
                for day in (10, 11)
            ),
            "Error: check failed: 3 problems in 7 days up to 2020-10-11, listed above",
        ]
    )


def test_check_names_every_day_of_a_build_that_stopped_after_an_imported_archive(site):
    """With no snapshot among the days checked, each is missing one, however old the archive."""
    result = CliRunner().invoke(cli, ["-q", "check", "--days", "2", "--until", "2020-10-11"])
    assert (result.exit_code, result.stderr) == (
        1,
        "Error: check failed: 2020-10-10 to 2020-10-11: no snapshot; `hotpapers build --since 2020-10-10 --until 2020-10-11` fetches them\n",
    )


def unusable_days(site):
    """2020-09-20 not JSON, 2020-09-21 against the schema, 2020-09-22 missing, 2020-09-23
    holding 2020-09-24's snapshot, and 2020-09-24 built: the lines check gives them."""
    snapshots = site / "data" / "snapshots"
    example = json.loads((snapshots / "2020-09-24.json").read_text(encoding="utf-8"))
    (snapshots / "2020-09-20.json").write_text("{bad", encoding="utf-8")
    (snapshots / "2020-09-21.json").write_text(json.dumps({**example, "date": "2020-09-21", "papers": "none"}))
    (snapshots / "2020-09-23.json").write_text(json.dumps(example), encoding="utf-8")
    assert CliRunner().invoke(cli, ["build", "--date", "2020-09-24"]).exit_code == 0
    fix = "; fix the file, or replace it by fetching the day from the sources: `hotpapers build --date {} --refresh`"
    return [
        "2020-09-20: unusable snapshot data/snapshots/2020-09-20.json: not valid JSON (Expecting property name "
        "enclosed in double quotes at line 1, column 2)" + fix.format("2020-09-20"),
        "2020-09-21: unusable snapshot data/snapshots/2020-09-21.json: $.papers: 'none' is not of type 'array'"
        + fix.format("2020-09-21"),
        "2020-09-22: no snapshot; `hotpapers build --date 2020-09-22` fetches it",
        "2020-09-23: unusable snapshot data/snapshots/2020-09-23.json: holds the day 2020-09-24, not 2020-09-23 as "
        "its name says" + fix.format("2020-09-23"),
    ]


@pytest.mark.parametrize("quiet", [["-q"], []])
def test_check_lists_an_unusable_snapshot_among_the_other_problems(site, quiet):
    """check stopped at the first broken snapshot (exit 2) and named nothing else."""
    problems = unusable_days(site)
    result = CliRunner().invoke(cli, [*quiet, "check", "--days", "5", "--until", "2020-09-24"])
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        *problems,
        "Error: check failed: 4 problems in 5 days up to 2020-09-24, listed above",
    ]
    assert hotpapers.check_days(hotpapers.load_config(), date(2020, 9, 24), 5) == problems  # the library's
    one = CliRunner().invoke(cli, [*quiet, "check", "--days", "1", "--until", "2020-09-20"])
    assert (one.exit_code, one.stderr) == (1, f"Error: check failed: {problems[0]}\n")


def test_check_fails_on_a_collapsed_day(site):
    example = load_snapshot(site / "data" / "snapshots" / "2020-09-24.json")
    for n, name in enumerate(["2020-09-20", "2020-09-21", "2020-09-22", "2020-09-23"]):
        mentions = example.mentions if n < 3 else example.mentions[:2]
        save_snapshot(replace(example, date=name, mentions=mentions), site / "data" / "snapshots" / f"{name}.json")
    assert CliRunner().invoke(cli, ["build", "--since", "2020-09-20", "--until", "2020-09-24"]).exit_code == 0
    result = CliRunner().invoke(cli, ["-q", "check", "--days", "5", "--until", "2020-09-24"])
    assert result.exit_code == 1
    assert result.stderr == "Error: check failed: 2020-09-23: 2 mentions, against a median of 12 on the days before\n"


def unprintable(character: str) -> bool:
    """A control character but LF, or a bidi override, which reorders what a terminal shows after it."""
    return (ord(character) < 32 and character != "\n") or 0x7F <= ord(character) <= 0x9F or character == "\u202e"


HOSTILE = "\x1b]0;owned\x07\x1b[2J\rFake\x9b31m title\u202e\n"


def test_explain_text_shows_no_control_characters_and_its_json_keeps_the_text_exactly(site):
    data = json.loads((site / "data" / "snapshots" / "2020-09-24.json").read_text(encoding="utf-8"))
    data["papers"][0]["title"] = HOSTILE
    data["papers"][0]["categories"][0] = "cs.LG\x1b[8m"
    data["sources"] = {"twitter\x1b[1A": {"status": "failed", "detail": "HTTP 503\r\x1b[Kok"}}
    (site / "data" / "snapshots" / "2020-09-24.json").write_text(json.dumps(data), encoding="utf-8")
    text = CliRunner().invoke(cli, ["explain", "2020-09-24"])
    assert text.exit_code == 0, text.output
    assert [c for c in text.stdout if unprintable(c)] == []
    assert "\\x1b]0;owned\\x07\\x1b[2J\\rFake\\x9b31m title\\u202e\\n" in text.stdout
    assert "sources: twitter\\x1b[1A failed (HTTP 503\\r\\x1b[Kok)" in text.stdout
    machine = CliRunner().invoke(cli, ["explain", "2020-09-24", "--json"])
    assert machine.exit_code == 0
    assert [c for c in machine.stdout if unprintable(c)] == []
    explained = json.loads(machine.stdout)
    assert HOSTILE in [paper["title"] for paper in explained["papers"]]
    assert explained["sources"] == {"twitter\x1b[1A": "failed (HTTP 503\r\x1b[Kok)"}


def test_explain_text_counts_in_proper_english_and_says_each_thing_on_its_own_line():
    config = make_config(ranking={"max_mentions_per_paper": 1})
    lines = explanation_text(explain(day_with_every_fate(), config)).splitlines()
    rules = next(line for line in lines if line.startswith("rules: "))
    assert (
        "; up to 1 post shown per paper (embedded or quoted, or linked where a platform has no embeds), each scoring "
        "at least" in rules
    )
    assert "sources: none recorded" in lines
    assert "reposts: a repost is not a mention of its own; only the original post is stored" in lines


def check_with_a_failed_source(site, name):
    """`check` of 2020-09-24 once its snapshot records `name` as failed (HTTP 503)."""
    example = load_snapshot(site / "data" / "snapshots" / "2020-09-24.json")
    failed = {name: SourceStatus(status="failed", detail="HTTP 503")}
    save_snapshot(replace(example, sources=failed), site / "data" / "snapshots" / "2020-09-24.json")
    assert CliRunner().invoke(cli, ["build", "--date", "2020-09-24", "--offline"]).exit_code == 0
    return CliRunner().invoke(cli, ["check", "--days", "1", "--until", "2020-09-24"])


def test_check_leaves_out_a_failed_source_that_is_turned_off_since(site):
    flagged = check_with_a_failed_source(site, "twitter")
    assert flagged.exit_code == 1 and "2020-09-24: source twitter failed (HTTP 503)" in flagged.stderr
    add_settings(site, "sources:\n  twitter: {enabled: false}\n")
    off = CliRunner().invoke(cli, ["check", "--days", "1", "--until", "2020-09-24"])
    assert off.exit_code == 0 and "ok: no problem in 1 day up to 2020-09-24" in off.stderr


def test_check_leaves_a_failure_no_build_can_fetch_again_to_explain(site):
    """An imported snapshot may record any platform of the schema as failed; no source
    module reads reddit, so nothing but the file can change it: explain shows it."""
    quiet = check_with_a_failed_source(site, "reddit")
    assert quiet.exit_code == 0 and "reddit" not in quiet.stderr
    shown = CliRunner().invoke(cli, ["explain", "2020-09-24"])
    assert "sources: reddit failed (HTTP 503)" in shown.stdout


def test_explain_says_when_a_shown_posts_own_embed_html_is_refused():
    example = load_snapshot(EXAMPLE_SNAPSHOT)
    first = example.mentions[0]
    hostile = replace(first, embed_html=first.embed_html.replace("<p ", '<p onmouseover="alert(1)" ', 1))
    others = [m for m in example.mentions if m is not first]
    e = explain(replace(example, mentions=(hostile, *others)), make_config())
    reasons = {m.id: m.reason for paper in e.papers for m in paper.mentions}
    assert reasons[first.id] == (
        "embedded, written from its fields: its embed HTML was refused "
        "(markup, a link or a character that is not allowed)"
    )
    assert {reason for key, reason in reasons.items() if key != first.id and reason.startswith("embedded")} == {
        "embedded"
    }


def test_build_and_explain_refuse_a_snapshot_holding_another_day_than_its_name_and_check_lists_it(site):
    """explain showed the other day's papers and check advised a build that build refused."""
    stored = site / "data" / "snapshots" / "2020-09-24.json"
    data = json.loads(stored.read_text(encoding="utf-8"))
    data["date"] = "2020-09-23"
    stored.write_text(json.dumps(data), encoding="utf-8")
    problem = (
        "data/snapshots/2020-09-24.json: holds the day 2020-09-23, not 2020-09-24 as its name says; fix the file, or replace it by "
        "fetching the day from the sources: `hotpapers build --date 2020-09-24 --refresh`"
    )
    for command in (["build", "2020-09-24"], ["explain", "2020-09-24"]):
        result = CliRunner().invoke(cli, ["-q", *command])
        assert (result.exit_code, result.stdout, result.stderr) == (2, "", f"Error: {problem}\n"), command
    check = CliRunner().invoke(cli, ["-q", "check", "--days", "1", "--until", "2020-09-24"])
    assert (check.exit_code, check.stderr) == (1, f"Error: check failed: 2020-09-24: unusable snapshot {problem}\n")


def test_explain_lists_an_exact_duplicate_record_as_one(site):
    """The same record twice counted once in the ranking, but explain listed it nowhere:
    '4 mention records, 1 of them count for no paper'."""
    paper = make_paper("2009.00001")
    twice = make_mention("7", ("2009.00001",), likes=60)
    unknown = make_mention("8", ("2009.99999",), likes=5)
    snapshot = make_snapshot([paper], [twice, make_mention("9", ("2009.00001",)), twice, unknown, unknown])
    save_snapshot(snapshot, site / "data" / "snapshots" / "2020-09-24.json")
    text = CliRunner().invoke(cli, ["explain", "2020-09-24"]).stdout
    assert "5 mention records, 3 of them count for no paper" in text
    assert text.endswith(
        "\nrecord twitter 7: duplicate record; an earlier one just like it is kept\n"
        "record twitter 8: links 2009.99999, which the snapshot has no metadata for\n"
        "record twitter 8: duplicate record; an earlier one just like it is kept\n"
    )
    data = json.loads(CliRunner().invoke(cli, ["explain", "2020-09-24", "--json"]).stdout)
    assert [(m["id"], m["reason"].split(";")[0]) for m in data["dropped_records"]] == [
        ("7", "duplicate record"),
        ("8", "links 2009.99999, which the snapshot has no metadata for"),
        ("8", "duplicate record"),
    ]
    assert sum(len(p["mentions"]) for p in data["papers"]) + len(data["dropped_records"]) == data["records"] == 5


def test_explain_says_one_record_counts_for_no_paper_in_the_singular(site):
    known, unknown = make_mention("7", ("2009.00001",), likes=60), make_mention("8", ("2009.99999",), likes=5)
    snapshot = make_snapshot([make_paper("2009.00001")], [known, unknown])
    save_snapshot(snapshot, site / "data" / "snapshots" / "2020-09-24.json")
    text = CliRunner().invoke(cli, ["explain", "2020-09-24"]).stdout
    assert "are in the post; 2 mention records, 1 of them counts for no paper\n" in text


def test_builds_note_of_ids_without_metadata_says_how_many_it_does_not_name(site):
    """The note named the first 10 ids only, and said nothing of the others: '11 ids
    without metadata:' then 10 of them, which reads as a full list one id short."""
    ids = [f"2009.{n:05}" for n in range(90, 102)]  # 12 ids, none with metadata
    mentions = [make_mention(str(n), ("2009.00001", pid), likes=60) for n, pid in enumerate(ids)]
    snapshot = make_snapshot([make_paper("2009.00001")], mentions)
    save_snapshot(snapshot, site / "data" / "snapshots" / "2020-09-24.json")
    build = CliRunner().invoke(cli, ["build", "2020-09-24", "--offline"])
    named = ", ".join(ids[:10])
    assert f"ignored mentions of 12 ids without metadata: {named} (and 2 more)\n" in build.stderr


def test_explain_names_an_id_without_metadata_that_a_mention_of_a_known_paper_links_too(site):
    """build warned 'ignored mentions of 1 id without metadata: 2009.99999', but explain,
    where that warning sends a user, named the id nowhere: the record that linked it also
    linked a known paper, so it counted for that one and was not a dropped record."""
    both = make_mention("7", ("2009.00001", "2009.99999"), likes=60)
    snapshot = make_snapshot([make_paper("2009.00001")], [both])
    save_snapshot(snapshot, site / "data" / "snapshots" / "2020-09-24.json")
    build = CliRunner().invoke(cli, ["build", "2020-09-24", "--offline"])
    assert "ignored mentions of 1 id without metadata: 2009.99999" in build.stderr
    text = CliRunner().invoke(cli, ["explain", "2020-09-24"]).stdout
    assert "are in the post; 1 mention record\n" in text  # was '1 mention records, 0 of them count for no paper'
    assert "\nids without metadata, left out of the ranking: 2009.99999\n" in text
    data = json.loads(CliRunner().invoke(cli, ["explain", "2020-09-24", "--json"]).stdout)
    assert data["unknown_ids"] == ["2009.99999"]
    known_only = replace(both, paper_ids=("2009.00001",))
    save_snapshot(replace(snapshot, mentions=(known_only,)), site / "data" / "snapshots" / "2020-09-24.json")
    healthy = CliRunner().invoke(cli, ["explain", "2020-09-24"]).stdout
    assert "without metadata" not in healthy


@pytest.mark.parametrize("kind", ["a folder", "a FIFO, a device or a socket"])
def test_check_names_a_post_path_that_holds_no_file_which_no_build_can_replace(site, kind):
    """check said `ok` while build stopped on the day: it writes only regular files there."""
    post = site / "content" / "posts" / "2020-09-24---Hot-Papers.md"
    post.parent.mkdir(parents=True)
    post.mkdir() if kind == "a folder" else post.symlink_to("/dev/null")
    result = CliRunner().invoke(cli, ["check", "--days", "1", "--until", "2020-09-24"])
    assert result.exit_code == 1
    assert result.stderr == (
        f"Error: check failed: 2020-09-24: no post, though papers qualify: content/posts/2020-09-24---Hot-Papers.md "
        f"holds {kind}, not a file, which build does not replace; move it away, then "
        "`hotpapers build --date 2020-09-24` writes the post\n"
    )


def test_check_names_the_post_a_switch_of_profile_left_beside_the_days_own(site):
    """The README sends a Gatsby 5 site from lumen to lumen-2022: both write into
    content/posts, so the old post stayed, the site listed the day twice, and check said ok."""
    runner = CliRunner()
    assert runner.invoke(cli, ["build", "--date", "2020-09-24"]).exit_code == 0
    assert (site / "content/posts/2020-09-24---Hot-Papers.md").is_file()
    add_settings(site, "output: {profile: lumen-2022}")
    assert runner.invoke(cli, ["build", "--date", "2020-09-24"]).exit_code == 0
    assert (site / "content/posts/2020-09-24---hot-papers/index.md").is_file()
    result = runner.invoke(cli, ["-q", "check", "--days", "1", "--until", "2020-09-24"])
    assert (result.exit_code, result.stderr) == (
        1,
        "Error: check failed: 2020-09-24: content/posts/2020-09-24---Hot-Papers.md is the day's post under the "
        "lumen profile's name, beside this profile's: the site lists the day twice (delete it)\n",
    )
    (site / "content/posts/2020-09-24---Hot-Papers.md").unlink()
    assert runner.invoke(cli, ["check", "--days", "1", "--until", "2020-09-24"]).exit_code == 0


def test_check_says_a_post_another_profile_left_goes_when_no_paper_qualifies_now(site):
    """It said to build the day first, which writes nothing when no paper qualifies (found by a review)."""
    assert CliRunner().invoke(cli, ["build", "--date", "2020-09-24"]).exit_code == 0
    add_settings(site, "output: {profile: lumen-2022}\nranking: {min_paper_score: 100000}")
    result = CliRunner().invoke(cli, ["-q", "check", "--days", "1", "--until", "2020-09-24"])
    assert (result.exit_code, result.stderr) == (
        1,
        "Error: check failed: 2020-09-24: content/posts/2020-09-24---Hot-Papers.md is the day's post under the "
        "lumen profile's name, and no paper qualifies under the settings now, so this profile writes none (delete "
        "it)\n",
    )


def test_check_says_to_build_the_day_before_deleting_the_only_post_a_switch_of_profile_left(site):
    """Switched to lumen-2022, the day not built again yet: check said the old post stood
    'beside this profile's: the site lists the day twice (delete it)', though it was the
    day's only post (deleting it, as told, left the day with none), and, on a line of its
    own, 'no post, though papers qualify' (found by a simulated month of nights)."""
    runner = CliRunner()
    assert runner.invoke(cli, ["build", "--date", "2020-09-24"]).exit_code == 0
    add_settings(site, "output: {profile: lumen-2022}")
    result = runner.invoke(cli, ["-q", "check", "--days", "1", "--until", "2020-09-24"])
    assert (result.exit_code, result.stderr) == (
        1,
        "Error: check failed: 2020-09-24: content/posts/2020-09-24---Hot-Papers.md is the day's post under the "
        "lumen profile's name, and this profile's is not written: build the day with `hotpapers build --date "
        "2020-09-24`, then delete it\n",
    )
    assert runner.invoke(cli, ["build", "--date", "2020-09-24"]).exit_code == 0
    result = runner.invoke(cli, ["-q", "check", "--days", "1", "--until", "2020-09-24"])
    assert result.exit_code == 1 and "beside this profile's: the site lists the day twice (delete it)" in result.stderr


def test_check_names_a_post_left_under_a_file_name_two_profiles_share_once(site):
    """Hugo's and Jekyll's posts are both named DAY-hot-papers.md: a Hugo site switched to
    lumen-2022 had its old post named twice, under each profile, as two problems."""
    runner = CliRunner()
    add_settings(site, "output: {profile: hugo}")
    assert runner.invoke(cli, ["build", "--date", "2020-09-24"]).exit_code == 0
    add_settings(site, "output: {profile: lumen-2022}")
    assert runner.invoke(cli, ["build", "--date", "2020-09-24"]).exit_code == 0
    result = runner.invoke(cli, ["-q", "check", "--days", "1", "--until", "2020-09-24"])
    assert (result.exit_code, result.stderr) == (
        1,
        "Error: check failed: 2020-09-24: content/posts/2020-09-24-hot-papers.md is the day's post under the "
        "hugo or jekyll profile's name, beside this profile's: the site lists the day twice (delete it)\n",
    )


@pytest.mark.parametrize(
    ("profile", "old"), [("lumen", "2020-09-24---Hot-Papers.md"), ("hugo", "2020-09-24-hot-papers.md")]
)
def test_check_names_a_post_left_by_a_change_of_file_name_as_this_profiles(site, profile, old):
    """A Jekyll site that set output.filename had its old posts named 'the day's post under
    the hugo or jekyll profile's name', and told 'this profile's is not written', though its
    profile had not changed: the post was left by the change of file name."""
    runner = CliRunner()
    add_settings(site, f"output: {{profile: {profile}}}")
    assert runner.invoke(cli, ["build", "--date", "2020-09-24"]).exit_code == 0
    add_settings(site, "output: {filename: '{date}-lab.md'}")
    result = runner.invoke(cli, ["-q", "check", "--days", "1", "--until", "2020-09-24"])
    assert (result.exit_code, result.stderr) == (
        1,
        f"Error: check failed: 2020-09-24: content/posts/{old} is the day's post under the {profile} profile's "
        "default file name, which output.filename changed, and this profile's is not written: build the day with "
        "`hotpapers build --date 2020-09-24`, then delete it\n",
    )


def test_check_leaves_alone_another_profiles_post_in_a_folder_this_site_does_not_read(site):
    """A Jekyll site's old _posts are not read by Hugo: only the posts folder in use counts."""
    (site / "_posts").mkdir()
    (site / "_posts" / "2020-09-24-hot-papers.md").write_text("---\ntitle: old\n---\n", encoding="utf-8")
    assert CliRunner().invoke(cli, ["build", "--date", "2020-09-24"]).exit_code == 0
    assert CliRunner().invoke(cli, ["check", "--days", "1", "--until", "2020-09-24"]).exit_code == 0


def test_check_says_once_that_the_snapshots_folder_is_gone(site):
    """A site whose snapshots folder was moved got a 'no snapshot' line for each day,
    and nothing saying the folder itself was not there."""
    assert CliRunner().invoke(cli, ["build", "--date", "2020-09-24"]).exit_code == 0
    (site / "data" / "snapshots").rename(site / "data" / "moved")
    result = CliRunner().invoke(cli, ["-q", "check", "--until", "2020-09-24"])
    assert (result.exit_code, result.stderr) == (
        1,
        "Error: check failed: no snapshots folder data/snapshots (paths.snapshots): if it moved, set "
        "paths.snapshots to where it is; else build a day first\n",
    )
    (site / "data" / "snapshots").write_text("", encoding="utf-8")  # a file in its place is no folder either
    assert CliRunner().invoke(cli, ["-q", "check", "--until", "2020-09-24"]).stderr == result.stderr
    add_settings(site, "paths:\n  snapshots: data/moved\n")
    assert CliRunner().invoke(cli, ["check", "--days", "1", "--until", "2020-09-24"]).exit_code == 0


def test_check_names_the_post_a_switch_to_jekyll_left_in_content_posts_which_jekyll_publishes(site):
    """From lumen to jekyll the posts folder moves from content/posts to _posts: the old
    post stayed where Jekyll, which serves the whole site, publishes it as a page, and
    check said nothing of it."""
    runner = CliRunner()
    assert runner.invoke(cli, ["build", "--date", "2020-09-24"]).exit_code == 0
    add_settings(site, "output: {profile: jekyll}")
    assert runner.invoke(cli, ["build", "--date", "2020-09-24"]).exit_code == 0
    assert (site / "_posts/2020-09-24-hot-papers.md").is_file()
    result = runner.invoke(cli, ["-q", "check", "--days", "1", "--until", "2020-09-24"])
    assert (result.exit_code, result.stderr) == (
        1,
        "Error: check failed: 2020-09-24: content/posts/2020-09-24---Hot-Papers.md is the day's post under the "
        "lumen profile, in its posts folder, which the site serves (paths.public): the site publishes it as a "
        "page of its own (delete it)\n",
    )
    add_settings(site, "paths: {posts: blog}")  # a folder of its own: where the profile's posts went is unknown
    (site / "_posts").rename(site / "blog")
    assert runner.invoke(cli, ["check", "--days", "1", "--until", "2020-09-24"]).exit_code == 0
    add_settings(site, "paths: {posts: null}")
    (site / "blog").rename(site / "_posts")
    (site / "content/posts/2020-09-24---Hot-Papers.md").unlink()
    assert runner.invoke(cli, ["check", "--days", "1", "--until", "2020-09-24"]).exit_code == 0


def test_check_passes_a_day_with_a_source_skipped_for_its_credentials_and_notes_it(site):
    """A day fetched without X (its token unset) passed check with 'working sources' and no
    word of X: a site that meant to read X never learnt it was not read."""
    snapshots = site / "data" / "snapshots"
    stored = load_snapshot(snapshots / "2020-09-24.json")
    skipped = {"twitter": SourceStatus("skipped", "needs X_BEARER_TOKEN"), "hackernews": SourceStatus("ok")}
    for name in ("2020-09-22", "2020-09-23"):
        save_snapshot(replace(stored, date=name, sources=skipped), snapshots / f"{name}.json")
    turned_off = {**stored.sources, "twitter": SourceStatus("skipped", "sources.twitter.enabled is false")}
    save_snapshot(replace(stored, sources=turned_off), snapshots / "2020-09-24.json")  # X turned on since: no note
    assert CliRunner().invoke(cli, ["build", "--since", "2020-09-22", "--until", "2020-09-24"]).exit_code == 0
    result = CliRunner().invoke(cli, ["check", "--days", "3", "--until", "2020-09-24"])
    assert result.exit_code == 0, result.output
    assert result.stderr.splitlines()[-2:] == [
        "note: twitter was skipped on 2020-09-22 to 2020-09-23 for want of credentials: set X_BEARER_TOKEN, or "
        "turn it off with sources.twitter.enabled: false",
        "ok: no problem in 3 days up to 2020-09-24 (snapshots, posts, sources)",
    ]
    quiet = CliRunner().invoke(cli, ["-q", "check", "--days", "3", "--until", "2020-09-24"])
    assert (quiet.exit_code, quiet.stderr) == (0, "")  # the nightly build warns of it, under -q too
    add_settings(site, "sources: {twitter: {enabled: false}}")
    off = CliRunner().invoke(cli, ["check", "--days", "3", "--until", "2020-09-24"])
    assert off.exit_code == 0 and "note:" not in off.stderr
