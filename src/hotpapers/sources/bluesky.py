"""Bluesky: the posts linking arXiv papers in a window (`app.bsky.feed.searchPosts`,
logged in with an app password from the environment), and the embed HTML of the posts
a digest shows (oEmbed). Reading a page into mentions is `bluesky_posts.parse_page`.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Annotated, ClassVar

import msgspec
from msgspec import Meta, Struct

from hotpapers.errors import FetchError, InputError
from hotpapers.http import json_body
from hotpapers.models import Mention
from hotpapers.sources.base import Embeds, Found, SourceSettings
from hotpapers.sources.bluesky_posts import parse_page

if TYPE_CHECKING:
    import requests

    from hotpapers.http import HttpClient

log = logging.getLogger("hotpapers")

HttpUrl = Annotated[str, Meta(pattern=r"^https?://[^/]+")]
EnvName = Annotated[str, Meta(pattern=r"^[A-Za-z_][A-Za-z0-9_]*$")]
_REFRESH_ERRORS = frozenset({"ExpiredToken", "InvalidToken"})


class BlueskySettings(SourceSettings, frozen=True, forbid_unknown_fields=True, kw_only=True):
    api_url: HttpUrl = "https://bsky.social/xrpc"
    oembed_url: HttpUrl = "https://embed.bsky.app/oembed"
    handle_env: EnvName = "BSKY_HANDLE"
    password_env: EnvName = "BSKY_APP_PASSWORD"
    query: Annotated[str, Meta(min_length=1)] = "arxiv.org"
    max_posts: Annotated[int, Meta(ge=1)] = 10000
    page_size: Annotated[int, Meta(ge=1, le=100)] = 100
    oembed_concurrency: Annotated[int, Meta(ge=1, le=32)] = 8


class _Session(Struct):
    accessJwt: str
    refreshJwt: str


def _window_stamp(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _error(response: requests.Response) -> str:
    """The XRPC error name of an answer (`ExpiredToken`), or its status."""
    try:
        name = json_body(response).get("error")
    except (ValueError, AttributeError):
        name = None
    return name if isinstance(name, str) and name.isalnum() else f"HTTP {response.status_code}"


class BlueskySource:
    """Logs in once, on the first search, and keeps the session for every day of the run."""

    name: ClassVar[str] = "bluesky"
    Settings: ClassVar[type[SourceSettings]] = BlueskySettings

    def __init__(
        self, settings: SourceSettings, http: HttpClient, environ: Mapping[str, str], now: Callable[[], datetime]
    ) -> None:
        assert isinstance(settings, BlueskySettings)
        self.settings = settings
        self.http = http
        self.environ = environ
        self.now = now
        self.api_url = settings.api_url.rstrip("/")
        self._session: _Session | None = None

    def missing_credentials(self) -> str | None:
        names = (self.settings.handle_env, self.settings.password_env)
        missing = [name for name in names if not self.environ.get(name, "").strip()]
        return " and ".join(missing) or None

    def plan(self, since: datetime, until: datetime) -> str:
        s = self.settings
        return (
            f"log in at {self.api_url} as ${s.handle_env}; search {self.api_url}/app.bsky.feed.searchPosts "
            f"for {s.query!r} (at most {s.max_posts} posts); oEmbed {s.oembed_url} for the posts shown"
        )

    def search(self, since: datetime, until: datetime) -> Found:
        """Every page of the search, following `cursor` until a page is empty or has none
        (a page can be shorter than `limit` and still have more after it)."""
        s = self.settings
        endpoint = f"{self.api_url}/app.bsky.feed.searchPosts"
        mentions: dict[str, Mention] = {}
        posts, cursor, cursors = 0, None, set()
        while True:
            params: dict[str, str | int] = {
                "q": s.query,
                "since": _window_stamp(since),
                "until": _window_stamp(until),
                "limit": min(s.page_size, s.max_posts - posts),
                "sort": "latest",
            }
            if cursor is not None:
                params["cursor"] = cursor
            response = self._authorized_get(endpoint, params)
            try:
                page = parse_page(json_body(response), _window_stamp(self.now()), since, until)
            except ValueError as exc:
                raise FetchError(f"bluesky: unreadable search page from {endpoint} ({exc})") from None
            posts += page.posts
            for mention in page.mentions:
                mentions.setdefault(mention.id, mention)
            if not page.posts or not page.cursor:
                return Found(list(mentions.values()), posts, endpoint, s.query)
            if page.cursor in cursors:
                raise FetchError(
                    f"bluesky: the search answered cursor {page.cursor!r} a second time after {posts} posts "
                    f"(stopped rather than loop) at {endpoint}"
                )
            if posts >= s.max_posts:
                detail = f"stopped after {posts} posts (sources.bluesky.max_posts)"
                return Found(list(mentions.values()), posts, endpoint, s.query, partial=detail)
            cursors.add(page.cursor)
            cursor = page.cursor

    def _authorized_get(self, url: str, params: Mapping[str, str | int]) -> requests.Response:
        """A GET with the session's access token; an expired one is refreshed once."""
        for attempt in (1, 2):
            session = self._session or self._login()
            response = self.http.get(
                url,
                source="bluesky",
                params=params,
                headers={"Authorization": f"Bearer {session.accessJwt}"},
                ok_statuses=frozenset({400, 401}),
            )
            if response.status_code < 400:
                return response
            error = _error(response)
            if attempt == 2 or error not in _REFRESH_ERRORS:
                raise FetchError(f"bluesky: {error} (HTTP {response.status_code}) from {url}")
            self._session = self._refreshed(session)
        raise AssertionError("unreachable")

    def _login(self) -> _Session:
        s = self.settings
        handle = self.environ.get(s.handle_env, "").strip().removeprefix("@")
        password = self.environ.get(s.password_env, "").strip()
        if not handle or not password:
            raise InputError(f"bluesky: set {self.missing_credentials()} (a Bluesky handle and an app password)")
        url = f"{self.api_url}/com.atproto.server.createSession"
        response = self.http.post(
            url, source="bluesky", json={"identifier": handle, "password": password}, ok_statuses=frozenset({400, 401})
        )
        if response.status_code >= 400:
            raise FetchError(
                f"bluesky: the login at {url} was refused ({_error(response)}); check that {s.handle_env} holds "
                f"your handle and {s.password_env} an app password (Settings > Privacy and security > App passwords)"
            )
        self._session = self._read_session(response, url)
        return self._session

    def _refreshed(self, session: _Session) -> _Session:
        """A new session from the refresh token, or from a new login when that is refused too."""
        url = f"{self.api_url}/com.atproto.server.refreshSession"
        response = self.http.post(
            url,
            source="bluesky",
            json=None,
            headers={"Authorization": f"Bearer {session.refreshJwt}"},
            ok_statuses=frozenset({400, 401}),
        )
        if response.status_code >= 400:
            log.info("bluesky: the session could not be refreshed (%s); logging in again", _error(response))
            return self._login()
        return self._read_session(response, url)

    @staticmethod
    def _read_session(response: requests.Response, url: str) -> _Session:
        try:
            return msgspec.convert(json_body(response), _Session)
        except ValueError as exc:
            raise FetchError(f"bluesky: unreadable session from {url} ({exc})") from None

    def embeds(self, shown: list[Mention]) -> Embeds:
        """oEmbed HTML for the shown posts, a few at a time. A deleted or hidden post, or
        a failure, gets none: the renderer then writes its own escaped embed."""
        todo = [m for m in shown if m.platform == "bluesky" and m.embed_html is None]

        def one(mention: Mention) -> str | None:
            try:
                response = self.http.get(
                    self.settings.oembed_url,
                    source="oembed",
                    params={"url": mention.url},
                    ok_statuses=frozenset({400, 403, 404, 501}),
                )
                html = json_body(response).get("html") if response.status_code == 200 else None
            except (FetchError, ValueError, AttributeError) as exc:
                log.warning("oembed: no embed for %s (%s)", mention.url, getattr(exc, "message", "unreadable body"))
                return None
            return html if isinstance(html, str) and html else None

        with ThreadPoolExecutor(max_workers=self.settings.oembed_concurrency) as pool:
            found = dict(zip((m.key for m in todo), pool.map(one, todo), strict=True))
        html = {key: value for key, value in found.items() if value is not None}
        return Embeds(html, unavailable=len(todo) - len(html), endpoint=self.settings.oembed_url)
