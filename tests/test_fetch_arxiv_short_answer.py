"""An arXiv answer holding fewer entries than its opensearch:totalResults counts (arXiv's
API now and then sends such a page: lukasschwab/arxiv.py#43) is asked again once: the
papers it left out were recorded as unknown ids, never asked for again, and missing from
the day's post for good. An answer counting no more than it holds (an id arXiv does not
have: totalResults 0, as recorded) is not asked again; answers holding none of two or
more ids are a failure."""

from __future__ import annotations

import msgspec
import pytest
from werkzeug import Request, Response

from fakes import atom_feed
from hotpapers.config import ArxivSettings
from hotpapers.errors import FetchError
from hotpapers.http import HttpClient
from hotpapers.sources.arxiv import A_KNOWN_PAPER, fetch_papers


def paper(paper_id: str) -> dict:
    return {"id": paper_id, "title": f"Paper {paper_id}", "authors": ["Ada"], "categories": ["cs.LG"], "abstract": "A."}


KNOWN = ["2009.00001", "2009.00002", "2009.00003"]


def arxiv(httpserver, short_answers: int):
    """A stand-in knowing KNOWN, whose first `short_answers` answers hold only the first
    paper asked for while counting every known one."""
    asked: list[list[str]] = []

    def answer(request: Request) -> Response:
        ids = request.args["id_list"].split(",")
        asked.append(ids)
        papers = [paper(i) for i in ids if i in KNOWN]
        body = atom_feed(papers[:1] if len(asked) <= short_answers else papers, request.args["id_list"])
        if len(asked) <= short_answers:
            body = body.replace(b"<opensearch:totalResults>1<", f"<opensearch:totalResults>{len(papers)}<".encode())
        return Response(body, 200, content_type="application/atom+xml")

    httpserver.expect_request("/api/query").respond_with_handler(answer)
    settings = msgspec.convert({"api_url": httpserver.url_for("/api/query"), "min_interval": 0}, ArxivSettings)
    return settings, HttpClient(timeout=5, retries=0, max_wait=1), asked


def test_a_short_answer_is_asked_again_and_its_papers_kept(httpserver):
    settings, http, asked = arxiv(httpserver, short_answers=1)
    result = fetch_papers([*KNOWN, "2009.99999"], settings, http)
    assert [p.id for p in result.papers] == KNOWN
    assert asked == [[*KNOWN, "2009.99999"]] * 2


def test_an_answer_short_twice_is_taken_as_it_is(httpserver):
    settings, http, asked = arxiv(httpserver, short_answers=5)
    assert [p.id for p in fetch_papers(KNOWN, settings, http).papers] == KNOWN[:1]
    assert len(asked) == 2


def test_ids_arxiv_does_not_have_are_asked_once(httpserver):
    settings, http, asked = arxiv(httpserver, short_answers=0)
    assert fetch_papers(["2009.99999"], settings, http).papers == []
    assert [p.id for p in fetch_papers([*KNOWN, "2009.99998", "2009.99999"], settings, http).papers] == KNOWN
    assert asked == [["2009.99999"], [*KNOWN, "2009.99998", "2009.99999"]]


def test_answers_holding_none_of_several_ids_are_a_failure(httpserver):
    """arXiv answered one night with no entry and totalResults 0 for a day's six ids: they
    were recorded as ids it does not have, never asked for again, arXiv as ok, and the day
    had no post for good while `-q build` said nothing and check passed (a simulated month
    of nights). When arXiv then lacks a paper it has, that is a failure, which the snapshot
    records and a later build fetches again."""
    settings, http, asked = arxiv(httpserver, short_answers=0)
    with pytest.raises(FetchError, match=r"^arxiv: answered that it has none of the 2 ids asked for \(2009\.99998, "):
        fetch_papers(["2009.99998", "2009.99999"], settings, http)
    assert asked == [["2009.99998", "2009.99999"], [A_KNOWN_PAPER]]


def test_ids_arxiv_lacks_while_it_has_a_known_paper_are_unknown(httpserver):
    """A day (or a repair) whose ids are all typos, or a story of bogus ids and nothing else,
    failed arXiv every night though it had answered."""
    asked: list[str] = []

    def answer(request: Request) -> Response:
        asked.append(request.args["id_list"])
        papers = [paper(A_KNOWN_PAPER)] if request.args["id_list"] == A_KNOWN_PAPER else []
        return Response(atom_feed(papers, request.args["id_list"]), 200, content_type="application/atom+xml")

    httpserver.expect_request("/api/query").respond_with_handler(answer)
    settings = msgspec.convert({"api_url": httpserver.url_for("/api/query"), "min_interval": 0}, ArxivSettings)
    result = fetch_papers(["2009.99998", "2009.99999"], settings, HttpClient(timeout=5, retries=0, max_wait=1))
    assert result.papers == [] and asked == ["2009.99998,2009.99999", A_KNOWN_PAPER]


def test_asking_a_short_answer_again_loses_none_of_its_papers(httpserver):
    """The second answer is short too, with another paper, or fails (a 503): the papers of
    the first are kept, as they were before it was asked again."""
    answers = [[KNOWN[0]], [KNOWN[1]]]

    def answer(request: Request) -> Response:
        if not answers:
            return Response("busy", 503)
        body = atom_feed([paper(i) for i in answers.pop(0)], request.args["id_list"])
        body = body.replace(b"<opensearch:totalResults>1<", f"<opensearch:totalResults>{len(KNOWN)}<".encode())
        return Response(body, 200, content_type="application/atom+xml")

    httpserver.expect_request("/api/query").respond_with_handler(answer)
    settings = msgspec.convert({"api_url": httpserver.url_for("/api/query"), "min_interval": 0}, ArxivSettings)
    http = HttpClient(timeout=5, retries=0, max_wait=1)
    assert [p.id for p in fetch_papers(KNOWN, settings, http).papers] == KNOWN[:2]
    answers.append([KNOWN[2]])
    assert [p.id for p in fetch_papers(KNOWN, settings, http).papers] == KNOWN[2:]


def test_an_answer_cut_off_mid_feed_fails_instead_of_leaving_its_papers_unknown(httpserver):
    """A 200 whose XML stops after its first entry (cut by a proxy, its Content-Length that of
    what was sent): feedparser's lenient parser read the entries before the cut, and the
    papers after it were recorded as ids arXiv does not have, never asked for again and
    missing from the day's post for good, the snapshot saying arXiv was ok. It is a
    failed answer now, which the snapshot records and a later night fetches again."""
    asked: list[str] = []

    def answer(request: Request) -> Response:
        asked.append(request.args["id_list"])
        body = atom_feed([paper(i) for i in KNOWN], request.args["id_list"])
        second = body.index(b"<entry>", body.index(b"<entry>") + 1)
        return Response(body[:second], 200, content_type="application/atom+xml")

    httpserver.expect_request("/api/query").respond_with_handler(answer)
    settings = msgspec.convert({"api_url": httpserver.url_for("/api/query"), "min_interval": 0}, ArxivSettings)
    with pytest.raises(FetchError, match=r"^arxiv: not a whole arXiv Atom feed \(XML error at line \d+: "):
        fetch_papers(KNOWN, settings, HttpClient(timeout=5, retries=0, max_wait=1))
    assert asked == [",".join(KNOWN)]


@pytest.mark.parametrize("extra", ["2009.00001", "2009.77777"], ids=["an id twice", "an id not asked for"])
def test_an_answer_short_of_ids_asked_though_as_long_as_counted_is_asked_again(httpserver, extra):
    """Asked for the three KNOWN ids, arXiv's first answer holds the first two and `extra`,
    a duplicate entry or a paper not asked for, and counts 3: three entries for three ids
    asked seemed whole, so the third, never asked again, was recorded as an id arXiv does
    not have, and missing from the day for good."""
    asked: list[list[str]] = []

    def answer(request: Request) -> Response:
        ids = request.args["id_list"].split(",")
        asked.append(ids)
        papers = [paper(i) for i in ([*ids[:2], extra] if len(asked) == 1 else ids)]
        return Response(atom_feed(papers, request.args["id_list"]), 200, content_type="application/atom+xml")

    httpserver.expect_request("/api/query").respond_with_handler(answer)
    settings = msgspec.convert({"api_url": httpserver.url_for("/api/query"), "min_interval": 0}, ArxivSettings)
    result = fetch_papers(KNOWN, settings, HttpClient(timeout=5, retries=0, max_wait=1))
    assert [p.id for p in result.papers] == KNOWN
    assert asked == [KNOWN, KNOWN]
