"""`hotpapers build` reading X, Bluesky, Hacker News and Hugging Face at once, through
stand-ins of each API serving the recorded payload shapes: each source down alone
still gives a post, the next plain build repairs the day asking only that source
again, and all of them down changes nothing."""

from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from bluesky_fake import HANDLE, PASSWORD, FakeBluesky, oembed_html, post
from fakes import TOKEN, Recorder, example_scenario, fake_time, live_config, serve_scenario
from hn_hf_fakes import HF_2026, Algolia, DailyPapers, story
from hotpapers.cli import cli
from hotpapers.snapshot import load_snapshot

DAY = "2020-09-24"
START = 1600905600
"""2020-09-24T00:00:00Z in epoch seconds."""
POST = Path("content/posts/2020-09-24---Hot-Papers.md")
SNAPSHOT = Path("data/snapshots/2020-09-24.json")
ONLY = {"bluesky": "2009.20001", "hackernews": "2009.20002", "huggingface": "2009.20003"}
"""The paper only that platform links."""
DID = "did:plc:s7savtl25cqhm3ddqc7jeljx"


def paper(paper_id: str) -> dict:
    return {
        "id": paper_id,
        "title": f"Paper {paper_id}",
        "authors": ["Ada Lovelace"],
        "categories": ["cs.LG"],
        "abstract": "An abstract.",
        "published": "2020-09-23T10:00:00Z",
    }


class Switch:
    """A stand-in's handler that answers 503 while `down`, and counts every request."""

    def __init__(self, handler) -> None:
        self.handler, self.down, self.requests = handler, False, 0

    def __call__(self, request: Request) -> Response:
        self.requests += 1
        return Response("Service Unavailable", 503) if self.down else self.handler(request)


@pytest.fixture
def four(tmp_path, monkeypatch, httpserver):
    scenario, recorder = example_scenario(), Recorder()
    for paper_id in ONLY.values():
        scenario.papers[paper_id] = paper(paper_id)
    x_down: dict[str, list[Response]] = {}

    bluesky = FakeBluesky()
    rkey = "3lpjpstvsvk2y"
    bluesky.pages[None] = {
        "posts": [
            post(
                rkey,
                facets=(f"https://arxiv.org/abs/{ONLY['bluesky']}",),
                counts=(20, 40, 2),
                created=f"{DAY}T10:00:00.000Z",
            ),
            post(
                "3lpjpstvsvk2z",
                facets=("https://arxiv.org/abs/2009.11278",),
                counts=(1, 9, 0),
                created=f"{DAY}T11:00:00.000Z",
            ),
        ],
        "cursor": "2",
    }
    bluesky.embeds[f"https://bsky.app/profile/cjtackett.bsky.social/post/{rkey}"] = oembed_html(
        DID, rkey, "Our new paper"
    )
    bsky_server = HTTPServer(host="127.0.0.1")
    bsky_server.start()
    bluesky.serve(bsky_server)
    bsky_search = Switch(bluesky.search)
    bsky_server.clear_all_handlers()
    for path, handler in (
        ("/xrpc/com.atproto.server.createSession", bluesky.create_session),
        ("/xrpc/com.atproto.server.refreshSession", bluesky.refresh_session),
        ("/xrpc/app.bsky.feed.searchPosts", bsky_search),
        ("/oembed", bluesky.oembed),
    ):
        bsky_server.expect_request(path).respond_with_handler(handler)

    algolia = Switch(
        Algolia(
            [
                story("24578001", START + 36000, "https://arxiv.org/abs/2009.11278", points=120, comments=45),
                story("24578002", START + 40000, f"https://arxiv.org/abs/{ONLY['hackernews']}", points=70, comments=10),
            ]
        )
    )
    listed = copy.deepcopy(HF_2026[:2])
    listed[0]["paper"]["id"], listed[1]["paper"]["id"] = "2009.11243", ONLY["huggingface"]
    daily = Switch(DailyPapers({DAY: listed}))
    httpserver.expect_request("/hn/search_by_date").respond_with_handler(algolia)
    httpserver.expect_request("/hf/daily_papers").respond_with_handler(daily)

    def serve(x_first: dict[str, list[Response]] | None = None) -> None:
        serve_scenario(httpserver, scenario, recorder, x_first)

    sources = {
        "bluesky": {
            "enabled": True,
            "api_url": bsky_server.url_for("/xrpc"),
            "oembed_url": bsky_server.url_for("/oembed"),
        },
        "hackernews": {"enabled": True, "api_url": httpserver.url_for("/hn"), "min_interval": 0},
        "huggingface": {"enabled": True, "api_url": httpserver.url_for("/hf"), "min_interval": 0},
    }
    (tmp_path / "config.yaml").write_text(live_config(httpserver, sources=sources, http={"retries": 1}))
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("X_BEARER_TOKEN", TOKEN)
    monkeypatch.setenv("BSKY_HANDLE", HANDLE)
    monkeypatch.setenv("BSKY_APP_PASSWORD", PASSWORD)
    fake_time(monkeypatch)
    switches = {"bluesky": bsky_search, "hackernews": algolia, "huggingface": daily}
    yield tmp_path, recorder, bluesky, switches, serve, x_down
    bsky_server.stop()


def build(*args):
    return CliRunner().invoke(cli, ["build", "--date", DAY, *args])


def requests_made(recorder, bluesky, switches) -> dict[str, int]:
    return {
        "twitter": len(recorder.of("/2/tweets")) + len(recorder.of("/oembed")),
        "arxiv": len(recorder.of("/api/query")),
        "bluesky": len(bluesky.calls),
        "hackernews": switches["hackernews"].requests,
        "huggingface": switches["huggingface"].requests,
    }


def test_all_four_sources_rank_together(four):
    site, _, _, _, serve, _ = four
    serve()
    result = build()
    assert result.exit_code == 0, result.output
    snapshot = load_snapshot(site / SNAPSHOT)
    assert {name: snapshot.sources[name].status for name in ("twitter", "bluesky", "hackernews", "huggingface")} == {
        "twitter": "ok",
        "bluesky": "ok",
        "hackernews": "ok",
        "huggingface": "ok",
    }
    assert {m.platform for m in snapshot.mentions} == {"twitter", "bluesky", "hackernews", "huggingface"}
    explained = CliRunner().invoke(cli, ["explain", DAY, "--json"])
    papers = {p["id"]: p for p in json.loads(explained.stdout)["papers"]}
    # Bluesky 20 + 40 = 60; HN 70 points + 10 comments = 80; HF 74 upvotes (HF_2026's second item)
    assert [(p["platform"], p["score"]) for p in papers[ONLY["bluesky"]]["platforms"]] == [("bluesky", 60)]
    assert [(p["platform"], p["score"]) for p in papers[ONLY["hackernews"]]["platforms"]] == [("hackernews", 80)]
    assert [(p["platform"], p["score"]) for p in papers[ONLY["huggingface"]]["platforms"]] == [("huggingface", 74)]
    # 2009.11278: X 132 (the published day's total), HN 120 + 45 = 165, Bluesky 1 + 9 = 10
    assert {p["platform"]: p["score"] for p in papers["2009.11278"]["platforms"]} == {
        "twitter": 132,
        "hackernews": 165,
        "bluesky": 10,
    }
    assert papers["2009.11278"]["score"] == 307
    text = (site / POST).read_text()
    assert all(f"Paper {paper_id}" in text for paper_id in ONLY.values())
    assert 'data-bluesky-uri="at://' in text  # the Bluesky post's own embed
    assert all(TOKEN not in t and PASSWORD not in t for t in (text, (site / SNAPSHOT).read_text(), result.stderr))


@pytest.mark.parametrize("down", ["twitter", "bluesky", "hackernews", "huggingface"])
def test_a_source_down_gives_a_post_and_the_next_build_repairs_it_asking_only_that_source(four, down):
    site, recorder, bluesky, switches, serve, _ = four
    if down == "twitter":
        serve({"/2/tweets/search/all": [Response("Service Unavailable", 503) for _ in range(2)]})
    else:
        serve()
        switches[down].down = True
    result = build()
    assert result.exit_code == 0, result.output
    assert f"{DAY}: {down}: " in result.stderr and "published without it" in result.stderr
    snapshot = load_snapshot(site / SNAPSHOT)
    assert snapshot.sources[down].status == "failed" and "503" in snapshot.sources[down].detail
    assert down not in {m.platform for m in snapshot.mentions}
    assert CliRunner().invoke(cli, ["check", "--days", "1", "--until", DAY]).exit_code == 1
    first = (site / POST).read_text()

    if down != "twitter":
        switches[down].down = False
    before = requests_made(recorder, bluesky, switches)
    arxiv_calls = len(recorder.of("/api/query"))
    result = build()
    assert result.exit_code == 0, result.output
    after = requests_made(recorder, bluesky, switches)
    asked = {name for name in after if after[name] != before[name]}
    new_ids = [q["id_list"] for _, q, _ in recorder.of("/api/query")[arxiv_calls:]]
    if down == "twitter":
        # X links only papers no other source had linked, most of them new: asked in batches of 5
        assert asked == {"twitter", "arxiv"} and "2009.11278" not in ",".join(new_ids)
    else:
        assert asked == {down, "arxiv"} and new_ids == [ONLY[down]]
    snapshot = load_snapshot(site / SNAPSHOT)
    assert snapshot.sources[down].status == "ok"
    assert {m.platform for m in snapshot.mentions} == {"twitter", "bluesky", "hackernews", "huggingface"}
    post_text = (site / POST).read_text()
    assert post_text != first and all(f"Paper {paper_id}" in post_text for paper_id in ONLY.values())
    assert CliRunner().invoke(cli, ["check", "--days", "1", "--until", DAY]).exit_code == 0


def test_all_four_down_changes_nothing(four):
    site, recorder, _, switches, serve, _ = four
    serve({"/2/tweets/search/all": [Response("Service Unavailable", 503) for _ in range(2)]})
    for switch in switches.values():
        switch.down = True
    result = build()
    assert result.exit_code == 1 and result.stderr.startswith("Error: 2020-09-24: every source failed: ")
    assert result.stderr.count("\n") == 1 and not recorder.of("/api/query")
    assert sorted(p.name for p in site.rglob("*") if p.is_file()) == ["config.yaml"]
