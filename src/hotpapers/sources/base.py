"""What an engagement source is: the contract between `fetch.py` and one platform module.

Nothing outside `hotpapers.sources` knows a platform but through this interface and
the registry there; everything a platform needs (endpoints, credentials, paging,
counts, embeds and their rules, how a post speaks of it, its default weights, what a
site needs for its embeds) lives in its own module (docs/sources.md). Source modules
import nothing heavy at module level (no requests): the config reads their `Settings`
on every command.
"""

from __future__ import annotations

import logging
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterable, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, ClassVar, get_args

from msgspec import Meta, Struct

from hotpapers.errors import FetchError, InputError
from hotpapers.models import COUNTS, Mention, Platform
from hotpapers.plural import count
from hotpapers.profiles import PROFILES
from hotpapers.sanitize import EmbedRules

if TYPE_CHECKING:
    from hotpapers.http import HttpClient

log = logging.getLogger("hotpapers")


Progress = Callable[[Iterable[Any], int | None, str], Iterable[Any]]
"""Wraps long waits for a progress bar: (items, total or None, unit) -> the same items."""


def no_progress(items: Iterable[Any], total: int | None, unit: str) -> Iterable[Any]:
    return items


def rfc3339(moment: datetime) -> str:
    """A time stamp as snapshots store it: UTC, whole seconds, `Z`."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


class SourceSettings(Struct, frozen=True, forbid_unknown_fields=True, kw_only=True):
    """Settings every source has; a source's own `Settings` subclasses this (config `sources.NAME`)."""

    enabled: bool = True


_OFF = "sources.NAME.enabled: false turns a source off (each is on by default)"
SWITCH = Meta(extra={"hints": {False: _OFF, True: _OFF}})
"""What a config error for `sources: {NAME: false}` says (a source's section is no switch)."""


@dataclass(frozen=True, slots=True)
class Found:
    """What a search of one window found."""

    mentions: list[Mention]
    items: int
    """Posts or records read (billed reads where a platform bills)."""
    endpoint: str
    query: str | None = None
    partial: str | None = None
    """Why the search is incomplete (a cap was reached, records were left out), or None."""


@dataclass(frozen=True, slots=True)
class PageLimit:
    """The most requests one search of a source makes, whatever its server answers."""

    pages: int
    setting: str
    """Where the limit comes from, for messages: 'sources.huggingface.max_pages'."""

    def reached(self) -> str:
        """Why a search stopped at the limit, for the source's status."""
        return f"stopped after {self.pages} pages ({self.setting})"


def left_out(what: str, malformed: int, partial: str | None = None) -> str | None:
    """A search's `partial` status with the `malformed` posts it left out (`what`: whose
    what is malformed)."""
    if not malformed:
        return partial
    why = f"left out {count(malformed, 'post')} {what}"
    return f"{partial}; {why}" if partial else why


@dataclass(frozen=True, slots=True)
class Embeds:
    """Embed HTML fetched for the shown mentions, keyed by `Mention.key`."""

    source: str
    """The name its requests are counted under and its status is recorded under in a
    snapshot; where that is a source's own name (its search's status), `NAME-embeds`."""
    html: dict[tuple[str, str], str] = field(default_factory=dict)
    unavailable: int = 0
    endpoint: str | None = None


MAX_EMBED_HTML = 65_536
"""The longest embed HTML kept, in characters: a real one is about a kilobyte, and one of
X's longest posts (25,000 characters) some 40,000. Each is kept in memory and in the
snapshot: an oEmbed server answering 50 MB for each of a day's 12 shown posts took 1.8 GB
and a snapshot too large to write, which lost the day."""

GENERIC_EMBED = "generic"
"""The embed template (`embeds/generic.html.j2`) of a platform that declares none."""


@dataclass(frozen=True, slots=True)
class Display:
    """How a post speaks of a platform: by its name, and of its counts in its own words."""

    name: str
    counts: tuple[tuple[str, str], ...]
    """(a `Mention` count, the platform's word for it), in the order a post shows them."""
    embedded: bool = True
    """A shown mention is embedded (the platform has embeds); else a line linking its discussion."""
    embed_rules: EmbedRules | None = None
    """What a mention's own embed HTML may be to be passed through; None: none is."""
    embed_template: str = GENERIC_EMBED
    """The template (`embeds/NAME.html.j2`) that writes an embed from a shown mention's
    fields when its own embed HTML is missing or refused."""
    classic: bool = False
    """A paper only this platform talks about keeps the classic post's engagement line:
    the counts without the platform's name."""


class Source(ABC):
    """One engagement platform: a subclass sets the class attributes and implements
    `page_limit`, `plan` and `search`. Built once per run (a login is reused across days), with the run's HTTP
    client, environment, clock and progress hook."""

    name: ClassVar[str]
    """The platform name used in snapshots (`Mention.platform`) and in config (`sources.NAME`)."""
    cost: ClassVar[str]
    """What reading it costs, for the config `hotpapers init` writes: "free", "pay-per-use, ..."."""
    display: ClassVar[Display]
    Settings: ClassVar[type[SourceSettings]]
    weights: ClassVar[Mapping[str, float] | None] = None
    """The platform's default `ranking.platform_weights` entry (a weight per `Mention`
    count); None: the general `ranking.weights` apply to it."""
    site_steps: ClassVar[Mapping[str, str]] = {}
    """What a site of an output profile needs for this platform's embeds to show, by
    profile name: a next step `hotpapers init` prints."""

    def __init_subclass__(cls, **kwargs: Any) -> None:
        """What a source declares is checked where it is made: a platform the snapshot
        schema does not list could never be stored (each of its mentions would be left
        out of the day with a warning), a count a mention does not have, in its display
        or weights, failed a post's template or the import of the package, and a site
        step for no profile was never said."""
        super().__init_subclass__(**kwargs)
        name = cls.__dict__.get("name")
        if name is not None and name not in get_args(Platform):
            raise TypeError(
                f"{cls.__name__}.name is {name!r}, not a platform of the snapshot schema "
                f"({', '.join(get_args(Platform))}): docs/sources.md, 'The platform's name'"
            )
        display, weights = cls.__dict__.get("display"), cls.__dict__.get("weights")
        counts = {"display.counts": [count for count, _ in display.counts] if display else [], "weights": weights or []}
        for where, names in counts.items():
            if unknown := [count for count in names if count not in COUNTS]:
                raise TypeError(
                    f"{cls.__name__}.{where} names {unknown[0]!r}, not a count of a mention ({', '.join(COUNTS)})"
                )
        if unknown := [profile for profile in cls.__dict__.get("site_steps", {}) if profile not in PROFILES]:
            raise TypeError(
                f"{cls.__name__}.site_steps names {unknown[0]!r}, not an output profile ({', '.join(PROFILES)})"
            )

    def __init__(
        self,
        settings: Any,
        http: HttpClient,
        environ: Mapping[str, str],
        now: Callable[[], datetime],
        progress: Progress = no_progress,
    ) -> None:
        self.settings = settings
        self.http = http
        self.environ = environ
        self.now = now
        self.progress = progress

    def missing_credentials(self) -> str | None:
        """The environment variable(s) to set when credentials are missing, else None:
        by default those its `*_env` settings name that are unset or blank (the ones
        `hotpapers init` names). Raises InputError when one is set but unusable."""
        names = [getattr(self.settings, key) for key in self.settings.__struct_fields__ if key.endswith("_env")]
        return " and ".join(name for name in names if not self.credential(name)) or None

    def credential(self, variable: str, what: str = "credential") -> str:
        """The value of the environment variable `variable`, stripped ('' when unset);
        InputError when it holds a character no `what` has (non-ASCII, a control)."""
        value = self.environ.get(variable, "").strip()
        if not (value.isascii() and value.isprintable()):
            raise InputError(
                f"{self.name}: the environment variable {variable} holds a character that no {what} has "
                "(non-ASCII or a control character)"
            )
        return value

    def cut_short(self, error: FetchError, read: int, what: str = "post", plural: str | None = None) -> str:
        """Why a search that `error` stopped after reading `read` of `what` is partial: what
        it read is kept (X bills each post; a repair would read it all again). Raises `error`
        when it had read nothing: the source failed. Every source keeps what it read by
        `http.max_time` (OutOfTimeError); X, which bills, whatever stopped it."""
        if not read:
            raise error
        return f"{error.reason}; kept the {count(read, what, plural)} read"

    @abstractmethod
    def page_limit(self) -> PageLimit:
        """The most requests `search` makes, from the source's settings: a server that
        pages for ever (a new cursor with every short page) is stopped there."""

    @abstractmethod
    def plan(self, since: datetime, until: datetime) -> str:
        """What `search` would call, for `--dry-run`; calls nothing."""

    @abstractmethod
    def search(self, since: datetime, until: datetime) -> Found:
        """Every post in [since, until) linking an arXiv paper; raises FetchError when it fails.
        The window's ends are aware datetimes in the configured zone: `since` is the
        digest day's midnight there."""

    def embeds(self, shown: list[Mention]) -> Embeds | None:
        """Embed HTML for the shown mentions of this platform; None for a platform without embeds."""
        return None

    def oembeds(self, shown: list[Mention], url: str, counted_as: str, concurrency: int) -> Embeds:
        """`embeds` from an oEmbed endpoint at `url`, `concurrency` requests at a time,
        counted under `counted_as`. A deleted or hidden post, a failure, or HTML longer than
        MAX_EMBED_HTML gets no HTML: the post then shows the renderer's own escaped embed."""
        todo = [m for m in shown if m.platform == self.name and m.embed_html is None]

        def one(mention: Mention) -> tuple[Mention, str | None]:
            try:
                data = self.http.get_json(url, source=counted_as, params={"url": mention.url})
            except FetchError as exc:
                log.info("%s: no embed for %s (%s)", counted_as, mention.url, exc.reason)
                return mention, None
            html = data.get("html") if isinstance(data, dict) else None
            if isinstance(html, str) and len(html) > MAX_EMBED_HTML:
                log.info(
                    "%s: no embed for %s (%d characters of HTML, more than %d)",
                    counted_as,
                    mention.url,
                    len(html),
                    MAX_EMBED_HTML,
                )
                return mention, None
            return mention, html if isinstance(html, str) and html else None

        with ThreadPoolExecutor(max_workers=concurrency) as pool:
            done = list(self.progress(pool.map(one, todo), len(todo), "embed"))
        html = {mention.key: text for mention, text in done if text is not None}
        return Embeds(counted_as, html, len(done) - len(html), url)


def registry(*sources: type[Source]) -> dict[str, type[Source]]:
    """The sources by the names they declare, in order; two of one name (a module copied
    from another, its `name` left as it was) is an error rather than the first one gone."""
    found: dict[str, type[Source]] = {}
    for source in sources:
        if source.name in found:
            raise TypeError(f"{found[source.name].__name__} and {source.__name__} are both named {source.name!r}")
        found[source.name] = source
    return found
