"""Ranking: which papers make the day's digest, in which order, with which posts shown.

A pure function of the snapshot and the configuration (the rules are in
spec/post-format.md), so a snapshot always ranks the same way, whatever the order of
its records.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import date
from fnmatch import fnmatchcase
from functools import lru_cache
from operator import attrgetter
from zoneinfo import ZoneInfo

from msgspec import Struct
from msgspec.structs import replace

from hotpapers.config import Candidates, Config, Ranking
from hotpapers.models import Mention, Paper, RankedPaper, Snapshot, numeric_aware_key, parse_time


class Tally(Struct, frozen=True, gc=False):
    """A candidate paper with every mention that counts for it, before thresholds."""

    paper: Paper
    mentions: tuple[Mention, ...]
    reposts: int
    likes: int
    score: float


_id, _reposts, _likes, _observed_at = map(attrgetter, ("id", "reposts", "likes", "observed_at"))


def score(reposts: int, likes: int, ranking: Ranking) -> float:
    """The score of a mention, or of a paper from its summed counts."""
    return reposts * ranking.repost_weight + likes * ranking.like_weight


def deduplicate(mentions: tuple[Mention, ...]) -> list[Mention]:
    """One mention per (platform, id). Of repeated records the latest observation wins,
    and the paper ids of all of them are kept. Usually every id is distinct, and there
    is nothing to merge."""
    if len(set(map(_id, mentions))) == len(mentions):
        return list(mentions)
    by_key: dict[tuple[str, str], Mention] = {}
    extra_ids: dict[tuple[str, str], set[str]] = {}
    for mention in mentions:
        key = mention.key
        kept = by_key.get(key)
        if kept is None:
            by_key[key] = mention
            continue
        extra_ids.setdefault(key, set(kept.paper_ids)).update(mention.paper_ids)
        if _freshness(mention) > _freshness(kept):
            by_key[key] = mention
    for key, ids in extra_ids.items():
        by_key[key] = replace(by_key[key], paper_ids=tuple(sorted(ids)))
    return list(by_key.values())


def _freshness(mention: Mention) -> tuple:
    """A total order on records of one post: later observation first, then larger counts."""
    return (parse_time(mention.observed_at), mention.reposts, mention.likes, repr(mention))


@lru_cache(maxsize=4096)
def matches_categories(categories: tuple[str, ...], patterns: tuple[str, ...] | None) -> bool:
    """True when any category matches any pattern such as `cs.*`, or there are no patterns."""
    return patterns is None or any(fnmatchcase(category, pattern) for category in categories for pattern in patterns)


def is_candidate(paper: Paper, candidates: Candidates, day: date, timezone: ZoneInfo) -> bool:
    """The configured category patterns and maximum age; a paper without `published` passes the age test."""
    if not matches_categories(paper.categories, candidates.categories):
        return False
    if candidates.max_age_days is not None and paper.published:
        published_day = parse_time(paper.published).astimezone(timezone).date()
        if (day - published_day).days > candidates.max_age_days:
            return False
    return True


def mentions_by_paper(snapshot: Snapshot) -> dict[str, list[Mention]]:
    """The deduplicated mentions of each paper that has metadata, in first-seen order."""
    papers = {paper.id for paper in snapshot.papers}
    by_paper: dict[str, list[Mention]] = defaultdict(list)
    for mention in deduplicate(snapshot.mentions):
        ids = mention.paper_ids
        for paper_id in ids if len(ids) == 1 else dict.fromkeys(ids):
            if paper_id in papers:
                by_paper[paper_id].append(mention)
    return by_paper


def tally_of(paper: Paper, mentions: list[Mention], ranking: Ranking) -> Tally:
    reposts = sum(map(_reposts, mentions))
    likes = sum(map(_likes, mentions))
    return Tally(paper, tuple(mentions), reposts, likes, score(reposts, likes, ranking))


def tally(snapshot: Snapshot, config: Config) -> list[Tally]:
    """Every mentioned candidate paper with its deduplicated mentions and totals, unordered."""
    papers = {paper.id: paper for paper in snapshot.papers}
    day = date.fromisoformat(snapshot.date)
    return [
        tally_of(papers[paper_id], mentions, config.ranking)
        for paper_id, mentions in mentions_by_paper(snapshot).items()
        if is_candidate(papers[paper_id], config.candidates, day, config.timezone)
    ]


def unknown_paper_ids(snapshot: Snapshot) -> list[str]:
    """Ids that mentions link but the snapshot has no metadata for; their mentions are ignored."""
    known = {paper.id for paper in snapshot.papers}
    return sorted({pid for m in snapshot.mentions for pid in m.paper_ids} - known)


def rank(snapshot: Snapshot, config: Config) -> list[RankedPaper]:
    """The papers of the digest, best first, each with the mentions to embed."""
    ranking = config.ranking
    qualifying = [t for t in tally(snapshot, config) if t.score >= ranking.min_paper_score]
    qualifying.sort(key=lambda t: (-t.score, t.paper.id))
    return [_ranked(t, ranking) for t in qualifying]


def order_mentions(mentions: Iterable[Mention], ranking: Ranking) -> list[Mention]:
    """A paper's mentions best first: the order they are considered in (ties by id,
    numerically for numbers, then by platform)."""
    return sorted(mentions, key=lambda m: (-score(m.reposts, m.likes, ranking), numeric_aware_key(m.id), m.platform))


def shown_mentions(mentions: tuple[Mention, ...], ranking: Ranking) -> list[Mention]:
    """Of a paper's first max_mentions_per_paper in order, those scoring at least
    min_mention_score (or the best one, with always_show_top). Those scoring enough
    come first in the order, so only they need ordering: on a busy day, few do."""
    if ranking.max_mentions_per_paper == 0 or not mentions:
        return []
    enough = [m for m in mentions if score(m.reposts, m.likes, ranking) >= ranking.min_mention_score]
    if not enough:
        return order_mentions(mentions, ranking)[:1] if ranking.always_show_top else []
    return order_mentions(enough, ranking)[: ranking.max_mentions_per_paper]


def _ranked(t: Tally, ranking: Ranking) -> RankedPaper:
    shown = shown_mentions(t.mentions, ranking)
    latest = max(set(map(_observed_at, t.mentions)), key=lambda stamp: (parse_time(stamp), stamp))
    return RankedPaper(
        paper=t.paper,
        reposts=t.reposts,
        likes=t.likes,
        score=t.score,
        observed_at=latest,
        shown=tuple(shown),
    )
