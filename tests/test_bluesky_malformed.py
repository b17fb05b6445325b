"""Bluesky answers breaking the AT Protocol syntax: posts with a malformed URI are left out,
not the day; a session token no header can carry fails Bluesky alone."""

from __future__ import annotations

import logging

import pytest

from bluesky_fake import FakeBluesky, post
from hotpapers.errors import FetchError
from test_bluesky import SINCE, UNTIL, source

HOSTILE_DIDS = ['did:plc:x"><img src=x onerror=alert(1)>', "did:plc:with space", "did:plc:with\nnewline"]


def hostile(did: str, rkey: str) -> dict:
    data = post(rkey, facets=("https://arxiv.org/abs/2611.00002",))
    data["uri"] = f"at://{did}/app.bsky.feed.post/{rkey}"
    data["author"].update(did=did, handle="handle.invalid")
    return data


@pytest.mark.parametrize("did", HOSTILE_DIDS)
def test_a_post_with_a_malformed_did_is_left_out_and_said_once(httpserver, did):
    good = post("good", facets=("https://arxiv.org/abs/2611.00001",))
    fake = FakeBluesky(pages={None: {"posts": [hostile(did, "bad1"), good, hostile(did, "bad2")]}})
    records: list[logging.LogRecord] = []
    handler = logging.Handler(logging.WARNING)
    handler.emit = records.append  # type: ignore[method-assign]
    logger = logging.getLogger("hotpapers")
    logger.addHandler(handler)
    try:
        found = source(httpserver, fake).search(SINCE, UNTIL)
    finally:
        logger.removeHandler(handler)
    assert [m.id.rsplit("/", 1)[-1] for m in found.mentions] == ["good"]
    assert found.items == 3
    assert found.partial == "left out 2 posts whose author DID or record key is malformed"  # the status says so
    assert [r.getMessage() for r in records] == []  # the build warns of a partial search once, naming the day


def test_a_malformed_record_key_is_left_out(httpserver):
    bad = post("a b", facets=("https://arxiv.org/abs/2611.00002",))
    fake = FakeBluesky(pages={None: {"posts": [bad]}})
    assert source(httpserver, fake).search(SINCE, UNTIL).mentions == []


@pytest.mark.parametrize("handle", ["-bad.example", "no_underscore.example", "single", "a..b.example", "x" * 254])
def test_a_handle_outside_the_domain_syntax_gives_way_to_the_did(httpserver, handle):
    odd = post("odd", facets=("https://arxiv.org/abs/2611.00001",))
    odd["author"]["handle"] = handle
    (mention,) = source(httpserver, FakeBluesky(pages={None: {"posts": [odd]}})).search(SINCE, UNTIL).mentions
    assert mention.author_handle is None
    assert mention.url == f"https://bsky.app/profile/{odd['author']['did']}/post/odd"


@pytest.mark.parametrize("field", ["accessJwt", "refreshJwt"])
@pytest.mark.parametrize("token", ["eyJ.acc\u00e9ss", "eyJ.access\r\nX-Injected: 1", "eyJ.access\n", "eyJ access", ""])
def test_a_session_token_no_header_can_carry_fails_bluesky_alone(httpserver, field, token):
    """The tokens come from the server: one HTTP cannot send is its failure (exit 1, Bluesky
    recorded as failed), not the user's credentials (an InputError failed the whole day)."""
    login = "/xrpc/com.atproto.server.createSession"
    session = {"accessJwt": "eyJ.access", "refreshJwt": "eyJ.refresh", field: token}
    httpserver.expect_request(login).respond_with_json(session)
    with pytest.raises(FetchError) as info:
        source(httpserver, FakeBluesky()).search(SINCE, UNTIL)
    assert info.value.message == (
        f"bluesky: unreadable session from {httpserver.url_for(login)} "
        f"(a token that is not printable ASCII without spaces - at `$.{field}`)"
    )
    assert info.value.exit_code == 1 and len(httpserver.log) == 1


def test_a_page_of_more_posts_than_the_limit_asked_for_fails_bluesky(httpserver):
    """No server sends more posts than `limit`; one that sent a million tiny posts in a page
    made a build hold gigabytes and write a snapshot of hundreds of megabytes."""
    posts = [post(f"p{n}", facets=(f"https://arxiv.org/abs/2611.{n + 1:05d}",)) for n in range(3)]
    bluesky = source(httpserver, FakeBluesky(pages={None: {"posts": posts}}), page_size=2)
    with pytest.raises(FetchError) as failure:
        bluesky.search(SINCE, UNTIL)
    assert failure.value.format_message() == (
        f"bluesky: unreadable search page from {httpserver.url_for('/xrpc/app.bsky.feed.searchPosts')} "
        "(3 posts, more than the 2 asked for - at `$.posts`)"
    )
