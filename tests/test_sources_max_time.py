"""A free source reaching `http.max_time` mid-search keeps the pages it read and is
`partial`, as X does (`Source.cut_short`); one that had read nothing still fails.
Each stand-in's answers move a fake clock on by 100 s."""

from __future__ import annotations

from datetime import UTC, datetime

import msgspec
import pytest
from werkzeug import Request, Response

from bluesky_fake import HANDLE, PASSWORD, FakeBluesky, post
from fakes import FakeClock
from hn_hf_fakes import HF_2026, Algolia, DailyPapers, story
from hotpapers.errors import OutOfTimeError
from hotpapers.http import HttpClient
from hotpapers.sources.bluesky import BlueskySettings, BlueskySource
from hotpapers.sources.hackernews import HackerNewsSettings, HackerNewsSource
from hotpapers.sources.huggingface import HuggingFaceSettings, HuggingFaceSource

NOW = datetime(2026, 11, 21, 8, 0, tzinfo=UTC)
SINCE, UNTIL = datetime(2026, 11, 20, tzinfo=UTC), datetime(2026, 11, 21, tzinfo=UTC)
START = int(SINCE.timestamp())


def client(clock: FakeClock, max_time: float, retries: int = 0) -> HttpClient:
    return HttpClient(
        timeout=2, retries=retries, max_wait=5, max_time=max_time, sleep=clock.sleep, monotonic=lambda: clock.now
    )


def ticking(clock: FakeClock, handler):
    """`handler`, each answer taking 100 s of the fake clock."""

    def answer(request: Request) -> Response:
        clock.now += 100
        return handler(request)

    return answer


def stopped(url: str, max_time: int, kept: str) -> str:
    return (
        f"stopped before a request to {url}: this source's requests of the day took longer than http.max_time "
        f"({max_time} s); kept the {kept} read"
    )


def test_hugging_face_keeps_the_pages_read(httpserver):
    clock = FakeClock()
    listed = [{**item, "paper": {**item["paper"], "id": f"2611.0001{n}"}} for n, item in enumerate(HF_2026[:3])]
    daily = DailyPapers({"2026-11-20": listed})
    httpserver.expect_request("/api/daily_papers").respond_with_handler(ticking(clock, daily))
    settings = HuggingFaceSettings(api_url=httpserver.url_for("/api"), page_size=1, min_interval=0)
    found = HuggingFaceSource(settings, client(clock, 150), {}, lambda: NOW).search(SINCE, UNTIL)
    assert daily.asked() == [("2026-11-20", "1", "0"), ("2026-11-20", "1", "1")]
    assert [m.id for m in found.mentions] == ["2611.00010", "2611.00011"] and found.items == 2
    assert found.partial == stopped(httpserver.url_for("/api/daily_papers"), 150, "2 papers")


def test_hacker_news_keeps_the_windows_read(httpserver):
    clock = FakeClock()
    hits = [
        story(str(100 + n), START + 3600 * (2 + 4 * n), f"https://arxiv.org/abs/2611.{10000 + n}") for n in range(6)
    ]
    algolia = Algolia(hits)  # 6 stories, 4 an answer: the day is halved, the newer half read first
    httpserver.expect_request("/api/v1/search_by_date").respond_with_handler(ticking(clock, algolia))
    settings = HackerNewsSettings(api_url=httpserver.url_for("/api/v1"), hits_per_page=4, min_interval=0)
    found = HackerNewsSource(settings, client(clock, 150), {}, lambda: NOW).search(SINCE, UNTIL)
    assert algolia.windows() == [(START, START + 86400), (START + 43200, START + 86400)]
    assert sorted(m.id for m in found.mentions) == ["103", "104", "105"] and found.items == 3
    assert found.partial == stopped(httpserver.url_for("/api/v1/search_by_date"), 150, "3 stories")


def test_bluesky_keeps_the_pages_read(httpserver):
    clock = FakeClock()
    fake = FakeBluesky(
        pages={
            None: {"posts": [post("a1", facets=("https://arxiv.org/abs/2611.00001",))], "cursor": "1"},
            "1": {"posts": [post("a2", facets=("https://arxiv.org/abs/2611.00002",))], "cursor": "2"},
            "2": {"posts": [post("a3", facets=("https://arxiv.org/abs/2611.00003",))]},
        }
    )
    fake.search = ticking(clock, fake.search)  # type: ignore[method-assign]
    fake.serve(httpserver)
    settings = msgspec.convert(
        {"api_url": httpserver.url_for("/xrpc"), "oembed_url": httpserver.url_for("/oembed")}, BlueskySettings
    )
    environ = {"BSKY_HANDLE": HANDLE, "BSKY_APP_PASSWORD": PASSWORD}
    found = BlueskySource(settings, client(clock, 150), environ, lambda: NOW).search(SINCE, UNTIL)
    assert [s.get("cursor") for s in fake.of("searchPosts")] == [None, "1"]
    assert len(found.mentions) == 2 and found.items == 2
    assert found.partial == stopped(httpserver.url_for("/xrpc/app.bsky.feed.searchPosts"), 150, "2 posts")


def test_a_search_that_read_nothing_still_fails(httpserver):
    """The first page's retry comes after http.max_time: nothing was read."""
    clock = FakeClock()
    down = ticking(clock, lambda request: Response("Service Unavailable", 503))
    httpserver.expect_request("/api/daily_papers").respond_with_handler(down)
    settings = HuggingFaceSettings(api_url=httpserver.url_for("/api"), min_interval=0)
    with pytest.raises(OutOfTimeError, match=r"http\.max_time \(50 s\)$"):
        HuggingFaceSource(settings, client(clock, 50, retries=1), {}, lambda: NOW).search(SINCE, UNTIL)
