"""arXiv API: the metadata of the mentioned papers, fetched politely in id_list batches.

Parsing (`parse_feed`) is pure and works on the response bytes, never on decoded text:
feedparser reads the encoding from the XML declaration, which avoids the mojibake a
wrong `response.text` guess produces. It reads both the legacy and the current feed
formats.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import NamedTuple
from xml.sax import SAXParseException

import feedparser  # type: ignore[import-untyped]
import msgspec
import requests
from feedparser.encodings import convert_to_utf8  # type: ignore[import-untyped]

from hotpapers.config import ArxivSettings
from hotpapers.errors import FetchError, excerpt
from hotpapers.http import HttpClient
from hotpapers.models import ARXIV, SCHEMA_ID, Paper
from hotpapers.sanitize import one_line
from hotpapers.snapshot_schema import decode_fast, snapshot_problems
from hotpapers.sources import limits
from hotpapers.sources.limits import DayBudget, kept

_ENTRY_ID = re.compile(r"arxiv\.org/abs/(?P<id>.+?)(?:v(?P<version>[0-9]{1,12}))?$")
"""A version of ASCII digits, few enough for int() (a longer one leaves an id no batch asked for)."""


log = logging.getLogger("hotpapers")


class FeedError(ValueError):
    """The body is not an arXiv Atom feed, or is an arXiv error feed."""


def unfold(text: str) -> str:
    """Undo the hard line folding of the legacy API (titles, abstracts, comments)."""
    return one_line(text).strip()


class Feed(NamedTuple):
    papers: list[Paper]
    total: int | None
    """Its opensearch:totalResults, the entries the query matches (None when not a number)."""


MAX_FEED_ELEMENTS = 500_000
"""Elements an answer may hold (its `<` counted, before it is read): feedparser keeps 300 to
650 bytes for each, and reads a broken feed twice (5.7 MiB of unclosed `<x>` took 1.3 GB and
a minute; the 64 MiB of http.max_bytes, 14 GB). Up to this, the worst took 650 MB and 30 s.
A real answer holds about 35 an entry and 4 or 6 more an author: 3,500 for a batch of 100,
70,000 for 2,000 (batch_size's most), 17,000 more for a paper of 2,900 authors."""


def parse_feed(data: bytes) -> Feed:
    if _elements(data) > MAX_FEED_ELEMENTS:
        raise FeedError(f"not an arXiv Atom feed (more than {MAX_FEED_ELEMENTS:,} elements)")
    try:
        feed = feedparser.parse(data)
    except Exception as exc:  # its lenient parser breaks on some input: '&#xD83D;' raises UnicodeEncodeError
        raise FeedError(f"not an arXiv Atom feed ({type(exc).__name__} reading it)") from None
    if not feed.version.startswith("atom") or "opensearch_totalresults" not in feed.feed:
        raise FeedError("not an arXiv Atom feed")
    if isinstance(feed.get("bozo_exception"), SAXParseException):  # read on by the lenient parser: cut off
        error = feed.bozo_exception
        raise FeedError(
            f"not a whole arXiv Atom feed (XML error at line {error.getLineNumber()}: {error.getMessage()})"
        )
    papers = []
    for entry in feed.entries:
        if entry.get("title") == "Error" and "/api/errors" in entry.get("id", ""):
            raise FeedError(f"arXiv error: {excerpt(unfold(entry.get('summary', 'unknown')))}")
        papers.append(_paper(entry))
    total = str(feed.feed["opensearch_totalresults"]).strip()
    return Feed(papers, int(total) if total.isascii() and total.isdigit() and len(total) < 10 else None)


def _elements(data: bytes) -> int:
    """How many `<` the feed holds as feedparser reads it: in UTF-8, from the encoding its
    XML declaration names, in which a `<` may be another byte (EBCDIC's 0x4C) or several
    (UTF-7's `+ADw-`), so that counting the bytes missed them."""
    try:
        return int(convert_to_utf8({}, data, {}).count(b"<"))
    except Exception:  # a codec that fails as it decodes ('punycode'): feedparser.parse fails alike, saying so
        return data.count(b"<")


def _paper(entry: feedparser.FeedParserDict) -> Paper:
    match = _ENTRY_ID.search(_last_line(entry.get("id", "")))
    if not match:
        raise FeedError(f"an entry without an arXiv id: {excerpt(entry.get('id', ''))!r}")
    paper_id = match.group("id")
    primary = entry.get("arxiv_primary_category")
    primary = primary.get("term") if isinstance(primary, dict) else None
    terms = [tag["term"] for tag in entry.get("tags", []) if tag.get("term")]
    categories = ([primary] if primary else []) + [t for t in terms if t != primary]
    comment, journal_ref = _text(entry, "arxiv_comment"), _text(entry, "arxiv_journal_ref")
    return kept(
        Paper(
            id=paper_id,
            version=int(match.group("version")) if match.group("version") else None,
            title=unfold(entry.get("title", "")) or paper_id,
            authors=tuple(a["name"] for a in entry.get("authors", []) if a.get("name")),
            categories=tuple(dict.fromkeys(categories)),
            abstract=unfold(entry.get("summary", "")),
            abs_url=f"https://arxiv.org/abs/{paper_id}",
            pdf_url=f"https://arxiv.org/pdf/{paper_id}",
            published=_text(entry, "published"),
            updated=_text(entry, "updated"),
            comment=unfold(comment) if comment else None,
            journal_ref=unfold(journal_ref) if journal_ref else None,
            doi=_text(entry, "arxiv_doi"),
        )
    )


def _last_line(text: str) -> str:
    """The line of `text` that _ENTRY_ID can match in (its `.` crosses no line break, and its
    `$` ends the text or its last line break): searched whole, each `arxiv.org/abs/` of an
    earlier line started a search to its end, in quadratic time."""
    return text.removesuffix("\n").rpartition("\n")[2]


def _text(entry: feedparser.FeedParserDict, key: str) -> str | None:
    """An element's text; None when it is missing or empty, or has attributes (feedparser
    then hands over a dict of them)."""
    value = entry.get(key)
    return value if isinstance(value, str) and value else None


@dataclass(frozen=True, slots=True)
class ArxivResult:
    papers: list[Paper]
    refused: list[str]
    """Why such papers were left out: 'ID: what the snapshot check refuses'."""


def refusal(paper: Paper) -> str | None:
    """What the check every snapshot is written with refuses in `paper` (a `published`
    of 'yesterday'), or None."""
    data = {
        "schema": SCHEMA_ID,
        "date": "2000-01-01",
        "taken_at": "2000-01-02T00:00:00Z",
        "papers": [paper],
        "mentions": [],
    }
    try:
        raw = msgspec.json.encode(data)
    except msgspec.EncodeError:
        return "a text holds a lone UTF-16 surrogate"
    if decode_fast(raw) is not None:
        return None
    problems = snapshot_problems(msgspec.json.decode(raw))
    return problems[0].removeprefix("$.papers[0].") if problems else None


A_KNOWN_PAPER = "0704.0001"
"""A paper arXiv has (the first id of its 2007 scheme): asked for when it answers that it has
none of a day's ids, to tell an empty page from ids it truly lacks."""


def fetch_papers(
    ids: Sequence[str], settings: ArxivSettings, http: HttpClient, budget: DayBudget | None = None
) -> ArxivResult:
    """Metadata for `ids`: ceil(len / batch_size) requests (one more for each short answer,
    `_batch`), one at a time, spaced by min_interval. A paper whose metadata no snapshot
    may hold is left out; when that leaves none, the answers are taken as broken: FetchError.
    So are answers holding none of two or more ids (those arXiv calls malformed left out)
    when arXiv then lacks A_KNOWN_PAPER too: its API sends an empty page now and then, and
    the ids would be recorded as ids it does not have, never asked for again. A later build
    asks again. When arXiv has that paper, the ids are taken as unknown (typos, a story of
    bogus ids), as they are beside ids it has. The papers are asked for and kept by `budget`
    (the day's, MAX_METADATA_BYTES by default) in the order of `ids` (the most engaged first),
    whatever the order of an answer: once one would pass it, no more are asked for, and the
    ids left have none, as ids arXiv does not have; when the first alone would pass it, the
    answers are taken as broken too. The papers and refusals come back in the order of ids."""
    wanted = list(dict.fromkeys(ids))
    budget = DayBudget(limits.MAX_METADATA_BYTES) if budget is None else budget
    found: dict[str, Paper] = {}
    refused: list[str] = []
    malformed: set[str] = set()
    for start in range(0, len(wanted), settings.batch_size):
        batch = wanted[start : start + settings.batch_size]
        answered: dict[str, Paper] = {}
        for paper in [] if budget.full else _batch(batch, settings, http, malformed):
            answered.setdefault(paper.id, paper)
        for paper in (answered[paper_id] for paper_id in batch if paper_id in answered):
            if problem := refusal(paper):
                refused.append(f"{paper.id}: {problem}")
            elif not budget.keep(found, paper):
                break
    if budget.full and not budget.used:
        raise FetchError(
            ARXIV,
            f"its first paper alone holds more than the {budget.size} of metadata a day keeps: taken as a failed "
            f"answer (from {settings.api_url})",
            url=settings.api_url,
        )
    if refused and not found:
        raise FetchError(
            ARXIV,
            f"no paper it returned has metadata a snapshot may hold ({min(refused)}; from {settings.api_url})",
            url=settings.api_url,
        )
    unanswered = sorted(paper_id for paper_id in wanted if paper_id not in malformed)
    if (
        not found
        and not budget.full
        and len(unanswered) > 1
        and not _answer([A_KNOWN_PAPER], settings, http, malformed).papers
    ):
        raise FetchError(
            ARXIV,
            f"answered that it has none of the {len(unanswered)} ids asked for ({unanswered[0]}, ...), nor "
            f"{A_KNOWN_PAPER}, which it has: taken as a failed answer (from {settings.api_url})",
            url=settings.api_url,
        )
    return ArxivResult([found[paper_id] for paper_id in sorted(found)], sorted(refused))


def _batch(batch: list[str], settings: ArxivSettings, http: HttpClient, malformed: set[str]) -> list[Paper]:
    """The papers of one id_list request. An answer holding fewer ids asked for than it says the
    query matches (arXiv's API now and then sends such a page: lukasschwab/arxiv.py#43; an id twice,
    or one not asked for, counts none) is asked again once, else the papers it left out would be
    missing for good; its papers are kept whatever the second answer holds, or when asking again fails."""
    feed = _answer(batch, settings, http, malformed)
    if len({paper.id for paper in feed.papers}.intersection(batch)) >= min(feed.total or 0, len(batch)):
        return feed.papers
    log.info("arxiv: an answer held %d of the %d entries it counted; asking again", len(feed.papers), feed.total)
    try:
        again = _answer(batch, settings, http, malformed).papers
    except FetchError:
        return feed.papers
    return list({paper.id: paper for paper in [*feed.papers, *again]}.values())


def _answer(batch: list[str], settings: ArxivSettings, http: HttpClient, malformed: set[str]) -> Feed:
    """arXiv's answer to one id_list request. An id arXiv refuses as malformed (in its error
    feed, with HTTP 400, or 200 from the legacy API) is added to `malformed`, left out and
    the rest asked again, at most len(batch) times: it then counts as unknown, as an id
    arXiv does not have."""
    while batch:
        error_feed = _ErrorFeed()
        try:
            response = http.get(
                settings.api_url,
                source=ARXIV,
                params={"id_list": ",".join(batch), "start": 0, "max_results": len(batch)},
                min_interval=settings.min_interval,
                describe=error_feed,
            )
        except FetchError:
            if error_feed.malformed not in batch:
                raise
        else:
            try:
                return parse_feed(response.content)
            except FeedError as exc:
                if error_feed.read(exc) not in batch:
                    status = response.status_code
                    raise FetchError(
                        ARXIV, f"{exc} (HTTP {status} from {settings.api_url})", url=settings.api_url, status=status
                    ) from None
        assert error_feed.malformed is not None  # it is in the batch, or the error was raised above
        malformed.add(error_feed.malformed)
        batch = [paper_id for paper_id in batch if paper_id != error_feed.malformed]
    return Feed([], 0)


_MALFORMED = re.compile(r"arXiv error: incorrect id format for (?P<id>\S+)")


class _ErrorFeed:
    """A `describe` hook: the message of the error feed arXiv sends with a 400 (such as a
    malformed id), remembering the id it names as malformed."""

    def __init__(self) -> None:
        self.malformed: str | None = None

    def __call__(self, response: requests.Response) -> str | None:
        try:
            parse_feed(response.content)
        except FeedError as exc:
            self.read(exc)
            return str(exc) if str(exc).startswith("arXiv error") else None
        return None

    def read(self, error: FeedError) -> str | None:
        """The id `error` names as malformed, remembered; None when it names none."""
        match = _MALFORMED.fullmatch(str(error))
        self.malformed = match["id"] if match else None
        return self.malformed
