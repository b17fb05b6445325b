"""Hugging Face daily papers: each paper on the list of the digest day is one mention.

`GET {api_url}/daily_papers?date=D` lists the papers of day D, both in the 2024 shape
(`paper`, `publishedAt`, `title`, `mediaUrl`, `numComments`) and in the current one
(adds `submittedBy`, `paper.submittedOnDailyAt`, ...). Upvotes sit inside `paper`,
comments outside. The list is paged (`limit` at most 100, `p` from 0) and a page may
hold fewer items than asked, so pages are read until one is empty or adds no paper
(in case the server ignores `p`), up to `max_pages`. An empty first page is a quiet
day (weekends), not a failure.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, date, datetime
from typing import Annotated, Any, ClassVar

import msgspec
from msgspec import Meta, Struct

from hotpapers.arxiv_ids import id_from_url
from hotpapers.config_types import Url
from hotpapers.errors import FetchError, OutOfTimeError
from hotpapers.http_json import more_than_asked
from hotpapers.models import Count, Mention
from hotpapers.sanitize import one_line
from hotpapers.sources.base import Display, Found, PageLimit, Source, SourceSettings, rfc3339
from hotpapers.sources.limits import DayBudget, kept

PAPER_URL = "https://huggingface.co/papers/"
NonNegative = Count


class HuggingFaceSettings(SourceSettings, frozen=True, forbid_unknown_fields=True, kw_only=True):
    """`sources.huggingface` in the config."""

    api_url: Url = "https://huggingface.co/api"
    page_size: Annotated[int, Meta(ge=1, le=100)] = 100
    max_pages: Annotated[int, Meta(ge=1)] = 10
    min_interval: Annotated[float, Meta(ge=0)] = 0.6
    """Seconds between request starts: Hugging Face allows 500 requests per 5 minutes per address."""


def digest_day(since: datetime) -> date:
    """The date asked for: the digest day, whose midnight in the configured zone starts
    the window, not the UTC day the window overlaps most (the list of a day is what
    Hugging Face featured that day)."""
    return since.date()


class _Submitter(Struct):
    name: str | None = None
    user: str | None = None
    fullname: str | None = None


class _Paper(Struct):
    id: str
    title: str | None = None
    upvotes: NonNegative = 0
    submittedOnDailyAt: datetime | None = None
    submittedOnDailyBy: _Submitter | None = None


class _Item(Struct):
    paper: _Paper
    title: str | None = None
    publishedAt: datetime | None = None
    """In the 2024 shape, when the paper was put on the list; now the arXiv release."""
    numComments: NonNegative | None = None
    submittedBy: _Submitter | None = None

    def __post_init__(self) -> None:
        for moment in (self.publishedAt, self.paper.submittedOnDailyAt):
            if moment is not None and not 1000 <= moment.year <= 9998:
                raise ValueError(f"a time stamp in year {moment.year}")


class Page(Struct, frozen=True):
    ids: list[str]
    """The ids of every item, arXiv ids or not."""
    mentions: list[Mention]


def parse_page(data: Any, observed_at: str, most: int | None = None) -> Page:
    """Mentions in one page of `GET /daily_papers`, read at `observed_at`; items whose
    id is no arXiv id are left out. A wrong shape raises ValueError naming the place,
    such as "Expected `int`, got `str` - at `$[0].paper.upvotes`", as does a page of
    more items than `most` (the `limit` asked for)."""
    more_than_asked(data, None, most, "items")
    items = msgspec.convert(data, list[_Item])
    mentions = [mention for item in items if (mention := _mention(item, observed_at))]
    return Page([item.paper.id for item in items], mentions)


def _mention(item: _Item, observed_at: str) -> Mention | None:
    paper_id = id_from_url(f"{PAPER_URL}{item.paper.id}")
    if paper_id is None:
        return None
    submitter = item.submittedBy or item.paper.submittedOnDailyBy
    listed = item.paper.submittedOnDailyAt or item.publishedAt
    title = item.title or item.paper.title
    return kept(
        Mention(
            platform="huggingface",
            id=paper_id,
            url=f"{PAPER_URL}{paper_id}",
            paper_ids=(paper_id,),
            reposts=0,
            likes=item.paper.upvotes,
            replies=item.numComments,
            observed_at=observed_at,
            author_handle=(submitter.name or submitter.user) if submitter else None,
            author_name=submitter.fullname if submitter else None,
            created_at=_stamp(listed) if listed else None,
            text=one_line(title).strip() if title else None,
        )
    )


def _stamp(moment: datetime) -> str:
    """A stamp without an offset is taken as UTC."""
    return rfc3339(moment if moment.tzinfo else moment.replace(tzinfo=UTC))


class HuggingFaceSource(Source):
    """Papers on Hugging Face's daily list: upvotes as likes, comments as replies. No key, no embeds."""

    name: ClassVar[str] = "huggingface"
    cost: ClassVar[str] = "free"
    display: ClassVar[Display] = Display(
        "Hugging Face", (("likes", "upvotes"), ("replies", "comments")), embedded=False
    )
    weights: ClassVar[Mapping[str, float]] = {"likes": 1.0}
    Settings: ClassVar[type[SourceSettings]] = HuggingFaceSettings

    settings: HuggingFaceSettings

    @property
    def endpoint(self) -> str:
        return f"{self.settings.api_url.rstrip('/')}/daily_papers"

    def plan(self, since: datetime, until: datetime) -> str:
        return f"list {self.endpoint}?date={digest_day(since).isoformat()}"

    def page_limit(self) -> PageLimit:
        return PageLimit(self.settings.max_pages, "sources.huggingface.max_pages")

    def search(self, since: datetime, until: datetime) -> Found:
        day = digest_day(since).isoformat()
        found: dict[str, Mention] = {}
        seen: set[str] = set()
        budget = DayBudget()
        limit = self.page_limit()
        for number in range(limit.pages):
            try:
                page = self._page(day, number)
            except OutOfTimeError as error:
                why = self.cut_short(error, len(seen), "paper")
                return Found(list(found.values()), len(seen), self.endpoint, f"date={day}", why)
            if not set(page.ids) - seen:
                return Found(list(found.values()), len(seen), self.endpoint, f"date={day}")
            seen.update(page.ids)
            for mention in page.mentions:
                if not budget.keep(found, mention):
                    why = budget.reached(len(found), "paper")
                    return Found(list(found.values()), len(seen), self.endpoint, f"date={day}", why)
        return Found(list(found.values()), len(seen), self.endpoint, f"date={day}", limit.reached())

    def _page(self, day: str, number: int) -> Page:
        params: dict[str, str | int] = {"date": day, "limit": self.settings.page_size, "p": number}
        data = self.http.get_json(
            self.endpoint, source=self.name, params=params, min_interval=self.settings.min_interval
        )
        try:
            return parse_page(data, rfc3339(self.now()), most=self.settings.page_size)
        except ValueError as exc:
            raise FetchError(
                self.name, f"unreadable daily papers from {self.endpoint} ({exc})", url=self.endpoint
            ) from None
