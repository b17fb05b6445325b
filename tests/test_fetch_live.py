"""`hotpapers build` against local stand-ins of the X search, arXiv and oEmbed APIs."""

from __future__ import annotations

import json
import math
import re
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest
from click.testing import CliRunner

from conftest import EXAMPLE_POST
from fakes import TOKEN, Recorder, example_scenario, fake_time, live_config, serve_scenario
from hotpapers.cli import cli
from hotpapers.config import load_config
from hotpapers.fetch import make_fetcher
from hotpapers.snapshot import load_snapshot

DAY = "2020-09-24"
POST = Path("content/posts/2020-09-24---Hot-Papers.md")
SNAPSHOT = Path("data/snapshots/2020-09-24.json")


@pytest.fixture
def clock(monkeypatch):
    return fake_time(monkeypatch)


@pytest.fixture
def live_site(tmp_path, monkeypatch, httpserver, clock):
    scenario, recorder = example_scenario(), Recorder()
    serve_scenario(httpserver, scenario, recorder)
    (tmp_path / "config.yaml").write_text(live_config(httpserver))
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("X_BEARER_TOKEN", TOKEN)
    return tmp_path, scenario, recorder


def build(*args):
    return CliRunner().invoke(cli, ["build", "--date", DAY, *args])


def normalised(post: str) -> str:
    """The post with its fetch-time stamps blanked: the frontmatter date and the per-paper times."""
    post = re.sub(r"^date: .*$", "date: T", post, count=1, flags=re.MULTILINE)
    return re.sub(r"\(\d\d/\d\d/\d{4} \d\d:\d\d:\d\d\)", "(TIME)", post)


def test_a_live_build_writes_the_published_post(live_site):
    site, _scenario, _recorder = live_site
    result = build()
    assert result.exit_code == 0, result.output
    assert normalised((site / POST).read_text()) == normalised(EXAMPLE_POST.read_text())
    assert "posts read: 22" in result.stderr and "arxiv 3" in result.stderr


def test_a_day_fetched_by_the_build_is_not_said_to_be_dated_in_the_future(live_site, monkeypatch):
    """The post is dated with taken_at, the time the fetch ended, and the build's clock was
    read when it began: a fetch taking a minute (arXiv alone asks for 3 s between requests)
    dated every nightly post 'in the future', a warning cron mailed every night."""
    site, _scenario, _recorder = live_site
    times = iter(datetime(2026, 12, 2, 6, 17, second, tzinfo=UTC) for second in range(60))
    monkeypatch.setattr("hotpapers.cli.now", lambda config: next(times))  # each read a second later
    result = CliRunner().invoke(cli, ["-q", "build", "--date", DAY])
    assert result.exit_code == 0, result.output
    assert load_snapshot(site / SNAPSHOT).taken_at > "2026-12-02T06:17:00Z"  # the fetch read a later time
    assert "in the future" not in result.stderr


def test_the_snapshot_keeps_every_fact_and_its_provenance(live_site):
    site, scenario, _recorder = live_site
    assert build().exit_code == 0
    snapshot = load_snapshot(site / SNAPSHOT)
    by_id = {m.id: m for m in snapshot.mentions}
    # retweets (even one carrying a link), posts after the window and posts linking no paper are not mentions
    assert not {"2000000000000000001", "2000000000000000002", "2000000000000000008", "2000000000000000009"} & set(by_id)
    assert by_id["2000000000000000003"].paper_ids == ("2009.11094",)  # a quote is a mention of its own
    assert by_id["2000000000000000004"].paper_ids == ("2009.11027", "2009.11278")
    assert by_id["1308951548979011585"].reposts == 18348 and by_id["1308951548979011585"].author_handle == "Luke_Metz"
    assert {p.id for p in snapshot.papers} == set(scenario.papers)  # all mentioned ids arXiv knows
    assert snapshot.window.since == "2020-09-24T00:00:00Z" and snapshot.window.until == "2020-09-25T00:00:00Z"
    assert snapshot.sources["twitter"].status == "ok" and snapshot.sources["twitter"].items == 22
    assert snapshot.sources["twitter"].requests == 3 and snapshot.sources["twitter"].endpoint.endswith(
        "/2/tweets/search/all"
    )
    assert snapshot.sources["arxiv"].detail == "unknown ids: 2009.99999"
    assert snapshot.sources["oembed"].requests == 12
    # only shown posts got an embed fetched
    assert {m.id for m in snapshot.mentions if m.embed_html} == set(scenario.embeds)


def test_requests_are_the_fewest_and_polite(live_site, clock):
    _site, scenario, recorder = live_site
    assert build().exit_code == 0
    searches = recorder.of("/tweets/search/")
    assert [c[1].get("next_token") for c in searches] == [None, "b26v89c19zqg8o3fpds1", "b26v89c19zqg8o3fpds2"]
    first = searches[0][1]
    assert first["start_time"] == "2020-09-24T00:00:00Z" and first["end_time"] == "2020-09-25T00:00:00Z"
    assert first["query"] == 'url:"arxiv.org" -is:retweet' and first["expansions"] == "author_id"
    assert first["tweet.fields"] == "public_metrics,created_at,entities,author_id,referenced_tweets"
    arxiv_calls = recorder.of("/api/query")
    ids = {i for c in arxiv_calls for i in c[1]["id_list"].split(",")}
    assert len(ids) == 14 and len(arxiv_calls) == math.ceil(14 / 5)
    assert all(int(c[1]["max_results"]) >= len(c[1]["id_list"].split(",")) for c in arxiv_calls)
    assert clock.sleeps == pytest.approx([0.2, 0.2])  # arxiv.min_interval between its requests, on the fetcher's clock
    shown = {url.rsplit("/", 1)[-1] for url in (c[1]["url"] for c in recorder.of("/oembed"))}
    assert shown == set(scenario.embeds)
    assert all(h.get("User-Agent", "").startswith("hotpapers/") for h in recorder.headers)


def test_a_second_build_makes_no_request(live_site):
    _site, _scenario, recorder = live_site
    assert build().exit_code == 0
    before = len(recorder.calls)
    result = build()
    assert result.exit_code == 0 and "is up to date" in result.stderr
    assert len(recorder.calls) == before


def test_the_token_appears_nowhere(live_site):
    site, _scenario, _recorder = live_site
    result = CliRunner().invoke(cli, ["-v", "build", "--date", DAY])
    assert result.exit_code == 0
    for text in (result.output, (site / SNAPSHOT).read_text(), (site / POST).read_text()):
        assert TOKEN not in text and "secret-token" not in text


def test_a_deleted_post_falls_back_and_the_build_goes_on(live_site):
    site, scenario, _recorder = live_site
    scenario.deleted.add("1308938327735713793")
    assert build().exit_code == 0
    post = (site / POST).read_text()
    assert (
        '<blockquote class="twitter-tweet"><p dir="ltr">Read https://t.co/x03793</p>&mdash; Tianle Cai (@tianle_cai) '
        in post
    )
    assert ">September 24, 2020</a></blockquote>" in post
    snapshot = load_snapshot(site / SNAPSHOT)
    assert snapshot.sources["oembed"].status == "partial"


def test_an_embed_too_long_for_any_real_post_falls_back_and_the_build_goes_on(live_site):
    """Each embed is kept in memory and in the snapshot: an oEmbed server answering 50 MB of
    allowed HTML for each of the day's 12 shown posts took 1.8 GB and made a snapshot too
    large to write, so the day failed (exit 2) and the other sources' posts were lost."""
    site, scenario, _recorder = live_site
    text = "x" * 65_536
    scenario.embeds["1308938327735713793"]["html"] = f'<blockquote class="twitter-tweet"><p>{text}</p></blockquote>'
    assert build().exit_code == 0
    post = (site / POST).read_text()
    assert text not in post
    assert '<p dir="ltr">Read https://t.co/x03793</p>&mdash; Tianle Cai (@tianle_cai) ' in post
    snapshot = load_snapshot(site / SNAPSHOT)
    assert snapshot.sources["oembed"].status == "partial"


@pytest.mark.parametrize("odd_id", ["", "../../x", "1?x=", "\u0661\u0662"], ids=["empty", "path", "query", "arabic"])
def test_malformed_x_posts_are_left_out_and_the_posts_paid_for_are_kept(live_site, odd_id):
    """An empty tweet id failed the whole search: every post already read (and billed)
    was lost. An id that is no number went into the post's URL (`../../x` moved it to
    another page of twitter.com). A username no X account has (with a space, or
    `a/../b?x=1#`) made the post's URL point elsewhere, or failed the search too: the post
    keeps its id's URL."""
    site, scenario, _recorder = live_site
    assert build().exit_code == 0
    clean = [m.id for m in load_snapshot(site / SNAPSHOT).mentions if m.platform == "twitter"]
    page = scenario.pages[0]
    author = page["data"][1]["author_id"]
    page["includes"]["users"] = [
        {**user, "username": "a/../../b?x=1#" if user["id"] == author else "a b"} for user in page["includes"]["users"]
    ]
    refused = page["data"][0]["id"]
    page["data"][0]["id"] = odd_id
    result = build("--refresh")
    assert result.exit_code == 0, result.output
    left_out = "left out 1 post whose id is no number"
    assert f"twitter: {left_out}\n" in result.stderr, result.stderr
    snapshot = load_snapshot(site / SNAPSHOT)
    twitter = snapshot.sources["twitter"]
    assert (twitter.status, twitter.detail, twitter.items) == ("partial", left_out, 22)
    kept = [m for m in snapshot.mentions if m.platform == "twitter"]
    assert [m.id for m in kept] == [i for i in clean if i != refused]
    assert odd_id not in (site / POST).read_text(encoding="utf-8") or not odd_id
    renamed = {user["id"] for user in page["includes"]["users"]}
    by_renamed = [m for m in kept if m.id in {p["id"] for p in page["data"] if p["author_id"] in renamed}]
    assert by_renamed and all(
        m.url == f"https://twitter.com/i/web/status/{m.id}" and m.author_handle is None for m in by_renamed
    )


def test_refresh_fetches_again_and_dry_run_calls_nothing(live_site):
    site, _scenario, recorder = live_site
    result = build("--dry-run")
    assert result.exit_code == 0 and recorder.calls == []
    assert "would fetch the window 2020-09-24T00:00:00Z to 2020-09-25T00:00:00Z" in result.stderr
    assert "/2/tweets/search/all" in result.stderr
    assert not (site / "data").exists() and not (site / "content").exists()
    assert build().exit_code == 0
    calls = len(recorder.calls)
    assert build("--refresh").exit_code == 0
    assert len(recorder.calls) == 2 * calls


def test_the_post_cap_stops_the_search(live_site, httpserver):
    site, _scenario, recorder = live_site
    (site / "config.yaml").write_text(
        live_config(
            httpserver,
            sources={
                "twitter": {
                    "api_url": httpserver.url_for("/2"),
                    "oembed_url": httpserver.url_for("/oembed"),
                    "page_size": 10,
                    "max_posts": 8,
                }
            },
        )
    )
    result = build()
    assert result.exit_code == 0
    assert len(recorder.of("/tweets/search/")) == 1
    snapshot = load_snapshot(site / SNAPSHOT)
    assert snapshot.sources["twitter"].status == "partial" and "max_posts" in snapshot.sources["twitter"].detail


def test_concurrent_builds_leave_one_valid_post_and_no_stray_file(live_site, httpserver):
    site, _scenario, _recorder = live_site
    arxiv = {"api_url": httpserver.url_for("/api/query"), "batch_size": 5, "min_interval": 0}
    (site / "config.yaml").write_text(live_config(httpserver, arxiv=arxiv))  # processes of their own sleep for real
    command = [sys.executable, "-m", "hotpapers", "build", "--date", DAY]
    processes = [subprocess.Popen(command, cwd=site, stdout=subprocess.PIPE, stderr=subprocess.PIPE) for _ in range(2)]
    outcomes = []
    for process in processes:
        _stdout, stderr = process.communicate(timeout=60)  # reads and closes the pipes, then waits
        outcomes.append((process.returncode, stderr.decode()))
    assert outcomes[0][0] == 0 or outcomes[1][0] == 0, outcomes
    for code, stderr in outcomes:  # the second one fetching while the first does is refused in one line
        assert code == 0 or stderr.endswith(
            "Error: another hotpapers build is fetching into data/snapshots; nothing was fetched (run it again "
            "when that one ends)\n"
        ), stderr
    assert normalised((site / POST).read_text()) == normalised(EXAMPLE_POST.read_text())
    load_snapshot(site / SNAPSHOT)
    leftovers = [p.name for p in site.rglob("*") if p.is_file()]
    assert sorted(leftovers) == ["2020-09-24---Hot-Papers.md", "2020-09-24.json", "config.yaml"]


def test_a_day_not_over_yet_is_refused(live_site):
    result = CliRunner().invoke(cli, ["build", "--date", "2999-01-01"])
    assert result.exit_code == 2 and "2999-01-01 has not ended yet in UTC" in result.stderr


def test_recent_search_for_a_day_within_seven_days(live_site):
    from datetime import UTC, datetime, timedelta

    site, _scenario, recorder = live_site
    day = (datetime.now(UTC) - timedelta(days=2)).date().isoformat()
    result = CliRunner().invoke(cli, ["build", "--date", day])
    assert result.exit_code == 0, result.output
    assert recorder.of("/tweets/search/recent") and not recorder.of("/tweets/search/all")
    assert json.loads((site / "data" / "snapshots" / f"{day}.json").read_text())["sources"]["twitter"][
        "endpoint"
    ].endswith("/recent")


def test_a_lone_surrogate_in_fetched_text_becomes_a_replacement_character(live_site):
    """A text cut inside an emoji carries half a surrogate pair, which UTF-8 cannot hold."""
    site, scenario, _recorder = live_site
    first = scenario.pages[0]["data"][0]
    user = next(u for u in scenario.pages[0]["includes"]["users"] if u["id"] == first["author_id"])
    user["name"] = "Jingtong \ud83d"
    scenario.embeds[first["id"]]["html"] = scenario.embeds[first["id"]]["html"].replace("</p>", " \ude00</p>", 1)
    result = build()
    assert result.exit_code == 0, result.output
    mention = next(m for m in load_snapshot(site / SNAPSHOT).mentions if m.id == first["id"])
    assert mention.author_name == "Jingtong \ufffd"
    assert " \ufffd</p>" in mention.embed_html


def test_a_progress_display_sees_each_search_page_and_each_embed(live_site, clock):
    site, scenario, recorder = live_site
    seen = []

    def progress(items, total, unit):
        for item in items:
            seen.append((unit, total))
            yield item

    config = load_config(site / "config.yaml", site)
    fetcher = make_fetcher(
        config,
        {"X_BEARER_TOKEN": TOKEN},
        lambda: datetime(2020, 9, 25, 8, 0, 47, tzinfo=UTC),
        progress,
        sleep=clock.sleep,
        monotonic=lambda: clock.now,
    )
    snapshot = fetcher(DAY)
    embeds = sum(1 for m in snapshot.mentions if m.embed_html)
    assert seen.count(("page", None)) == len(recorder.of("/tweets/search/")) == len(scenario.pages) == 3
    assert seen.count(("embed", embeds)) == embeds == len(recorder.of("/oembed"))


def test_a_page_of_more_posts_than_asked_for_is_unreadable(live_site, httpserver):
    """X never sends more posts than `max_results`; a server that did (a million tiny posts
    in one 60 MB page) made the build hold 5 GB and write a 600 MB snapshot, past max_posts."""
    site, scenario, _recorder = live_site
    first = scenario.pages[0]
    scenario.pages[0] = {**first, "data": first["data"] * 2}  # 16 posts, 10 asked for
    result = build()
    assert result.exit_code == 1
    url = httpserver.url_for("/2/tweets/search/all")
    assert result.stderr == (
        f"Error: {DAY}: twitter: unreadable search page from {url} (16 posts, more than the 10 asked for - at "
        "`$.data`)\n"
    )
    assert not (site / SNAPSHOT).exists()
