"""Why the post of a day looks the way it does: every paper and every mention record
of its snapshot with its fate, by the same rules as rank.py (built from its parts)."""

from __future__ import annotations

import json
import re
from dataclasses import asdict, dataclass
from datetime import date
from typing import Any

from msgspec.structs import replace

from hotpapers.config import Config
from hotpapers.errors import printable
from hotpapers.models import COUNTS, Mention, PlatformTotals, Snapshot
from hotpapers.platform_text import display, published_embed, shown_as
from hotpapers.plural import count
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
    unknown_paper_ids,
)
from hotpapers.sanitize import CONTROLS, safe_link

_UNPRINTABLE = re.compile(f"[{CONTROLS}]")

SINGULAR = {"replies": "reply"}
"""The singular of a count's name where it is not the name without its final s."""


@dataclass(frozen=True, slots=True)
class MentionFate:
    platform: str
    id: str
    url: str
    score: float | None
    """The weighted sum of `counts` by the platform's weights."""
    shown: bool
    reason: str
    """Its fate: `embedded`, `quoted` (a quote written from its fields, where the post
    has no embed of it) or `linked` (a line linking its discussion, for a platform
    without embeds), when the post shows it; else why not."""
    counts: dict[str, int]
    """The mention's counts that the snapshot has (null ones are left out)."""


@dataclass(frozen=True, slots=True)
class PlatformScore:
    """A paper's totals on one platform and their weighted sum; a count null in all its mentions is None."""

    platform: str
    score: float
    reposts: int
    likes: int
    replies: int | None
    quotes: int | None


@dataclass(frozen=True, slots=True)
class PaperFate:
    id: str
    title: str
    rank: int | None
    """The paper's place in the post, or None when it was dropped."""
    score: float
    """The sum of the platforms' scores."""
    reposts: int
    likes: int
    reason: str
    platforms: tuple[PlatformScore, ...]
    """Best score first."""
    mentions: tuple[MentionFate, ...]


@dataclass(frozen=True, slots=True)
class Explanation:
    date: str
    rules: str
    weights: dict[str, dict[str, float]]
    """The weights per platform ("*": every platform not listed), zero weights left out."""
    papers: tuple[PaperFate, ...]
    """Posted papers in rank order, then dropped ones by score."""
    dropped_records: tuple[MentionFate, ...]
    """Mention records that count for no paper: duplicates, and links to unknown ids only."""
    unknown_ids: tuple[str, ...]
    """The ids mentions link that the snapshot has no metadata for, which ranking leaves
    out (as build warns), whether or not their records link a known paper too."""
    records: int
    sources: dict[str, str]

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def explain(snapshot: Snapshot, config: Config) -> Explanation:
    """What `hotpapers explain` shows: each paper's score and rank or why it was left
    out, and what became of each mention record."""
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
        platforms = tuple(_platform_score(p, t.mentions) for p in t.platforms)
        fates.append(
            PaperFate(paper_id, t.paper.title, place, t.score, t.reposts, t.likes, reason, platforms, mention_fates)
        )
    fates.sort(key=lambda f: (f.rank is None, f.rank or 0, -f.score, f.id))
    weights = {
        str(name): {str(count): weight for count, weight in table.items() if weight}
        for name, table in [("*", ranking.weights), *ranking.platform_weights.items()]
    }
    return Explanation(
        date=snapshot.date,
        rules=(
            f"a mention's score is the weighted sum of its counts ({_weights_text(weights)}); a paper's score is the "
            f"sum of its mentions' scores, at least {ranking.min_paper_score:g}; up to "
            f"{count(ranking.max_mentions_per_paper, 'post')} shown per paper (embedded or quoted, or linked "
            f"where a platform has no embeds), each scoring at least {ranking.min_mention_score:g}"
        ),
        weights=weights,
        papers=tuple(fates),
        dropped_records=_dropped_records(snapshot, set(papers)),
        unknown_ids=tuple(unknown_paper_ids(snapshot)),
        records=len(snapshot.mentions),
        sources={
            name: s.status + (f" ({s.detail})" if s.detail else "") for name, s in sorted(snapshot.sources.items())
        },
    )


def _weights_text(weights: dict[str, dict[str, float]]) -> str:
    """The weights by the settings' names of the counts, each followed by the platform's
    own word for it where that differs: `likes (points) x 1`."""

    def terms(table: dict[str, float], platform: str | None = None) -> str:
        def named(key: str) -> str:
            word = _word(platform, key) if platform else key
            return key if word == key else f"{key} ({word})"

        return " + ".join(f"{named(key)} x {weight:g}" for key, weight in table.items()) or "0"

    listed = [f"{name}: {terms(table, name)}" for name, table in weights.items() if name != "*"]
    return "; ".join([*listed, ("any other platform: " if listed else "") + terms(weights["*"])])


def _not_candidate_reason(categories: tuple[str, ...], published: str | None, config: Config, day: date) -> str:
    patterns = config.candidates.categories
    if not matches_categories(categories, patterns):
        listed = f"candidates.categories ({', '.join(patterns or ())})"
        if not categories:
            return f"no categories, so none matches {listed}"
        return f"categories {', '.join(categories)} match none of {listed}"
    age = config.candidates.max_age_days  # set, since the categories match
    return f"published {published}, more than {count(age or 0, 'day')} before {day} (candidates.max_age_days)"


def _mention_fate(mention: Mention, score: float, index: int, shown: bool, posted: bool, config: Config) -> MentionFate:
    ranking = config.ranking
    if shown:
        reason = shown_as(mention)
        reason += "" if score >= ranking.min_mention_score else " (ranking.always_show_top)"
        reason += _refused(mention)
    elif not posted:
        reason = "counted; the paper is not in the post"
    elif index >= ranking.max_mentions_per_paper:
        reason = f"counted; beyond ranking.max_mentions_per_paper {ranking.max_mentions_per_paper}"
    else:
        reason = f"counted; score {score:g} is below ranking.min_mention_score {ranking.min_mention_score:g}"
    return MentionFate(mention.platform, mention.id, mention.url, score, shown, reason, _counts(mention))


def _refused(mention: Mention) -> str:
    """What the post shows instead of a shown mention's own embed HTML, or of the link to
    its discussion, when it refuses it."""
    html, problem = published_embed(mention)  # a published embed has its own link to the post
    unlinked = html is None and not safe_link(mention.url, "")
    if not display(mention.platform).embedded:
        return ", written without the link: its URL was refused" if unlinked else ""
    if problem:
        return f", written from its fields: its embed HTML was refused ({problem})" + (
            ", and without the link: its URL was refused" if unlinked else ""
        )
    return ", written from its fields, without the link: its URL was refused" if unlinked else ""


def _word(platform: str, name: str) -> str:
    """A count's name in the platform's own words, as its post says it (else the name)."""
    return dict(display(platform).counts).get(name, name)


def _said(number: int, platform: str, name: str) -> str:
    """`40 points`, `1 comment`: a count in the platform's words."""
    word = _word(platform, name)
    return count(number, SINGULAR.get(word, word.removesuffix("s")), word)


def _counts(mention: Mention) -> dict[str, int]:
    return {name: value for name in COUNTS if (value := getattr(mention, name)) is not None}


def _platform_score(p: PlatformTotals, mentions: tuple[Mention, ...]) -> PlatformScore:
    given = {name for m in mentions if m.platform == p.platform for name in _counts(m)}
    replies, quotes = (getattr(p, name) if name in given else None for name in ("replies", "quotes"))
    return PlatformScore(p.platform, p.score, p.reposts, p.likes, replies, quotes)


def _dropped_records(snapshot: Snapshot, known: set[str]) -> tuple[MentionFate, ...]:
    """The records that count for no paper: every record of a post but one (ranking
    keeps the freshest, with the paper ids of them all: rank.deduplicate), and the
    records linking only ids without metadata."""
    kept = {m.key: m for m in deduplicate(snapshot.mentions)}
    accounted: set[tuple[str, str]] = set()
    dropped = []
    for mention in snapshot.mentions:
        survivor = kept[mention.key]
        if replace(survivor, paper_ids=mention.paper_ids) != mention:
            reason = f"duplicate record; the one observed at {survivor.observed_at} is kept"
        elif mention.key in accounted:
            reason = "duplicate record; an earlier one just like it is kept"
        else:
            accounted.add(mention.key)
            if set(survivor.paper_ids) & known:
                continue
            reason = f"links {', '.join(survivor.paper_ids)}, which the snapshot has no metadata for"
        dropped.append(MentionFate(mention.platform, mention.id, mention.url, None, False, reason, _counts(mention)))
    return tuple(dropped)


def explanation_text(explanation: Explanation) -> str:
    """The explanation for people: one line per paper and per mention."""
    e = explanation
    posted = sum(1 for p in e.papers if p.rank is not None)
    dropped = len(e.dropped_records)
    lines = [
        f"{e.date}: {posted} of {len(e.papers)} mentioned papers are in the post; {count(e.records, 'mention record')}"
        + (f", {dropped} of them {'counts' if dropped == 1 else 'count'} for no paper" if dropped else ""),
        f"rules: {e.rules}",
        "sources: " + (", ".join(f"{name} {status}" for name, status in e.sources.items()) or "none recorded"),
        "reposts: a repost is not a mention of its own; only the original post is stored",
    ]
    if e.unknown_ids:
        lines.append(f"ids without metadata, left out of the ranking: {', '.join(e.unknown_ids)}")
    for paper in e.papers:
        head = f"#{paper.rank}" if paper.rank is not None else "dropped"
        lines.append("")
        lines.append(f"{head} {paper.id} score {paper.score:g}: {paper.title}")
        if paper.rank is None:
            lines.append(f"  why: {paper.reason}")
        for p in paper.platforms:
            counts = (
                ", ".join(_said(getattr(p, name), p.platform, name) for name in COUNTS if getattr(p, name))
                or "no counts"
            )
            lines.append(f"  on {p.platform}: score {p.score:g} from {counts}")
        for m in paper.mentions:
            lines.append(f"  {m.platform} {m.id} score {m.score:g} ({_terms(m, e.weights)}): {m.reason}")
    if e.dropped_records:
        lines.append("")
        lines.extend(f"record {m.platform} {m.id}: {m.reason}" for m in e.dropped_records)
    return "\n".join(map(printable, lines)) + "\n"


def _terms(mention: MentionFate, weights: dict[str, dict[str, float]]) -> str:
    """How a mention's score adds up, in its platform's words: `40 points x 1 + 15 comments x 1`."""
    table = weights.get(mention.platform, weights["*"])
    terms = (
        f"{_said(mention.counts.get(name, 0), mention.platform, name)} x {weight:g}" for name, weight in table.items()
    )
    return " + ".join(terms) or "0"


def explanation_json(explanation: Explanation) -> str:
    """The explanation for machines: exact JSON. It escapes the C1 controls and the bidi
    overrides too, which JSON need not, so that it is safe to print as well."""
    text = json.dumps(explanation.to_dict(), ensure_ascii=False, indent=2)
    return _UNPRINTABLE.sub(lambda match: f"\\u{ord(match[0]):04x}", text)
