"""Reading one page of Bluesky's `app.bsky.feed.searchPosts` into mentions.

A post's text shows its links shortened ("arxiv.org/abs/2411.0..."), so links are read
from the record's link facets and its own link card (`app.bsky.embed.external`, also
beside a quote in `recordWithMedia`); a quoted post's links are not the post's own.
Records are written by any client, so their parts are read leniently; the server's
own fields (uri, author, counts) must have the API's shape.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Annotated, Any

import msgspec
from msgspec import Meta, Struct

from hotpapers.arxiv_ids import resolve_ids
from hotpapers.http_json import PageToken, more_than_asked
from hotpapers.models import Count, Mention
from hotpapers.sources.limits import kept

NonNegative = Count
_HANDLE = re.compile(
    r"(?!handle\.invalid$)(?=.{1,253}$)([A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
)
"""AT Protocol handle syntax (a domain name); `handle.invalid` is what an unverified one shows."""
_DID = re.compile(r"(?=.{1,2048}$)did:[a-z]+:([A-Za-z0-9._:-]|%[0-9A-Fa-f]{2})*[A-Za-z0-9._-]")
_RECORD_KEY = re.compile(r"(?!\.{1,2}$)[A-Za-z0-9._:~-]{1,512}")
"""AT Protocol DID and record key syntax: what a post's bsky.app URL is made of."""
_LINK_FACET = "app.bsky.richtext.facet#link"


class _Author(Struct):
    did: str
    handle: str
    displayName: str | None = None


class _Post(Struct):
    uri: Annotated[str, Meta(pattern=r"^at://[^/]+/app\.bsky\.feed\.post/[^/]+$")]
    author: _Author
    record: dict[str, Any]
    indexedAt: str
    embed: dict[str, Any] | None = None
    replyCount: NonNegative | None = None
    repostCount: NonNegative = 0
    likeCount: NonNegative = 0
    quoteCount: NonNegative | None = None
    """Missing before 2024."""


class _SearchPage(Struct):
    posts: list[_Post]
    cursor: PageToken | None = None


@dataclass(frozen=True, slots=True)
class Page:
    mentions: list[Mention]
    posts: int
    cursor: str | None
    malformed: int = 0
    """Posts left out: their URI's DID or record key breaks the AT Protocol syntax."""


def parse_page(data: Any, observed_at: str, since: datetime, until: datetime, most: int | None = None) -> Page:
    """Mentions in one page of `app.bsky.feed.searchPosts`, read at `observed_at`. A page
    not shaped like the API's raises ValueError naming the place (`$.posts[3].uri`), as
    does one of more posts than `most` (the `limit` asked for)."""
    more_than_asked(data, "posts", most, "posts")
    page = msgspec.convert(data, _SearchPage)
    wellformed = [post for post in page.posts if _address(post)]
    mentions = [mention for post in wellformed if (mention := _mention(post, observed_at, since, until))]
    return Page(mentions, len(page.posts), page.cursor, len(page.posts) - len(wellformed))


def _address(post: _Post) -> tuple[str, str] | None:
    """The DID and record key of the post's URI, when both follow the AT Protocol syntax."""
    did, _, rkey = post.uri.removeprefix("at://").partition("/app.bsky.feed.post/")
    return (did, rkey) if _DID.fullmatch(did) and _RECORD_KEY.fullmatch(rkey) else None


def _mention(post: _Post, observed_at: str, since: datetime, until: datetime) -> Mention | None:
    created, indexed = _moment(post.record.get("createdAt")), _moment(post.indexedAt)
    sort_at = min((m for m in (created, indexed) if m), default=None)
    if sort_at and not since <= sort_at < until:  # the server's window is on sortAt too
        return None
    text = post.record.get("text")
    text = text if isinstance(text, str) else ""
    paper_ids = resolve_ids(_links(post), text)
    if not paper_ids:
        return None
    did, rkey = _address(post) or ("", "")
    handle = post.author.handle if _HANDLE.fullmatch(post.author.handle) else None
    return kept(
        Mention(
            platform="bluesky",
            id=post.uri,
            url=f"https://bsky.app/profile/{handle or did}/post/{rkey}",
            paper_ids=paper_ids,
            reposts=post.repostCount,
            likes=post.likeCount,
            replies=post.replyCount,
            quotes=post.quoteCount,
            observed_at=observed_at,
            author_handle=handle,
            author_name=post.author.displayName or None,
            created_at=_stamp(created),
            text=text or None,
        )
    )


def _links(post: _Post) -> list[str]:
    """The post's own links: its link facets, then its link card (as written and as shown)."""
    facets = post.record.get("facets")
    links = [
        feature.get("uri")
        for facet in (facets if isinstance(facets, list) else [])
        if isinstance(facet, dict) and isinstance(facet.get("features"), list)
        for feature in facet["features"]
        if isinstance(feature, dict) and feature.get("$type") == _LINK_FACET
    ]
    links += [_card_link(post.record.get("embed")), _card_link(post.embed)]
    return [link for link in links if isinstance(link, str)]


def _card_link(embed: Any) -> Any:
    """The uri of a link card (`app.bsky.embed.external`, or its `#view`), also when it is
    the media beside a quote (`recordWithMedia`); None for images, videos and quotes."""
    if not isinstance(embed, dict):
        return None
    kind = str(embed.get("$type", "")).partition("#")[0]
    if kind == "app.bsky.embed.recordWithMedia":
        return _card_link(embed.get("media"))
    external = embed.get("external") if kind == "app.bsky.embed.external" else None
    return external.get("uri") if isinstance(external, dict) else None


def _moment(value: Any) -> datetime | None:
    """An RFC 3339 time from the API or a record as an aware datetime; None when unreadable.
    A record's time written without an offset is taken as UTC."""
    if not isinstance(value, str):
        return None
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _stamp(moment: datetime | None) -> str | None:
    """UTC with milliseconds, like most records' own `createdAt` (some carry microseconds);
    None outside the years a snapshot holds (1000-9998; a record's time is the client's)."""
    if moment is None or not 1001 <= moment.year <= 9997:  # its offset may move it a year
        return None
    return moment.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")
