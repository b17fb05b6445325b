"""A stand-in for Bluesky's XRPC API (createSession, refreshSession, searchPosts) and its
oEmbed endpoint, serving posts in the shapes recorded in
fixtures/real-api/bsky_searchPosts_*.json (a real post is copied, then its links, times
and counts are changed)."""

from __future__ import annotations

import copy
import json
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qs, urlsplit

from werkzeug import Request, Response

from conftest import FIXTURES

HANDLE = "reader.bsky.social"
PASSWORD = "abcd-efgh-ijkl-mnop"
RECORDED = json.loads((FIXTURES / "real-api" / "bsky_searchPosts_2025_redistricting_25posts.json").read_text())
RECORDED_2023 = json.loads((FIXTURES / "real-api" / "bsky_searchPosts_2023_hitsTotal_prettified.json").read_text())
FACET_ONLY, WITH_CARD, QUOTE = RECORDED["posts"][0], RECORDED["posts"][1], RECORDED["posts"][12]


def facet(uri: str, start: int = 0) -> dict[str, Any]:
    return {
        "features": [{"$type": "app.bsky.richtext.facet#link", "uri": uri}],
        "index": {"byteEnd": start + 22, "byteStart": start},
    }


def post(
    rkey: str,
    *,
    facets: tuple[str, ...] = (),
    card: str | None = None,
    shown_card: str | None = None,
    text: str = "New paper arxiv.org/abs/2611.0...",
    created: str = "2026-11-20T10:00:00.000Z",
    counts: tuple[int, int, int] = (3, 10, 1),
    template: dict[str, Any] = WITH_CARD,
) -> dict[str, Any]:
    """A recorded post with other links: its facets link `facets`, its record's card links
    `card`, and the card the server shows (`post.embed`) links `shown_card`."""
    data = copy.deepcopy(template)
    did = data["author"]["did"]
    data["uri"] = f"at://{did}/app.bsky.feed.post/{rkey}"
    record = data["record"]
    record["text"], record["createdAt"] = text, created
    record["facets"] = [facet(uri, 10 * n) for n, uri in enumerate(facets)]
    data["indexedAt"] = created[:19] + ".500Z"
    if card:
        record["embed"] = {**WITH_CARD["record"]["embed"], "external": {**WITH_CARD["record"]["embed"]["external"]}}
        record["embed"]["external"]["uri"] = card
    else:
        record.pop("embed", None)
    if shown_card:
        data["embed"] = copy.deepcopy(WITH_CARD["embed"])
        data["embed"]["external"]["uri"] = shown_card
    else:
        data.pop("embed", None)
    data["repostCount"], data["likeCount"], data["replyCount"] = counts
    return data


def oembed_html(did: str, rkey: str, text: str) -> str:
    """An embed as embed.bsky.app's oEmbed writes it (bskyweb/cmd/embedr/snippet.go)."""
    return (
        f'<blockquote class="bluesky-embed" data-bluesky-uri="at://{did}/app.bsky.feed.post/{rkey}" '
        f'data-bluesky-cid="bafyreid5xizjatchg3cdddekg6e53tdj4xcvuyrbzcf3zqq4pfzncco7iy"><p lang="en">{text}</p>'
        f'&mdash; <a href="https://bsky.app/profile/{did}?ref_src=embed">Chris (@cjtackett.bsky.social)</a> '
        f'<a href="https://bsky.app/profile/{did}/post/{rkey}?ref_src=embed">2026-11-20T10:00:00.000Z</a></blockquote>'
        '<script async src="https://embed.bsky.app/static/embed.js" charset="utf-8"></script>'
    )


@dataclass
class FakeBluesky:
    """`pages` maps the cursor asked for (None: the first page) to the page served."""

    pages: dict[str | None, dict[str, Any]] = field(default_factory=dict)
    embeds: dict[str, str] = field(default_factory=dict)
    expired: set[str] = field(default_factory=set)
    """Access tokens the server now answers with ExpiredToken."""
    refusing_refresh: bool = False
    filters_window: bool = True
    """Whether `since` and `until` are applied (to the posts' times written alike)."""
    calls: list[tuple[str, dict[str, str]]] = field(default_factory=list)
    issued: int = 0

    def serve(self, httpserver) -> None:
        for path, handler in (
            ("/xrpc/com.atproto.server.createSession", self.create_session),
            ("/xrpc/com.atproto.server.refreshSession", self.refresh_session),
            ("/xrpc/app.bsky.feed.searchPosts", self.search),
            ("/oembed", self.oembed),
        ):
            httpserver.expect_request(path).respond_with_handler(handler)

    def of(self, name: str) -> list[dict[str, str]]:
        return [query for path, query in self.calls if path.endswith(name)]

    def _record(self, request: Request) -> dict[str, str]:
        query = {k: v[0] for k, v in parse_qs(urlsplit(request.url).query).items()}
        self.calls.append((request.path, query))
        return query

    @staticmethod
    def access_token(n: int) -> str:
        return f"eyJ0eXAiOiJhdCtqd3QiLCJhbGciOiJFUzI1NksifQ.access-{n}"

    def expire_session(self) -> None:
        """From now on, the last access token issued is answered with ExpiredToken."""
        self.expired.add(self.access_token(self.issued))

    def _session(self) -> Response:
        self.issued += 1
        body = {
            "did": "did:plc:readerreaderreaderreader",
            "handle": HANDLE,
            "email": "reader@example.org",
            "emailConfirmed": True,
            "accessJwt": self.access_token(self.issued),
            "refreshJwt": f"eyJ0eXAiOiJyZWZyZXNoK2p3dCIsImFsZyI6IkVTMjU2SyJ9.refresh-{self.issued}",
            "active": True,
        }
        return Response(json.dumps(body), 200, content_type="application/json; charset=utf-8")

    @staticmethod
    def _error(status: int, error: str, message: str) -> Response:
        return Response(json.dumps({"error": error, "message": message}), status, content_type="application/json")

    def create_session(self, request: Request) -> Response:
        self._record(request)
        body = request.get_json()
        if request.method != "POST" or body != {"identifier": HANDLE, "password": PASSWORD}:
            return self._error(401, "AuthenticationRequired", "Invalid identifier or password")
        return self._session()

    def refresh_session(self, request: Request) -> Response:
        self._record(request)
        token = request.headers.get("Authorization", "").removeprefix("Bearer ")
        if self.refusing_refresh or f".refresh-{self.issued}" not in token:
            return self._error(400, "ExpiredToken", "Token has expired")
        return self._session()

    def search(self, request: Request) -> Response:
        query = self._record(request)
        token = request.headers.get("Authorization", "").removeprefix("Bearer ")
        if token in self.expired:
            return self._error(400, "ExpiredToken", "Token has expired")
        if token != self.access_token(self.issued):
            return self._error(401, "AuthenticationRequired", "Authentication Required")
        page = self.pages.get(query.get("cursor"), {"posts": []})
        since, until = (query["since"], query["until"]) if self.filters_window else ("", "~")
        posts = [p for p in page["posts"] if since <= min(p["record"]["createdAt"], p["indexedAt"]) < until]
        return Response(
            json.dumps({**page, "posts": posts}),
            200,
            content_type="application/json; charset=utf-8",
            headers={"RateLimit-Limit": "3000", "RateLimit-Remaining": "2999", "RateLimit-Policy": "3000;w=300"},
        )

    def oembed(self, request: Request) -> Response:
        query = self._record(request)
        html = self.embeds.get(query.get("url", ""))
        if html is None:
            return Response("post not found", 404, content_type="text/plain; charset=utf-8")
        body = {
            "type": "rich",
            "version": "1.0",
            "author_name": "Chris (@cjtackett.bsky.social)",
            "author_url": "https://bsky.app/profile/cjtackett.bsky.social",
            "provider_url": "Bluesky Social",
            "cache_age": 86400,
            "width": 550,
            "html": html,
        }
        # Go's encoding/json escapes <, > and & in strings
        text = json.dumps(body).replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
        return Response(text, 200, content_type="application/json")
