"""What a --refresh keeps instead of its fetch: the stored snapshot, when the fetch would
drop mentions no enabled source fetches (imported ones), or finds far fewer mentions, in
all or of one platform (a search that answered a page of its posts), unless --force."""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection

from hotpapers.models import Snapshot
from hotpapers.plural import count

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
