"""The Bluesky source against a local stand-in of its API and oEmbed endpoint."""

from __future__ import annotations

import copy
from datetime import UTC, datetime, timedelta

import msgspec
import pytest
from pytest_httpserver import HTTPServer
from werkzeug import Response

from bluesky_fake import FACET_ONLY, HANDLE, PASSWORD, QUOTE, RECORDED_2023, FakeBluesky, facet, oembed_html, post
from conftest import make_mention
from hotpapers.errors import FetchError, InputError
from hotpapers.http import HttpClient
from hotpapers.sanitize import checked_embed
from hotpapers.sources.bluesky import BlueskySettings, BlueskySource

SINCE, UNTIL = datetime(2026, 11, 20, tzinfo=UTC), datetime(2026, 11, 21, tzinfo=UTC)
NOW = datetime(2026, 11, 21, 8, 0, tzinfo=UTC)
ENVIRON = {"BSKY_HANDLE": HANDLE, "BSKY_APP_PASSWORD": PASSWORD}
EMBEDS = BlueskySource.display.embed_rules
DID = "did:plc:s7savtl25cqhm3ddqc7jeljx"  # the author of the recorded post the stand-in copies


def source(httpserver, fake: FakeBluesky, environ=ENVIRON, **settings) -> BlueskySource:
    fake.serve(httpserver)
    values = {"api_url": httpserver.url_for("/xrpc"), "oembed_url": httpserver.url_for("/oembed"), **settings}
    http = HttpClient(timeout=2, retries=1, max_wait=5, backoff=0, sleep=lambda seconds: None)
    return BlueskySource(msgspec.convert(values, BlueskySettings), http, environ, lambda: NOW)


def found_ids(found) -> dict[str, tuple[str, ...]]:
    return {m.id.rsplit("/", 1)[-1]: m.paper_ids for m in found.mentions}


def test_short_pages_are_followed_until_a_page_has_no_cursor(httpserver):
    fake = FakeBluesky(
        pages={
            None: {"posts": [post("a1", facets=("https://arxiv.org/abs/2611.00001",))], "cursor": "25"},
            "25": {"posts": [post("a2", facets=("https://arxiv.org/abs/2611.00002",))], "cursor": "50"},
            "50": {"posts": [post("a3", facets=("https://arxiv.org/abs/2611.00003",))]},
            "75": {"posts": [post("never", facets=("https://arxiv.org/abs/2611.00004",))]},
        }
    )
    found = source(httpserver, fake, page_size=25).search(SINCE, UNTIL)
    assert found_ids(found) == {"a1": ("2611.00001",), "a2": ("2611.00002",), "a3": ("2611.00003",)}
    assert found.items == 3 and found.partial is None and found.query == "arxiv.org"
    assert found.endpoint == httpserver.url_for("/xrpc/app.bsky.feed.searchPosts")
    searches = fake.of("searchPosts")
    assert [s.get("cursor") for s in searches] == [None, "25", "50"]
    assert searches[0] == {
        "q": "arxiv.org",
        "since": "2026-11-20T00:00:00Z",
        "until": "2026-11-21T00:00:00Z",
        "limit": "25",
        "sort": "latest",
    }


def test_an_empty_page_ends_the_search_even_with_a_cursor(httpserver):
    fake = FakeBluesky(
        pages={
            None: {"posts": [post("a1", facets=("https://arxiv.org/abs/2611.00001",))], "cursor": "100"},
            "100": {"posts": [], "cursor": "200"},
            "200": {"posts": [post("never", facets=("https://arxiv.org/abs/2611.00004",))]},
        }
    )
    assert found_ids(source(httpserver, fake).search(SINCE, UNTIL)) == {"a1": ("2611.00001",)}
    assert len(fake.of("searchPosts")) == 2


def test_links_are_read_from_facets_or_from_either_link_card(httpserver):
    fake = FakeBluesky(
        pages={
            None: {
                "posts": [
                    post("facet", facets=("https://arxiv.org/pdf/2611.00001v2",)),
                    post("card", card="https://www.arxiv.org/abs/2611.00002"),
                    post("shown", shown_card="https://arxiv.org/abs/2611.00003"),
                    post("text", text="Our paper is arXiv:2611.00004, code soon"),
                    post("shortened", text="see arxiv.org/abs/2611.00005 and https://arxiv.org/abs/2611.00006"),
                    post("none", facets=("https://osf.io/v87fn",), card="https://osf.io/v87fn"),
                ]
            }
        }
    )
    assert found_ids(source(httpserver, fake).search(SINCE, UNTIL)) == {
        "facet": ("2611.00001",),
        "card": ("2611.00002",),
        "shown": ("2611.00003",),
        "text": ("2611.00004",),
    }


def test_a_post_linking_two_papers_is_one_mention_of_both(httpserver):
    two = post(
        "two",
        facets=("https://arxiv.org/abs/2611.00001", "https://alphaxiv.org/abs/2611.00002"),
        card="https://arxiv.org/abs/2611.00001",
        shown_card="https://arxiv.org/abs/2611.00001",
    )
    found = source(httpserver, FakeBluesky(pages={None: {"posts": [two]}})).search(SINCE, UNTIL)
    assert found_ids(found) == {"two": ("2611.00001", "2611.00002")}


def test_a_quote_counts_its_own_links_not_the_quoted_posts(httpserver):
    quoting_a_paper = copy.deepcopy(QUOTE)  # the recorded quote post, quoting a post with a link card
    quoting_a_paper["uri"] = quoting_a_paper["uri"].replace("3lpjl6vjfes2b", "quote")
    quoting_a_paper["record"]["createdAt"] = quoting_a_paper["indexedAt"] = "2026-11-20T09:00:00.000Z"
    view = quoting_a_paper["embed"]["record"]["value"]
    view["embed"]["external"]["uri"] = view["facets"][0]["features"][0]["uri"] = "https://arxiv.org/abs/2611.00009"
    quoting_a_paper["embed"]["record"]["embeds"][0]["external"]["uri"] = "https://arxiv.org/abs/2611.00009"
    commenting = copy.deepcopy(quoting_a_paper)
    commenting["uri"] = commenting["uri"].replace("/quote", "/comment")
    commenting["record"]["facets"] = [facet("https://arxiv.org/abs/2611.00001")]
    with_card = post("media", facets=(), card=None)
    with_card["record"]["embed"] = {
        "$type": "app.bsky.embed.recordWithMedia",
        "media": copy.deepcopy(post("x", card="https://arxiv.org/abs/2611.00002")["record"]["embed"]),
        "record": {"$type": "app.bsky.embed.record", "record": QUOTE["record"]["embed"]["record"]},
    }
    fake = FakeBluesky(pages={None: {"posts": [quoting_a_paper, commenting, with_card]}})
    found = source(httpserver, fake).search(SINCE, UNTIL)
    assert found_ids(found) == {"comment": ("2611.00001",), "media": ("2611.00002",)}


def test_a_mention_carries_the_posts_url_counts_author_and_normalised_time(httpserver):
    recorded = copy.deepcopy(FACET_ONLY)  # microsecond createdAt, as some clients write it
    recorded["record"]["createdAt"] = "2026-11-20T17:10:09.561858Z"
    recorded["indexedAt"] = "2026-11-20T17:10:09.813Z"
    recorded["record"]["facets"][0]["features"][0]["uri"] = "https://arxiv.org/abs/2611.00001"
    recorded.update(repostCount=4, likeCount=9, replyCount=2, quoteCount=1)
    old_shape = copy.deepcopy(RECORDED_2023["posts"][1])  # 2023: no quoteCount
    old_shape["record"]["createdAt"] = old_shape["indexedAt"] = "2026-11-20T11:00:00+00:00"
    old_shape["record"]["facets"][0]["features"][0]["uri"] = "https://arxiv.org/abs/2611.00002"
    old_shape["author"]["handle"] = "handle.invalid"
    odd_times = [post(f"odd{n}", facets=("https://arxiv.org/abs/2611.00003",)) for n in range(2)]
    odd_times[0]["record"]["createdAt"] = "9999-12-31T23:59:59-05:00"  # a client's clock: the server's sortAt
    odd_times[1]["record"]["createdAt"] = "yesterday"  # is then indexedAt
    fake = FakeBluesky(pages={None: {"posts": [recorded, old_shape, *odd_times]}})
    new, old, *odd = source(httpserver, fake).search(SINCE, UNTIL).mentions
    assert [m.created_at for m in odd] == [None, None]
    assert new.platform == "bluesky" and new.id == recorded["uri"]
    assert new.url == "https://bsky.app/profile/socpaperbot.bsky.social/post/3lpk2u6qo222m"
    assert (new.reposts, new.likes, new.replies, new.quotes) == (4, 9, 2, 1)
    assert new.author_handle == "socpaperbot.bsky.social"
    assert new.author_name == "Sociology papers (journals + SocArXiv)"
    assert new.created_at == "2026-11-20T17:10:09.561Z" and new.observed_at == "2026-11-21T08:00:00Z"
    assert new.text == recorded["record"]["text"]
    assert old.quotes is None and old.author_handle is None and old.created_at == "2026-11-20T11:00:00.000Z"
    did, rkey = old_shape["uri"].removeprefix("at://").split("/app.bsky.feed.post/")
    assert old.url == f"https://bsky.app/profile/{did}/post/{rkey}"  # an unverified handle: the DID


def test_posts_outside_the_window_and_repeats_are_dropped(httpserver):
    early = post("early", facets=("https://arxiv.org/abs/2611.00001",), created="2026-11-19T23:59:59.999Z")
    late = post("late", facets=("https://arxiv.org/abs/2611.00002",), created="2026-11-21T00:00:00.000Z")
    kept = post("kept", facets=("https://arxiv.org/abs/2611.00003",))
    pages = {None: {"posts": [early, kept], "cursor": "2"}, "2": {"posts": [kept, late]}}
    fake = FakeBluesky(pages=pages, filters_window=False)
    found = source(httpserver, fake).search(SINCE, UNTIL)
    assert found_ids(found) == {"kept": ("2611.00003",)} and found.items == 4


def test_the_post_cap_stops_the_search_and_says_so(httpserver):
    pages = {
        (None if n == 0 else str(n)): {
            "posts": [post(f"p{n}{k}", facets=("https://arxiv.org/abs/2611.00001",)) for k in range(2 if n < 2 else 1)],
            "cursor": str(n + 1),
        }
        for n in range(5)
    }
    fake = FakeBluesky(pages=pages)
    found = source(httpserver, fake, max_posts=5, page_size=2).search(SINCE, UNTIL)
    assert [s["limit"] for s in fake.of("searchPosts")] == ["2", "2", "1"]
    assert found.items == 5 and found.partial == "stopped after 5 posts (sources.bluesky.max_posts)"


def test_a_repeated_cursor_stops_the_search_and_keeps_what_was_read(httpserver):
    pages = {
        None: {"posts": [post("a1", facets=("https://arxiv.org/abs/2611.00001",))], "cursor": "25"},
        "25": {"posts": [post("a2", facets=("https://arxiv.org/abs/2611.00002",))], "cursor": "50"},
        "50": {"posts": [post("a3", facets=("https://arxiv.org/abs/2611.00003",))], "cursor": "25"},
    }
    fake = FakeBluesky(pages=pages)
    found = source(httpserver, fake).search(SINCE, UNTIL)
    why = (
        f"stopped when the search at {httpserver.url_for('/xrpc/app.bsky.feed.searchPosts')} answered cursor '25' "
        "a second time after 3 posts (a paging loop)"
    )
    assert found.partial == why
    assert sorted(m.paper_ids[0] for m in found.mentions) == ["2611.00001", "2611.00002", "2611.00003"]
    assert found.items == 3 and len(fake.of("searchPosts")) == 3


def test_an_absurd_count_fails_the_source_in_one_line_with_its_place(httpserver):
    absurd = post("a1", facets=("https://arxiv.org/abs/2611.00001",), counts=(3, 10**30, 1))
    with pytest.raises(FetchError) as info:
        source(httpserver, FakeBluesky(pages={None: {"posts": [absurd]}})).search(SINCE, UNTIL)
    assert info.value.message == (
        f"bluesky: unreadable search page from {httpserver.url_for('/xrpc/app.bsky.feed.searchPosts')} "
        "(Expected `int` <= 1000000000000 - at `$.posts[0].likeCount`)"
    )
    assert info.value.exit_code == 1


def test_a_cursor_longer_than_any_real_one_fails_the_source_in_one_line(httpserver):
    """Each cursor is kept to see a paging loop: a new one of megabytes with every page held
    pages x http.max_bytes."""
    page = {"posts": [post("a1", facets=("https://arxiv.org/abs/2611.00001",))], "cursor": "c" * 1025}
    with pytest.raises(FetchError) as info:
        source(httpserver, FakeBluesky(pages={None: page})).search(SINCE, UNTIL)
    assert info.value.message == (
        f"bluesky: unreadable search page from {httpserver.url_for('/xrpc/app.bsky.feed.searchPosts')} "
        "(Expected `str` of length <= 1024 - at `$.cursor`)"
    )
    page["cursor"] = "c" * 1024  # the longest taken
    assert len(source(httpserver, FakeBluesky(pages={None: page})).search(SINCE, UNTIL).mentions) == 1


def test_one_login_serves_every_day_of_a_range(httpserver):
    fake = FakeBluesky(pages={None: {"posts": [post("a1", facets=("https://arxiv.org/abs/2611.00001",))]}})
    bluesky = source(httpserver, fake)
    for day in range(3):
        bluesky.search(SINCE - timedelta(days=day), UNTIL - timedelta(days=day))
    assert len(fake.of("createSession")) == 1 and len(fake.of("searchPosts")) == 3


def test_an_expired_session_is_refreshed_and_the_search_goes_on(httpserver):
    fake = FakeBluesky(
        pages={
            None: {"posts": [post("a1", facets=("https://arxiv.org/abs/2611.00001",))], "cursor": "25"},
            "25": {"posts": [post("a2", facets=("https://arxiv.org/abs/2611.00002",))]},
        }
    )
    bluesky = source(httpserver, fake)
    bluesky.search(SINCE, UNTIL)
    fake.expire_session()
    found = bluesky.search(SINCE, UNTIL)
    assert found_ids(found) == {"a1": ("2611.00001",), "a2": ("2611.00002",)}
    assert len(fake.of("createSession")) == 1 and len(fake.of("refreshSession")) == 1
    assert len(fake.of("searchPosts")) == 5  # 2 pages, then one refused with ExpiredToken, then 2 pages


def test_a_refused_refresh_logs_in_again(httpserver):
    fake = FakeBluesky(pages={None: {"posts": [post("a1", facets=("https://arxiv.org/abs/2611.00001",))]}})
    bluesky = source(httpserver, fake)
    bluesky.search(SINCE, UNTIL)
    fake.expire_session()
    fake.refusing_refresh = True
    assert found_ids(bluesky.search(SINCE, UNTIL)) == {"a1": ("2611.00001",)}
    assert len(fake.of("createSession")) == 2 and len(fake.of("refreshSession")) == 1


def test_a_wrong_app_password_names_the_variables_never_the_values(httpserver):
    environ = {"BSKY_HANDLE": HANDLE, "BSKY_APP_PASSWORD": "wxyz-wxyz-wxyz-wxyz"}
    fake = FakeBluesky()
    with pytest.raises(FetchError) as info:
        source(httpserver, fake, environ).search(SINCE, UNTIL)
    message = info.value.message
    assert message.startswith("bluesky: the login was refused (AuthenticationRequired); check that BSKY_HANDLE")
    assert message.endswith(f"(HTTP 401 from {httpserver.url_for('/xrpc/com.atproto.server.createSession')})")
    assert "BSKY_HANDLE" in message and "BSKY_APP_PASSWORD" in message
    assert HANDLE not in message and "wxyz" not in message and "\n" not in message
    assert len(fake.of("createSession")) == 1 and fake.of("searchPosts") == []


def test_a_login_redirected_to_another_server_never_sends_it_the_password(httpserver):
    elsewhere = HTTPServer(host="127.0.0.1")
    elsewhere.start()
    try:
        elsewhere.expect_request("/steal").respond_with_data("thanks")
        login = "/xrpc/com.atproto.server.createSession"
        redirect = Response("", 307, headers={"Location": elsewhere.url_for("/steal")})
        httpserver.expect_request(login).respond_with_response(redirect)
        with pytest.raises(FetchError) as info:
            source(httpserver, FakeBluesky()).search(SINCE, UNTIL)
        assert info.value.message == (
            f"bluesky: a redirect of a POST to another origin (http://127.0.0.1:{elsewhere.port}), which would get "
            f"its body or credentials; not followed (from {httpserver.url_for(login)})"
        )
        assert elsewhere.log == [] and PASSWORD not in info.value.message
    finally:
        elsewhere.clear()
        elsewhere.stop()


@pytest.mark.parametrize(
    ("status", "reason"),
    [
        (401, "the login was refused (refused); check that BSKY_HANDLE"),
        (200, "unreadable session from {url} (JSON nested more than 100 levels deep)"),
    ],
    ids=["refusal", "session"],
)
def test_a_login_answer_nested_too_deep_fails_in_one_line(httpserver, status, reason):
    login = "/xrpc/com.atproto.server.createSession"
    deep = Response(b"[" * 100_000 + b"]" * 100_000, status, content_type="application/json")
    httpserver.expect_request(login).respond_with_response(deep)
    with pytest.raises(FetchError) as info:
        source(httpserver, FakeBluesky()).search(SINCE, UNTIL)
    assert info.value.message.startswith("bluesky: " + reason.format(url=httpserver.url_for(login)))


def test_missing_credentials_are_named(httpserver):
    bluesky = source(httpserver, FakeBluesky(), {"BSKY_HANDLE": HANDLE, "BSKY_APP_PASSWORD": " "})
    assert bluesky.missing_credentials() == "BSKY_APP_PASSWORD"
    assert source(httpserver, FakeBluesky(), {}).missing_credentials() == "BSKY_HANDLE and BSKY_APP_PASSWORD"
    assert source(httpserver, FakeBluesky()).missing_credentials() is None
    with pytest.raises(InputError, match="set BSKY_HANDLE and BSKY_APP_PASSWORD"):
        source(httpserver, FakeBluesky(), {}).search(SINCE, UNTIL)
    with pytest.raises(InputError) as info:
        source(httpserver, FakeBluesky(), {**ENVIRON, "BSKY_APP_PASSWORD": "abcd-efgh-ijkl-mnöp"}).missing_credentials()
    assert "BSKY_APP_PASSWORD holds a character" in info.value.message and "mnöp" not in info.value.message
    assert httpserver.log == []


def test_the_plan_calls_nothing(httpserver):
    plan = source(httpserver, FakeBluesky()).plan(SINCE, UNTIL)
    assert "app.bsky.feed.searchPosts for 'arxiv.org' (at most 10000 posts)" in plan and "$BSKY_HANDLE" in plan
    assert httpserver.log == []


def test_embeds_are_fetched_for_the_shown_posts_only(httpserver):
    shown = [
        make_mention(
            f"at://{DID}/app.bsky.feed.post/{rkey}",
            platform="bluesky",
            url=f"https://bsky.app/profile/cjtackett.bsky.social/post/{rkey}",
        )
        for rkey in ("s1", "s2", "gone")
    ]
    text = "I dove in&#39;s\n\nPlease give it a read"
    fake = FakeBluesky(embeds={m.url: oembed_html(DID, m.id.rsplit("/", 1)[-1], text) for m in shown[:2]})
    embeds = source(httpserver, fake).embeds([*shown, make_mention("1")])  # the X post is not Bluesky's
    assert sorted(q["url"] for q in fake.of("/oembed")) == sorted(m.url for m in shown)
    assert embeds.html == {m.key: oembed_html(DID, m.id.rsplit("/", 1)[-1], text) for m in shown[:2]}
    assert embeds.unavailable == 1 and embeds.endpoint == httpserver.url_for("/oembed")
    assert embeds.source == "bluesky-oembed"


@pytest.mark.parametrize(
    "html",
    [
        oembed_html(DID, "3lpk2r5h5ec2j", "Please give it a read, &amp; share it!<br>second line"),
        oembed_html(DID, "3lpk2r5h5ec2j", "Please give it a read\nsecond line"),
        # the in-app snippet (social-app Embed.tsx): the card as a link, the handle in its own link
        '<blockquote class="bluesky-embed" data-bluesky-uri="at://did:plc:jonnuvubyyf7xhsentiuyq3l/app.bsky.feed.post/'
        '3lniytgsyrk2v" data-bluesky-cid="bafyreieoh6j7hamhutzwzdhrjhs4iyeu4nby3drqyz46ysxu4summ5fydi" '
        'data-bluesky-embed-color-mode="system"><p lang="en">normal about this<br><br><a href="https://bsky.app/'
        'profile/did:plc:jonnuvubyyf7xhsentiuyq3l/post/3lniytgsyrk2v?ref_src=embed">[image or embed]</a></p>&mdash; '
        'Frank (<a href="https://bsky.app/profile/did:plc:jonnuvubyyf7xhsentiuyq3l?ref_src=embed">@frank.computer</a>)'
        ' <a href="https://bsky.app/profile/did:plc:jonnuvubyyf7xhsentiuyq3l/post/3lniytgsyrk2v?ref_src=embed">'
        "April 23, 2025 at 4:10 PM</a></blockquote>"
        '<script async src="https://embed.bsky.app/static/embed.js" charset="utf-8"></script>',
    ],
)
def test_real_bluesky_embed_html_passes_the_allow_list(html):
    assert checked_embed(html, EMBEDS) == (html, None)
    assert checked_embed(html.replace("https://bsky.app", "javascript:alert(1)//"), EMBEDS)[1] is not None


def test_a_blank_line_in_a_posts_text_keeps_its_embed_in_one_html_block():
    html = oembed_html(DID, "3lpk2r5h5ec2j", "I dove in&#39;s\n\nPlease give it a read")
    assert checked_embed(html, EMBEDS)[0] == html.replace("\n\n", "\n")


class EndlessPages(dict):
    """A server that sends one post a page and a new cursor with each, for ever."""

    def get(self, cursor, default=None):
        number = int(cursor or 0)
        return {"posts": [post(f"p{number}", facets=("https://arxiv.org/abs/2611.00001",))], "cursor": str(number + 1)}


@pytest.mark.parametrize(("max_posts", "page_size", "pages"), [(10000, 100, 210), (50, 20, 16)])
def test_endless_pages_stop_at_the_page_limit_and_say_so(httpserver, max_posts, page_size, pages):
    """Without a page limit such a server got max_posts requests (10,000 by default)."""
    fake = FakeBluesky(pages=EndlessPages())
    hot = source(httpserver, fake, max_posts=max_posts, page_size=page_size)
    assert hot.page_limit().pages == pages  # twice the full pages max_posts needs, and 10 more
    found = hot.search(SINCE, UNTIL)
    assert len(fake.of("searchPosts")) == pages and found.items == pages
    why = f"stopped after {pages} pages (2 x sources.bluesky.max_posts / page_size + 10)"
    assert found.partial == why
