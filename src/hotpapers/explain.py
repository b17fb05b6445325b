"""Why the post of a day looks the way it does: every paper and every mention record
of its snapshot with its fate, by the same rules as rank.py (built from its parts)."""

from __future__ import annotations

import json
import re
from dataclasses import asdict, dataclass
from datetime import date
from typing import Any

from hotpapers.config import Config
from hotpapers.models import Mention, Snapshot
from hotpapers.rank import (
    Scorer,
    deduplicate,
    is_candidate,
    matches_categories,
    mentions_by_paper,
    order_mentions,
    rank,
    shown_mentions,
    tally_of,
)

_CONTROLS = re.compile("[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
"""C0 and C1 control characters (a terminal obeys ESC, CSI and CR) and the bidirectional
overrides, which reorder what a reader sees."""
_C1 = re.compile("[\x7f-\x9f]")


def printable(text: str) -> str:
    """Snapshot text as a terminal should show it: a line break or tab becomes a space,
    other control characters are removed."""
    return _CONTROLS.sub(lambda match: " " if match[0] in "\t\n\v\f\r" else "", text)


@dataclass(frozen=True, slots=True)
class MentionFate:
    platform: str
    id: str
    url: str
    score: float | None
    shown: bool
    reason: str


@dataclass(frozen=True, slots=True)
class PaperFate:
    id: str
    title: str
    rank: int | None
    """The paper's place in the post, or None when it was dropped."""
    score: float
    reposts: int
    likes: int
    reason: str
    mentions: tuple[MentionFate, ...]


@dataclass(frozen=True, slots=True)
class Explanation:
    date: str
    rules: str
    papers: tuple[PaperFate, ...]
    """Posted papers in rank order, then dropped ones by score."""
    dropped_records: tuple[MentionFate, ...]
    """Mention records that count for no paper: duplicates, and links to unknown ids only."""
    records: int
    sources: dict[str, str]

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def explain(snapshot: Snapshot, config: Config) -> Explanation:
    ranking = config.ranking
    posted = {item.paper.id: place for place, item in enumerate(rank(snapshot, config), start=1)}
    papers = {paper.id: paper for paper in snapshot.papers}
    day = date.fromisoformat(snapshot.date)
    scorer = Scorer(ranking)
    fates = []
    for paper_id, mentions in mentions_by_paper(snapshot).items():
        t = tally_of(papers[paper_id], mentions, scorer)
        ordered = order_mentions(t.mentions, scorer)
        place = posted.get(paper_id)
        if place is not None:
            reason = f"rank {place}"
        elif not is_candidate(t.paper, config.candidates, day, config.timezone):
            reason = _not_candidate_reason(t.paper.categories, t.paper.published, config, day)
        else:
            reason = f"score {t.score:g} is below ranking.min_paper_score {ranking.min_paper_score:g}"
        shown = {m.key for m in shown_mentions(t.mentions, scorer)} if place is not None else set()
        mention_fates = tuple(
            _mention_fate(m, scorer(m), index, m.key in shown, place is not None, config)
            for index, m in enumerate(ordered)
        )
        fates.append(PaperFate(paper_id, t.paper.title, place, t.score, t.reposts, t.likes, reason, mention_fates))
    fates.sort(key=lambda f: (f.rank is None, f.rank or 0, -f.score, f.id))
    return Explanation(
        date=snapshot.date,
        rules=(
            f"paper score = reposts x {ranking.weights.get('reposts', 0):g} + likes x "
            f"{ranking.weights.get('likes', 0):g}, at least "
            f"{ranking.min_paper_score:g}; up to {ranking.max_mentions_per_paper} posts embedded per paper, "
            f"each scoring at least {ranking.min_mention_score:g}"
        ),
        papers=tuple(fates),
        dropped_records=_dropped_records(snapshot, set(papers)),
        records=len(snapshot.mentions),
        sources={
            name: s.status + (f" ({s.detail})" if s.detail else "") for name, s in sorted(snapshot.sources.items())
        },
    )


def _not_candidate_reason(categories: tuple[str, ...], published: str | None, config: Config, day: date) -> str:
    patterns = config.candidates.categories
    if not matches_categories(categories, patterns):
        return f"categories {', '.join(categories)} match none of candidates.categories ({', '.join(patterns or ())})"
    return (
        f"published {published}, more than candidates.max_age_days {config.candidates.max_age_days} days before {day}"
    )


def _mention_fate(mention: Mention, score: float, index: int, shown: bool, posted: bool, config: Config) -> MentionFate:
    ranking = config.ranking
    if shown:
        reason = "embedded" if score >= ranking.min_mention_score else "embedded (ranking.always_show_top)"
    elif not posted:
        reason = "counted; the paper is not in the post"
    elif index >= ranking.max_mentions_per_paper:
        reason = f"counted; beyond ranking.max_mentions_per_paper {ranking.max_mentions_per_paper}"
    else:
        reason = f"counted; score {score:g} is below ranking.min_mention_score {ranking.min_mention_score:g}"
    return MentionFate(mention.platform, mention.id, mention.url, score, shown, reason)


def _dropped_records(snapshot: Snapshot, known: set[str]) -> tuple[MentionFate, ...]:
    kept = {m.key: m for m in deduplicate(snapshot.mentions)}
    dropped = []
    for mention in snapshot.mentions:
        survivor = kept[mention.key]
        if (
            survivor.observed_at != mention.observed_at
            or survivor.reposts != mention.reposts
            or survivor.likes != mention.likes
        ):
            reason = f"duplicate record; the one observed at {survivor.observed_at} is kept"
        elif not set(survivor.paper_ids) & known:
            reason = f"links {', '.join(survivor.paper_ids)}, which the snapshot has no metadata for"
        else:
            continue
        dropped.append(MentionFate(mention.platform, mention.id, mention.url, None, False, reason))
    return tuple(dropped)


def explanation_text(explanation: Explanation) -> str:
    """The explanation for people: one line per paper and per mention."""
    e = explanation
    posted = sum(1 for p in e.papers if p.rank is not None)
    lines = [
        f"{e.date}: {posted} of {len(e.papers)} mentioned papers are in the post; {e.records} mention records, "
        f"{len(e.dropped_records)} of them count for no paper",
        f"rules: {e.rules}",
        "sources: "
        + (", ".join(f"{name} {status}" for name, status in e.sources.items()) or "none recorded")
        + "; a repost is not a mention of its own (only the original post is stored)",
    ]
    for paper in e.papers:
        head = f"#{paper.rank}" if paper.rank is not None else "dropped"
        lines.append("")
        lines.append(
            f"{head} {paper.id} score {paper.score:g} ({paper.reposts} reposts, {paper.likes} likes): {paper.title}"
        )
        if paper.rank is None:
            lines.append(f"  why: {paper.reason}")
        for m in paper.mentions:
            lines.append(f"  {m.platform} {m.id} score {m.score:g}: {m.reason}")
    if e.dropped_records:
        lines.append("")
        lines.extend(f"record {m.platform} {m.id}: {m.reason}" for m in e.dropped_records)
    return "\n".join(map(printable, lines)) + "\n"


def explanation_json(explanation: Explanation) -> str:
    """The explanation for machines: exact JSON. It escapes the C1 controls too, which
    JSON need not, so that it is safe to print as well."""
    text = json.dumps(explanation.to_dict(), ensure_ascii=False, indent=2)
    return _C1.sub(lambda match: f"\\u{ord(match[0]):04x}", text)
