"""What a --refresh keeps instead of its fetch: the stored snapshot, when the fetch would
drop mentions no enabled source fetches (imported ones), finds far fewer mentions, in
all or of one platform (a search that answered a page of its posts), or lacks the
metadata of papers it still mentions (arXiv answering a feed without their entries, or
the day's metadata limit reached before them), unless --force; and a stored file it
cannot read, which it sets aside rather than lose. What is kept decides what the warnings
of the sources the fetch failed say of the day (settle_fetched)."""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Collection
from pathlib import Path

from hotpapers.config import Config
from hotpapers.errors import shown_path
from hotpapers.models import Snapshot
from hotpapers.paper_lookup import engagement_order, limit_reached, recorded_left_out
from hotpapers.plural import count
from hotpapers.rank import unknown_paper_ids
from hotpapers.snapshot import save_snapshot, unread_beside

REFRESH_MIN_SHARE = 0.5
"""A refresh finding fewer mentions than this share of the stored snapshot's, in all or of
one platform, keeps the stored one."""


def unfetched_mentions(snapshot: Snapshot, enabled: Collection[str]) -> str:
    """The snapshot's mentions that no `enabled` source fetches, in words; '' when none."""
    lost = [mention.platform for mention in snapshot.mentions if mention.platform not in enabled]
    if not lost:
        return ""
    return f"{count(len(lost), 'mention')} of {', '.join(sorted(set(lost)))}, which no enabled source fetches"


def far_fewer_mentions(stored: Snapshot, fresh: Snapshot) -> str:
    """What the `stored` snapshot holds that `fresh` has far fewer of, as 'it holds 12
    mentions, the new fetch 3'; '' when nothing collapsed."""
    if len(fresh.mentions) < REFRESH_MIN_SHARE * len(stored.mentions):
        return f"it holds {count(len(stored.mentions), 'mention')}, the new fetch {len(fresh.mentions)}"
    before, after = (Counter(mention.platform for mention in s.mentions) for s in (stored, fresh))
    for platform, held in sorted(before.items()):
        if after[platform] < REFRESH_MIN_SHARE * held:
            return f"it holds {count(held, 'mention')} of {platform}, the new fetch {after[platform]}"
    return ""


def lost_metadata(stored: Snapshot, fresh: Snapshot, config: Config) -> str:
    """The papers whose metadata the `stored` snapshot holds, that `fresh` still mentions
    without it, not left out by arxiv.max_ids, as 'it holds the metadata of 10 papers that
    arXiv gave none for this time (2009.1, ...)' (an id does not leave arXiv: its answer was
    incomplete), and, when `fresh` reached the day's metadata limit, those it left out (after
    the last paper kept, in the order they were asked for in), '... that the new fetch has
    none for, having reached the 32 MiB of metadata a day keeps (...)'; '' when none."""
    held = {paper.id for paper in stored.papers}
    left_out = recorded_left_out(fresh)
    lost = [paper_id for paper_id in unknown_paper_ids(fresh) if paper_id in held and paper_id not in left_out]
    if not lost:
        return ""
    reached = limit_reached(fresh)
    place = {paper_id: n for n, paper_id in enumerate(engagement_order(fresh.mentions, config))} if reached else {}
    last_kept = max((place.get(paper.id, -1) for paper in fresh.papers), default=-1)
    past = [paper_id for paper_id in lost if place.get(paper_id, -1) > last_kept]
    unanswered = [paper_id for paper_id in lost if paper_id not in past]
    said = []
    if unanswered:
        said.append(f"{count(len(unanswered), 'paper')} that arXiv gave none for this time ({_listed(unanswered)})")
    if past:
        number = str(len(past)) if said else count(len(past), "paper")
        said.append(f"{number} that the new fetch has none for, having {reached} ({_listed(past)})")
    return "it holds the metadata of " + ", and of ".join(said)


def _listed(ids: list[str]) -> str:
    """The first three of `ids`, then '...' when there are more."""
    return ", ".join(ids[:3]) + (", ..." if len(ids) > 3 else "")


def refresh_loss(stored: Snapshot, fresh: Snapshot, config: Config) -> str:
    """Why a refresh keeps the `stored` snapshot rather than `fresh`: far fewer mentions, or
    papers' metadata lost; '' when `fresh` may replace it."""
    return far_fewer_mentions(stored, fresh) or lost_metadata(stored, fresh, config)


def settle_fetched(
    fresh: Snapshot, stored: Snapshot | None, path: Path, config: Config, *, force: bool, unstored: bool
) -> tuple[Snapshot, tuple[str, ...]]:
    """What a build publishes of a day it fetched: `fresh`, saved at `path`, or the `stored`
    snapshot a refresh keeps instead (refresh_loss), unless `force`; and the warnings of the
    day, first the sources the fetch failed, each saying what became of it (the day published
    without it, or the new fetch, kept from it), then why the stored one is kept, or
    fetched_day_warnings. The fetch does not say it: it does not know what is kept."""
    day = fresh.date
    failed = [
        f"{day}: {name}: {status.detail}"
        for name, status in fresh.sources.items()
        if status.status == "failed" and name in config.enabled_sources
    ]
    loss = refresh_loss(stored, fresh, config) if stored is not None and not force else ""
    if stored is not None and loss:
        kept = f"{day}: kept the stored snapshot {shown_path(path)}: {loss} (--force replaces it)"
        return stored, (*(f"{line}; the new fetch is without it" for line in failed), kept)
    warnings = fetched_day_warnings(path, day, stored is not None, unstored)
    save_snapshot(fresh, path)
    return fresh, (*(f"{line}; published without it (a later build fetches it again)" for line in failed), *warnings)


def fetched_day_warnings(path: Path, day: str, stored: bool, unstored: bool) -> tuple[str, ...]:
    """Before a day fetched is saved at `path`: the file there that could not be read (neither
    `stored` nor `unstored`) set aside, or, where the day had no file (`unstored`), the files
    beside it that hold the day under another name (unread_beside)."""
    if not stored and not unstored:
        return set_aside_unreadable(path, day)
    return unread_beside(path, day) if unstored else ()


def set_aside_unreadable(path: Path, day: str) -> tuple[str, ...]:
    """Before a refresh replaces the stored snapshot at `path` that could not be read (a
    file of the user's own data with a mistake, which its error advises to refresh, or
    another day's): the file moved to `NAME.broken` beside it (`.broken-2`... when
    taken), which no command reads, and the warning saying so, for the report."""
    aside = path.with_name(f"{path.name}.broken")
    number = 1
    while aside.exists() or aside.is_symlink():
        number += 1
        aside = path.with_name(f"{path.name}.broken-{number}")
    os.replace(path, aside)
    return (f"{day}: the stored snapshot could not be read; it is kept as {shown_path(aside)}",)
