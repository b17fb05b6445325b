"""How much a source keeps of what a server sends: each text (`MAX_TEXT`) and each
paper's authors and categories (`MAX_AUTHORS`, `MAX_CATEGORIES`), all cut by `kept`, and
all its mentions of a day (its share of `MAX_MENTION_BYTES`, `DayBudget`); and all the papers' metadata
arXiv sends for a day (`MAX_METADATA_BYTES`, a `DayBudget` too).

Each answer is capped (http.max_bytes), but what a source keeps adds up across its pages,
up to its page limit: a server sending the most each page may hold made a day too large to
write (snapshot.MAX_FILE_BYTES), or filled the memory before.
"""

from __future__ import annotations

import logging
from typing import TypeVar

import msgspec
from msgspec import structs

from hotpapers.models import Mention, Paper
from hotpapers.plural import count

log = logging.getLogger("hotpapers")
R = TypeVar("R", Mention, Paper)

MAX_TEXT = 32_768
"""The longest text a source keeps from an answer, in characters (`kept`); a longer one is
cut to it, ending in "…". No real one comes near: X's longest posts hold 25,000 characters,
Bluesky's 300 graphemes, arXiv's longest abstract 1,920. Characters, so that a cut never
splits one; a text at the limit takes 32 KiB to 128 KiB in UTF-8 and in memory (a character
of 4 bytes, such as an emoji, makes Python store each of its text's characters in 4), which
is why what all of a source's texts of a day take is bounded in bytes (MAX_MENTION_BYTES).
An X stand-in sending 1,000 posts of 600 KB made a snapshot of 572.7 MiB, too large to
write, which lost the day; cut, they take 1,000 * 32,768 characters (31.3 MiB of ASCII)."""

MAX_AUTHORS = 10_000
"""The most authors kept of a paper (`kept`): a longer list keeps its first MAX_AUTHORS - 1
and ends in "…", as a cut text does, which a post shows after them. The longest real lists
are a few thousand, each kept whole: ATLAS's and CMS's papers some 3,000 authors, their
combined Higgs boson mass paper (arXiv:1503.07589) 5,154. An answer of http.max_bytes may
name some 100,000 (arxiv.MAX_FEED_ELEMENTS allows that many), each a text the snapshot and
the post repeat."""

MAX_CATEGORIES = 200
"""The most categories kept of a paper (`kept`), cut as its authors are (MAX_AUTHORS): a
longer list keeps its first MAX_CATEGORIES - 1, the primary one first, and ends in "…".
A paper lists each category at most once (arxiv.py drops repeats), so no real one lists
more than arXiv's taxonomy holds: 155 categories, fewer than 200 with the names of its
retired archives (chao-dyn, solv-int...); a real paper lists one to a few. An answer of
http.max_bytes may list hundreds of thousands (one element each, up to
arxiv.MAX_FEED_ELEMENTS), each a link on the post's line of categories."""

MAX_MENTION_BYTES = 128 * 2**20
"""The most the sources together keep of a day, 128 MiB, shared equally by the registered
sources (`source_bytes`: 32 MiB each of the 4 shipped), so that a source added takes its
room from the others: their mentions as JSON (every field: texts, links, ids), in UTF-8
bytes, as the snapshot's own limit (MAX_FILE_BYTES, 512 MiB) is in bytes where a character
may take 4. A snapshot file holds a mention in at most twice its JSON's bytes (its
indentation), so the sources at their limits take at most 2 * 128 = 256 MiB of the file,
half, leaving the rest to the papers and embeds (tests/test_source_budget.py). Real days
keep far less: a Bluesky post links a paper in about 630 bytes, an X post 520, so
Bluesky's default max_posts of 10,000 take some 6 MiB, X's 5,000 some 3 MiB. Without it,
pages of texts cut to MAX_TEXT added up to a source's page limit: Bluesky's 10,000 posts
with a text and a name of 32,768 characters, 625 MiB of ASCII; Hacker News's 127 answers
of http.max_bytes (64 MiB), gigabytes."""


def source_bytes() -> int:
    """The most one source keeps of a day (`DayBudget`): its share of MAX_MENTION_BYTES."""
    from hotpapers.sources import SOURCES  # the registry imports the sources, which import this module

    return MAX_MENTION_BYTES // len(SOURCES)


MAX_METADATA_BYTES = 32 * 2**20
"""The most arXiv metadata a day keeps (a `DayBudget` of sources.arxiv.fetch_papers), 32 MiB:
its papers as JSON, in UTF-8 bytes, as MAX_MENTION_BYTES counts mentions. Real days keep far
less: a real paper takes 0.7 to 2.6 KB (the recorded answers in tests/fixtures/real-api), so
the 5,000 papers of arxiv.max_ids' default at the largest take some 12 MiB, and the longest
real list of authors (arXiv:1503.07589, 5,154 names) adds about 100 KB. A snapshot file holds
a paper in at most four times its JSON's bytes (authors of one letter, each on a line of its
own), so a day at the limit takes at most 128 MiB of the file, which with the 256 MiB of the
sources at theirs leaves a quarter of MAX_FILE_BYTES to the embeds
(tests/test_fetch_arxiv_budget.py). Without it, each of a day's lookups (arxiv.max_ids /
arxiv.batch_size, 50 by default) could keep an answer of http.max_bytes (64 MiB) of papers:
gigabytes."""

_TEXTS = frozenset({"text", "author_name", "author_handle", "title", "abstract", "comment", "journal_ref", "doi"})
_LISTS = frozenset({"authors", "categories"})


def kept(record: R) -> R:
    """`record` (a Mention or Paper a source made from an answer) with each text longer than
    MAX_TEXT cut to it, and a paper's authors past MAX_AUTHORS and categories past
    MAX_CATEGORIES cut (with a warning each); its ids, URLs, times and counts are never cut,
    so ranking is unchanged."""

    def cut(text: str) -> str:
        return text if len(text) <= MAX_TEXT else text[: MAX_TEXT - 1] + "…"

    fields = set(record.__struct_fields__)
    changes: dict[str, str | tuple[str, ...]] = {
        name: cut(value) for name in _TEXTS & fields if isinstance(value := getattr(record, name), str)
    }
    lists: dict[str, tuple[str, ...]] = {name: getattr(record, name) for name in _LISTS & fields}
    if isinstance(record, Paper):
        for name, most in (("authors", MAX_AUTHORS), ("categories", MAX_CATEGORIES)):
            lists[name] = _capped(record, name, most)
    changes |= {name: tuple(map(cut, value)) for name, value in lists.items()}
    return structs.replace(record, **{k: v for k, v in changes.items() if v != getattr(record, k)})


def _capped(paper: Paper, name: str, most: int) -> tuple[str, ...]:
    """The list `name` of `paper`; past `most`, its first most - 1 and "…", with a warning."""
    listed: tuple[str, ...] = getattr(paper, name)
    if len(listed) <= most:
        return listed
    log.warning(
        "arxiv: %s lists %s %s, more than any real paper; kept the first %s and an ellipsis (of %s at most)",
        paper.id,
        f"{len(listed):,}",
        name,
        f"{most - 1:,}",
        f"{most:,}",
    )
    return (*listed[: most - 1], "…")


class DayBudget:
    """What one search keeps of a day, up to its source's share (`source_bytes`; or `limit`),
    less `used` already: `keep` adds its records in the order it reads them, the order its
    API ranks them, until one would go past it; the search then stops, keeping those, and
    says why with `reached`, as its `partial`."""

    __slots__ = ("full", "limit", "used")

    def __init__(self, limit: int | None = None, used: int = 0) -> None:
        self.limit = source_bytes() if limit is None else limit
        self.used = used
        self.full = False

    def keep(self, found: dict[str, R], record: R) -> bool:
        """Adds `record` to `found`, by id (one already there stays as it is, and costs
        nothing more); False, adding nothing, once the day's records would pass the limit."""
        if self.full:
            return False
        if record.id in found:
            return True
        size = len(msgspec.json.encode(record))
        if self.used + size > self.limit:
            self.full = True
            return False
        self.used += size
        found[record.id] = record
        return True

    @property
    def size(self) -> str:
        """The limit in words: '32 MiB', or '35,000 bytes' when it is no whole number of MiB."""
        return f"{self.limit // 2**20} MiB" if self.limit % 2**20 == 0 else f"{self.limit:,} bytes"

    def reached(self, kept: int, what: str = "post", plural: str | None = None) -> str:
        """Why the search stopped at the limit: its `partial`, which the build warns of."""
        return f"reached the {self.size} a source keeps of a day: kept the first {count(kept, what, plural)}, left out the rest"
