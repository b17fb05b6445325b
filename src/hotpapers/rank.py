"""Ranking: which papers make the day's digest, in which order, with which posts shown.

A pure function of the snapshot and the configuration (the rules are in
docs/ranking.md), so a snapshot always ranks the same way, whatever the order of
its records.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from datetime import date
from fnmatch import fnmatchcase
from functools import lru_cache
from operator import attrgetter
from typing import Any
from zoneinfo import ZoneInfo

from msgspec import Struct
from msgspec.structs import replace

from hotpapers.config import Candidates, Config, Ranking
from hotpapers.models import (
    COUNTS,
    Mention,
    Paper,
    PlatformTotals,
    RankedPaper,
    Snapshot,
    numeric_aware_key,
    parse_time,
)


class Tally(Struct, frozen=True, gc=False):
    """A candidate paper with every mention that counts for it, before thresholds."""

    paper: Paper
    mentions: tuple[Mention, ...]
    platforms: tuple[PlatformTotals, ...]
    """Per platform, best score first (then by name)."""
    reposts: int
    likes: int
    score: float
    """The sum of the platforms' scores."""


Weights = tuple[float, float, float, float]
"""The weights of COUNTS, in that order."""

_id, _platform, _observed_at = map(attrgetter, ("id", "platform", "observed_at"))
_reposts, _likes, _replies, _quotes = map(attrgetter, COUNTS)


def _vector(weights: Mapping[Any, float]) -> Weights:
    reposts, likes, replies, quotes = (weights.get(count, 0) for count in COUNTS)
    return (reposts, likes, replies, quotes)


def weighted(reposts: int, likes: int, replies: int, quotes: int, weights: Weights) -> float:
    """The weighted sum of counts."""
    return reposts * weights[0] + likes * weights[1] + replies * weights[2] + quotes * weights[3]


class Scorer:
    """Scores by platform: `ranking.platform_weights[PLATFORM]` when the platform is
    listed there, else `ranking.weights`; a count without a weight counts 0."""

    __slots__ = ("_default", "_platforms", "ranking")

    def __init__(self, ranking: Ranking) -> None:
        self.ranking = ranking
        self._default = _vector(ranking.weights)
        self._platforms: dict[str, Weights] = {
            name: _vector(weights) for name, weights in ranking.platform_weights.items()
        }

    def weights(self, platform: str) -> Weights:
        return self._platforms.get(platform, self._default)

    def __call__(self, mention: Mention) -> float:
        """A mention's score (a null count is 0)."""
        return weighted(
            mention.reposts, mention.likes, mention.replies or 0, mention.quotes or 0, self.weights(mention.platform)
        )

    def scores(self, mentions: Iterable[Mention]) -> list[tuple[float, Mention]]:
        """Each mention with its score."""
        return [(self(m), m) for m in mentions]

    def totals(self, platform: str, mentions: list[Mention]) -> PlatformTotals:
        """The summed counts of one platform's mentions of a paper, and their score."""
        reposts, likes = sum(map(_reposts, mentions)), sum(map(_likes, mentions))
        replies, quotes = sum(filter(None, map(_replies, mentions))), sum(filter(None, map(_quotes, mentions)))
        return PlatformTotals(
            platform,
            reposts,
            likes,
            replies,
            quotes,
            weighted(reposts, likes, replies, quotes, self.weights(platform)),
            latest(map(_observed_at, mentions)),
        )


def latest(stamps: Iterable[str]) -> str:
    """The latest of some time stamps (by time, then as text, whatever their zones)."""
    distinct = set(stamps)
    return distinct.pop() if len(distinct) == 1 else max(distinct, key=lambda stamp: (parse_time(stamp), stamp))


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
    return (
        parse_time(mention.observed_at),
        mention.reposts,
        mention.likes,
        mention.replies or 0,
        mention.quotes or 0,
        repr(mention),
    )


@lru_cache(maxsize=4096)
def matches_categories(categories: tuple[str, ...], patterns: tuple[str, ...] | None) -> bool:
    """True when any category matches any pattern such as `cs.*`, or there are no patterns.
    Case aside: no two of arXiv's categories differ only in case, so `stat.ml` can only
    mean stat.ML."""
    return patterns is None or any(
        fnmatchcase(category.casefold(), pattern.casefold()) for category in categories for pattern in patterns
    )


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


def tally_of(paper: Paper, mentions: list[Mention], scorer: Scorer) -> Tally:
    platforms = set(map(_platform, mentions))
    if len(platforms) == 1:  # the usual case, without the sums over platforms
        only = scorer.totals(platforms.pop(), mentions)
        return Tally(paper, tuple(mentions), (only,), only.reposts, only.likes, only.score)
    by_platform: dict[str, list[Mention]] = defaultdict(list)
    for mention in mentions:
        by_platform[mention.platform].append(mention)
    totals = sorted(
        (scorer.totals(name, group) for name, group in by_platform.items()), key=lambda t: (-t.score, t.platform)
    )
    return Tally(
        paper,
        tuple(mentions),
        tuple(totals),
        sum(t.reposts for t in totals),
        sum(t.likes for t in totals),
        sum(t.score for t in totals),
    )


def tally(snapshot: Snapshot, config: Config, scorer: Scorer) -> list[Tally]:
    """Every mentioned candidate paper with its deduplicated mentions and totals, unordered."""
    papers = {paper.id: paper for paper in snapshot.papers}
    day = date.fromisoformat(snapshot.date)
    return [
        tally_of(papers[paper_id], mentions, scorer)
        for paper_id, mentions in mentions_by_paper(snapshot).items()
        if is_candidate(papers[paper_id], config.candidates, day, config.timezone)
    ]


def unknown_paper_ids(snapshot: Snapshot) -> list[str]:
    """Ids that mentions link but the snapshot has no metadata for; their mentions are ignored."""
    known = {paper.id for paper in snapshot.papers}
    return sorted({pid for m in snapshot.mentions for pid in m.paper_ids} - known)


def rank(snapshot: Snapshot, config: Config) -> list[RankedPaper]:
    """The papers of the digest, best first, each with the mentions to embed."""
    scorer = Scorer(config.ranking)
    qualifying = [t for t in tally(snapshot, config, scorer) if t.score >= config.ranking.min_paper_score]
    qualifying.sort(key=lambda t: (-t.score, t.paper.id))
    return [_ranked(t, scorer) for t in qualifying]


def order_mentions(mentions: Iterable[Mention], scorer: Scorer) -> list[Mention]:
    """A paper's mentions best first: the order they are considered in (ties by id,
    numerically for numbers, then by platform)."""
    return [m for _, m in _ordered(scorer.scores(mentions))]


def _ordered(scored: list[tuple[float, Mention]]) -> list[tuple[float, Mention]]:
    return sorted(scored, key=lambda pair: (-pair[0], numeric_aware_key(pair[1].id), pair[1].platform))


def shown_mentions(mentions: tuple[Mention, ...], scorer: Scorer) -> list[Mention]:
    """Of a paper's first max_mentions_per_paper in order, those scoring at least
    min_mention_score (or the best one, with always_show_top). Those scoring enough
    come first in the order, so only they need ordering: on a busy day, few do."""
    ranking = scorer.ranking
    if ranking.max_mentions_per_paper == 0:
        return []
    scored = scorer.scores(mentions)
    enough = [pair for pair in scored if pair[0] >= ranking.min_mention_score]
    if not enough:
        return [m for _, m in _ordered(scored)[:1]] if ranking.always_show_top else []
    return [m for _, m in _ordered(enough)[: ranking.max_mentions_per_paper]]


def _ranked(t: Tally, scorer: Scorer) -> RankedPaper:
    return RankedPaper(
        paper=t.paper,
        reposts=t.reposts,
        likes=t.likes,
        score=t.score,
        observed_at=t.platforms[0].observed_at if len(t.platforms) == 1 else latest(p.observed_at for p in t.platforms),
        shown=tuple(shown_mentions(t.mentions, scorer)),
        platforms=t.platforms,
    )
