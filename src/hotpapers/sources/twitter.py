"""X (Twitter): the posts linking arXiv papers in a window (API v2 search), and the
embed HTML of the posts a digest shows (oEmbed).

`parse_page` is pure: one search page in, mentions out. Retweets are skipped even when
the API returns them (they carry the original's counts), and so are posts outside the
window and posts that link no paper.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime
from itertools import count
from typing import Annotated, Any

import msgspec
from msgspec import Meta, Struct
from msgspec.structs import replace

from hotpapers.arxiv_ids import resolve_ids
from hotpapers.config import TwitterSettings
from hotpapers.errors import FetchError, InputError
from hotpapers.http import HttpClient, json_body
from hotpapers.models import Mention, parse_time

log = logging.getLogger("hotpapers")

TWEET_FIELDS = "public_metrics,created_at,entities,author_id,referenced_tweets"
RECENT_DAYS = 7
NonNegative = Annotated[int, Meta(ge=0)]


@dataclass(frozen=True, slots=True)
class Page:
    mentions: list[Mention]
    posts: int
    """Posts the page held (billed reads), retweets included."""
    next_token: str | None


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
    next_token: str | None = None


class _SearchPage(Struct):
    """The parts of a search page that are read; the API sends more, which is ignored."""

    meta: _Meta
    data: list[_Post] = []
    includes: _Includes | None = None


def parse_page(data: Any, observed_at: str, since: datetime, until: datetime) -> Page:
    """Mentions in one page of `GET /2/tweets/search/*`, read at `observed_at`. A page
    that is not shaped like the API's raises ValueError naming the place, such as
    "Expected `str`, got `int` - at `$.data[0].created_at`"."""
    page = msgspec.convert(data, _SearchPage)
    users = {user.id: user for user in page.includes.users} if page.includes else {}
    mentions = [mention for post in page.data if (mention := _mention(post, users, observed_at, since, until))]
    return Page(mentions, len(page.data), page.meta.next_token)


def _mention(
    post: _Post, users: dict[str, _User], observed_at: str, since: datetime, until: datetime
) -> Mention | None:
    if any(reference.type == "retweeted" for reference in post.referenced_tweets):
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
    handle = user.username if user else None
    return Mention(
        platform="twitter",
        id=post.id,
        url=f"https://twitter.com/{handle}/status/{post.id}"
        if handle
        else f"https://twitter.com/i/web/status/{post.id}",
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


@dataclass(slots=True)
class SearchResult:
    mentions: list[Mention]
    endpoint: str
    posts: int = 0
    capped: bool = False


def search_endpoint(settings: TwitterSettings, since: datetime, now: datetime) -> str:
    """Recent search when the whole window lies within its last 7 days, else full-archive."""
    recent = (now - since).total_seconds() < RECENT_DAYS * 86400 - 60
    return f"{settings.api_url.rstrip('/')}/tweets/search/{'recent' if recent else 'all'}"


def no_progress(items: Iterable[Any], total: int | None, unit: str) -> Iterable[Any]:
    return items


def search(
    settings: TwitterSettings,
    token: str,
    since: datetime,
    until: datetime,
    http: HttpClient,
    now_text,
    now: datetime,
    progress: Callable[..., Iterable[Any]] = no_progress,
) -> SearchResult:
    """Every page of the search, each read once, until no next_token or the post cap.
    `progress(items, None, "page")` may count the pages as they are asked for (their
    number is not known in advance)."""
    endpoint = search_endpoint(settings, since, now)
    page_cap = 100 if endpoint.endswith("/recent") else 500
    result = SearchResult([], endpoint)
    seen: set[str] = set()
    token_param: str | None = None
    for _ in progress(count(1), None, "page"):
        remaining = settings.max_posts - result.posts
        params = {
            "query": settings.query,
            "start_time": _stamp(since),
            "end_time": _stamp(until),
            "max_results": max(10, min(settings.page_size, page_cap, remaining)),
            "tweet.fields": TWEET_FIELDS,
            "expansions": "author_id",
            "user.fields": "username,name",
        }
        if token_param:
            params["next_token"] = token_param
        response = http.get(
            endpoint,
            source="twitter",
            params=params,
            headers={"Authorization": f"Bearer {token}"},
            ok_statuses=frozenset({401, 403}),
        )
        if response.status_code in (401, 403):
            raise FetchError(
                f"twitter: HTTP {response.status_code}: the API refused the bearer token in ${settings.token_env}"
            )
        try:
            page = parse_page(json_body(response), now_text(), since, until)
        except ValueError as exc:
            raise FetchError(f"twitter: unreadable search page from {endpoint} ({exc})") from None
        result.posts += page.posts
        for mention in page.mentions:
            if mention.id not in seen:
                seen.add(mention.id)
                result.mentions.append(mention)
        token_param = page.next_token
        if not token_param:
            break
        if result.posts >= settings.max_posts:
            result.capped = True
            break
    return result


def _stamp(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def bearer_token(settings: TwitterSettings, environ: dict[str, str]) -> str:
    token = environ.get(settings.token_env, "").strip()
    if not token:
        raise InputError(
            f"twitter: the environment variable {settings.token_env} is empty or not set (it must hold an X API bearer token)"
        )
    return token


@dataclass(frozen=True, slots=True)
class EmbedResult:
    mentions: dict[tuple[str, str], Mention]
    unavailable: int


def fetch_embeds(
    mentions: Iterable[Mention],
    settings: TwitterSettings,
    http: HttpClient,
    progress: Callable[..., Iterable[Any]] = no_progress,
) -> EmbedResult:
    """oEmbed HTML for the given posts, a few at a time. A deleted or protected post
    (404/403), or an oEmbed failure, leaves `embed_html` null: the post then shows the
    renderer's own fallback embed. `progress(items, total, unit)` may wrap the results
    as they arrive, for a progress bar."""
    todo = [m for m in mentions if m.platform == "twitter" and m.embed_html is None]

    def one(mention: Mention) -> Mention:
        try:
            response = http.get(
                settings.oembed_url, source="oembed", params={"url": mention.url}, ok_statuses=frozenset({403, 404})
            )
            html = json_body(response).get("html") if response.status_code == 200 else None
        except (FetchError, ValueError, AttributeError) as exc:
            log.warning("oembed: no embed for %s (%s)", mention.url, getattr(exc, "message", "unreadable body"))
            html = None
        return replace(mention, embed_html=html if isinstance(html, str) else None)

    with ThreadPoolExecutor(max_workers=settings.oembed_concurrency) as pool:
        done = list(progress(pool.map(one, todo), len(todo), "embed"))
    unavailable = sum(1 for m in done if m.embed_html is None)
    return EmbedResult({m.key: m for m in done}, unavailable)
