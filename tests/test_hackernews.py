"""Hacker News through a local stand-in of Algolia's HN search, serving hits in the
shape of the real answer in fixtures/real-api/hn_algolia_search_url_restrict_2020_pretty.json."""

from __future__ import annotations

import json
import time
from datetime import UTC, datetime

import pytest
from werkzeug import Request, Response

from conftest import make_config
from hn_hf_fakes import HN_RECORDED, Algolia, story
from hotpapers.errors import ConfigError, FetchError
from hotpapers.http import HttpClient
from hotpapers.sources.hackernews import HackerNewsSettings, HackerNewsSource, parse_page

SINCE, UNTIL = datetime(2020, 9, 24, tzinfo=UTC), datetime(2020, 9, 25, tzinfo=UTC)
START = 1600905600
"""2020-09-24T00:00:00Z in epoch seconds."""
NOW = datetime(2020, 9, 25, 8, 0, 0, tzinfo=UTC)


def modern(object_id: str, at: int, url: str) -> dict:
    """A hit in the current (2024+) shape: no nulls, no relevancy_score; children, story_id, updated_at."""
    hit = {
        "_highlightResult": {"url": {"value": url, "matchLevel": "full", "matchedWords": ["arxiv", "org"]}},
        "_tags": ["story", f"author_u{object_id}", f"story_{object_id}"],
        "author": f"u{object_id}",
        "children": [int(object_id) + 1],
        "created_at": datetime.fromtimestamp(at, UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "created_at_i": at,
        "num_comments": 1,
        "objectID": object_id,
        "points": 2,
        "story_id": int(object_id),
        "title": f"Paper {object_id}",
        "updated_at": "2020-09-25T07:00:00Z",
        "url": url,
    }
    return hit


def source(httpserver, handler, **settings) -> HackerNewsSource:
    httpserver.expect_request("/api/v1/search_by_date").respond_with_handler(handler)
    http = HttpClient(timeout=2, retries=1, max_wait=5, backoff=0.01, sleep=lambda seconds: None)
    return HackerNewsSource(
        HackerNewsSettings(api_url=httpserver.url_for("/api/v1"), **settings), http, {}, lambda: NOW
    )


def test_the_recorded_answer_parses_and_links_no_paper():
    page = parse_page(HN_RECORDED, "2020-09-25T08:00:00Z", 0, 2**31)
    assert (page.mentions, page.hits, page.complete) == ([], 4, True)


def test_one_request_per_day_with_the_documented_parameters(httpserver):
    algolia = Algolia([story("24578000", START + 3600, "https://arxiv.org/abs/2009.11243")])
    found = source(httpserver, algolia).search(SINCE, UNTIL)
    [(path, query, _)] = algolia.recorder.calls
    assert path == "/api/v1/search_by_date"
    assert query == {
        "query": "arxiv.org",
        "tags": "story",
        "restrictSearchableAttributes": "url,story_text",
        "numericFilters": "created_at_i>=1600905600,created_at_i<1600992000",
        "hitsPerPage": "1000",
    }
    assert (found.items, found.partial, found.query) == (1, None, "arxiv.org")
    assert found.endpoint == httpserver.url_for("/api/v1/search_by_date")


def test_duplicate_submissions_of_one_paper_are_two_mentions(httpserver):
    algolia = Algolia(
        [
            story("24578001", START + 36000, "https://arxiv.org/abs/2009.11243", points=120, comments=45),
            story("24579999", START + 72000, "https://arxiv.org/pdf/2009.11243v2.pdf", points=3, comments=0),
        ]
    )
    found = source(httpserver, algolia).search(SINCE, UNTIL)
    by_id = {m.id: m for m in found.mentions}
    assert sorted(by_id) == ["24578001", "24579999"]
    first = by_id["24578001"]
    assert first.platform == "hackernews"
    assert first.url == "https://news.ycombinator.com/item?id=24578001"
    assert first.paper_ids == ("2009.11243",) and by_id["24579999"].paper_ids == ("2009.11243",)
    assert (first.likes, first.replies, first.reposts, first.quotes) == (120, 45, 0, None)
    assert (by_id["24579999"].likes, by_id["24579999"].replies) == (3, 0)
    assert (first.text, first.author_handle) == ("Story 24578001", "user24578001")
    assert first.created_at == "2020-09-24T10:00:00Z"
    assert first.observed_at == "2020-09-25T08:00:00Z"


def test_ask_hn_finds_the_papers_in_its_html_escaped_text(httpserver):
    ask = story(
        "24580000",
        START + 100,
        None,
        title="Ask HN: Has anyone reproduced this?",
        story_text=(
            'Two papers: <a href="https:&#x2F;&#x2F;arxiv.org&#x2F;abs&#x2F;2009.11094v2" rel="nofollow">'
            "https:&#x2F;&#x2F;arxiv.org&#x2F;abs&#x2F;2009.11094v2</a> and (see arXiv:2009.11027).<p>Thoughts?"
        ),
        _tags=["story", "author_asker", "story_24580000", "ask_hn"],
    )
    del ask["url"]
    found = source(httpserver, Algolia([ask])).search(SINCE, UNTIL)
    [mention] = found.mentions
    assert mention.paper_ids == ("2009.11094", "2009.11027")
    assert mention.text == "Ask HN: Has anyone reproduced this?"


def test_a_story_text_full_of_unclosed_tags_is_read_in_linear_time(httpserver):
    """Each `<` with no `>` after it once started a search for its end that ran to the end
    of the text: 150,000 of them took 20 s (a hostile answer of megabytes, hours), a time
    no http.max_time bounds."""
    ask = story("24580000", START + 100, None, story_text="arXiv:2009.11027 " + "<" * 150_000)
    del ask["url"]
    start = time.monotonic()
    found = source(httpserver, Algolia([ask])).search(SINCE, UNTIL)
    assert time.monotonic() - start < 5
    assert [mention.paper_ids for mention in found.mentions] == [("2009.11027",)]


def test_the_current_hit_shape_reads_too(httpserver):
    found = source(httpserver, Algolia([modern("24581000", START + 5, "https://www.arxiv.org/abs/2009.11278")])).search(
        SINCE, UNTIL
    )
    [mention] = found.mentions
    assert (mention.id, mention.paper_ids, mention.likes, mention.replies) == ("24581000", ("2009.11278",), 2, 1)


def test_links_that_are_no_arxiv_paper_are_ignored(httpserver):
    algolia = Algolia(
        [
            story("1", START + 1, "https://arxiv.org/list/cs.LG/recent"),
            story("2", START + 2, "https://arxiv.org/abs/2013.12345"),
            story("3", START + 3, "https://arxiv.org/abs/2009.1124"),
            story("4", START + 4, "https://example.com/?ref=arxiv.org/abs/2009.11243"),
            story("5", START + 5, "https://arxiv.org/abs/2009.11243"),
        ]
    )
    found = source(httpserver, algolia).search(SINCE, UNTIL)
    assert [m.id for m in found.mentions] == ["5"]
    assert found.items == 5


def test_a_story_outside_the_window_is_ignored_even_when_the_server_sends_it(httpserver):
    late = story("7", START + 86400, "https://arxiv.org/abs/2009.11243")

    def careless(request: Request) -> Response:
        return Response(json.dumps({"hits": [late], "nbHits": 1}), content_type="application/json")

    assert source(httpserver, careless).search(SINCE, UNTIL).mentions == []


def test_a_day_with_more_stories_than_one_answer_holds_is_split_in_halves(httpserver):
    hits = [
        modern(str(30000000 + n), START + n * 57, f"https://arxiv.org/abs/2009.{10000 + n:05d}") for n in range(1500)
    ]
    algolia = Algolia(hits)
    found = source(httpserver, algolia).search(SINCE, UNTIL)
    middle = START + 43200
    assert algolia.windows() == [(START, START + 86400), (middle, START + 86400), (START, middle)]
    assert len(found.mentions) == 1500 and len({m.id for m in found.mentions}) == 1500
    assert (found.items, found.partial) == (1500, None)


def test_splitting_recurses_only_where_needed(httpserver):
    hours = (13, 19, 20, 22, 23)
    crowded = [
        story(str(100 + n), START + h * 3600, f"https://arxiv.org/abs/2009.{11000 + n}") for n, h in enumerate(hours)
    ]
    quiet = [story("99", START + 10, "https://arxiv.org/abs/2009.11243")]
    algolia = Algolia(crowded + quiet)
    found = source(httpserver, algolia, hits_per_page=4).search(SINCE, UNTIL)
    day, half, quarter = 86400, 43200, 21600
    assert algolia.windows() == [
        (START, START + day),
        (START + half, START + day),
        (START + half + quarter, START + day),
        (START + half, START + half + quarter),
        (START, START + half),
    ]
    assert sorted(m.id for m in found.mentions) == ["100", "101", "102", "103", "104", "99"]
    assert found.partial is None


def test_splitting_is_bounded_and_the_search_says_it_is_partial(httpserver):
    same_second = [story(str(200 + n), START + 500, f"https://arxiv.org/abs/2009.{11000 + n}") for n in range(5)]
    algolia = Algolia(same_second)
    found = source(httpserver, algolia, hits_per_page=4, max_depth=2).search(SINCE, UNTIL)
    assert len(algolia.windows()) == 1 + 2 + 2
    assert len(found.mentions) == 4


@pytest.mark.parametrize("max_depth", [0, 3])
def test_a_window_that_never_fits_costs_at_most_the_page_limit(httpserver, max_depth):
    """Every answer says it holds only part of its window: each is halved down to max_depth."""
    spread = [story(str(200 + n), START + n * 2000, f"https://arxiv.org/abs/2009.{11000 + n}") for n in range(40)]
    algolia = Algolia(spread)
    hn = source(httpserver, algolia, hits_per_page=1, max_depth=max_depth)
    found = hn.search(SINCE, UNTIL)
    assert len(algolia.windows()) == hn.page_limit().pages == 2 ** (max_depth + 1) - 1
    assert found.partial is not None
    assert found.partial is not None and "sources.hackernews.max_depth" in found.partial


def test_a_failing_server_is_one_line_and_exit_1(httpserver):
    hn = source(httpserver, lambda request: Response("upstream error", 502))
    with pytest.raises(FetchError) as failure:
        hn.search(SINCE, UNTIL)
    assert failure.value.exit_code == 1
    message = failure.value.format_message()
    assert "\n" not in message and message.startswith("hackernews: HTTP 502 from ")
    assert "search_by_date" in message


@pytest.mark.parametrize(
    ("change", "place"),
    [
        ({"points": "12"}, "$.hits[0].points"),
        ({"num_comments": -1}, "$.hits[0].num_comments"),
        ({"objectID": 24578001}, "$.hits[0].objectID"),
        ({"objectID": "9" * 20}, "$.hits[0].objectID"),  # an id of 100,000 digits made a post's link 100 KB long
        ({"created_at_i": 10**12}, "$.hits[0].created_at_i"),
    ],
)
def test_a_wrong_shape_fails_in_one_line_naming_the_place_and_endpoint(httpserver, change, place):
    hit = {**story("24578001", START + 1, "https://arxiv.org/abs/2009.11243"), **change}
    hn = source(httpserver, lambda request: Response(json.dumps({"hits": [hit], "nbHits": 1})))
    with pytest.raises(FetchError) as failure:
        hn.search(SINCE, UNTIL)
    message = failure.value.format_message()
    assert "\n" not in message and place in message
    assert httpserver.url_for("/api/v1/search_by_date") in message


def test_no_credentials_no_embeds_and_a_plan_that_calls_nothing(httpserver):
    algolia = Algolia([])
    hn = source(httpserver, algolia)
    assert hn.missing_credentials() is None
    assert hn.embeds([]) is None
    assert "search_by_date" in hn.plan(SINCE, UNTIL) and "'arxiv.org'" in hn.plan(SINCE, UNTIL)
    assert algolia.recorder.calls == []


def test_the_config_reads_sources_hackernews_and_refuses_a_bad_value():
    settings = make_config(sources={"hackernews": {"max_depth": 2, "query": "arxiv.org/abs"}}).sources["hackernews"]
    assert settings == HackerNewsSettings(max_depth=2, query="arxiv.org/abs")
    assert make_config().sources["hackernews"].api_url == "https://hn.algolia.com/api/v1"
    with pytest.raises(
        ConfigError, match=r"sources\.hackernews\.hits_per_page: expected an integer <= 1000 \(got 5000\)"
    ):
        make_config(sources={"hackernews": {"hits_per_page": 5000}})


def test_an_answer_of_more_hits_than_asked_for_fails_in_one_line(httpserver):
    """Algolia sends at most `hitsPerPage` hits; a server that sent a million tiny ones in
    an answer made a build hold gigabytes and write a snapshot of hundreds of megabytes."""
    hits = [story(str(24578000 + n), START + n, f"https://arxiv.org/abs/2009.{11243 + n}") for n in range(3)]
    hn = source(httpserver, lambda request: Response(json.dumps({"hits": hits, "nbHits": 3})), hits_per_page=2)
    with pytest.raises(FetchError) as failure:
        hn.search(SINCE, UNTIL)
    assert failure.value.format_message() == (
        f"hackernews: unreadable search answer from {httpserver.url_for('/api/v1/search_by_date')} "
        "(3 hits, more than the 2 asked for - at `$.hits`)"
    )
