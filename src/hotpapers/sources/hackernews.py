"""Hacker News: the stories linking arXiv papers in a window, through Algolia's HN search.

One `search_by_date` request covers a day. Algolia returns at most 1,000 hits for a
query, so a window with more hits than its answer holds is split in halves, recursively,
down to `max_depth` levels; a window still too full there keeps the newest hits and the
search is marked partial. `parse_page` is pure: one answer in, mentions out. Every hit
field but `objectID` may be missing (the old answers carry explicit nulls instead).
"""

from __future__ import annotations

import html
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Annotated, Any, ClassVar

import msgspec
from msgspec import Meta, Struct

from hotpapers.arxiv_ids import resolve_ids
from hotpapers.config_types import Url
from hotpapers.errors import FetchError, OutOfTimeError
from hotpapers.http_json import more_than_asked
from hotpapers.models import Count, Mention
from hotpapers.plural import count
from hotpapers.sanitize import one_line
from hotpapers.sources.base import Display, Found, PageLimit, Source, SourceSettings, rfc3339
from hotpapers.sources.limits import DayBudget, kept

ITEM_URL = "https://news.ycombinator.com/item?id="
NonNegative = Count
EpochSeconds = Annotated[int, Meta(ge=0, lt=253370764800)]
"""Up to the end of year 9998, the last a snapshot time stamp may hold."""
_URL_IN_TEXT = re.compile(r"https?://[^\s\"'<>]+")
_TAG = re.compile(r"<[^<>]*>")
"""A tag of the story's HTML; not one holding a `<`, so each `<` is read once (with `[^>]`,
each `<` without a `>` after it read the rest of the text: quadratic time)."""


class HackerNewsSettings(SourceSettings, frozen=True, forbid_unknown_fields=True, kw_only=True):
    """`sources.hackernews` in the config."""

    api_url: Url = "https://hn.algolia.com/api/v1"
    query: Annotated[str, Meta(min_length=1)] = "arxiv.org"
    searchable: Annotated[tuple[str, ...], Meta(min_length=1)] = ("url", "story_text")
    """Where `query` must occur: the story's link, or the text of an Ask HN without one."""
    hits_per_page: Annotated[int, Meta(ge=1, le=1000)] = 1000
    max_depth: Annotated[int, Meta(ge=0, le=12)] = 6
    """How often a window may be halved (6: down to 1/64 of a day, at most 127 requests)."""
    min_interval: Annotated[float, Meta(ge=0)] = 0.4
    """Seconds between request starts: Algolia allows 10,000 requests an hour per address."""


class _Hit(Struct):
    objectID: Annotated[str, Meta(pattern=r"^[0-9]{1,19}$")]
    """An item id, a number of 8 digits today: one of 100,000 made its post's link 100 KB long."""
    title: str | None = None
    url: str | None = None
    story_text: str | None = None
    author: str | None = None
    points: NonNegative | None = None
    num_comments: NonNegative | None = None
    created_at_i: EpochSeconds | None = None


class _Answer(Struct):
    hits: list[_Hit]
    nbHits: NonNegative | None = None


class Page(Struct, frozen=True):
    mentions: list[Mention]
    hits: int
    """Stories the answer held, with or without a paper."""
    complete: bool
    """False when the window has more hits than the answer holds."""


def parse_page(data: Any, observed_at: str, since: int, until: int, most: int | None = None) -> Page:
    """Mentions in one answer of `GET /search_by_date`, read at `observed_at`, keeping
    stories created in [since, until) (epoch seconds). A wrong shape raises ValueError
    naming the place, such as "Expected `int`, got `str` - at `$.hits[0].points`", as does
    one of more hits than `most` (the `hitsPerPage` asked for)."""
    more_than_asked(data, "hits", most, "hits")
    answer = msgspec.convert(data, _Answer)
    mentions = [mention for hit in answer.hits if (mention := _mention(hit, observed_at, since, until))]
    complete = len(answer.hits) >= answer.nbHits if answer.nbHits is not None else True
    return Page(mentions, len(answer.hits), complete)


def _mention(hit: _Hit, observed_at: str, since: int, until: int) -> Mention | None:
    if hit.created_at_i is not None and not since <= hit.created_at_i < until:
        return None
    text = html.unescape(hit.story_text or "")
    urls = ([hit.url] if hit.url else []) + [url.rstrip(".,;:!?)]") for url in _URL_IN_TEXT.findall(text)]
    paper_ids = resolve_ids(urls, _TAG.sub(" ", text))
    if not paper_ids:
        return None
    return kept(
        Mention(
            platform="hackernews",
            id=hit.objectID,
            url=f"{ITEM_URL}{hit.objectID}",
            paper_ids=paper_ids,
            reposts=0,
            likes=hit.points or 0,
            replies=hit.num_comments,
            observed_at=observed_at,
            author_handle=hit.author,
            created_at=rfc3339(datetime.fromtimestamp(hit.created_at_i, UTC)) if hit.created_at_i is not None else None,
            text=one_line(hit.title) if hit.title else None,
        )
    )


@dataclass(slots=True)
class _Tally:
    """What the answers of one search's windows added up to."""

    found: dict[str, Mention] = field(default_factory=dict)
    items: int = 0
    incomplete: int = 0
    budget: DayBudget = field(default_factory=DayBudget)
    """Full: the windows not read yet are not asked for."""


class HackerNewsSource(Source):
    """Stories on Hacker News linking arXiv papers. No key needed; no embeds."""

    name: ClassVar[str] = "hackernews"
    cost: ClassVar[str] = "free"
    display: ClassVar[Display] = Display("Hacker News", (("likes", "points"), ("replies", "comments")), embedded=False)
    weights: ClassVar[Mapping[str, float]] = {"likes": 1.0, "replies": 1.0}
    Settings: ClassVar[type[SourceSettings]] = HackerNewsSettings

    settings: HackerNewsSettings

    @property
    def endpoint(self) -> str:
        return f"{self.settings.api_url.rstrip('/')}/search_by_date"

    def plan(self, since: datetime, until: datetime) -> str:
        return (
            f"search {self.endpoint} for stories matching {self.settings.query!r} "
            f"(one request, more when the day has over {self.settings.hits_per_page} stories)"
        )

    def page_limit(self) -> PageLimit:
        """A window is halved at most max_depth times: a full binary tree of requests. The
        halving keeps to it by itself, so the search needs no count of its own."""
        return PageLimit(2 ** (self.settings.max_depth + 1) - 1, "sources.hackernews.max_depth")

    def search(self, since: datetime, until: datetime) -> Found:
        tally, stopped = _Tally(), None
        try:
            self._search(int(since.timestamp()), int(until.timestamp()), 0, tally)
        except OutOfTimeError as error:  # the windows read are kept, the newest first
            stopped = self.cut_short(error, tally.items, "story", "stories")
        crowded = (
            f"{count(tally.incomplete, 'window')} still had more stories than one answer holds after "
            f"{self.settings.max_depth} halvings (sources.hackernews.max_depth); the newest were kept"
            if tally.incomplete
            else None
        )
        full = tally.budget.reached(len(tally.found), "story", "stories") if tally.budget.full else None
        partial = "; ".join(why for why in (stopped, full, crowded) if why) or None
        return Found(list(tally.found.values()), tally.items, self.endpoint, self.settings.query, partial)

    def _search(self, since: int, until: int, depth: int, tally: _Tally) -> None:
        if tally.budget.full:
            return
        page = self._page(since, until)
        if not page.complete and until - since > 1 and depth < self.settings.max_depth:
            middle = (since + until) // 2
            self._search(middle, until, depth + 1, tally)
            self._search(since, middle, depth + 1, tally)
            return
        tally.items += page.hits
        tally.incomplete += not page.complete
        for mention in page.mentions:
            if not tally.budget.keep(tally.found, mention):
                return

    def _page(self, since: int, until: int) -> Page:
        params: dict[str, str | int] = {
            "query": self.settings.query,
            "tags": "story",
            "restrictSearchableAttributes": ",".join(self.settings.searchable),
            "numericFilters": f"created_at_i>={since},created_at_i<{until}",
            "hitsPerPage": self.settings.hits_per_page,
        }
        data = self.http.get_json(
            self.endpoint, source=self.name, params=params, min_interval=self.settings.min_interval
        )
        try:
            return parse_page(data, rfc3339(self.now()), since, until, most=self.settings.hits_per_page)
        except ValueError as exc:
            raise FetchError(
                self.name, f"unreadable search answer from {self.endpoint} ({exc})", url=self.endpoint
            ) from None
