"""A day whose sources answered while arXiv failed. The posts read are kept (a paid
source bills each one): the snapshot records arXiv as failed, holds the mentions and no paper, and
no post is written; the next build of the day asks arXiv again (Fetcher.repair), with the
sources that failed, if any, and none that answered.
So that a build killed while arXiv answers loses nothing either, the day is saved so
before arXiv is asked (by a repair too, when a source it asked again found posts), and
saved again once complete.
A refresh keeps the stored snapshot instead (even a broken one), as for any failed fetch."""

from __future__ import annotations

from pathlib import Path

from msgspec.structs import replace

from hotpapers.errors import STORED_STAYS, FetchError, command, shown_path
from hotpapers.models import ARXIV, Snapshot, SourceStatus
from hotpapers.snapshot import save_snapshot


def before_metadata(snapshot: Snapshot, endpoint: str) -> Snapshot:
    """`snapshot`, holding the posts read, as it is saved before arXiv is asked: were the
    build killed then, or once arXiv answered but before the day is saved whole (while the
    embeds are fetched), the next one would ask arXiv alone."""
    unanswered = SourceStatus(
        "failed", "the build stopped after the sources answered, before arXiv's answer was saved", endpoint
    )
    return replace(snapshot, sources={**snapshot.sources, ARXIV: unanswered})


def metadata_failed(snapshot: Snapshot) -> bool:
    status = snapshot.sources.get(ARXIV)
    return status is not None and status.status == "failed"


def refuse_without_metadata(snapshot: Snapshot, path: Path, again: list[str], *, keep: bool) -> None:
    """Nothing when arXiv answered for `snapshot`; else a FetchError, after saving the
    snapshot to `path` when `keep` (else a refresh: the stored one stays, as it says),
    naming the sources the next build asks again with arXiv (`again`: Fetch.failed_sources),
    each with why it failed, after arXiv's reason: no other line says it."""
    if not metadata_failed(snapshot):
        return
    others = [name for name in again if name != ARXIV]
    reason = "; ".join(
        [
            snapshot.sources[ARXIV].detail or "failed",
            *(f"{name}: {snapshot.sources[name].detail or 'failed'}" for name in others),
        ]
    )
    if not keep:
        raise FetchError(ARXIV, f"{reason}; {STORED_STAYS}")
    save_snapshot(snapshot, path)
    return_to = f"arXiv and {', '.join(others)}" if others else "arXiv alone"
    raise FetchError(
        ARXIV,
        f"{reason}; the posts read are kept in {shown_path(path)}, and the next "
        f"`{command(f'build --date {snapshot.date}')}` asks {return_to} again",
    )


def metadata_warning(snapshot: Snapshot) -> tuple[str, ...]:
    """What a build that does not fetch (--offline) says of a snapshot whose arXiv failed."""
    if not metadata_failed(snapshot):
        return ()
    return (
        f"{snapshot.date}: the snapshot records arxiv as failed, so no paper has metadata and no post is written; "
        "a build without --offline fetches it again",
    )
