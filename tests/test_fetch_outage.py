"""Several sources at once: each searched in a thread of its own, a day published
through a partial outage, and repaired by the next build without asking the sources
that had worked. The X stand-in of fakes.py beside two more sources of the same shape
as every platform module (own Settings, requests through the shared HttpClient), each
behind its own local server."""

from __future__ import annotations

import json
import threading
from pathlib import Path
from typing import ClassVar

import pytest
from click.testing import CliRunner
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from fakes import TOKEN, Recorder, example_scenario, fake_time, live_config, serve_scenario
from hotpapers import sources
from hotpapers.cli import cli
from hotpapers.errors import FetchError
from hotpapers.models import Mention
from hotpapers.snapshot import load_snapshot
from hotpapers.sources.base import Display, Embeds, Found, SourceSettings, no_progress, rfc3339

DAY = "2020-09-24"
POST = Path("content/posts/2020-09-24---Hot-Papers.md")
SNAPSHOT = Path("data/snapshots/2020-09-24.json")
NEW_PAPER = {
    "id": "2009.12345",
    "title": "A paper only the other platforms talk about",
    "authors": ["Grace Hopper"],
    "categories": ["cs.CL"],
    "abstract": "Found through the other sources.",
    "published": "2020-09-23T10:00:00Z",
}

ONLY_MASTODON = {**NEW_PAPER, "id": "2009.54321", "title": "A paper only Mastodon talks about"}


class StandIn:
    """A source answering `GET {api_url}/search?since=...&until=...` with a JSON list of
    posts `{"id", "papers", "likes"}`."""

    name: ClassVar[str]

    def __init__(self, settings, http, environ, now, progress=no_progress) -> None:
        self.settings, self.http, self.now = settings, http, now

    def missing_credentials(self) -> str | None:
        return None

    def plan(self, since, until) -> str:
        return f"search {self.settings.api_url}/search"

    def search(self, since, until) -> Found:
        url = f"{self.settings.api_url}/search"
        posts = self.http.get_json(url, source=self.name, params={"since": rfc3339(since), "until": rfc3339(until)})
        mentions = [
            Mention(
                platform=self.name,
                id=post["id"],
                url=f"https://{self.name}.example/posts/{post['id']}",
                paper_ids=tuple(post["papers"]),
                reposts=0,
                likes=post["likes"],
                observed_at=rfc3339(self.now()),
                text=f"Post {post['id']}",
            )
            for post in posts
        ]
        return Found(mentions, len(posts), url)

    def embeds(self, shown) -> Embeds | None:
        if self.settings.embeds_fail:
            raise FetchError(self.name, "the embed service is down")
        return None


def stand_in(name: str, url: str) -> type[StandIn]:
    """A stand-in source called `name` whose api_url defaults to `url`."""

    class Settings(SourceSettings, frozen=True, forbid_unknown_fields=True, kw_only=True):
        api_url: str = url
        embeds_fail: bool = False

    display = Display(name.title(), (("likes", "likes"),), embedded=False)
    return type(name, (StandIn,), {"name": name, "Settings": Settings, "display": display})


class Platform:
    """One stand-in's server: its posts, and whether it fails, waits or meets the others."""

    def __init__(self, posts: list[dict]) -> None:
        self.posts, self.failing, self.barrier = posts, False, None
        self.calls: list[dict] = []
        self.server = HTTPServer(host="127.0.0.1")
        self.server.expect_request("/search").respond_with_handler(self.answer)
        self.server.start()

    def answer(self, request: Request) -> Response:
        self.calls.append(dict(request.args))
        if self.barrier is not None:
            try:
                self.barrier.wait(timeout=5)  # met only when the other sources are searched at the same time
            except threading.BrokenBarrierError:
                return Response("searched one after the other", 500)
        if self.failing:
            return Response("Service Unavailable", 503)
        return Response(json.dumps(self.posts), content_type="application/json")


@pytest.fixture
def day(tmp_path, monkeypatch, httpserver):
    """The example day on X, plus Mastodon and Reddit stand-ins linking one of its papers
    and one paper only they mention."""
    scenario, recorder = example_scenario(), Recorder()
    scenario.papers[NEW_PAPER["id"]] = NEW_PAPER
    scenario.papers[ONLY_MASTODON["id"]] = ONLY_MASTODON
    mastodon = Platform(
        [
            {"id": "m1", "papers": ["2009.12345"], "likes": 40},
            {"id": "m2", "papers": ["2009.11243"], "likes": 30},
            {"id": "m3", "papers": ["2009.54321"], "likes": 60},
        ]
    )
    reddit = Platform([{"id": "r1", "papers": ["2009.12345"], "likes": 35}])
    platforms = {"mastodon": mastodon, "reddit": reddit}

    def serve_x(first: dict[str, list[Response]] | None = None) -> None:
        """Start the X, arXiv and oEmbed stand-ins, `first` answering before them."""
        serve_scenario(httpserver, scenario, recorder, first)

    for name, platform in platforms.items():
        monkeypatch.setitem(sources.SOURCES, name, stand_in(name, platform.server.url_for("").rstrip("/")))
    (tmp_path / "config.yaml").write_text(live_config(httpserver, http={"retries": 1, "backoff": 0.01}))
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("X_BEARER_TOKEN", TOKEN)
    fake_time(monkeypatch)  # retries and pacing wait on a fake clock
    yield tmp_path, recorder, platforms, serve_x
    for platform in platforms.values():
        platform.server.stop()


def build(*args):
    return CliRunner().invoke(cli, ["build", "--date", DAY, *args])


X_DOWN = {"/2/tweets/search/all": [Response("Service Unavailable", 503) for _ in range(2)]}


def test_every_source_is_searched_at_once_and_all_count(day):
    site, recorder, platforms, serve_x = day
    serve_x()
    assert build().exit_code == 0
    barrier = threading.Barrier(2)
    for platform in platforms.values():
        platform.barrier = barrier  # searched one after the other, the first would wait for the second in vain
    result = build("--refresh")
    assert result.exit_code == 0, result.output
    snapshot = load_snapshot(site / SNAPSHOT)
    assert {name: s.status for name, s in snapshot.sources.items() if s.status != "skipped"} == {
        "arxiv": "ok",
        "mastodon": "ok",
        "oembed": "ok",
        "reddit": "ok",
        "twitter": "ok",
    }
    assert platforms["mastodon"].calls[-1] == {"since": "2020-09-24T00:00:00Z", "until": "2020-09-25T00:00:00Z"}
    post = (site / POST).read_text()
    # 40 + 35 = 75 from the two stand-ins: the paper no X post links is in the post
    assert "A paper only the other platforms talk about" in post
    # arXiv is asked once for every id found by any source (batches of 5)
    asked = {i for _, query, _ in recorder.of("/api/query") for i in query["id_list"].split(",")}
    assert {"2009.12345", "2009.11243"} <= asked


@pytest.mark.parametrize("down", ["twitter", "mastodon", "reddit"])
def test_a_source_down_still_gives_a_post_and_check_flags_the_day(day, down):
    site, _, platforms, serve_x = day
    serve_x(X_DOWN if down == "twitter" else None)
    if down != "twitter":
        platforms[down].failing = True
    result = build()
    assert result.exit_code == 0, result.output
    assert f"{DAY}: {down}: " in result.stderr and "published without it" in result.stderr
    snapshot = load_snapshot(site / SNAPSHOT)
    status = snapshot.sources[down]
    assert status.status == "failed" and "503" in status.detail and status.requests == 2
    others = {name: s.status for name, s in snapshot.sources.items() if name != down and s.status != "skipped"}
    assert set(others.values()) == {"ok"} and set(others) >= {"arxiv", "twitter", "mastodon", "reddit"} - {down}
    assert {m.platform for m in snapshot.mentions} == {"twitter", "mastodon", "reddit"} - {down}
    assert (site / POST).exists()
    check = CliRunner().invoke(cli, ["check", "--days", "1", "--until", DAY])
    assert check.exit_code == 1 and f"source {down} failed" in check.stderr


def test_every_source_down_writes_nothing(day):
    site, recorder, platforms, serve_x = day
    serve_x(X_DOWN)
    for platform in platforms.values():
        platform.failing = True
    result = build()
    assert result.exit_code == 1
    assert result.stderr.startswith("Error: 2020-09-24: every source failed: twitter: ")
    assert result.stderr.count("\n") == 1
    assert "mastodon: " in result.stderr and "reddit: " in result.stderr
    assert not recorder.of("/api/query")
    assert sorted(p.name for p in site.rglob("*") if p.is_file()) == ["config.yaml"]


def test_arxiv_down_writes_no_post_and_keeps_every_source_s_posts(day):
    site, _, _, serve_x = day
    serve_x({"/api/query": [Response("Service Unavailable", 503) for _ in range(2)]})
    result = build()
    assert result.exit_code == 1 and result.stderr.startswith("Error: 2020-09-24: arxiv: ")
    assert sorted(p.name for p in site.rglob("*") if p.is_file()) == ["2020-09-24.json", "config.yaml"]
    snapshot = load_snapshot(site / SNAPSHOT)
    assert {m.platform for m in snapshot.mentions} == {"twitter", "mastodon", "reddit"}
    assert snapshot.sources["arxiv"].status == "failed" and snapshot.papers == ()


def test_secrets_appear_nowhere_through_an_outage(day):
    site, _, platforms, serve_x = day
    answer = json.dumps({"title": "Unauthorized", "detail": TOKEN})
    serve_x({"/2/tweets/search/all": [Response(answer, 401, content_type="application/json")]})
    platforms["reddit"].failing = True
    result = build()
    assert result.exit_code == 0, result.output
    written = [p.read_text() for p in site.rglob("*") if p.is_file() and p.name != "config.yaml"]
    assert all(TOKEN not in text for text in [*written, result.stderr, result.stdout])


def test_the_next_build_repairs_the_day_asking_only_the_failed_source(day):
    site, recorder, platforms, serve_x = day
    serve_x()
    platforms["mastodon"].failing = True
    assert build().exit_code == 0
    first_post = (site / POST).read_text()
    assert "A paper only Mastodon talks about" not in first_post
    before = len(recorder.calls), len(platforms["reddit"].calls), len(platforms["mastodon"].calls)

    platforms["mastodon"].failing = False
    result = build()
    assert result.exit_code == 0, result.output
    assert f"{DAY}: fetched mastodon again: 3 mentions" in result.stderr
    # only Mastodon was asked again, and arXiv only for the id no other source had linked
    assert len(platforms["mastodon"].calls) == before[2] + 1
    assert len(platforms["reddit"].calls) == before[1]
    assert [(path, query["id_list"]) for path, query, _ in recorder.calls[before[0] :]] == [
        ("/api/query", "2009.54321")
    ]
    snapshot = load_snapshot(site / SNAPSHOT)
    assert snapshot.sources["mastodon"].status == "ok" and snapshot.sources["mastodon"].items == 3
    assert {m.id for m in snapshot.mentions if m.platform == "mastodon"} == {"m1", "m2", "m3"}
    assert "2009.54321" in {p.id for p in snapshot.papers}
    assert snapshot.sources["arxiv"].requests == 4  # 3 for the first build, 1 for the repair
    post = (site / POST).read_text()
    assert "A paper only Mastodon talks about" in post and post != first_post
    assert CliRunner().invoke(cli, ["check", "--days", "1", "--until", DAY]).exit_code == 0
    # repaired: the next build asks nobody anything
    calls = len(recorder.calls), len(platforms["mastodon"].calls)
    assert build().exit_code == 0
    assert (len(recorder.calls), len(platforms["mastodon"].calls)) == calls


def test_a_repair_that_fails_again_changes_nothing(day):
    site, recorder, platforms, serve_x = day
    serve_x()
    platforms["mastodon"].failing = True
    assert build().exit_code == 0
    stored, calls = (site / SNAPSHOT).read_bytes(), len(recorder.calls)
    result = build()
    assert result.exit_code == 0, result.output
    assert f"{DAY}: mastodon: " in result.stderr and "again" in result.stderr
    assert (site / SNAPSHOT).read_bytes() == stored and len(recorder.calls) == calls
    assert CliRunner().invoke(cli, ["check", "--days", "1", "--until", DAY]).exit_code == 1


def test_offline_and_dry_run_builds_do_not_repair(day):
    site, _, platforms, serve_x = day
    serve_x()
    platforms["mastodon"].failing = True
    assert build().exit_code == 0
    platforms["mastodon"].failing = False
    stored, calls = (site / SNAPSHOT).read_bytes(), len(platforms["mastodon"].calls)
    assert build("--offline").exit_code == 0
    dry = build("--dry-run")
    assert dry.exit_code == 0 and f"{DAY}: would fetch mastodon again" in dry.stderr
    assert (site / SNAPSHOT).read_bytes() == stored and len(platforms["mastodon"].calls) == calls


def test_failing_embeds_cost_only_the_embeds(day):
    site, _, _, serve_x = day
    serve_x()
    (site / "config.yaml").write_text(
        (site / "config.yaml").read_text().replace('"sources": {', '"sources": {"mastodon": {"embeds_fail": true}, ')
    )
    result = build()
    assert result.exit_code == 0, result.output
    assert f"{DAY}: mastodon: the embed service is down; its posts are shown without their embeds" in result.stderr
    snapshot = load_snapshot(site / SNAPSHOT)
    assert snapshot.sources["mastodon"].status == "ok" and snapshot.sources["mastodon"].items == 3
    assert snapshot.sources["mastodon-embeds"].status == "partial"
    assert "A paper only Mastodon talks about" in (site / POST).read_text()


def test_a_mention_the_snapshot_check_refuses_is_left_out_alone_and_said(day):
    """One malformed post cost every post of its source (paid for, on X): now it is left out."""
    site, _, platforms, serve_x = day
    serve_x()
    platforms["reddit"].posts = [
        {"id": "r 1", "papers": ["2009.12345"], "likes": 35},  # a space in its URL
        {"id": "r2", "papers": ["2009.12345"], "likes": 7},
    ]
    result = build()
    assert result.exit_code == 0, result.output
    warning = f"{DAY}: reddit: left out 1 mention the snapshot check refuses (at $.url)\n"
    assert result.stderr.count(warning) == 1, result.stderr
    snapshot = load_snapshot(site / SNAPSHOT)
    status = snapshot.sources["reddit"]
    assert (status.status, status.detail, status.items) == (
        "partial",
        "left out 1 mention the snapshot check refuses (at $.url)",
        2,
    )
    assert [m.url for m in snapshot.mentions if m.platform == "reddit"] == ["https://reddit.example/posts/r2"]
    assert (snapshot.sources["mastodon"].status, snapshot.sources["mastodon"].detail) == ("ok", None)
    assert (site / POST).exists()
