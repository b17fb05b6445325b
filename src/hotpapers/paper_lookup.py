"""Which of a day's mentioned arXiv ids are looked up: all of them, up to
`arxiv.max_ids`. One post can name thousands of ids (a story text of `arXiv:` ids), and
each 100 cost an arXiv request 3 s apart; past the limit the ids with the most
engagement are kept, scored as the ranking scores them, so the top of the digest is
what it would have been."""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass

from hotpapers.config import Config
from hotpapers.models import Mention
from hotpapers.plural import count
from hotpapers.rank import Scorer, deduplicate

log = logging.getLogger("hotpapers")


@dataclass(frozen=True, slots=True)
class Lookup:
    ids: list[str]
    """The ids to ask arXiv for, sorted."""
    left_out: list[str]
    """Ids mentioned but not looked up, past `arxiv.max_ids`."""


def ids_to_look_up(
    day: str, mentions: Iterable[Mention], config: Config, known: frozenset[str] = frozenset()
) -> Lookup:
    """The ids `mentions` link that are not in `known` (looked up before for `day`), at
    most `arxiv.max_ids` less those known; with a warning line when some are left out."""
    scorer = Scorer(config.ranking)
    scores: dict[str, float] = {}
    for mention in deduplicate(tuple(mentions)):
        score = scorer(mention)
        for paper_id in dict.fromkeys(mention.paper_ids):
            if paper_id not in known:
                scores[paper_id] = scores.get(paper_id, 0) + score
    limit = max(0, config.arxiv.max_ids - len(known))
    if len(scores) <= limit:
        return Lookup(sorted(scores), [])
    ranked = sorted(scores, key=lambda paper_id: (-scores[paper_id], paper_id))
    log.warning(
        "%s: %s mentioned, more than arxiv.max_ids (%d) allows; looked up the %d with the most engagement "
        "(as the ranking scores them) and left out %d",
        day,
        count(len(scores) + len(known), "arXiv id"),
        config.arxiv.max_ids,
        limit,
        len(scores) - limit,
    )
    return Lookup(sorted(ranked[:limit]), sorted(ranked[limit:]))
