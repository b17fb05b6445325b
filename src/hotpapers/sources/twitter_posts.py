"""Reading one page of X's search (`GET /2/tweets/search/*`) into mentions.

`parse_page` is pure: one search page in, mentions out. Retweets are skipped even when
the API returns them (they carry the original's counts), and so are posts outside the
window and posts that link no paper.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import msgspec
from msgspec import Struct

from hotpapers.arxiv_ids import resolve_ids
from hotpapers.errors import excerpt
from hotpapers.http_json import PageToken, more_than_asked
from hotpapers.models import TIMESTAMP_PATTERN, Count, Mention, parse_time
from hotpapers.sources.limits import kept

NonNegative = Count
_TIMESTAMP = re.compile(TIMESTAMP_PATTERN)


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
