"""The nightly build (`build` with no day) repairs the recent days whose snapshot records
a failed source: X and Hugging Face behind local stand-ins, on a clock the test sets."""

from __future__ import annotations

import copy
import json
import os
import re
import shutil
import subprocess
from datetime import datetime
from pathlib import Path
from urllib.parse import parse_qs

import pytest
from click.testing import CliRunner
from pytest_httpserver.httpserver import QueryMatcher
from werkzeug import Request, Response

import hotpapers
from conftest import add_settings, make_mention, make_paper, make_snapshot
from fakes import TOKEN, FakeClock, Recorder, example_scenario, fake_time, live_config, serve_scenario
from hn_hf_fakes import HF_2026, DailyPapers
from hotpapers.cli import cli
from hotpapers.fetch_on_demand import FetcherOnDemand
from hotpapers.models import SourceStatus
from hotpapers.snapshot import load_snapshot, save_snapshot

DAY = "2020-09-24"
X_SEARCH = "/2/tweets/search/recent"
X_PAGES = 3
"""The pages of the example day's X search (fakes.example_scenario)."""
MAX_TIME = 3600
"""http.max_time in fakes.live_config (the default)."""


class Site:
    """A site reading X and Hugging Face; a night's build is `build(night, ...)`."""

    def __init__(self, root: Path, httpserver, monkeypatch, clock: FakeClock) -> None:
        self.root, self.monkeypatch, self.x, self.clock = root, monkeypatch, Recorder(), clock
        self.x_down: dict[str, list[Response]] = {}
        self.hf_down: set[str] = set()
        self.hf_slow = False
        """Each answer of Hugging Face takes longer than http.max_time (on the fake clock)."""
        listed = copy.deepcopy(HF_2026[:2])
        listed[0]["paper"]["id"], listed[1]["paper"]["id"] = "2009.11243", "2009.11094"
        self.hf = DailyPapers({DAY: listed, "2020-09-23": listed, "2020-09-25": listed})
        self.httpserver = httpserver
        httpserver.expect_request("/hf/daily_papers").respond_with_handler(self.daily_papers)
        sources = {"huggingface": {"api_url": httpserver.url_for("/hf"), "min_interval": 0, "page_size": 1}}
        (root / "config.yaml").write_text(live_config(httpserver, sources=sources))

    def daily_papers(self, request: Request) -> Response:
        if request.args["date"] in self.hf_down:
            self.hf.recorder.add(request)
            return Response("Service Unavailable", 503)
        if self.hf_slow:
            self.clock.now += MAX_TIME + 1
        return self.hf(request)

    def serve_x(self, down: bool = False) -> None:
        """The X stand-in, down (every attempt a 503) for the next search when `down`."""
        first = {X_SEARCH: [Response("Service Unavailable", 503) for _ in range(3)]} if down else None
        serve_scenario(self.httpserver, example_scenario(), self.x, first)

    def build_from_elsewhere(self, night: str):
        """The nightly build as cron runs it from another folder: `build --config SITE/config.yaml`."""
        (self.root / "elsewhere").mkdir()
        self.monkeypatch.chdir(self.root / "elsewhere")
        return self.build(night, "--config", "../config.yaml")

    def build(self, night: str, *args: str):
        moment = datetime.fromisoformat(f"{night}T08:00:00+00:00")
        self.monkeypatch.setattr("hotpapers.cli.now", lambda config: moment.astimezone(config.timezone))
        return CliRunner().invoke(cli, ["build", *args])

    def hf_asked(self, day: str) -> int:
        return sum(1 for _, query, _ in self.hf.recorder.calls if query["date"] == day)

    def x_asked(self, day: str) -> list[str | None]:
        """The page tokens of the X searches of `day` (None: the first page)."""
        calls = self.x.of(X_SEARCH)
        return [query.get("next_token") for _, query, _ in calls if query["start_time"] == f"{day}T00:00:00Z"]

    def files(self, *days: str) -> list[bytes | None]:
        paths = [p for day in days for p in (self.snapshot(day), self.post(day))]
        return [path.read_bytes() if path.exists() else None for path in paths]

    def snapshot(self, day: str) -> Path:
        return self.root / "data" / "snapshots" / f"{day}.json"

    def post(self, day: str) -> Path:
        return self.root / "content" / "posts" / f"{day}---Hot-Papers.md"

    def status(self, day: str, source: str) -> str:
        return load_snapshot(self.snapshot(day)).sources[source].status


@pytest.fixture
def site(tmp_path, monkeypatch, httpserver):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("X_BEARER_TOKEN", TOKEN)
    return Site(tmp_path, httpserver, monkeypatch, fake_time(monkeypatch))


def hf_failed_on(site: Site, *days: str) -> None:
    """Each of `days` built, the morning after, while Hugging Face failed for it: recorded as failed."""
    site.serve_x()
    site.hf_down.update(days)
    for day in days:
        result = site.build(f"{day[:-2]}{int(day[-2:]) + 1}", "--date", day)
        assert result.exit_code == 0, result.output
        assert site.status(day, "huggingface") == "failed"
    site.hf_down.clear()


def test_a_day_whose_x_failed_two_nights_ago_is_repaired_tonight_with_that_day_s_search_alone(site):
    site.serve_x(down=True)
    first = site.build("2020-09-25")  # builds 2020-09-24: X down, Hugging Face up
    assert first.exit_code == 0, first.output
    assert site.status(DAY, "twitter") == "failed" and site.post(DAY).exists()
    before = site.post(DAY).read_text()
    assert site.x_asked(DAY) == [None, None, None]  # the three attempts of the first page
    hf_before = site.hf_asked(DAY)

    tonight = site.build("2020-09-26")  # builds 2020-09-25 (fetched), then repairs 2020-09-24
    assert tonight.exit_code == 0, tonight.output
    assert site.status("2020-09-25", "twitter") == "ok"
    # X was asked for that day's search alone, each page once; Hugging Face, which had worked, not again
    assert site.x_asked(DAY)[3:] == [None, "b26v89c19zqg8o3fpds1", "b26v89c19zqg8o3fpds2"]
    assert len(site.x_asked(DAY)[3:]) == X_PAGES
    assert site.hf_asked(DAY) == hf_before
    assert site.status(DAY, "twitter") == "ok" and site.status(DAY, "huggingface") == "ok"
    after = site.post(DAY).read_text()
    assert "twitter-tweet" in after and "twitter-tweet" not in before
    # the post keeps the first night's date: each repair moved it to its own night, reordering
    # the site's listing (and changing the address under a date permalink)
    assert "date: 2020-09-25T08:00:00.Z" in before.splitlines() and "date: 2020-09-25T08:00:00.Z" in after.splitlines()
    assert f"{DAY}: repaired twitter: wrote content/posts/{DAY}---Hot-Papers.md (" in tonight.stderr
    assert "summary: 1/1 day built, 1 earlier day repaired, 2 posts written" in tonight.stderr
    assert "twitter 6;" in tonight.stderr  # yesterday's 3 requests and the repair's, one fetcher for both
    check = CliRunner().invoke(cli, ["check", "--days", "2", "--until", "2020-09-25"])
    assert check.exit_code == 0, check.output
    again = site.build("2020-09-27")  # repaired: no night asks X for it again
    assert again.exit_code == 0 and len(site.x_asked(DAY)) == 3 + X_PAGES


def test_the_days_beyond_repair_days_are_not_repaired(site):
    hf_failed_on(site, "2020-09-23", DAY)
    kept = site.files("2020-09-23")
    assert kept[0] is not None
    result = site.build("2020-09-28")  # builds 2020-09-27: 2020-09-24 is 3 days before, 2020-09-23 is 4
    assert result.exit_code == 0, result.output
    assert site.status(DAY, "huggingface") == "ok" and f"{DAY}: repaired huggingface" in result.stderr
    assert site.status("2020-09-23", "huggingface") == "failed" and site.files("2020-09-23") == kept
    assert site.hf_asked("2020-09-23") == 3  # the first build's attempts only
    assert "2020-09-23" not in result.stderr


def test_a_repair_that_fails_again_keeps_the_day_and_the_night_succeeds(site):
    hf_failed_on(site, DAY)
    kept, asked = site.files(DAY), site.hf_asked(DAY)
    assert None not in kept
    site.hf_down.add(DAY)
    result = site.build("2020-09-26")
    assert result.exit_code == 0, result.output
    assert site.post("2020-09-25").exists()  # yesterday's post
    assert site.hf_asked(DAY) == asked + 3  # asked again, with its retries
    assert site.files(DAY) == kept
    assert (
        f"{DAY}: huggingface still failed after the repair: the day keeps its snapshot and post; "
        "the nightly build tries again 2 more nights\n"
    ) in result.stderr
    quiet = CliRunner().invoke(cli, ["-q", "build", "--date", "2020-09-25"])  # a day given: no repair
    assert quiet.exit_code == 0 and DAY not in quiet.stderr and site.hf_asked(DAY) == asked + 3
    check = CliRunner().invoke(cli, ["check", "--days", "2", "--until", "2020-09-25"])
    assert check.exit_code == 1 and f"{DAY}: source huggingface failed" in check.stderr


def test_the_commands_check_names_clear_its_problems(site):
    """Each problem line of check names the command that fixes it; run, they leave none."""
    hf_failed_on(site, DAY)  # the nights of 09-26 to 09-29 never run
    site.post(DAY).unlink()
    check = CliRunner().invoke(cli, ["check", "--days", "5", "--until", "2020-09-28"])
    assert check.exit_code == 1
    failed = f"HTTP 503 from {site.httpserver.url_for('/hf/daily_papers')} after 3 attempts"
    assert check.stderr.splitlines()[:3] == [
        f"{DAY}: no post, though papers qualify; `hotpapers build --date {DAY}` writes it",
        f"{DAY}: source huggingface failed ({failed}); `hotpapers build --date {DAY}` asks it again",
        "2020-09-25 to 2020-09-28: no snapshot; `hotpapers build --since 2020-09-25 --until 2020-09-28` fetches them",
    ]
    for command in dict.fromkeys(re.findall(r"`hotpapers build ([^`]*)`", check.stderr)):
        result = site.build("2020-09-29", *command.split())
        assert result.exit_code == 0, result.output
    # the stand-ins have no mention for the days after DAY: no comparison of volumes
    again = CliRunner().invoke(cli, ["check", "--days", "5", "--until", "2020-09-28", "--min-ratio", "0"])
    assert again.exit_code == 0, again.output


def test_a_source_that_failed_tonight_too_is_not_asked_again_for_the_days_before(site):
    hf_failed_on(site, DAY)
    kept, asked = site.files(DAY), site.hf_asked(DAY)
    site.hf_down.update({DAY, "2020-09-25"})
    result = site.build("2020-09-26")  # builds 2020-09-25 with Hugging Face down again
    assert result.exit_code == 0, result.output
    assert site.status("2020-09-25", "huggingface") == "failed"
    assert site.hf_asked(DAY) == asked and site.files(DAY) == kept  # no retries spent on a source down tonight
    assert (
        f"{DAY}: not repaired: huggingface failed tonight too; the nightly build tries again 2 more nights\n"
    ) in result.stderr
    site.hf_down.clear()
    result = site.build("2020-09-27")  # up again: both days repaired
    assert result.exit_code == 0, result.output
    assert site.status(DAY, "huggingface") == "ok" and site.status("2020-09-25", "huggingface") == "ok"


def test_a_source_that_reached_max_time_tonight_is_not_asked_again_for_the_days_before(site):
    hf_failed_on(site, DAY)
    kept, asked = site.files(DAY), site.hf_asked(DAY)
    site.hf_slow = True
    result = site.build("2020-09-26")  # builds 2020-09-25: Hugging Face's first page, then out of time
    assert result.exit_code == 0, result.output
    assert site.status("2020-09-25", "huggingface") == "partial"
    assert site.hf_asked(DAY) == asked and site.files(DAY) == kept  # not another http.max_time on that day
    assert (
        f"{DAY}: not repaired: huggingface failed or reached http.max_time tonight; "
        "the nightly build tries again 2 more nights\n"
    ) in result.stderr
    site.hf_slow = False
    result = site.build("2020-09-27")
    assert result.exit_code == 0, result.output
    assert site.status(DAY, "huggingface") == "ok"


def test_the_last_try_says_so(site):
    hf_failed_on(site, DAY)
    site.hf_down.add(DAY)
    result = site.build("2020-09-28")
    assert result.exit_code == 0, result.output
    assert (
        "that was the nightly build's last try (repair_days: 3), `hotpapers build --date 2020-09-24` tries again"
    ) in result.stderr


def test_the_last_try_names_the_config_where_cron_runs_from_another_folder(site):
    """cron runs `hotpapers --config SITE/config.yaml build` from elsewhere: the `build --date D`
    the warning named, pasted there, read no site's config (the built-in defaults)."""
    hf_failed_on(site, DAY)
    site.hf_down.add(DAY)
    result = site.build_from_elsewhere("2020-09-28")
    assert result.exit_code == 0, result.output
    assert (
        f"(repair_days: 3), `hotpapers --config {site.root / 'config.yaml'} build --date 2020-09-24` tries again"
    ) in result.stderr


def test_repair_days_0_turns_it_off(site):
    hf_failed_on(site, DAY)
    kept, asked = site.files(DAY), site.hf_asked(DAY)
    add_settings(site.root, "repair_days: 0")
    result = site.build("2020-09-26")
    assert result.exit_code == 0, result.output
    assert site.hf_asked(DAY) == asked and site.files(DAY) == kept


def test_a_mistyped_key_gets_a_did_you_mean(site):
    add_settings(site.root, "repair_day: 2")
    result = site.build("2020-09-26")
    assert result.exit_code == 2 and "repair_day: unknown key (did you mean 'repair_days'?)" in result.stderr, (
        result.stderr
    )


def test_a_dry_run_lists_the_days_it_would_repair(site):
    hf_failed_on(site, DAY)
    kept, asked = site.files(DAY), site.hf_asked(DAY)
    result = site.build("2020-09-26", "--dry-run")
    assert result.exit_code == 0, result.output
    assert f"{DAY}: would fetch huggingface again (failed before)\n" in result.stderr
    assert site.hf_asked(DAY) == asked and site.files(DAY) == kept
    assert not site.snapshot("2020-09-25").exists()


def test_offline_or_a_given_day_repairs_nothing_and_the_next_nightly_build_does(site):
    hf_failed_on(site, DAY)
    kept, asked = site.files(DAY), site.hf_asked(DAY)
    for given in (["--date", "2020-09-25"], ["--since", "2020-09-25", "--until", "2020-09-25"], ["--offline"]):
        result = site.build("2020-09-26", *given)
        assert result.exit_code == 0, result.output
        assert site.hf_asked(DAY) == asked and site.files(DAY) == kept and DAY not in result.stderr
    result = site.build("2020-09-26")
    assert result.exit_code == 0 and site.status(DAY, "huggingface") == "ok"


class ListsId(QueryMatcher):
    """Matches an arXiv query whose id_list holds `paper_id`."""

    def __init__(self, paper_id: str) -> None:
        self.paper_id = paper_id

    def get_comparing_values(self, request_query_string: bytes) -> tuple[bool, bool]:
        ids = parse_qs(request_query_string.decode()).get("id_list", [""])[0].split(",")
        return self.paper_id in ids, True


def test_a_repair_whose_arxiv_lookup_fails_keeps_the_day_and_the_night_succeeds(site):
    hf_failed_on(site, DAY)
    kept, before = site.files(DAY), load_snapshot(site.snapshot(DAY))
    new = copy.deepcopy(HF_2026[2])
    new["paper"]["id"] = "2009.12345"  # an id none of the day's posts links: the repair looks it up
    site.hf.days[DAY] = [*site.hf.days[DAY], new]
    for _ in range(3):  # every attempt (retries: 2) at that id fails; yesterday's lookups answer
        site.httpserver.expect_oneshot_request("/api/query", query_string=ListsId("2009.12345")).respond_with_data(
            "Service Unavailable", 503
        )
    result = site.build("2020-09-26")
    assert result.exit_code == 0, result.output
    assert site.post("2020-09-25").exists() and site.status("2020-09-25", "twitter") == "ok"
    assert not site.httpserver.oneshot_handlers  # the repair asked arXiv for the new id, each attempt failing
    assert site.files(DAY)[1] == kept[1]  # the post, as it was
    after = load_snapshot(site.snapshot(DAY))  # what it held kept, with what the repair read, and the lookup to redo
    assert after.papers == before.papers and all(mention in after.mentions for mention in before.mentions)
    assert any("2009.12345" in mention.paper_ids for mention in after.mentions)
    assert after.sources["arxiv"].status == "failed" and after.sources["huggingface"].status == "ok"
    assert (
        f"{DAY}: not repaired: arxiv: HTTP 503 from {site.httpserver.url_for('/api/query')} after 3 attempts; "
        f"the posts read are kept in data/snapshots/{DAY}.json, and the next `hotpapers build --date {DAY}` "
        "asks arXiv alone again; the nightly build tries again 2 more nights\n"
    ) in result.stderr


def test_a_day_a_night_missed_two_nights_ago_is_built_tonight_with_one_search_of_its_window(site):
    site.serve_x()
    first = site.build("2020-09-24")  # builds 2020-09-23, the site's first day; the night of 2020-09-25 never runs
    assert first.exit_code == 0, first.output
    assert not site.snapshot(DAY).exists()
    tonight = site.build("2020-09-26")  # builds 2020-09-25, then 2020-09-24, which it finds missing
    assert tonight.exit_code == 0, tonight.output
    assert site.status("2020-09-25", "twitter") == "ok" and site.post("2020-09-25").exists()
    assert site.x_asked(DAY) == [None, "b26v89c19zqg8o3fpds1", "b26v89c19zqg8o3fpds2"]  # each page once
    assert site.hf_asked(DAY) == 3  # its two pages (page_size 1) and the empty one after, once
    assert site.status(DAY, "twitter") == "ok" and site.status(DAY, "huggingface") == "ok"
    assert "twitter-tweet" in site.post(DAY).read_text()
    assert f"{DAY}: built (missed by an earlier night): wrote content/posts/{DAY}---Hot-Papers.md (" in tonight.stderr
    assert "summary: 1/1 day built, 1 missed day built, 2 posts written" in tonight.stderr
    assert tonight.stderr.index("2020-09-25: wrote") < tonight.stderr.index(f"{DAY}: built")
    assert site.x_asked("2020-09-22") == [] and site.hf_asked("2020-09-22") == 0  # before the site's first day
    check = CliRunner().invoke(cli, ["check", "--days", "3", "--until", "2020-09-25"])
    assert check.exit_code == 0, check.output
    again = site.build("2020-09-27")  # stored now: no night asks for it again
    assert again.exit_code == 0 and len(site.x_asked(DAY)) == X_PAGES and site.hf_asked(DAY) == 3


def test_a_new_site_s_first_night_fetches_yesterday_alone(site):
    site.serve_x()
    dry = site.build("2020-09-26", "--dry-run")
    assert dry.exit_code == 0 and "missed" not in dry.stderr and not site.x.calls, dry.output
    result = site.build("2020-09-26")
    assert result.exit_code == 0, result.output
    assert {query["start_time"] for _, query, _ in site.x.of(X_SEARCH)} == {"2020-09-25T00:00:00Z"}
    assert {query["date"] for _, query, _ in site.hf.recorder.calls} == {"2020-09-25"}
    assert sorted(path.name for path in (site.root / "data" / "snapshots").iterdir()) == ["2020-09-25.json"]
    later = site.build("2020-09-28")  # 2020-09-26 missed; 2020-09-24 and before are before the first day
    assert later.exit_code == 0, later.output
    assert site.snapshot("2020-09-26").exists() and "2020-09-26: built (missed by an earlier night)" in later.stderr
    assert not site.snapshot(DAY).exists() and site.x_asked(DAY) == [] and site.hf_asked(DAY) == 0


def test_a_site_holding_only_older_days_is_not_back_filled_on_its_first_night(site):
    """A site whose stored days all lie long before (an imported archive, the sample day of
    a clone of this repository) has no snapshot for the days before yesterday, but no night
    missed them: its first night fetches yesterday alone, as a new site's does."""
    site.serve_x()
    assert site.build("2020-09-25", "--date", DAY).exit_code == 0  # an old day, built by hand
    result = site.build("2020-10-20")  # the first nightly build: 2020-10-19
    assert result.exit_code == 0 and "missed" not in result.stderr, result.output
    assert {query["start_time"] for _, query, _ in site.x.of(X_SEARCH)} == {f"{DAY}T00:00:00Z", "2020-10-19T00:00:00Z"}
    assert sorted(path.stem for path in (site.root / "data" / "snapshots").iterdir()) == [DAY, "2020-10-19"]
    later = site.build("2020-10-22")  # the night of 2020-10-21 never ran: 2020-10-20 was missed
    assert later.exit_code == 0 and "2020-10-20: built (missed by an earlier night)" in later.stderr, later.output
    assert not site.snapshot("2020-10-18").exists()  # before the first night: never missed


def test_days_missed_in_a_row_are_all_built_when_the_night_before_them_ran(site):
    site.serve_x()
    assert site.build("2020-09-21").exit_code == 0  # 2020-09-20; the nights of 09-22 to 09-25 never run
    result = site.build("2020-09-26")  # 2020-09-25, then 09-22 to 09-24 (repair_days 3; 09-21 is too old)
    assert result.exit_code == 0, result.output
    missed = ["2020-09-22", "2020-09-23", DAY]
    assert all(f"{day}: built (missed by an earlier night)" in result.stderr for day in missed), result.output
    assert not site.snapshot("2020-09-21").exists()


def test_a_dry_run_lists_a_missed_day_and_writes_nothing(site):
    site.serve_x()
    assert site.build("2020-09-24").exit_code == 0
    asked = len(site.x.calls), len(site.hf.recorder.calls)
    result = site.build("2020-09-26", "--dry-run")
    assert result.exit_code == 0, result.output
    assert (
        f"{DAY}: would build (missed by an earlier night): would fetch the window "
        f"{DAY}T00:00:00Z to 2020-09-25T00:00:00Z; twitter: "
    ) in result.stderr
    assert (len(site.x.calls), len(site.hf.recorder.calls)) == asked
    assert site.files(DAY, "2020-09-25") == [None] * 4


def test_repair_days_0_offline_or_a_given_day_build_no_missed_day(site):
    site.serve_x()
    assert site.build("2020-09-24").exit_code == 0
    given = site.build("2020-09-26", "--date", "2020-09-25")
    assert given.exit_code == 0, given.output
    for args, settings in ((["--offline"], ""), (["--since", "2020-09-25", "--until", "2020-09-25"], ""), ([], "0")):
        if settings:
            add_settings(site.root, f"repair_days: {settings}")
        result = site.build("2020-09-26", *args)
        assert result.exit_code == 0, result.output
        assert DAY not in result.stderr and site.files(DAY) == [None, None]
    assert site.x_asked(DAY) == [] and site.hf_asked(DAY) == 0
    add_settings(site.root, "repair_days: 3")
    result = site.build("2020-09-26")  # the nightly build builds it
    assert result.exit_code == 0 and site.snapshot(DAY).exists()


def test_a_missed_day_that_cannot_be_fetched_is_a_warning_and_the_night_succeeds(site):
    site.serve_x()
    assert site.build("2020-09-24").exit_code == 0
    site.monkeypatch.delenv("X_BEARER_TOKEN")  # Hugging Face alone can run, and it is down for the missed day
    site.hf_down.add(DAY)
    result = site.build("2020-09-26")
    assert result.exit_code == 0, result.output
    assert site.post("2020-09-25").exists() and site.files(DAY) == [None, None]
    assert site.hf_asked(DAY) == 3  # the first page's attempts (retries: 2)
    assert f"{DAY}: not built (missed by an earlier night): " in result.stderr
    assert "; the nightly build tries again 2 more nights\n" in result.stderr
    site.hf_down.clear()
    again = site.build("2020-09-27")
    assert again.exit_code == 0 and site.status(DAY, "huggingface") == "ok"


def test_a_night_s_partial_searches_each_name_their_day_under_q(site):
    """A search cut short at http.max_time warned 'huggingface: stopped ...; kept the 1
    paper read' without a day: the cron mail of a night that also built a missed day held
    that line twice, and no one could tell which day was partial. (The missed day no longer
    takes http.max_time again: it says so, naming its day too.)"""
    site.serve_x()
    assert site.build("2020-09-24").exit_code == 0
    site.hf_slow = True
    # X apart: the fake clock Hugging Face moves is X's too, so X's time ran out, or not, by the threads' order
    site.monkeypatch.delenv("X_BEARER_TOKEN")
    moment = datetime.fromisoformat("2020-09-26T08:00:00+00:00")
    site.monkeypatch.setattr("hotpapers.cli.now", lambda config: moment.astimezone(config.timezone))
    result = CliRunner().invoke(cli, ["-q", "build"])  # builds 2020-09-25, then the missed 2020-09-24
    assert result.exit_code == 0, result.output
    assert site.status("2020-09-25", "huggingface") == "partial" and not site.snapshot(DAY).exists()
    stopped = (
        f"stopped before a request to {site.httpserver.url_for('/hf/daily_papers')}: this "
        f"source's requests of the day took longer than http.max_time ({MAX_TIME} s)"
    )
    assert f"2020-09-25: huggingface: {stopped}; kept the 1 paper read\n" in result.stderr
    assert (
        f"{DAY}: not built (missed by an earlier night): huggingface: not asked again tonight (earlier: {stopped}); "
        "the nightly build tries again 2 more nights\n"
    ) in result.stderr
    assert all(line.startswith(("2020-09-2", "feeds: ")) for line in result.stderr.splitlines()), result.stderr


def test_a_dry_run_does_not_say_a_source_failed_tonight_when_nothing_was_fetched(site):
    """A dry run fetches nothing, yet it read yesterday's stored failure as tonight's and
    said the day before would not be repaired, where the build itself (which repairs
    yesterday first) repairs both."""
    hf_failed_on(site, DAY, "2020-09-25")
    kept, asked = site.files(DAY, "2020-09-25"), site.hf_asked(DAY)
    dry = site.build("2020-09-26", "--dry-run")
    assert dry.exit_code == 0, dry.output
    assert "tonight" not in dry.stderr, dry.stderr
    for day in ("2020-09-25", DAY):
        assert f"{day}: would fetch huggingface again (failed before)\n" in dry.stderr
    assert site.files(DAY, "2020-09-25") == kept and site.hf_asked(DAY) == asked
    result = site.build("2020-09-26")  # what the dry run said
    assert result.exit_code == 0, result.output
    assert site.status("2020-09-25", "huggingface") == site.status(DAY, "huggingface") == "ok"


def test_a_missed_day_whose_post_cannot_be_written_names_the_config_where_cron_runs_elsewhere(site):
    site.serve_x()
    assert site.build("2020-09-24").exit_code == 0
    site.post(DAY).mkdir(parents=True)  # a folder where the post goes
    result = site.build_from_elsewhere("2020-09-26")
    assert result.exit_code == 0, result.output
    assert (
        f"the snapshot is saved, so the nightly build (2 more nights) or `hotpapers --config {site.root / 'config.yaml'} "
        f"build --date {DAY}` writes the post once that is fixed\n"
    ) in result.stderr


def test_a_missed_day_whose_post_cannot_be_written_gets_it_from_its_snapshot_on_a_later_night(site):
    """A missed day fetched and saved whole, whose post then could not be written, was
    warned of with 'the nightly build tries again 2 more nights', though no night did, its
    snapshot being stored and recording no failure; a later night writes that post from
    the snapshot, fetching nothing again, as `build --date D` does."""
    site.serve_x()
    assert site.build("2020-09-24").exit_code == 0
    site.post(DAY).mkdir(parents=True)  # a folder where the post goes
    result = site.build("2020-09-26")
    assert result.exit_code == 0, result.output
    assert site.status(DAY, "twitter") == "ok" and site.post(DAY).is_dir()
    assert (
        f"{DAY}: not built (missed by an earlier night): content/posts/{DAY}---Hot-Papers.md: the post path holds a "
        f"folder, not a file; build writes only regular files there; the snapshot is saved, so the nightly build "
        f"(2 more nights) or `hotpapers build --date {DAY}` writes the post once that is fixed\n"
    ) in result.stderr
    asked = site.x_asked(DAY), site.hf_asked(DAY)
    site.post(DAY).rmdir()
    later = site.build("2020-09-27")
    assert later.exit_code == 0 and site.post(DAY).is_file() and (site.x_asked(DAY), site.hf_asked(DAY)) == asked


def test_a_day_with_a_post_but_no_snapshot_is_not_missed_and_its_post_is_kept(site):
    """A post written by hand (a note that the digest took the day off, which lists no
    paper) at a day's post path, with no snapshot: the nightly build counted the day as
    missed, fetched it, and replaced that post, as it lists fewer papers than none."""
    site.serve_x()
    assert site.build("2020-09-24").exit_code == 0  # 2020-09-23; the night of 2020-09-25 never runs
    by_hand = "---\ntitle: No hot papers today\n---\n\nThe digest took the day off.\n"
    site.post(DAY).parent.mkdir(parents=True, exist_ok=True)
    site.post(DAY).write_text(by_hand)
    result = site.build("2020-09-26")
    assert result.exit_code == 0, result.output
    assert site.post("2020-09-25").exists() and site.post(DAY).read_text() == by_hand
    assert not site.snapshot(DAY).exists() and site.x_asked(DAY) == [] and site.hf_asked(DAY) == 0
    assert DAY not in result.stderr


def test_a_source_that_failed_for_a_missed_day_is_not_asked_for_the_days_after_it(site):
    """Hugging Face went down after yesterday was fetched: each missed day waited its
    retries against it again. The first one fails; the later days are built without it,
    which they record as failed (a later night repairs them), and Hugging Face is asked
    nothing more."""
    site.serve_x()
    assert site.build("2020-09-21").exit_code == 0  # 2020-09-20; the nights of 09-22 to 09-25 never run
    missed = ["2020-09-22", "2020-09-23", DAY]
    site.hf_down.update(missed)
    result = site.build("2020-09-26")
    assert result.exit_code == 0, result.output
    assert [site.hf_asked(day) for day in missed] == [3, 0, 0]
    assert all(site.status(day, "huggingface") == "failed" for day in missed)
    assert all(site.status(day, "twitter") == "ok" for day in missed) and site.post(DAY).exists()
    down = f"HTTP 503 from {site.httpserver.url_for('/hf/daily_papers')} after 3 attempts"
    for day in missed[1:]:
        assert (
            f"{day}: huggingface: not asked again tonight (earlier: {down}); published without it "
            "(a later build fetches it again)\n"
        ) in result.stderr
    assert f"{DAY}: built (missed by an earlier night): wrote " in result.stderr
    assert ", huggingface 6, " in result.stderr  # yesterday's 3 and the first missed day's 3 attempts
    site.hf_down.clear()
    again = site.build("2020-09-27")  # up again: the nights after repair them
    assert again.exit_code == 0, again.output
    assert all(site.status(day, "huggingface") == "ok" for day in missed[1:])


def test_missed_days_whose_only_source_failed_tonight_are_left_for_a_later_night_unasked(site):
    site.serve_x()  # arXiv
    site.monkeypatch.delenv("X_BEARER_TOKEN")  # Hugging Face alone can run
    assert site.build("2020-09-21").exit_code == 0  # 2020-09-20; the nights of 09-22 to 09-25 never run
    missed = ["2020-09-22", "2020-09-23", DAY]
    site.hf_down.update(missed)  # down since yesterday was fetched
    result = site.build("2020-09-26")
    assert result.exit_code == 0, result.output
    assert [site.hf_asked(day) for day in missed] == [3, 0, 0]
    assert site.files(*missed) == [None] * 6
    assert (
        "2020-09-23: not built (missed by an earlier night): huggingface: not asked again tonight (earlier: HTTP 503 "
        f"from {site.httpserver.url_for('/hf/daily_papers')} after 3 attempts); the nightly build tries again 1 more night\n"
    ) in result.stderr
    site.hf_down.clear()
    again = site.build("2020-09-27")
    assert again.exit_code == 0, again.output
    assert all(site.snapshot(day).exists() for day in missed[1:])


def test_a_repair_asks_the_failed_sources_up_tonight_and_not_one_given_up_on(site):
    """A day recording X and Hugging Face failed, on a night Hugging Face is down: the
    repair asked both, so Hugging Face took its retries again for that day."""
    hf_failed_on(site, DAY)
    stored = json.loads(site.snapshot(DAY).read_text())
    stored["mentions"] = [mention for mention in stored["mentions"] if mention["platform"] != "twitter"]
    linked = {paper_id for mention in stored["mentions"] for paper_id in mention["paper_ids"]}
    stored["papers"] = [paper for paper in stored["papers"] if paper["id"] in linked]
    stored["sources"]["twitter"] = {"status": "failed", "detail": "HTTP 503 from the search after 3 attempts"}
    site.snapshot(DAY).write_text(json.dumps(stored))
    asked = site.hf_asked(DAY)
    site.hf_down.update({DAY, "2020-09-25"})
    result = site.build("2020-09-26")  # builds 2020-09-25: Hugging Face fails
    assert result.exit_code == 0, result.output
    assert site.hf_asked(DAY) == asked and site.x_asked(DAY)[X_PAGES:] == [
        None,
        "b26v89c19zqg8o3fpds1",
        "b26v89c19zqg8o3fpds2",
    ]
    assert site.status(DAY, "twitter") == "ok" and site.status(DAY, "huggingface") == "failed"
    down = f"HTTP 503 from {site.httpserver.url_for('/hf/daily_papers')} after 3 attempts"
    assert (
        f"{DAY}: huggingface: not asked again tonight (earlier: {down}); the post stays without it\n" in result.stderr
    )
    assert f"{DAY}: repaired twitter: wrote content/posts/{DAY}---Hot-Papers.md (" in result.stderr
    assert (
        f"{DAY}: huggingface still failed after the repair: the post stays without it; "
        "the nightly build tries again 2 more nights\n"
    ) in result.stderr


def test_a_build_after_a_nightly_one_with_the_same_fetcher_asks_the_sources_it_gave_up_on(site):
    """build_nightly left its fetcher failing at once for the sources the night gave up
    on: a script building a day next with the same fetcher (FetcherOnDemand, or `lambda:
    fetcher`) had them recorded failed, unasked, though a day given asks every source."""
    hf_failed_on(site, DAY)
    asked = site.hf_asked(DAY)
    site.hf_down.add("2020-09-25")
    config = hotpapers.load_config()
    now = datetime.fromisoformat("2020-09-26T08:00:00+00:00")
    fetcher = FetcherOnDemand(config, os.environ, lambda: now)
    night = list(hotpapers.build_nightly(["2020-09-25"], config, hotpapers.BuildOptions(now=now), fetcher))
    assert [report.day for report in night] == ["2020-09-25", DAY] and site.hf_asked(DAY) == asked
    site.hf_down.clear()
    [report] = hotpapers.build_days([DAY], config, hotpapers.BuildOptions(now=now), fetcher)
    assert site.hf_asked(DAY) > asked and site.status(DAY, "huggingface") == "ok", report.message


def test_a_repair_of_arxiv_alone_has_the_whole_of_http_max_time_for_its_day(site):
    """arXiv's http.max_time ran from its first lookup of the build, as only a search
    started a day's time again: a night whose embeds of yesterday took long (or a range
    repairing arXiv day after day) found it spent before the repair's first request."""
    site.serve_x()
    for _ in range(3):  # every attempt (retries: 2) of the day's first lookup
        site.httpserver.expect_oneshot_request("/api/query").respond_with_data("Service Unavailable", 503)
    assert site.build("2020-09-25", "--date", DAY).exit_code == 1  # the posts read kept, arXiv failed
    assert site.status(DAY, "arxiv") == "failed"

    def slow_embed(request: Request) -> Response:
        site.clock.now += MAX_TIME + 1
        return Response("Not Found", 404)

    site.httpserver.expect_oneshot_request("/oembed").respond_with_handler(slow_embed)
    result = site.build("2020-09-26")  # 2020-09-25: its lookups, then its embeds; then arXiv alone for DAY
    assert result.exit_code == 0, result.output
    assert site.status(DAY, "arxiv") == "ok" and f"{DAY}: repaired arxiv: wrote " in result.stderr, result.stderr


def test_a_day_whose_snapshot_was_saved_but_not_its_post_gets_its_post_the_next_night(site):
    """A night that saved its day's snapshot whole and then could not write the post (a
    folder in its way here; a full disk, a posts folder it may not write, or a kill between
    the two) left the day without a post for good: the nights after built yesterday alone,
    repairing only days that record a failure, until `check` sent the user to `build --date D`.
    The post is written from the stored snapshot, asking no source again."""
    site.serve_x()
    site.post(DAY).mkdir(parents=True)  # a folder where the post goes
    assert site.build("2020-09-25").exit_code == 2
    assert site.status(DAY, "twitter") == "ok" and site.status(DAY, "huggingface") == "ok"
    site.post(DAY).rmdir()
    asked = site.x_asked(DAY), site.hf_asked(DAY)
    result = site.build("2020-09-26")
    assert result.exit_code == 0, result.output
    assert site.post(DAY).is_file() and site.post("2020-09-25").is_file()
    assert (site.x_asked(DAY), site.hf_asked(DAY)) == asked
    assert f"{DAY}: written from the snapshot an earlier night saved without its post: wrote content/posts/" in (
        result.stderr
    )


def test_a_link_to_nothing_where_a_post_goes_gets_the_post_the_next_night(site):
    """A post's path holding a link to a file that is gone (posts moved, links left) was
    taken for a post: the nights after never wrote the day's, while `check` found no post
    there and `build --date D` wrote it over the link."""
    site.serve_x()
    assert site.build("2020-09-25").exit_code == 0
    site.post(DAY).unlink()
    site.post(DAY).symlink_to(site.root / "gone.md")
    result = site.build("2020-09-26")
    assert result.exit_code == 0, result.output
    assert site.post(DAY).is_file() and not site.post(DAY).is_symlink()
    assert f"{DAY}: written from the snapshot an earlier night saved without its post: wrote content/posts/" in (
        result.stderr
    )


def test_a_dry_run_lists_a_post_missing_beside_its_snapshot_and_writes_nothing(site):
    site.serve_x()
    assert site.build("2020-09-25").exit_code == 0
    site.post(DAY).unlink()
    result = site.build("2020-09-26", "--dry-run")
    assert result.exit_code == 0, result.output
    assert not site.post(DAY).exists()
    assert f"{DAY}: written from the snapshot an earlier night saved without its post: would write " in result.stderr


def test_a_day_whose_snapshot_qualifies_no_paper_stays_without_a_post_and_unmentioned(site):
    site.serve_x()
    add_settings(site.root, "ranking: {min_paper_score: 1000000}")
    assert site.build("2020-09-25").exit_code == 0
    assert site.snapshot(DAY).exists() and not site.post(DAY).exists()
    result = site.build("2020-09-26")
    assert result.exit_code == 0, result.output
    assert not site.post(DAY).exists() and DAY not in result.stderr


def test_a_night_whose_every_source_failed_says_nothing_was_saved_and_which_night_fetches_the_day(site):
    """Every source failing stopped the nightly build with 'every source failed: ...' alone:
    nothing said that no file of the day was kept, nor that the nights after fetch it as
    a day they missed (the day before it has a snapshot), which they do."""
    site.serve_x(down=True)  # the first X search's three attempts fail: yesterday's, below
    site.monkeypatch.delenv("X_BEARER_TOKEN")  # the first night (of 2020-09-23) reads Hugging Face alone
    assert site.build("2020-09-24").exit_code == 0 and site.snapshot("2020-09-23").exists()
    site.monkeypatch.setenv("X_BEARER_TOKEN", TOKEN)
    site.hf_down.add(DAY)
    result = site.build("2020-09-25")
    assert result.exit_code == 1, result.output
    url = site.httpserver.url_for
    assert result.stderr == (
        f"Error: {DAY}: every source failed: twitter: HTTP 503 from {url(X_SEARCH)} after 3 attempts; "
        f"huggingface: HTTP 503 from {url('/hf/daily_papers')} after 3 attempts; nothing was saved for {DAY}, "
        "so the nightly build fetches it as a missed day (3 more nights)\n"
    )
    assert site.files(DAY) == [None, None]
    site.hf_down.clear()
    later = site.build("2020-09-26")  # as it said
    assert later.exit_code == 0 and f"{DAY}: built (missed by an earlier night): wrote " in later.stderr


def test_a_night_whose_arxiv_failed_says_the_nights_after_ask_it_again(site):
    """arXiv failing for yesterday named only `build --date D`; the nights after repair the
    day (its snapshot records arXiv as failed), which the error now says, as a repair's does."""
    site.serve_x()
    for _ in range(3):  # every attempt (retries: 2) at yesterday's lookup fails
        site.httpserver.expect_oneshot_request("/api/query").respond_with_data("Service Unavailable", 503)
    result = site.build("2020-09-25")
    assert result.exit_code == 1 and site.files(DAY)[1] is None, result.output
    assert result.stderr.endswith(
        f"; the posts read are kept in data/snapshots/{DAY}.json, and the next `hotpapers build --date {DAY}` "
        "asks arXiv alone again; the nightly build tries again 3 more nights\n"
    ), result.stderr
    later = site.build("2020-09-26")  # as it said
    assert later.exit_code == 0 and site.post(DAY).exists(), later.output


def test_a_night_whose_arxiv_and_a_source_failed_says_why_the_source_failed(site):
    """A source failing beside arXiv was only named in 'asks arXiv and NAME again': its
    reason, said when arXiv answers ('...; published without it'), was in no line."""
    site.serve_x()
    site.hf_down.add(DAY)
    for _ in range(3):  # every attempt (retries: 2) at yesterday's lookup fails
        site.httpserver.expect_oneshot_request("/api/query").respond_with_data("Service Unavailable", 503)
    result = site.build("2020-09-25")
    assert result.exit_code == 1 and site.files(DAY)[1] is None, result.output
    url = site.httpserver.url_for
    assert result.stderr == (
        f"Error: {DAY}: arxiv: HTTP 503 from {url('/api/query')} after 3 attempts; "
        f"huggingface: HTTP 503 from {url('/hf/daily_papers')} after 3 attempts; "
        f"the posts read are kept in data/snapshots/{DAY}.json, and the next `hotpapers build --date {DAY}` "
        "asks arXiv and huggingface again; the nightly build tries again 3 more nights\n"
    )


def test_a_first_night_whose_every_source_failed_names_the_command_that_fetches_the_day(site):
    """No night fetches a day before the site's first snapshot: the error says what does."""
    site.serve_x(down=True)
    site.hf_down.add(DAY)
    result = site.build("2020-09-25")
    assert result.exit_code == 1 and site.files(DAY) == [None, None], result.output
    assert result.stderr.endswith(
        f" after 3 attempts; nothing was saved for {DAY}, and no later nightly build fetches it: run "
        f"`hotpapers build --date {DAY}` once the sources answer\n"
    )
    site.hf_down.clear()
    later = site.build("2020-09-26")  # as it said
    assert later.exit_code == 0 and site.snapshot("2020-09-25").exists() and site.files(DAY) == [None, None]


def test_a_night_that_saved_the_snapshot_but_not_the_post_says_the_nights_after_write_it(site):
    """A night that saved yesterday's snapshot and could not write its post stopped with the
    post's error alone, though the nights after write that post from the snapshot."""
    site.serve_x()
    site.post(DAY).mkdir(parents=True)  # a folder where the post goes
    result = site.build("2020-09-25")
    assert result.exit_code == 2 and site.status(DAY, "twitter") == "ok", result.output
    assert result.stderr == (
        f"Error: content/posts/{DAY}---Hot-Papers.md: the post path holds a folder, not a file; build writes only "
        f"regular files there; the snapshot is saved, so the nightly build (3 more nights) or "
        f"`hotpapers build --date {DAY}` writes the post once that is fixed\n"
    )
    site.post(DAY).rmdir()
    later = site.build("2020-09-26")  # as it said
    assert later.exit_code == 0 and site.post(DAY).is_file(), later.output


def test_a_night_whose_source_failed_and_post_failed_says_the_nights_after_try_again(site):
    """A night that saved yesterday's snapshot recording a failed source (Hugging Face),
    then could not write its post, stopped with the post's error alone: the nights after
    fetch that source again and write the post, as the error of a night whose arXiv failed says."""
    site.serve_x()
    site.hf_down.add(DAY)
    site.post(DAY).mkdir(parents=True)  # a folder where the post goes
    result = site.build("2020-09-25")
    assert result.exit_code == 2 and site.status(DAY, "huggingface") == "failed", result.output
    assert result.stderr == (
        f"Error: content/posts/{DAY}---Hot-Papers.md: the post path holds a folder, not a file; build writes only "
        "regular files there; the nightly build tries again 3 more nights\n"
    )
    site.hf_down.clear()
    site.post(DAY).rmdir()
    later = site.build("2020-09-26")  # as it said
    assert later.exit_code == 0 and site.post(DAY).is_file(), later.output
    assert site.status(DAY, "huggingface") == "ok"


def test_a_night_that_another_build_is_fetching_for_says_no_night_tries_again(site):
    """A night that came while another build fetched yesterday (that build's snapshot saved
    before arXiv's answer records arXiv as failed until it is whole) said 'the nightly build
    tries again 3 more nights' of a day it had fetched nothing of: the other build finishes it."""
    import fcntl

    snapshots = site.snapshot(DAY).parent
    snapshots.mkdir(parents=True)
    pending = SourceStatus(status="failed", detail="the build stopped after the sources answered")
    save_snapshot(make_snapshot([make_paper()], [make_mention()], sources={"arxiv": pending}), site.snapshot(DAY))
    other = os.open(snapshots, os.O_RDONLY)
    try:
        fcntl.flock(other, fcntl.LOCK_EX | fcntl.LOCK_NB)  # as the other build holds it
        result = site.build("2020-09-25")
    finally:
        os.close(other)
    assert (result.exit_code, result.stderr) == (
        1,
        "Error: another hotpapers build is fetching into data/snapshots; nothing was fetched (run it again when "
        "that one ends)\n",
    )


def test_a_night_that_may_not_write_into_the_posts_folder_says_the_nights_after_write_the_post(site):
    """The same for a posts folder no file can be made in (made immutable: root may write
    into a folder whatever its mode, so chmod proves nothing when the tests run as root)."""
    site.serve_x()
    posts = site.post(DAY).parent
    posts.mkdir(parents=True)
    chattr = shutil.which("chattr")
    if chattr is None or subprocess.run([chattr, "+i", posts], capture_output=True).returncode != 0:
        pytest.skip("chattr +i is not available here (not Linux, a file system without it, or no CAP_LINUX_IMMUTABLE)")
    try:
        result = site.build("2020-09-25")
    finally:
        subprocess.run([chattr, "-i", posts], check=True)
    assert result.exit_code == 1 and site.status(DAY, "twitter") == "ok", result.output
    assert result.stderr == (
        f"Error: cannot write content/posts/{DAY}---Hot-Papers.md: Operation not permitted; the snapshot is saved, "
        f"so the nightly build (3 more nights) or `hotpapers build --date {DAY}` writes the post once that is fixed\n"
    )
    later = site.build("2020-09-26")  # as it said
    assert later.exit_code == 0 and site.post(DAY).is_file(), later.output
