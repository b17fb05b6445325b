"""How much a source keeps of what a server sends: each text (`MAX_TEXT`) and each
paper's authors (`MAX_AUTHORS`), both cut by `kept`.

Each answer is capped (http.max_bytes), but what a source keeps adds up across its pages.
"""

from __future__ import annotations

import logging
from typing import TypeVar

from msgspec import structs

from hotpapers.models import Mention, Paper

log = logging.getLogger("hotpapers")
R = TypeVar("R", Mention, Paper)

MAX_TEXT = 32_768
"""The longest text a source keeps from an answer, in characters (`kept`); a longer one is
cut to it, ending in "…". No real one comes near: X's longest posts hold 25,000 characters,
Bluesky's 300 graphemes, arXiv's longest abstract 1,920. Each answer is capped
(http.max_bytes), but what a source keeps adds up across its pages: an X stand-in sending
1,000 posts of 600 KB made a snapshot of 572.7 MiB, too large to write, which lost the day.
Now X's default max_posts of 5,000, each with two texts at the limit (its text, its author's
name; a handle has at most 15 characters), keep 5,000 * 2 * 32,768 = 327,680,000 characters,
312.5 MiB of ASCII: 61 % of a snapshot's 512 MiB; those 1,000 posts, 1,000 * 32,768 (31.3 MiB)."""

MAX_AUTHORS = 10_000
"""The most authors kept of a paper (`kept`): a longer list keeps its first MAX_AUTHORS - 1
and ends in "…", as a cut text does, which a post shows after them. The longest real lists
are a few thousand, each kept whole: ATLAS's and CMS's papers some 3,000 authors, their
combined Higgs boson mass paper (arXiv:1503.07589) 5,154. An answer of http.max_bytes may
name some 100,000 (arxiv.MAX_FEED_ELEMENTS allows that many), each a text the snapshot and
the post repeat."""

_TEXTS = frozenset({"text", "author_name", "author_handle", "title", "abstract", "comment", "journal_ref", "doi"})
_LISTS = frozenset({"authors", "categories"})


def kept(record: R) -> R:
    """`record` (a Mention or Paper a source made from an answer) with each text longer than
    MAX_TEXT cut to it, and a paper's authors past MAX_AUTHORS cut (with a warning); its ids,
    URLs, times and counts are never cut, so ranking is unchanged."""

    def cut(text: str) -> str:
        return text if len(text) <= MAX_TEXT else text[: MAX_TEXT - 1] + "…"

    fields = set(record.__struct_fields__)
    changes: dict[str, str | tuple[str, ...]] = {
        name: cut(value) for name in _TEXTS & fields if isinstance(value := getattr(record, name), str)
    }
    lists: dict[str, tuple[str, ...]] = {name: getattr(record, name) for name in _LISTS & fields}
    if isinstance(record, Paper) and len(record.authors) > MAX_AUTHORS:
        log.warning(
            "arxiv: %s lists %s authors, more than any real paper; kept the first %s and an ellipsis (of %s at most)",
            record.id,
            f"{len(record.authors):,}",
            f"{MAX_AUTHORS - 1:,}",
            f"{MAX_AUTHORS:,}",
        )
        lists["authors"] = (*record.authors[: MAX_AUTHORS - 1], "…")
    changes |= {name: tuple(map(cut, value)) for name, value in lists.items()}
    return structs.replace(record, **{k: v for k, v in changes.items() if v != getattr(record, k)})
