"""arXiv entries whose elements come in another shape than arXiv's: feedparser hands an
element with attributes over as a dict, and one without its expected attribute as text;
either is read as missing, never as an internal error."""

from __future__ import annotations

import time

import msgspec
import pytest
from werkzeug import Response

from fakes import atom_feed
from hotpapers.config import ArxivSettings
from hotpapers.errors import FetchError
from hotpapers.http import HttpClient
from hotpapers.sources.arxiv import fetch_papers

PAPER = {
    "id": "2009.11278",
    "title": "A title",
    "authors": ["Ada Lovelace"],
    "categories": ["cs.LG", "stat.ML"],
    "abstract": "An abstract.",
}


@pytest.mark.parametrize(
    ("element", "missing"),
    [
        ('<arxiv:comment xml:lang="en">12 pages</arxiv:comment>', "comment"),
        ("<arxiv:comment a='1'/>", "comment"),
        ('<arxiv:journal_ref a="1">J. Foo 1 (2020)</arxiv:journal_ref>', "journal_ref"),
        ('<arxiv:doi a="1">10.1000/x</arxiv:doi>', "doi"),
        ("<published a='1'/>", "published"),
    ],
    ids=["comment-with-text", "comment-empty", "journal-ref", "doi", "published"],
)
def test_an_element_with_attributes_is_read_as_missing(httpserver, element, missing):
    assert getattr(fetched(httpserver, element), missing) is None


def test_a_primary_category_as_text_leaves_the_categories_as_listed(httpserver):
    paper = fetched(httpserver, "<arxiv:primary_category>math.CO</arxiv:primary_category>", primary=False)
    assert paper.categories == ("cs.LG", "stat.ML")


def fetched(httpserver, element: str, primary: bool = True):
    body = atom_feed([PAPER], "id_list=2009.11278").decode()
    if not primary:
        body = body.replace('<arxiv:primary_category term="cs.LG"/>', "")
    if element.startswith("<published"):
        body = body.replace("<published>2020-09-23T17:59:59Z</published>", "")
    body = body.replace("</entry>", f"{element}</entry>")
    httpserver.expect_request("/api/query").respond_with_response(Response(body, 200))
    settings = msgspec.convert({"api_url": httpserver.url_for("/api/query"), "min_interval": 0}, ArxivSettings)
    result = fetch_papers(["2009.11278"], settings, HttpClient(timeout=5, retries=0, max_wait=1))
    assert result.refused == []
    [paper] = result.papers
    assert (paper.id, paper.title, paper.authors, paper.abstract) == (
        "2009.11278",
        "A title",
        ("Ada Lovelace",),
        "An abstract.",
    )
    return paper


def test_an_entry_id_of_many_lines_is_read_in_linear_time(httpserver):
    """Each `arxiv.org/abs/` before a line break in an entry's id once started a search that
    ran to that break: 112 KB took 22 s to read (a hostile answer of megabytes, hours), a
    time no http.max_time bounds. Its last line holds no id: the answer is refused, as before."""
    body = atom_feed([PAPER], "id_list=2009.11278").decode()
    body = body.replace("http://arxiv.org/abs/2009.11278v1</id>", "arxiv.org/abs/" * 8_000 + "&#10;x</id>")
    httpserver.expect_request("/api/query").respond_with_response(Response(body, 200))
    settings = msgspec.convert({"api_url": httpserver.url_for("/api/query"), "min_interval": 0}, ArxivSettings)
    start = time.monotonic()
    with pytest.raises(FetchError) as info:
        fetch_papers(["2009.11278"], settings, HttpClient(timeout=5, retries=0, max_wait=1))
    assert time.monotonic() - start < 5
    assert info.value.message.startswith("arxiv: an entry without an arXiv id: 'arxiv.org/abs/arxiv.org/abs/")


@pytest.mark.parametrize(
    ("identifier", "read"),
    [
        ("http://arxiv.org/abs/2009.11278v2\n", ("2009.11278", 2)),
        ("junk\nhttp://arxiv.org/abs/2009.11278", ("2009.11278", None)),
    ],
)
def test_an_entry_id_is_read_from_its_last_line(httpserver, identifier, read):
    body = atom_feed([PAPER], "id_list=2009.11278").decode()
    body = body.replace(
        "<id>http://arxiv.org/abs/2009.11278v1</id>", f"<id>{identifier.replace(chr(10), '&#10;')}</id>"
    )
    httpserver.expect_request("/api/query").respond_with_response(Response(body, 200))
    settings = msgspec.convert({"api_url": httpserver.url_for("/api/query"), "min_interval": 0}, ArxivSettings)
    [paper] = fetch_papers(["2009.11278"], settings, HttpClient(timeout=5, retries=0, max_wait=1)).papers
    assert (paper.id, paper.version) == read
