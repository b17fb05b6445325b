"""A server's own words quoted in a message (a cursor, a time stamp, an error's text or
name, an entry's id) are cut short: a hostile answer can make one megabytes long, and
the message is one line on a terminal and in the snapshot's status."""

from __future__ import annotations

from datetime import UTC, datetime

import msgspec
import pytest
from werkzeug import Response

from bluesky_fake import FakeBluesky, post
from hotpapers.config import ArxivSettings
from hotpapers.errors import MAX_QUOTED, FetchError
from hotpapers.http import HttpClient
from hotpapers.sources.arxiv import fetch_papers
from hotpapers.sources.twitter import parse_page
from test_bluesky import SINCE, UNTIL, source

LONG = "x" * 1_000_000
CUT = "x" * MAX_QUOTED + "…"


def test_a_repeated_cursor_is_quoted_cut_short(httpserver):
    cursor = LONG[:1024]  # the longest taken (http_json.PageToken)
    page = {"posts": [post("a1", facets=("https://arxiv.org/abs/2611.00001",))], "cursor": cursor}
    found = source(httpserver, FakeBluesky(pages={None: page, cursor: page})).search(SINCE, UNTIL)
    assert found.partial is not None and f"answered cursor '{CUT}' a second time after 2 posts" in found.partial
    assert len(found.partial) < 300


def test_a_refusals_error_name_is_cut_short(httpserver):
    login = "/xrpc/com.atproto.server.createSession"
    httpserver.expect_request(login).respond_with_json({"error": LONG}, status=401)
    with pytest.raises(FetchError) as info:
        source(httpserver, FakeBluesky()).search(SINCE, UNTIL)
    assert info.value.message.startswith(f"bluesky: the login was refused ({CUT}); check that BSKY_HANDLE")
    assert len(info.value.message) < 400


def test_a_time_stamp_in_an_unreadable_page_is_cut_short():
    data = {"meta": {}, "data": [{"id": "1", "text": "arXiv:2009.11278", "created_at": LONG}]}
    since = datetime(2020, 9, 24, tzinfo=UTC)
    with pytest.raises(ValueError, match=f"^not a time stamp with a zone: '{CUT}' - at `\\$.data\\[0\\].created_at`$"):
        parse_page(data, "2020-09-25T00:00:00Z", since, since.replace(day=25))


def arxiv_answer(entry_id: str, title: str, summary: str) -> bytes:
    return f"""<?xml version='1.0' encoding='UTF-8'?>
<feed xmlns:opensearch="http://a9.com/-/spec/opensearch/1.1/" xmlns="http://www.w3.org/2005/Atom">
  <id>https://arxiv.org/</id>
  <title>arXiv Search Results</title>
  <opensearch:totalResults>1</opensearch:totalResults>
  <entry><id>{entry_id}</id><title>{title}</title><summary>{summary}</summary></entry>
</feed>""".encode()


@pytest.mark.parametrize(
    ("status", "entry", "reason"),
    [
        (400, ("https://arxiv.org/api/errors#x", "Error", LONG), f"arXiv error: {CUT}"),
        (200, (LONG, "A title", "An abstract"), f"an entry without an arXiv id: '{CUT}'"),
    ],
    ids=["error-text", "entry-id"],
)
def test_arxivs_words_are_cut_short(httpserver, status, entry, reason):
    body = arxiv_answer(*entry)
    httpserver.expect_request("/api/query").respond_with_response(Response(body, status))
    url = httpserver.url_for("/api/query")
    settings = msgspec.convert({"api_url": url, "min_interval": 0}, ArxivSettings)
    http = HttpClient(timeout=5, retries=0, max_wait=1)
    with pytest.raises(FetchError) as info:
        fetch_papers(["2009.11278"], settings, http)
    assert info.value.message == f"arxiv: {reason} (HTTP {status} from {url})"
