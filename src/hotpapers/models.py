"""The domain as plain, frozen data: what a snapshot holds and what ranking returns.

Times stay RFC 3339 strings exactly as stored, so that a snapshot written back is the
snapshot that was read; `parse_time` turns one into an aware datetime where a stage
needs to compute with it.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from datetime import datetime
from typing import Any

SCHEMA_ID = "hotpapers/snapshot@1"


def parse_time(value: str) -> datetime:
    """An RFC 3339 timestamp ("...Z" or "+HH:MM") as an aware datetime."""
    return datetime.fromisoformat(value)


def numeric_aware_key(identifier: str) -> tuple[int, int, str]:
    """Order ids numerically when they are numbers (tweet ids), else as text."""
    if identifier.isdigit():
        return (0, int(identifier), "")
    return (1, 0, identifier)


@dataclass(frozen=True, slots=True)
class Paper:
    """One arXiv paper's metadata, as the arXiv API gave it."""

    id: str
    title: str
    authors: tuple[str, ...]
    categories: tuple[str, ...]
    """Primary category first, then cross-lists, in arXiv's order."""
    abstract: str
    abs_url: str
    pdf_url: str | None
    version: int | None = None
    published: str | None = None
    updated: str | None = None
    comment: str | None = None
    journal_ref: str | None = None
    doi: str | None = None


@dataclass(frozen=True, slots=True)
class Mention:
    """One social post linking one or more papers, with counts read at `observed_at`."""

    platform: str
    id: str
    url: str
    paper_ids: tuple[str, ...]
    reposts: int
    likes: int
    observed_at: str
    author_handle: str | None = None
    author_name: str | None = None
    created_at: str | None = None
    text: str | None = None
    replies: int | None = None
    quotes: int | None = None
    embed_html: str | None = None

    @property
    def key(self) -> tuple[str, str]:
        return (self.platform, self.id)


@dataclass(frozen=True, slots=True)
class Window:
    """The half-open interval [since, until) that was searched."""

    since: str
    until: str


@dataclass(frozen=True, slots=True)
class SourceStatus:
    """Provenance of one source: whether it worked, and what it cost."""

    status: str
    detail: str | None = None
    endpoint: str | None = None
    query: str | None = None
    requests: int | None = None
    items: int | None = None
    fetched_at: str | None = None


@dataclass(frozen=True, slots=True)
class Snapshot:
    """Everything known about one digest day; the only input of ranking and rendering."""

    date: str
    taken_at: str
    papers: tuple[Paper, ...]
    mentions: tuple[Mention, ...]
    window: Window | None = None
    sources: dict[str, SourceStatus] = field(default_factory=dict)

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
        """The stable JSON form: papers by id, mentions by platform then id."""
        data: dict[str, Any] = {"schema": SCHEMA_ID, "date": self.date, "taken_at": self.taken_at}
        if self.window is not None:
            data["window"] = _as_dict(self.window)
        if self.sources:
            data["sources"] = {name: _as_dict(self.sources[name]) for name in sorted(self.sources)}
        data["papers"] = [_as_dict(p) for p in sorted(self.papers, key=lambda p: p.id)]
        data["mentions"] = [
            _as_dict(m)
            for m in sorted(self.mentions, key=lambda m: (m.platform, numeric_aware_key(m.id)))
        ]
        return data


def _paper_from_dict(data: dict[str, Any]) -> Paper:
    return Paper(**{**data, "authors": tuple(data["authors"]), "categories": tuple(data["categories"])})


def _mention_from_dict(data: dict[str, Any]) -> Mention:
    return Mention(**{**data, "paper_ids": tuple(data["paper_ids"])})


def _as_dict(obj: Any) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for f in fields(obj):
        value = getattr(obj, f.name)
        out[f.name] = list(value) if isinstance(value, tuple) else value
    return out


@dataclass(frozen=True, slots=True)
class RankedPaper:
    """A paper that made the digest: its totals and the mentions to embed."""

    paper: Paper
    reposts: int
    likes: int
    score: float
    observed_at: str
    """The latest `observed_at` among the paper's mentions."""
    shown: tuple[Mention, ...]
