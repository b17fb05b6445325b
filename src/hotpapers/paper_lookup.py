"""Which of a day's mentioned arXiv ids are looked up, and in which order: all of them, up
to `arxiv.max_ids`, the most engaged first. One post can name thousands of ids (a story
text of `arXiv:` ids), and each 100 cost an arXiv request 3 s apart; past the limit the ids
with the most engagement are kept, scored as the ranking scores them, so the top of the
digest is what it would have been. So are the papers kept once the day's metadata reaches
its limit (`sources.limits.MAX_METADATA_BYTES`): asked for in that order, those left out
are the least engaged. The snapshot's arXiv status records the ids left out, and that
limit when it was reached."""

from __future__ import annotations

import logging
import re
from collections.abc import Collection, Iterable
from dataclasses import dataclass

import msgspec

from hotpapers.config import Config
from hotpapers.models import ARXIV, Mention, Snapshot, SourceStatus
from hotpapers.plural import count
from hotpapers.rank import Scorer, deduplicate, unknown_paper_ids
from hotpapers.sources import limits
from hotpapers.sources.limits import DayBudget

log = logging.getLogger("hotpapers")
_LEFT_OUT = " not looked up (arxiv.max_ids)"
_KEEPS = " of metadata a day keeps"
_LIMIT = re.compile(rf"(reached the [^;]+?{_KEEPS}): kept ")
"""The day's metadata limit reached, as metadata_status records it (`reached the 32 MiB of
metadata a day keeps: kept N papers, left out the rest`), its group up to `: kept`."""
_UNKNOWN = "unknown ids: "
_RECORDED = re.compile(
    rf"[0-9]+ ids?{re.escape(_LEFT_OUT)}(?:; {_LIMIT.pattern}[^;]+)?(?:; {_UNKNOWN}(?P<unknown>.+))?"
)


@dataclass(frozen=True, slots=True)
class Lookup:
    ids: list[str]
    """The ids to ask arXiv for, the most engagement first (as the ranking scores them;
    ties by id): the order they are asked for in, so that the day's metadata limit leaves
    out the least engaged."""
    left_out: list[str]
    """Ids mentioned but not looked up, past `arxiv.max_ids`, sorted: those of a
    repair and those its snapshot records as left out before."""


def ids_to_look_up(day: str, mentions: Iterable[Mention], config: Config, stored: Snapshot | None = None) -> Lookup:
    """The ids `mentions` link that the `stored` snapshot of `day` (being repaired) does
    not, at most `arxiv.max_ids` less those it looked up; with a warning line when some
    are left out."""
    known = {paper_id for mention in stored.mentions for paper_id in mention.paper_ids} if stored else set()
    before = recorded_left_out(stored) if stored else set()
    looked_up = len(known) - len(before)
    limit = max(0, config.arxiv.max_ids - looked_up)
    ranked = engagement_order(mentions, config, known)
    if len(ranked) <= limit:
        return Lookup(ranked, sorted(before))
    left_out = before.union(ranked[limit:])
    how = f"the {limit} with" if not known else f"{looked_up} before and {limit} now, those with"
    log.warning(
        "%s: %s mentioned, more than arxiv.max_ids (%d) allows; looked up %s the most engagement "
        "(as the ranking scores them) and left out %d",
        day,
        count(len(ranked) + len(known), "arXiv id"),
        config.arxiv.max_ids,
        how,
        len(left_out),
    )
    return Lookup(ranked[:limit], sorted(left_out))


def engagement_order(mentions: Iterable[Mention], config: Config, known: Collection[str] = ()) -> list[str]:
    """The ids `mentions` link, but `known`, the most engagement first (as the ranking scores
    them; ties by id): the order a lookup asks arXiv for them in."""
    scorer = Scorer(config.ranking)
    scores: dict[str, float] = {}
    for mention in deduplicate(tuple(mentions)):
        score = scorer(mention)
        for paper_id in dict.fromkeys(mention.paper_ids):
            if paper_id not in known:
                scores[paper_id] = scores.get(paper_id, 0) + score
    return sorted(scores, key=lambda paper_id: (-scores[paper_id], paper_id))


def metadata_budget(snapshot: Snapshot) -> DayBudget:
    """What arXiv's metadata may add to `snapshot`: MAX_METADATA_BYTES less what its papers
    take, and nothing once its arXiv status records the limit reached (a repair asks no more)
    over papers kept: a record of it over none, which only a snapshot written by hand holds (a
    fetch whose first paper alone passes the limit fails arXiv), is taken as not reached, as
    no byte of the limit is used."""
    budget = DayBudget(limits.MAX_METADATA_BYTES, sum(len(msgspec.json.encode(paper)) for paper in snapshot.papers))
    budget.full = bool(snapshot.papers and limit_reached(snapshot))
    return budget


def limit_reached(snapshot: Snapshot) -> str:
    """'reached the 32 MiB of metadata a day keeps' when the arXiv status of `snapshot`
    records the day's metadata limit reached; else ''."""
    status = snapshot.sources.get(ARXIV)
    recorded = _LIMIT.search(status.detail or "") if status and status.status == "partial" else None
    return recorded[1] if recorded else ""


def metadata_status(
    snapshot: Snapshot, lookup: Lookup, budget: DayBudget, endpoint: str, requests: int, fetched_at: str
) -> SourceStatus:
    """arXiv's status in `snapshot`, whose papers `lookup` fetched in `requests` within
    `budget`: partial when ids were left out or the budget was reached (its ids left without
    metadata, as unknown ids), naming the ids it asked for and did not get; with a warning
    when the budget left out ids of `lookup`."""
    left_out = set(lookup.left_out)
    unknown = [paper_id for paper_id in unknown_paper_ids(snapshot) if paper_id not in left_out]
    notes = [f"{count(len(left_out), 'id')}{_LEFT_OUT}"] if left_out else []
    if budget.full:
        notes.append(
            f"reached the {budget.size}{_KEEPS}: kept {count(len(snapshot.papers), 'paper')}, left out the rest"
        )
        if lookup.ids:
            log.warning(
                "%s: arxiv: %s; the ids left out count as unknown ids, whose mentions are ignored",
                snapshot.date,
                notes[-1],
            )
    notes += [f"{_UNKNOWN}{', '.join(unknown)}"] if unknown else []
    return SourceStatus(
        status="partial" if left_out or budget.full else "ok",
        detail="; ".join(notes) or None,
        endpoint=endpoint,
        requests=requests,
        items=len(snapshot.papers),
        fetched_at=fetched_at,
    )


def recorded_left_out(snapshot: Snapshot) -> set[str]:
    """The ids a capped lookup left out of `snapshot`, as its arXiv status records them:
    those without metadata that it does not list as unknown ids (asked for, not found)."""
    status = snapshot.sources.get(ARXIV)
    recorded = _RECORDED.fullmatch(status.detail or "") if status and status.status == "partial" else None
    if recorded is None:
        return set()
    unknown = set(recorded["unknown"].split(", ")) if recorded["unknown"] else set()
    return set(unknown_paper_ids(snapshot)) - unknown
