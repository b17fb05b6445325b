"""What `build` says about a day's post beyond writing it: the mentions it leaves out,
and what will not show as the snapshot's author expects, a date in the future (the site
may hide the post), an embed refused (the post writes the mention from its fields
instead) or a link that is no web address (the post shows none). Imported snapshots are
where the last three come from. And a post whose site's own template leaves out its date
or slug, which the site then places otherwise than the feeds."""

from __future__ import annotations

from datetime import datetime

from hotpapers.errors import command, excerpt, printable
from hotpapers.models import Mention, Snapshot, parse_time
from hotpapers.plural import count
from hotpapers.profiles import Profile
from hotpapers.rank import unknown_paper_ids
from hotpapers.render import Departures


def unknown_ids_note(snapshot: Snapshot) -> tuple[str, ...]:
    """A note naming the ids mentioned without metadata, which ranking leaves out."""
    unknown = unknown_paper_ids(snapshot)
    if not unknown:
        return ()
    more = f" (and {len(unknown) - 10} more)" if len(unknown) > 10 else ""
    return (
        f"{snapshot.date}: ignored mentions of {count(len(unknown), 'id')} without metadata: "
        f"{', '.join(unknown[:10])}{more}",
    )


def post_warnings(
    snapshot: Snapshot, departures: Departures, profile: Profile, now: datetime | None, stored: bool
) -> tuple[str, ...]:
    """The warnings for the post of `snapshot`, rendered with `departures`; `now` None: none about
    its date; `stored`: the snapshot is the site's own day's, which `hotpapers explain` reads."""
    day = snapshot.date
    explain = f"; `{command(f'explain {day}')}` names each" if stored else ""
    warnings = []
    if now is not None and parse_time(snapshot.taken_at) > now:
        warnings.append(
            f"{day}: the post is dated {snapshot.taken_at}, the snapshot's taken_at, which is in the future: "
            f"{profile.future_posts}"
        )
    refused = [f"{_named(m)} ({problem})" for m, problem in departures.refused]
    if refused:
        written = "it from the mention's" if len(refused) == 1 else "them from the mentions'"
        warnings.append(
            f"{day}: the embed HTML of {count(len(refused), 'shown mention')} was refused, and the post writes "
            f"{written} fields instead: {_listed(refused)}{explain}"
        )
    unlinked = [f"{_named(m)} ({printable(excerpt(m.url))})" for m in departures.unlinked]
    if unlinked:
        warnings.append(
            f"{day}: the URL of {count(len(unlinked), 'shown mention')} is no http(s) link, and the post shows "
            f"{'it' if len(unlinked) == 1 else 'them'} without a link: {_listed(unlinked)}{explain}"
        )
    if departures.left_out:
        warnings.append(_left_out(day, departures, profile))
    return tuple(warnings)


_PLACED = {
    "date": "dates the post otherwise than the feeds do",
    "slug": "makes the post's address otherwise, where the feeds do not link it",
}
"""What a site does with a post whose frontmatter leaves out the key (frontmatter.PLACING)."""


def _left_out(day: str, departures: Departures, profile: Profile) -> str:
    keys = departures.left_out
    return (
        f"{day}: the template {departures.template} writes no {' or '.join(keys)} into the post's frontmatter: "
        f"the site then {', and '.join(_PLACED[key] for key in keys)}; write {'it' if len(keys) == 1 else 'them'} "
        f"as the bundled {profile.template} does"
    )


def _named(mention: Mention) -> str:
    """A mention in a one-line message: its platform and id, whatever the id holds."""
    return f"{mention.platform} {printable(excerpt(mention.id))}"


def _listed(items: list[str]) -> str:
    return f"{items[0]} and {len(items) - 1} more" if len(items) > 1 else items[0]
