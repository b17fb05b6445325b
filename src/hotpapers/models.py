"""The domain as plain, frozen data: what a snapshot holds and what ranking returns.

The records a snapshot file holds (papers, mentions, their window and sources) are
msgspec Structs: frozen data classes that msgspec decodes straight from JSON, checking
the constraints their annotations carry as it goes (ids and time stamps are checked
just after). The annotations mirror the JSON Schema in `schema/snapshot.schema.json`,
which is the truth (snapshot_schema.py; a test keeps the two in agreement). Values
derived from the records (RankedPaper) are frozen Structs like them.

Times stay RFC 3339 strings exactly as stored, so that a snapshot written back is the
snapshot that was read; `parse_time` turns one into an aware datetime where a stage
needs to compute with it.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

from msgspec import Meta, Struct, to_builtins

SCHEMA_ID = "hotpapers/snapshot@1"

ARXIV_ID_PATTERN = r"^(\d{4}\.\d{4,5}|[a-z-]+(\.[A-Z]{2})?/\d{7})$"
DAY_FORM = r"\d{4}-\d{2}-\d{2}"
"""A day as the schema writes it, YYYY-MM-DD, its digits ASCII (matched under re.ASCII)."""
DAY_PATTERN = f"^{DAY_FORM}$"
TIMESTAMP_PATTERN = (
    r"(?a)^\d{4}-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12]\d|3[01])T(?:[01]\d|2[0-3]):[0-5]\d:[0-5]\d(?:\.\d+)?"
    r"(?:Z|[+-](?:[01]\d|2[0-3]):[0-5]\d)$"
)
"""RFC 3339 as the schema's `date-time` format reads it, but for the calendar (2020-02-30)."""
_HOST, _PATH, _QUERY = (
    r"[A-Za-z0-9_.~!$&'()*+,;=-]",
    r"[A-Za-z0-9_.~!$&'()*+,;=:@/-]",
    r"[A-Za-z0-9_.~!$&'()*+,;=:@/?-]",
)
_ESCAPE = r"%[0-9A-Fa-f]{2}"
WEB_URL_PATTERN = (
    rf"^https?://(?:{_HOST}++|{_ESCAPE})*+(?::[0-9]*+)?(?:/(?:{_PATH}++|{_ESCAPE})*+)?"
    rf"(?:\?(?:{_QUERY}++|{_ESCAPE})*+)?(?:#(?:{_QUERY}++|{_ESCAPE})*+)?\Z"
)
"""An http(s) URL in the subset of RFC 3986 that real links use: a name for a host, no
user info. Any URI the schema accepts but this does not sends the file to the full
check (snapshot_schema.py), so this only has to be never more lenient."""

ArxivId = str
"""Matches ARXIV_ID_PATTERN. Ids and time stamps repeat across a day's records, so
snapshot_schema.py checks them after decoding, once per distinct value, rather than
through the type (benchmarks/README.md has what that gains)."""
Timestamp = str
"""Matches TIMESTAMP_PATTERN and is a day of the calendar; checked like ArxivId."""
Day = Annotated[str, Meta(pattern=DAY_PATTERN)]
WebUrl = Annotated[str, Meta(pattern=WEB_URL_PATTERN)]
Text = Annotated[str, Meta(min_length=1)]
MAX_COUNT = 10**12
"""The largest count (of reposts, likes, requests, ...) any record may hold, from a
snapshot or an API answer: far above any real post, far below a count that would
print as hundreds of digits. The JSON Schema sets no maximum; snapshot_schema.py
applies this one to files it checks."""
Count = Annotated[int, Meta(ge=0, le=MAX_COUNT)]
Platform = Literal["twitter", "bluesky", "mastodon", "hackernews", "reddit", "huggingface", "other"]


def parse_time(value: str) -> datetime:
    """An RFC 3339 timestamp ("...Z" or "+HH:MM") as an aware datetime."""
    return datetime.fromisoformat(value)


def numeric_aware_key(identifier: str) -> tuple[int, int, str]:
    """Order ids numerically when they are ASCII numbers (tweet ids), else as text. A
    number orders by its count of significant digits, then by them: the order of int(),
    without converting an id of any length (or failing on other scripts' digits)."""
    if identifier.isascii() and identifier.isdigit():
        significant = identifier.lstrip("0")
        return (0, len(significant), significant)
    return (1, 0, identifier)


class Record(Struct, frozen=True, forbid_unknown_fields=True, gc=False):
    """A frozen record of a snapshot file; an unknown key in the file is an error. None
    holds a reference cycle, so the garbage collector need not track them (`gc=False`;
    benchmarks/README.md has what that gains)."""


class Paper(Record, frozen=True):
    """One arXiv paper's metadata, as the arXiv API gave it."""

    id: ArxivId
    title: Text
    authors: tuple[Text, ...]
    categories: tuple[Text, ...]
    """Primary category first, then cross-lists, in arXiv's order."""
    abstract: str
    abs_url: WebUrl
    pdf_url: WebUrl | None
    version: Annotated[int, Meta(ge=1, le=MAX_COUNT)] | None = None
    published: Timestamp | None = None
    updated: Timestamp | None = None
    comment: str | None = None
    journal_ref: str | None = None
    doi: str | None = None


class Mention(Record, frozen=True):
    """One social post linking one or more papers, with counts read at `observed_at`."""

    platform: Platform
    id: Text
    url: WebUrl
    paper_ids: Annotated[tuple[ArxivId, ...], Meta(min_length=1)]
    reposts: Count
    likes: Count
    observed_at: Timestamp
    author_handle: str | None = None
    author_name: str | None = None
    created_at: Timestamp | None = None
    text: str | None = None
    replies: Count | None = None
    quotes: Count | None = None
    embed_html: str | None = None

    @property
    def key(self) -> tuple[str, str]:
        return (self.platform, self.id)


class Window(Record, frozen=True):
    """The half-open interval [since, until) that was searched."""

    since: Timestamp
    until: Timestamp


ARXIV = "arxiv"
"""The metadata provider's name in request counts and snapshot statuses (`Snapshot.sources`)."""


class SourceStatus(Record, frozen=True):
    """Provenance of one source: whether it worked, and what it cost."""

    status: Literal["ok", "partial", "failed", "skipped"]
    detail: str | None = None
    endpoint: str | None = None
    query: str | None = None
    requests: Count | None = None
    items: Count | None = None
    fetched_at: Timestamp | None = None


class Snapshot(Record, frozen=True):
    """Everything known about one digest day; the only input of ranking and rendering."""

    date: Day
    taken_at: Timestamp
    papers: tuple[Paper, ...]
    mentions: tuple[Mention, ...]
    window: Window | None = None
    sources: dict[str, SourceStatus] = {}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Snapshot:
        """Build from a dict that already passed the schema."""
        window = data.get("window")
        return cls(
            date=data["date"],
            taken_at=data["taken_at"],
            papers=tuple(_paper_from_dict(p) for p in data["papers"]),
            mentions=tuple(_mention_from_dict(m) for m in data["mentions"]),
            window=Window(**window) if window else None,
            sources={name: SourceStatus(**s) for name, s in data.get("sources", {}).items()},
        )

    def to_dict(self) -> dict[str, Any]:
        """The stable JSON form: papers by id, mentions by platform then id. A snapshot made in
        Python may hold other types than a file's (a `date`, a number for an id): they are
        written as msgspec writes them, for the schema to judge; a TypeError for one it cannot,
        or for bytes (which msgspec writes as their base64 text: a title given as bytes)."""
        data: dict[str, Any] = {
            "schema": SCHEMA_ID,
            "date": _builtins(self.date),
            "taken_at": _builtins(self.taken_at),
        }
        if self.window is not None:
            data["window"] = _builtins(self.window)
        if self.sources:
            data["sources"] = {name: _builtins(self.sources[name]) for name in sorted(self.sources)}
        data["papers"] = _builtins(sorted(self.papers, key=lambda p: str(p.id)))
        data["mentions"] = _builtins(
            sorted(self.mentions, key=lambda m: (str(m.platform), numeric_aware_key(str(m.id))))
        )
        return data


def _builtins(value: Any) -> Any:
    return to_builtins(value, builtin_types=(bytes, bytearray, memoryview))  # for json to refuse


def _paper_from_dict(data: dict[str, Any]) -> Paper:
    return Paper(**{**data, "authors": tuple(data["authors"]), "categories": tuple(data["categories"])})


def _mention_from_dict(data: dict[str, Any]) -> Mention:
    return Mention(**{**data, "paper_ids": tuple(data["paper_ids"])})


COUNTS = ("reposts", "likes", "replies", "quotes")
"""A mention's counts, in the order of `PlatformTotals`; ranking weighs each."""


class PlatformTotals(Struct, frozen=True, gc=False):
    """One platform's share of a paper's engagement: its mentions' summed counts (a
    null count is 0) and their weighted sum."""

    platform: str
    reposts: int
    likes: int
    replies: int
    quotes: int
    score: float
    observed_at: str
    """The latest `observed_at` among the paper's mentions on this platform."""


class RankedPaper(Struct, frozen=True, gc=False):
    """A paper that made the digest: its totals and the mentions to embed."""

    paper: Paper
    reposts: int
    likes: int
    """Reposts and likes summed over every platform (the classic post's line)."""
    score: float
    observed_at: str
    """The latest `observed_at` among the paper's mentions."""
    shown: tuple[Mention, ...]
    platforms: tuple[PlatformTotals, ...]
    """Per platform, best score first (then by name)."""
