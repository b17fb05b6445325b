"""An id arXiv refuses as malformed is left out of its batch, which is asked again, so the
batch's other papers keep their metadata: the error feed names the id (the current API
with HTTP 400, the legacy one with 200), and one post linking such an id failed the day."""

from __future__ import annotations

import msgspec
import pytest
from werkzeug import Request, Response

from conftest import FIXTURES
from fakes import atom_feed
from hotpapers.config import ArxivSettings
from hotpapers.errors import FetchError
from hotpapers.http import HttpClient
from hotpapers.sources.arxiv import fetch_papers

REAL = FIXTURES / "real-api"
PAPER = {"id": "2009.11278", "title": "A title", "authors": ["Ada"], "categories": ["cs.LG"], "abstract": "A."}
REFUSED = "foo/9901001"
"""An id of the old style whose archive arXiv has never had."""


def arxiv(
    httpserver, refuses: str, error: str = "arxiv_new_error_bad_id_http400.xml", status: int = 400, malformed=(REFUSED,)
):
    """A stand-in answering with the recorded error feed, naming `refuses` (else the first of
    the `malformed` ids asked for), when asked for one of `malformed`."""
    named = b"1234.12345" if "legacy" in error else b"abc"
    asked: list[list[str]] = []

    def answer(request: Request) -> Response:
        ids = request.args["id_list"].split(",")
        asked.append(ids)
        if bad := [paper_id for paper_id in ids if paper_id in malformed]:
            refusal = (REAL / error).read_bytes().replace(named, (refuses or bad[0]).encode())
            return Response(refusal, status, content_type="application/atom+xml")
        return Response(atom_feed([PAPER] if PAPER["id"] in ids else [], request.args["id_list"]), 200)

    httpserver.expect_request("/api/query").respond_with_handler(answer)
    settings = msgspec.convert({"api_url": httpserver.url_for("/api/query"), "min_interval": 0}, ArxivSettings)
    return settings, HttpClient(timeout=5, retries=0, max_wait=1), asked


@pytest.mark.parametrize(
    ("error", "status"),
    [("arxiv_new_error_bad_id_http400.xml", 400), ("arxiv_legacy_error_docs_example.xml", 200)],
    ids=["current-400", "legacy-200"],
)
def test_an_id_arxiv_refuses_is_left_out_and_the_rest_asked_again(httpserver, error, status):
    settings, http, asked = arxiv(httpserver, REFUSED, error, status)
    result = fetch_papers([REFUSED, "2009.11278"], settings, http)
    assert [paper.id for paper in result.papers] == ["2009.11278"] and result.refused == []
    assert asked == [[REFUSED, "2009.11278"], ["2009.11278"]]  # in the order given


def test_a_batch_of_refused_ids_only_ends_without_papers(httpserver):
    settings, http, asked = arxiv(httpserver, REFUSED)
    assert fetch_papers([REFUSED], settings, http).papers == []
    assert asked == [[REFUSED]]


def test_ids_arxiv_refuses_as_malformed_are_no_empty_answer(httpserver):
    """Two ids arXiv called malformed, and nothing else asked for, failed arXiv as an empty
    answer ('has none of the 2 ids asked for'), each night again, though arXiv had said
    what was wrong with each; ids it answered nothing for still fail it."""
    other = "bar/9901002"
    settings, http, asked = arxiv(httpserver, "", malformed=(REFUSED, other))
    assert fetch_papers([REFUSED, other], settings, http).papers == []
    assert asked == [[REFUSED, other], [other]]
    with pytest.raises(FetchError, match=r"^arxiv: answered that it has none of the 2 ids asked for \(2009\.99998, "):
        fetch_papers([REFUSED, "2009.99998", "2009.99999"], settings, http)


def test_a_refusal_of_an_id_not_asked_for_fails_arxiv(httpserver):
    settings, http, asked = arxiv(httpserver, "abc")
    with pytest.raises(FetchError) as info:
        fetch_papers([REFUSED, "2009.11278"], settings, http)
    assert info.value.message == f"arxiv: arXiv error: incorrect id format for abc (HTTP 400 from {settings.api_url})"
    assert len(asked) == 1
