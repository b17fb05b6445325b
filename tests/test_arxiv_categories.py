"""A paper keeps at most sources.limits.MAX_CATEGORIES (200) categories: no real paper lists
more than arXiv's taxonomy holds, and a list as long as its limit is kept whole; a longer
one, which an answer of http.max_bytes may hold by the hundred thousand, keeps its first
199, the primary category first, and ends in "…", with a warning naming the paper. Served
over HTTP by a stand-in of arXiv's API answering a real recording with categories added."""

from __future__ import annotations

import logging
from pathlib import Path

import msgspec
from werkzeug import Response

from hotpapers.config import ArxivSettings
from hotpapers.http import HttpClient
from hotpapers.sources.arxiv import fetch_papers

RECORDED = Path(__file__).parent / "fixtures/real-api/arxiv_new_id_1605.08386_multicat.xml"
"""1605.08386, primary category math.CO, cross-listed in math.ST."""
SCHEME = 'scheme="http://arxiv.org/schemas/atom"'


def fetched(httpserver, added: list[str]):
    """1605.08386 as arXiv's stand-in sends it with the categories `added` after its own two."""
    body = RECORDED.read_text(encoding="utf-8")
    own = f'<category term="math.ST" {SCHEME}/>'
    more = "".join(f'\n    <category term="{term}" {SCHEME}/>' for term in added)
    httpserver.expect_request("/api/query").respond_with_response(
        Response(body.replace(own, own + more), 200, content_type="application/atom+xml; charset=utf-8")
    )
    settings = msgspec.convert({"api_url": httpserver.url_for("/api/query"), "min_interval": 0}, ArxivSettings)
    result = fetch_papers(["1605.08386"], settings, HttpClient(timeout=5, retries=0, max_wait=1))
    [paper] = result.papers
    assert (paper.title, paper.authors, result.refused) == (
        "Heat-bath random walks with Markov bases",
        ("Caprice Stanley", "Tobias Windisch"),
        [],
    )
    return paper


def test_a_paper_keeps_200_categories_and_of_a_longer_list_its_first_199_and_an_ellipsis(httpserver, caplog):
    """200 categories are kept whole. Of 300, math.CO (the primary), math.ST, then x.c000 to
    x.c297, those kept are math.CO, math.ST and x.c000 to x.c196 (199 in all), then "…"."""
    with caplog.at_level(logging.WARNING, logger="hotpapers"):
        whole = fetched(httpserver, [f"x.c{n:03d}" for n in range(198)])
        assert caplog.records == []
        httpserver.clear()
        cut = fetched(httpserver, [f"x.c{n:03d}" for n in range(298)])
    assert whole.categories == ("math.CO", "math.ST", *(f"x.c{n:03d}" for n in range(198)))
    assert cut.categories == ("math.CO", "math.ST", *(f"x.c{n:03d}" for n in range(197)), "…")
    assert len(whole.categories) == len(cut.categories) == 200
    assert [r.getMessage() for r in caplog.records] == [
        "arxiv: 1605.08386 lists 300 categories, more than any real paper; kept the first 199 and an ellipsis "
        "(of 200 at most)"
    ]
