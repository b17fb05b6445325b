"""What an engagement source is: the contract between `fetch.py` and one platform module.

`fetch.py` knows sources only through this interface and the registry in
`hotpapers.sources`; everything a platform needs (endpoints, credentials, paging,
counts, embeds) lives in its own module.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, ClassVar, Protocol

from msgspec import Struct

from hotpapers.models import Mention

if TYPE_CHECKING:
    from hotpapers.http import HttpClient


class SourceSettings(Struct, frozen=True, forbid_unknown_fields=True, kw_only=True):
    """Settings every source has; a source's own `Settings` subclasses this (config `sources.NAME`)."""

    enabled: bool = True


@dataclass(frozen=True, slots=True)
class Found:
    """What a search of one window found."""

    mentions: list[Mention]
    items: int
    """Posts or records read (billed reads where a platform bills)."""
    endpoint: str
    query: str | None = None
    partial: str | None = None
    """Why the search stopped early (a cap was reached), or None when it is complete."""


@dataclass(frozen=True, slots=True)
class Embeds:
    """Embed HTML fetched for the shown mentions, keyed by `Mention.key`."""

    html: dict[tuple[str, str], str] = field(default_factory=dict)
    unavailable: int = 0
    endpoint: str | None = None


class Source(Protocol):
    """One engagement platform. Built once per run (a login is reused across days)."""

    name: ClassVar[str]
    """The platform name used in snapshots (`Mention.platform`) and in config (`sources.NAME`)."""
    Settings: ClassVar[type[SourceSettings]]

    def __init__(
        self, settings: SourceSettings, http: HttpClient, environ: Mapping[str, str], now: Callable[[], datetime]
    ) -> None: ...

    def missing_credentials(self) -> str | None:
        """The environment variable(s) to set when credentials are missing, else None."""

    def plan(self, since: datetime, until: datetime) -> str:
        """What `search` would call, for `--dry-run`; calls nothing."""

    def search(self, since: datetime, until: datetime) -> Found:
        """Every post in [since, until) linking an arXiv paper; raises FetchError when it fails."""

    def embeds(self, shown: list[Mention]) -> Embeds | None:
        """Embed HTML for the mentions the digest shows; None for a platform without embeds."""
