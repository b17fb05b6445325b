"""A source keeps at most its share of sources.limits.MAX_MENTION_BYTES of mentions a day (their JSON, in
UTF-8 bytes): past it, it stops, keeps the mentions it had in the order its API ranks them,
and is `partial`, which the build warns of in one line; the day is still built. Before it,
what a source kept was bounded only by its page limit: Bluesky's 10,000 posts of two texts
of 32,768 characters made 625 MiB, more than a snapshot may hold (MAX_FILE_BYTES).

Each stand-in serves texts of 10,000 characters, about 10,500 bytes a mention; the limit is
lowered to 35,000 bytes, which keeps 3 of them (the real limit would need 3,200)."""

from __future__ import annotations

from datetime import UTC, datetime

import msgspec
import pytest
from click.testing import CliRunner

import hotpapers.sources.limits
from bluesky_fake import HANDLE, PASSWORD, FakeBluesky, post
from fakes import TOKEN, Recorder, example_scenario, serve_scenario, tweet
from hn_hf_fakes import HF_2026, Algolia, DailyPapers, story
from hotpapers.cli import cli
from hotpapers.http import HttpClient
from hotpapers.models import Mention, Snapshot
from hotpapers.snapshot import MAX_FILE_BYTES, dump_snapshot, load_snapshot
from hotpapers.sources import SOURCES
from hotpapers.sources.bluesky import BlueskySettings, BlueskySource
from hotpapers.sources.hackernews import HackerNewsSettings, HackerNewsSource
from hotpapers.sources.huggingface import HuggingFaceSettings, HuggingFaceSource
from hotpapers.sources.limits import MAX_MENTION_BYTES, MAX_METADATA_BYTES, MAX_TEXT, DayBudget, source_bytes
from hotpapers.sources.twitter import TwitterSettings, TwitterSource
from test_source_text_caps import huge_x_posts_and_a_story

NOW = datetime(2026, 11, 21, 8, 0, tzinfo=UTC)
SINCE, UNTIL = datetime(2026, 11, 20, tzinfo=UTC), datetime(2026, 11, 21, tzinfo=UTC)
START = int(SINCE.timestamp())
LONG = "x" * 10_000
LIMIT = 35_000


def reached(what: str) -> str:
    return f"reached the 35,000 bytes a source keeps of a day: kept the first 3 {what}, left out the rest"


@pytest.fixture
def small_budget(monkeypatch):
    monkeypatch.setattr(hotpapers.sources.limits, "MAX_MENTION_BYTES", LIMIT * len(SOURCES))


def client() -> HttpClient:
    return HttpClient(timeout=5, retries=0, max_wait=1)


def test_bluesky_stops_at_the_budget_keeping_the_first_posts(httpserver, small_budget):
    links = [f"https://arxiv.org/abs/2611.0000{n + 1}" for n in range(6)]
    posts = [post(f"p{n}", facets=(link,), text=f"{n} {LONG}") for n, link in enumerate(links)]
    fake = FakeBluesky(
        pages={
            None: {"posts": posts[:2], "cursor": "1"},
            "1": {"posts": posts[2:4], "cursor": "2"},
            "2": {"posts": posts[4:]},
        }
    )
    fake.serve(httpserver)
    settings = msgspec.convert(
        {"api_url": httpserver.url_for("/xrpc"), "oembed_url": httpserver.url_for("/oembed")}, BlueskySettings
    )
    environ = {"BSKY_HANDLE": HANDLE, "BSKY_APP_PASSWORD": PASSWORD}
    found = BlueskySource(settings, client(), environ, lambda: NOW).search(SINCE, UNTIL)
    assert [m.id.rsplit("/", 1)[1] for m in found.mentions] == ["p0", "p1", "p2"] and found.items == 4
    assert [s.get("cursor") for s in fake.of("searchPosts")] == [None, "1"]  # the third page is not asked for
    assert found.partial == reached("posts")


def test_x_stops_at_the_budget_and_reads_no_more_pages(httpserver, small_budget):
    """X bills each post read: the budget stops the search, as max_posts does."""
    scenario, recorder = example_scenario(), Recorder()
    link = "https://arxiv.org/abs/2611.00001"
    scenario.pages = [
        {
            "data": [
                tweet(f"13090000000000000{page}{n}", "7", f"{link} {LONG}", [link], "2026-11-20T12:00:00.000Z", 1, 2)
                for n in range(2)
            ],
            "includes": {"users": [{"id": "7", "username": "u", "name": "U"}]},
            "meta": {"result_count": 2, **({"next_token": f"t{page + 1}"} if page < 2 else {})},
        }
        for page in range(3)
    ]
    serve_scenario(httpserver, scenario, recorder)
    settings = msgspec.convert(
        {"api_url": httpserver.url_for("/2"), "oembed_url": httpserver.url_for("/oembed"), "page_size": 10},
        TwitterSettings,
    )
    found = TwitterSource(settings, client(), {"X_BEARER_TOKEN": TOKEN}, lambda: NOW).search(SINCE, UNTIL)
    assert [m.id for m in found.mentions] == ["1309000000000000000", "1309000000000000001", "1309000000000000010"]
    assert [query.get("next_token") for _, query, _ in recorder.of("/tweets/search/")] == [None, "t1"]
    assert (found.items, found.partial) == (4, reached("posts"))


def test_hacker_news_stops_at_the_budget_and_asks_for_no_more_windows(httpserver, small_budget):
    """8 stories, 4 an answer: the day is halved and the newer half read first; its first 3
    stories fill the budget, so the older half is never asked for."""
    hits = [
        story(str(100 + n), START + 3600 * (1 + 3 * n), f"https://arxiv.org/abs/2611.{10000 + n}", title=LONG)
        for n in range(8)
    ]
    algolia = Algolia(hits)
    httpserver.expect_request("/api/v1/search_by_date").respond_with_handler(algolia)
    settings = HackerNewsSettings(api_url=httpserver.url_for("/api/v1"), hits_per_page=4, min_interval=0)
    found = HackerNewsSource(settings, client(), {}, lambda: NOW).search(SINCE, UNTIL)
    assert algolia.windows() == [(START, START + 86400), (START + 43200, START + 86400)]
    assert [m.id for m in found.mentions] == ["107", "106", "105"]  # newest first, as Algolia ranks them
    assert (found.items, found.partial) == (4, reached("stories"))


def test_hugging_face_stops_at_the_budget_keeping_the_first_papers(httpserver, small_budget):
    listed = [
        {**item, "title": LONG, "paper": {**item["paper"], "id": f"2611.0001{n}"}} for n, item in enumerate(HF_2026[:6])
    ]
    daily = DailyPapers({"2026-11-20": listed})
    httpserver.expect_request("/api/daily_papers").respond_with_handler(daily)
    settings = HuggingFaceSettings(api_url=httpserver.url_for("/api"), page_size=2, min_interval=0)
    found = HuggingFaceSource(settings, client(), {}, lambda: NOW).search(SINCE, UNTIL)
    assert [m.id for m in found.mentions] == ["2611.00010", "2611.00011", "2611.00012"]
    assert daily.asked() == [("2026-11-20", "2", "0"), ("2026-11-20", "2", "1")]
    assert found.partial == reached("papers")


def test_a_day_whose_source_reaches_the_budget_is_built_with_a_warning(tmp_path, monkeypatch, httpserver, small_budget):
    """X sends 3 pages of 10 posts of 100,000 characters (each cut to 32,768, some 33,000
    bytes a mention): one fits in the lowered budget of 35,000 bytes. The day is written
    with it and the Hacker News story, X `partial`, and the build says so in one line."""
    recorder = huge_x_posts_and_a_story(tmp_path, monkeypatch, httpserver)
    result = CliRunner().invoke(cli, ["build", "--date", "2020-09-24"])
    assert result.exit_code == 0, result.output
    why = "reached the 35,000 bytes a source keeps of a day: kept the first 1 post, left out the rest"
    assert f"2020-09-24: twitter: {why}\n" in result.output
    snapshot = load_snapshot(tmp_path / "data/snapshots/2020-09-24.json")
    assert [m.id for m in snapshot.mentions if m.platform == "twitter"] == ["1309000000000000000"]
    assert [m.id for m in snapshot.mentions if m.platform == "hackernews"] == ["24578001"]
    assert (snapshot.sources["twitter"].status, snapshot.sources["twitter"].detail) == ("partial", why)
    assert snapshot.sources["hackernews"].status == "ok" and len(recorder.of("/tweets/search/")) == 1
    assert (tmp_path / "content/posts/2020-09-24---Hot-Papers.md").is_file()


def mention(n: int, text: str | None = None, paper_ids: tuple[str, ...] = ("0704.0001",)) -> Mention:
    return Mention(
        platform="hackernews",
        id=str(n),
        url=f"https://news.ycombinator.com/item?id={n}",
        paper_ids=paper_ids,
        reposts=0,
        likes=0,
        observed_at="2026-11-21T08:00:00Z",
        text=text,
    )


def test_the_budget_is_in_bytes_and_all_sources_at_it_fill_half_a_snapshot():
    """The real limit: texts of MAX_TEXT characters of 4 bytes each (an emoji) fill it in a
    quarter as many mentions as ASCII ones would. The snapshot file holds a mention in at most
    twice its JSON's bytes, even one of a thousand short ids or of no text (its indentation),
    so every shipped source at the limit takes at most half of MAX_FILE_BYTES."""
    heavy = mention(0, "😀" * MAX_TEXT)
    size = len(msgspec.json.encode(heavy))
    assert size > 4 * MAX_TEXT
    budget, found = DayBudget(), {}
    n = 0
    while budget.keep(found, msgspec.structs.replace(heavy, id=str(n))):
        n += 1
    assert len(found) == source_bytes() // size and budget.used <= source_bytes() == 32 * 2**20
    assert not budget.keep(found, mention(10**6))  # nothing more once full, however small
    shapes = [mention(n) for n in range(1000)] + [mention(1000, "x", tuple(f"0704.{n:04d}" for n in range(1, 1001)))]
    day = Snapshot(date="2026-11-20", taken_at="2026-11-21T08:00:00Z", papers=(), mentions=tuple(shapes))
    empty = Snapshot(date="2026-11-20", taken_at="2026-11-21T08:00:00Z", papers=(), mentions=())
    in_file = len(dump_snapshot(day).encode()) - len(dump_snapshot(empty).encode())
    assert in_file <= 2 * sum(len(msgspec.json.encode(m)) for m in shapes)
    assert 2 * MAX_MENTION_BYTES <= MAX_FILE_BYTES // 2


def test_a_source_added_takes_its_room_in_a_snapshot_from_the_others(monkeypatch):
    """Each source kept 32 MiB a day, whatever their number: a fifth source took the
    snapshot's room at the limits past the three quarters left beside the embeds, and its
    author had to lower the limit (docs/sources.md said so), where adding a source is to be
    a module and a registry line."""
    monkeypatch.setitem(SOURCES, "fifth", SOURCES["hackernews"])
    assert DayBudget().limit == source_bytes() == MAX_MENTION_BYTES // 5
    assert len(SOURCES) * 2 * DayBudget().limit + 4 * MAX_METADATA_BYTES <= MAX_FILE_BYTES * 3 // 4
