"""A day's post before it is written: its snapshot ranked and rendered, with what `build`
says about it (post_warnings.py). `pipeline.publish` writes it; `render` prints it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from hotpapers.config import Config
from hotpapers.errors import command
from hotpapers.models import Snapshot
from hotpapers.plural import count
from hotpapers.post_warnings import post_warnings, unknown_ids_note
from hotpapers.rank import rank
from hotpapers.render import PostRenderer


@dataclass(frozen=True, slots=True)
class Post:
    text: str
    """'' when no paper qualifies, as `message` then says."""
    papers: int
    notes: tuple[str, ...]
    warnings: tuple[str, ...]
    message: str = ""


def compose(
    snapshot: Snapshot,
    config: Config,
    renderer: PostRenderer | None = None,
    now: datetime | None = None,
    stored: bool = False,
) -> Post:
    """Rank → render one snapshot's post; `now` None: no warning about its date; `stored`:
    the snapshot is the site's own day's (see nothing_qualifies)."""
    notes = unknown_ids_note(snapshot)
    ranked = rank(snapshot, config)
    if not ranked:
        return Post("", 0, notes, (), nothing_qualifies(snapshot.date, config, stored))
    text, departures = (renderer or PostRenderer(config)).render_noting(ranked, snapshot)
    return Post(text, len(ranked), notes, post_warnings(snapshot, departures, config.profile, now, stored))


def nothing_qualifies(day: str, config: Config, stored: bool) -> str:
    """What `build` says when no paper qualifies; a `stored` day (the site's own) can be explained."""
    return f"{day}: no paper qualifies {qualifying_needs(day, config, stored)}; no post written"


def qualifying_needs(day: str, config: Config, stored: bool) -> str:
    """What a paper needs to enter a post, in parentheses, as `nothing_qualifies` says it."""
    candidates = config.candidates
    needs = [f"a score of {config.ranking.min_paper_score:g}, ranking.min_paper_score"]
    if candidates.categories is not None:
        needs.append("a category that candidates.categories matches")
    if candidates.max_age_days is not None:
        needs.append(
            f"publication at most {count(candidates.max_age_days, 'day')} before the day, candidates.max_age_days"
        )
    explain = f"; `{command(f'explain {day}')}` shows each one's" if stored else ""
    return f"(a paper needs {', and '.join(needs)}{explain})"
