"""What `build` says about a day's post beyond writing it: the mentions it leaves out,
and what will not show as the snapshot's author expects, a date in the future (the site
may hide the post) or an embed refused (the post shows another). Imported snapshots
are where the last two come from."""

from __future__ import annotations

from datetime import datetime

from hotpapers.models import RankedPaper, Snapshot, parse_time
from hotpapers.platform_text import display
from hotpapers.plural import count
from hotpapers.rank import unknown_paper_ids
from hotpapers.sanitize import embed_problem

_HIDDEN_UNTIL_DATED = {
    "hugo": "Hugo does not publish it before then (unless buildFuture is set)",
    "jekyll": "Jekyll does not publish it before then (unless future: true is set)",
}
"""What a site of a profile does with a post dated in the future; others show it under that date."""


def unknown_ids_note(snapshot: Snapshot) -> tuple[str, ...]:
    """A note naming the ids mentioned without metadata, which ranking leaves out."""
    unknown = unknown_paper_ids(snapshot)
    if not unknown:
        return ()
    return (
        f"{snapshot.date}: ignored mentions of {count(len(unknown), 'id')} without metadata: {', '.join(unknown[:10])}",
    )


def post_warnings(snapshot: Snapshot, ranked: list[RankedPaper], profile: str, now: datetime | None) -> tuple[str, ...]:
    """The warnings for the post of `ranked`; `now` None: none about its date."""
    future = now is not None and parse_time(snapshot.taken_at) > now
    warnings = [
        f"{snapshot.date}: the post is dated {snapshot.taken_at}, the snapshot's taken_at, which is in the future: "
        f"{_HIDDEN_UNTIL_DATED.get(profile, 'the site shows it under that date')}"
    ] * future
    refused = [
        f"{mention.platform} {mention.id} ({problem})"
        for item in ranked
        for mention in item.shown
        if (problem := _refusal(mention.platform, mention.embed_html))
    ]
    if refused:
        more = f" and {len(refused) - 1} more" if len(refused) > 1 else ""
        warnings.append(
            f"{snapshot.date}: the embed HTML of {count(len(refused), 'shown mention')} was refused, and the post "
            f"shows an embed written from the mention's fields instead: {refused[0]}{more}; "
            f"'hotpapers explain {snapshot.date}' names each"
        )
    return tuple(warnings)


def _refusal(platform: str, html: str | None) -> str | None:
    words = display(platform)
    return embed_problem(html, words.embed_rules) if words.embedded and html else None
