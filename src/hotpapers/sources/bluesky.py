"""Bluesky: the posts linking arXiv papers in a window (`app.bsky.feed.searchPosts`,
logged in with an app password from the environment), and the embed HTML of the posts
a digest shows (oEmbed). Reading a page into mentions is `bluesky_posts.parse_page`.
"""

from __future__ import annotations

import functools
import logging
import re
from collections.abc import Callable, Mapping
from datetime import datetime
from math import ceil
from typing import TYPE_CHECKING, Annotated, Any, ClassVar

import msgspec
from msgspec import Meta, Struct

from hotpapers.config_types import EnvName, Url
from hotpapers.errors import FetchError, InputError, OutOfTimeError, excerpt
from hotpapers.http_json import json_body
from hotpapers.models import Mention
from hotpapers.sanitize import EmbedRules
from hotpapers.sources.base import (
    Display,
    Embeds,
    Found,
    PageLimit,
    Progress,
    Source,
    SourceSettings,
    left_out,
    no_progress,
    rfc3339,
)
from hotpapers.sources.bluesky_posts import parse_page
from hotpapers.sources.limits import DayBudget

if TYPE_CHECKING:
    import requests

    from hotpapers.http import HttpClient

log = logging.getLogger("hotpapers")

EMBEDS = "bluesky-oembed"
"""The name the oEmbed requests are counted under, and their status recorded under."""
_REFRESH_ERRORS = frozenset({"ExpiredToken", "InvalidToken"})
_TOKEN = re.compile(r"[!-~]+")
"""What a session token from the server must be to go in an Authorization header (a JWT is)."""


class BlueskySettings(SourceSettings, frozen=True, kw_only=True):
    """`sources.bluesky` in the config."""

    api_url: Url = "https://bsky.social/xrpc"
    """The XRPC base of the account's server (bsky.social serves every Bluesky-hosted account)."""
    oembed_url: Url = "https://embed.bsky.app/oembed"
    handle_env: EnvName = "BSKY_HANDLE"
    password_env: EnvName = "BSKY_APP_PASSWORD"
    """The environment variable holding an app password (never written anywhere)."""
    query: Annotated[str, Meta(min_length=1)] = "arxiv.org"
    max_posts: Annotated[int, Meta(ge=1)] = 10000
    page_size: Annotated[int, Meta(ge=1, le=100)] = 100
    oembed_concurrency: Annotated[int, Meta(ge=1, le=32)] = 8


class _Session(Struct):
    accessJwt: str
    refreshJwt: str

    def __post_init__(self) -> None:
        for name in ("accessJwt", "refreshJwt"):
            if not _TOKEN.fullmatch(getattr(self, name)):
                raise ValueError(f"a token that is not printable ASCII without spaces - at `$.{name}`")


class _Refusal:
    """A `describe` hook for XRPC answers: names the error (`ExpiredToken`) in `wording`,
    and remembers it."""

    def __init__(self, wording: str = "{error}") -> None:
        self.wording = wording
        self.error: str | None = None

    def __call__(self, response: requests.Response) -> str:
        try:
            name = json_body(response).get("error")
        except (ValueError, AttributeError):
            name = None
        self.error = name if isinstance(name, str) and name.isalnum() else None
        return self.wording.format(error=excerpt(self.error or "refused"))


EMBED_RULES = EmbedRules(
    "bluesky-embed",
    frozenset(['<script async src="https://embed.bsky.app/static/embed.js" charset="utf-8"></script>']),
    frozenset({"data-bluesky-uri", "data-bluesky-cid", "data-bluesky-embed-color-mode"}),
)
"""What a Bluesky post's embed may be: Bluesky's oEmbed HTML."""


class BlueskySource(Source):
    """Logs in once, on the first search, and keeps the session for every day of the run."""

    name: ClassVar[str] = "bluesky"
    cost: ClassVar[str] = "free (with an app password, not the account's)"
    display: ClassVar[Display] = Display(
        "Bluesky", (("reposts", "reposts"), ("likes", "likes")), embed_rules=EMBED_RULES
    )
    Settings: ClassVar[type[SourceSettings]] = BlueskySettings
    settings: BlueskySettings

    def __init__(
        self,
        settings: BlueskySettings,
        http: HttpClient,
        environ: Mapping[str, str],
        now: Callable[[], datetime],
        progress: Progress = no_progress,
    ) -> None:
        super().__init__(settings, http, environ, now, progress)
        self.api_url = settings.api_url.rstrip("/")
        self._session: _Session | None = None

    def _credential(self, name: str) -> str:
        return self.credential(name, "handle or app password")

    def missing_credentials(self) -> str | None:
        names = (self.settings.handle_env, self.settings.password_env)
        return " and ".join(name for name in names if not self._credential(name)) or None

    def plan(self, since: datetime, until: datetime) -> str:
        s = self.settings
        return (
            f"log in at {self.api_url} as ${s.handle_env}; search {self.api_url}/app.bsky.feed.searchPosts "
            f"for {s.query!r} (at most {s.max_posts} posts); oEmbed {s.oembed_url} for the posts shown"
        )

    def search(self, since: datetime, until: datetime) -> Found:
        """Every page of the search, following `cursor` until a page is empty or has none
        (a page can be shorter than `limit` and still have more after it), or one answers
        a cursor a second time (a paging loop), or it has kept what a source may keep of a
        day (DayBudget), keeping what was read."""
        s = self.settings
        endpoint = f"{self.api_url}/app.bsky.feed.searchPosts"
        mentions: dict[str, Mention] = {}
        posts, malformed, cursor, cursors, budget = 0, 0, None, set(), DayBudget()
        limit = self.page_limit()
        for _ in self.progress(range(limit.pages), None, "page"):
            params: dict[str, str | int] = {
                "q": s.query,
                "since": rfc3339(since),
                "until": rfc3339(until),
                "limit": (asked := min(s.page_size, s.max_posts - posts)),
                "sort": "latest",
            }
            if cursor is not None:
                params["cursor"] = cursor
            try:
                data = self._authorized_get_json(endpoint, params)
            except OutOfTimeError as error:
                why = self.cut_short(error, posts)
                return Found(list(mentions.values()), posts, endpoint, s.query, _left_out(malformed, why))
            try:
                page = parse_page(data, rfc3339(self.now()), since, until, most=asked)
            except ValueError as exc:
                raise FetchError("bluesky", f"unreadable search page from {endpoint} ({exc})", url=endpoint) from None
            posts += page.posts
            malformed += page.malformed
            for mention in page.mentions:
                if not budget.keep(mentions, mention):
                    why = budget.reached(len(mentions))
                    return Found(list(mentions.values()), posts, endpoint, s.query, _left_out(malformed, why))
            if not page.posts or not page.cursor:
                return Found(list(mentions.values()), posts, endpoint, s.query, _left_out(malformed))
            if page.cursor in cursors:  # what was read is kept, as at the page limit
                why = (
                    f"stopped when the search at {endpoint} answered cursor {excerpt(page.cursor)!r} a second time "
                    f"after {posts} posts (a paging loop)"
                )
                return Found(list(mentions.values()), posts, endpoint, s.query, _left_out(malformed, why))
            if posts >= s.max_posts:
                partial = f"stopped after {posts} posts (sources.bluesky.max_posts)"
                return Found(list(mentions.values()), posts, endpoint, s.query, _left_out(malformed, partial))
            cursors.add(page.cursor)
            cursor = page.cursor
        return Found(list(mentions.values()), posts, endpoint, s.query, _left_out(malformed, limit.reached()))

    def page_limit(self) -> PageLimit:
        """Pages may come short (a page of 1 post still has a cursor): twice the full pages
        max_posts needs, and 10 more."""
        s = self.settings
        return PageLimit(2 * ceil(s.max_posts / s.page_size) + 10, "2 x sources.bluesky.max_posts / page_size + 10")

    def _authorized_get_json(self, url: str, params: Mapping[str, str | int]) -> Any:
        """The JSON of a GET with the session's access token; an expired one is refreshed once."""
        for attempt in (1, 2):
            session = self._session or self._login()
            refusal = _Refusal()
            headers = {"Authorization": f"Bearer {session.accessJwt}"}
            try:
                return self.http.get_json(url, source="bluesky", params=params, headers=headers, describe=refusal)
            except FetchError:
                if attempt == 2 or refusal.error not in _REFRESH_ERRORS:
                    raise
            self._session = self._refreshed(session)
        raise AssertionError("unreachable")

    def _login(self) -> _Session:
        s = self.settings
        handle = self._credential(s.handle_env).removeprefix("@")
        password = self._credential(s.password_env)
        if not handle or not password:
            raise InputError(f"bluesky: set {self.missing_credentials()} (a Bluesky handle and an app password)")
        url = f"{self.api_url}/com.atproto.server.createSession"
        refusal = _Refusal(
            f"the login was refused ({{error}}); check that {s.handle_env} holds your handle and {s.password_env} "
            "an app password (Bluesky: Settings > Privacy and security > App passwords)"
        )
        response = self.http.post(
            url, source="bluesky", json={"identifier": handle, "password": password}, describe=refusal
        )
        self._session = _read_session(response, url)
        return self._session

    def _refreshed(self, session: _Session) -> _Session:
        """A new session from the refresh token, or from a new login when that is refused too."""
        url = f"{self.api_url}/com.atproto.server.refreshSession"
        headers = {"Authorization": f"Bearer {session.refreshJwt}"}
        try:
            response = self.http.post(url, source="bluesky", json=None, headers=headers, describe=_Refusal())
        except FetchError as exc:
            if exc.status not in (400, 401):
                raise
            log.info("bluesky: the session could not be refreshed (%s); logging in again", exc.reason)
            return self._login()
        return _read_session(response, url)

    def embeds(self, shown: list[Mention]) -> Embeds:
        return self.oembeds(shown, self.settings.oembed_url, EMBEDS, self.settings.oembed_concurrency)


_left_out = functools.partial(left_out, "whose author DID or record key is malformed")


def _read_session(response: requests.Response, url: str) -> _Session:
    try:
        return msgspec.convert(json_body(response), _Session)
    except ValueError as exc:
        raise FetchError("bluesky", f"unreadable session from {url} ({exc})", url=url) from None
