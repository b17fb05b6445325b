"""X (Twitter): the posts linking arXiv papers in a window (API v2 search), and the
embed HTML of the posts a digest shows (oEmbed). Reads are billed per post, so
`max_posts` caps a build.

`parse_page` is pure: one search page in, mentions out. Retweets are skipped even when
the API returns them (they carry the original's counts), and so are posts outside the
window and posts that link no paper.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from math import ceil
from typing import Annotated, Any, ClassVar

import msgspec
from msgspec import Meta, Struct

from hotpapers.arxiv_ids import resolve_ids
from hotpapers.config_types import EnvName, Url
from hotpapers.errors import FetchError, InputError, excerpt
from hotpapers.http_json import PageToken, more_than_asked
from hotpapers.models import TIMESTAMP_PATTERN, Count, Mention, parse_time
from hotpapers.sanitize import EmbedRules
from hotpapers.sources.base import Display, Embeds, Found, PageLimit, Source, SourceSettings, kept, left_out, rfc3339

log = logging.getLogger("hotpapers")

TWEET_FIELDS = "public_metrics,created_at,entities,author_id,referenced_tweets"
RECENT_DAYS = 7
MIN_PAGE = 10
"""The smallest `max_results` the search accepts."""
NonNegative = Count
_TIMESTAMP = re.compile(TIMESTAMP_PATTERN)


class TwitterSettings(SourceSettings, frozen=True, kw_only=True):
    """`sources.twitter` in the config."""

    api_url: Url = "https://api.x.com/2"
    oembed_url: Url = "https://publish.x.com/oembed"
    token_env: EnvName = "X_BEARER_TOKEN"
    """The environment variable holding the bearer token (never written anywhere)."""
    query: Annotated[str, Meta(min_length=1)] = 'url:"arxiv.org" -is:retweet'
    max_posts: Annotated[int, Meta(ge=1)] = 5000
    """The most posts a build reads (X bills each one); the snapshot says `partial` when reached."""
    page_size: Annotated[int, Meta(ge=10, le=500)] = 100
    oembed_concurrency: Annotated[int, Meta(ge=1, le=32)] = 8


@dataclass(frozen=True, slots=True)
class Page:
    mentions: list[Mention]
    posts: int
    """Posts the page held (billed reads), retweets included."""
    next_token: str | None
    malformed: tuple[str, ...] = ()
    """The ids of posts left out, which are no number (a post's id goes into its URL)."""


class _Link(Struct):
    expanded_url: str | None = None
    unwound_url: str | None = None


class _Entities(Struct):
    urls: list[_Link] = []


class _Counts(Struct):
    retweet_count: NonNegative = 0
    like_count: NonNegative = 0
    reply_count: NonNegative | None = None
    quote_count: NonNegative | None = None


class _Reference(Struct):
    type: str


class _Post(Struct):
    id: str
    text: str | None = None
    created_at: str | None = None
    author_id: str | None = None
    entities: _Entities | None = None
    public_metrics: _Counts | None = None
    referenced_tweets: list[_Reference] = []


class _User(Struct):
    id: str
    username: str | None = None
    name: str | None = None


class _Includes(Struct):
    users: list[_User] = []


class _Meta(Struct):
    next_token: PageToken | None = None


class _SearchPage(Struct):
    """The parts of a search page that are read; the API sends more, which is ignored."""

    meta: _Meta
    data: list[_Post] = []
    includes: _Includes | None = None


def parse_page(data: Any, observed_at: str, since: datetime, until: datetime, most: int | None = None) -> Page:
    """Mentions in one page of `GET /2/tweets/search/*`, read at `observed_at`. A page
    that is not shaped like the API's raises ValueError naming the place, such as
    "Expected `str`, got `int` - at `$.data[0].created_at`", as does one of more posts
    than `most` (the `max_results` asked for)."""
    more_than_asked(data, "data", most, "posts")
    page = msgspec.convert(data, _SearchPage)
    for n, post in enumerate(page.data):
        if post.created_at is not None and not _is_time(post.created_at):
            raise ValueError(
                f"not a time stamp with a zone: {excerpt(post.created_at)!r} - at `$.data[{n}].created_at`"
            )
    users = {user.id: user for user in page.includes.users} if page.includes else {}
    malformed = tuple(post.id for post in page.data if not _POST_ID.fullmatch(post.id))
    mentions = [mention for post in page.data if (mention := _mention(post, users, observed_at, since, until))]
    return Page(mentions, len(page.data), page.meta.next_token, malformed)


def _is_time(text: str) -> bool:
    """An RFC 3339 time stamp with a zone, on a day of the calendar (not 2020-02-30)."""
    try:
        return bool(_TIMESTAMP.match(text)) and bool(parse_time(text))
    except ValueError:
        return False


_POST_ID = re.compile(r"[0-9]{1,19}")
_USERNAME = re.compile(r"[A-Za-z0-9_]{1,15}")
"""An X username; another (`a/../b?x#`) would make the post's URL point elsewhere: the post
is then addressed by its id alone, without its author's handle."""


def _mention(
    post: _Post, users: dict[str, _User], observed_at: str, since: datetime, until: datetime
) -> Mention | None:
    if not _POST_ID.fullmatch(post.id) or any(reference.type == "retweeted" for reference in post.referenced_tweets):
        return None
    if post.created_at and not since <= parse_time(post.created_at) < until:
        return None
    links = post.entities.urls if post.entities else []
    urls = [url for link in links for url in (link.unwound_url, link.expanded_url) if url]
    paper_ids = resolve_ids(urls, post.text or "")
    if not paper_ids:
        return None
    counts = post.public_metrics or _Counts()
    user = users.get(post.author_id or "")
    handle = user.username if user and _USERNAME.fullmatch(user.username or "") else None
    return kept(
        Mention(
            platform="twitter",
            id=post.id,
            url=f"https://twitter.com/{handle or 'i/web'}/status/{post.id}",
            paper_ids=paper_ids,
            reposts=counts.retweet_count,
            likes=counts.like_count,
            replies=counts.reply_count,
            quotes=counts.quote_count,
            observed_at=observed_at,
            author_handle=handle,
            author_name=user.name if user else None,
            created_at=post.created_at,
            text=post.text,
        )
    )


_ROOT_ATTRIBUTES = ("dnt", "theme", "width", "lang", "media-max-width", "conversation", "cards")
EMBED_RULES = EmbedRules(
    "twitter-tweet",
    frozenset(
        f'<script async src="https://platform.{host}/widgets.js" charset="utf-8"></script>'
        for host in ("twitter.com", "x.com")
    ),
    frozenset({"align", *(f"data-{name}" for name in _ROOT_ATTRIBUTES)}),
)
"""What an X post's embed may be: X's oEmbed HTML (its script line from either host)."""
_GATSBY_STEPS = {  # lumen's gatsby-config is TypeScript since 2022-04
    profile: "Add gatsby-plugin-twitter to the site (npm install gatsby-plugin-twitter, first in `plugins` of "
    f"{config}) so embedded posts render on client-side navigation too."
    for profile, config in (("lumen", "gatsby-config.js"), ("lumen-2022", "gatsby-config.ts, or .js in older sites"))
}


class TwitterSource(Source):
    """The X API v2 search, then oEmbed for the posts shown."""

    name: ClassVar[str] = "twitter"
    cost: ClassVar[str] = "pay-per-use, about $0.005 per post read (max_posts caps a build)"
    display: ClassVar[Display] = Display(
        "X",
        (("reposts", "retweets"), ("likes", "favorites")),
        embed_rules=EMBED_RULES,
        embed_template="twitter",
        classic=True,
    )
    Settings: ClassVar[type[SourceSettings]] = TwitterSettings
    site_steps: ClassVar[Mapping[str, str]] = _GATSBY_STEPS
    settings: TwitterSettings

    def _token(self) -> str | None:
        return self.credential(self.settings.token_env, "bearer token") or None

    def missing_credentials(self) -> str | None:
        return None if self._token() else self.settings.token_env

    def endpoint(self, since: datetime) -> str:
        """Recent search when the whole window lies within its last 7 days, else full-archive."""
        recent = (self.now() - since).total_seconds() < RECENT_DAYS * 86400 - 60
        return f"{self.settings.api_url.rstrip('/')}/tweets/search/{'recent' if recent else 'all'}"

    def plan(self, since: datetime, until: datetime) -> str:
        return (
            f"search {self.endpoint(since)} for {self.settings.query!r} (at most {self.settings.max_posts} posts); "
            f"oEmbed {self.settings.oembed_url} for the posts shown"
        )

    def page_limit(self) -> PageLimit:
        """Room for pages the API leaves short: every page of the fewest posts it sends, and 10 more."""
        return PageLimit(ceil(self.settings.max_posts / MIN_PAGE) + 10, f"sources.twitter.max_posts / {MIN_PAGE} + 10")

    def search(self, since: datetime, until: datetime) -> Found:
        """Every page of the search, each read once, until no next_token, the post cap or
        the page limit, or a page token seen before (a paging loop)."""
        settings, endpoint = self.settings, self.endpoint(since)
        token = self._token()
        if token is None:
            raise InputError(f"twitter: the environment variable {settings.token_env} is empty or not set")

        def refused(response: Any) -> str | None:
            unauthorized = response.status_code in (401, 403)
            return f"the API refused the bearer token in ${settings.token_env}" if unauthorized else None

        page_cap = 100 if endpoint.endswith("/recent") else 500
        limit = self.page_limit()
        mentions: dict[str, Mention] = {}
        posts, malformed, seen_tokens = 0, set[str](), set()
        next_token: str | None = None

        def found(partial: str | None = None) -> Found:
            why = left_out("whose id is no number", len(malformed), partial)
            return Found(list(mentions.values()), posts, endpoint, settings.query, why)

        for _ in self.progress(range(limit.pages), None, "page"):
            asked = max(MIN_PAGE, min(settings.page_size, page_cap, settings.max_posts - posts))
            params = {
                "query": settings.query,
                "start_time": rfc3339(since),
                "end_time": rfc3339(until),
                "max_results": asked,
                "tweet.fields": TWEET_FIELDS,
                "expansions": "author_id",
                "user.fields": "username,name",
            }
            if next_token:
                params["next_token"] = next_token
            headers = {"Authorization": f"Bearer {token}"}
            try:
                data = self.http.get_json(endpoint, source="twitter", params=params, headers=headers, describe=refused)
            except FetchError as error:  # the pages read are paid for: kept (a repair would pay again)
                return found(self.cut_short(error, posts))
            try:
                page = parse_page(data, rfc3339(self.now()), since, until, most=asked)
            except ValueError as exc:  # as a page that failed: the pages read are kept
                unreadable = FetchError("twitter", f"unreadable search page from {endpoint} ({exc})", url=endpoint)
                return found(self.cut_short(unreadable, posts))
            posts += page.posts
            malformed.update(page.malformed)  # a post on two pages is one
            for mention in page.mentions:
                mentions.setdefault(mention.id, mention)
            next_token = page.next_token
            if not next_token:
                return found()
            if posts >= settings.max_posts:
                return found(f"stopped after {posts} posts (sources.twitter.max_posts)")
            if next_token in seen_tokens:  # the pages read are paid for: kept
                why = (
                    f"stopped when the search at {endpoint} sent a page token again after {posts} posts (a paging loop)"
                )
                return found(why)
            seen_tokens.add(next_token)
        return found(limit.reached())

    def embeds(self, shown: list[Mention]) -> Embeds:
        return self.oembeds(shown, self.settings.oembed_url, "oembed", self.settings.oembed_concurrency)
