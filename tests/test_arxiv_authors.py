"""A paper keeps at most sources.limits.MAX_AUTHORS authors: the longest real lists (ATLAS
and CMS, some 3,000; their combined paper, 5,154) are kept whole, and an absurd one, which
an answer of http.max_bytes may hold by the hundred thousand, ends in "…" after the first
MAX_AUTHORS - 1, with a warning naming the paper."""

from __future__ import annotations

import logging

import msgspec
from werkzeug import Response

import hotpapers.sources.limits
from fakes import atom_feed
from hotpapers.config import ArxivSettings
from hotpapers.http import HttpClient
from hotpapers.models import Paper
from hotpapers.sources.arxiv import MAX_FEED_ELEMENTS, fetch_papers
from hotpapers.sources.limits import MAX_AUTHORS, kept


def paper(paper_id: str, authors: int) -> dict:
    return {
        "id": paper_id,
        "title": f"A paper of {authors} authors",
        "authors": [f"Author {n}" for n in range(authors)],
        "categories": ["hep-ex"],
        "abstract": "An abstract.",
    }


def test_an_absurd_list_of_authors_is_cut_and_a_long_real_one_kept(httpserver, monkeypatch, caplog):
    """Over HTTP from a stand-in of arXiv's API, the limit lowered to 100 (the real one
    needs answers of megabytes): 100 authors are kept whole, 250 cut to 99 and "…"."""
    monkeypatch.setattr(hotpapers.sources.limits, "MAX_AUTHORS", 100)
    papers = [paper("1503.07589", 100), paper("2009.11243", 250)]
    body = atom_feed(papers, "id_list=1503.07589,2009.11243")
    httpserver.expect_request("/api/query").respond_with_response(Response(body, 200))
    settings = msgspec.convert({"api_url": httpserver.url_for("/api/query"), "min_interval": 0}, ArxivSettings)
    with caplog.at_level(logging.WARNING, logger="hotpapers"):
        result = fetch_papers(["1503.07589", "2009.11243"], settings, HttpClient(timeout=5, retries=0, max_wait=1))
    whole, cut = result.papers
    assert whole.authors == tuple(f"Author {n}" for n in range(100))
    assert cut.authors == (*(f"Author {n}" for n in range(99)), "…")
    assert (cut.id, cut.title, cut.categories, result.refused) == (
        "2009.11243",
        "A paper of 250 authors",
        ("hep-ex",),
        [],
    )
    assert [r.getMessage() for r in caplog.records] == [
        "arxiv: 2009.11243 lists 250 authors, more than any real paper; kept the first 99 and an ellipsis (of 100 at most)"
    ]


def test_the_limit_keeps_the_longest_real_list_and_is_below_what_an_answer_may_hold():
    """ATLAS and CMS's combined Higgs boson mass paper (arXiv:1503.07589) lists 5,154
    authors: kept whole. An answer may hold MAX_FEED_ELEMENTS elements, four for each
    author (`<author><name>A</name></author>`): the limit is below what it may name."""
    real = Paper(
        id="1503.07589",
        title="Combined Measurement of the Higgs Boson Mass",
        authors=tuple(f"Author {n}" for n in range(5154)),
        categories=("hep-ex",),
        abstract="",
        abs_url="https://arxiv.org/abs/1503.07589",
        pdf_url=None,
    )
    assert kept(real) == real
    absurd = msgspec.structs.replace(real, authors=tuple(f"A{n}" for n in range(MAX_AUTHORS + 1)))
    assert kept(absurd).authors == (*absurd.authors[: MAX_AUTHORS - 1], "…")
    assert 5154 < MAX_AUTHORS < MAX_FEED_ELEMENTS // 4
