"""What a build says of the enabled sources whose credentials are not set: each is
skipped with a warning saying how to set them or turn the source off (cron mails every
warning), and a day no source can fetch is an error naming every variable."""

from __future__ import annotations

import logging
from datetime import datetime
from pathlib import Path

from hotpapers.errors import ALL_SOURCES_OFF, InputError, shown_path
from hotpapers.models import SourceStatus
from hotpapers.snapshot import is_stored
from hotpapers.sources.base import Source, SourceSettings
from hotpapers.unbuilt import spans

log = logging.getLogger("hotpapers")


def runnable(sources: list[Source]) -> list[Source]:
    """The sources whose credentials are set."""
    return [source for source in sources if source.missing_credentials() is None]


def required(kind: type[Source], settings: SourceSettings) -> list[str]:
    """The variables a source of `kind` with `settings` does not run without: those its
    `missing_credentials` names with none set. One of its `*_env` settings that is not
    among them (a token it sends only when set) is optional."""
    missing = kind(settings, None, {}, datetime.now).missing_credentials()  # type: ignore[arg-type]  # asks no server
    return missing.split(" and ") if missing else []


def unset_credentials(sources: list[Source]) -> list[tuple[str, str]]:
    """(name, the variables to set) of each source whose credentials are not set; one set
    but unusable counts as set (a build says what is wrong with it)."""
    unset = []
    for source in sources:
        try:
            missing = source.missing_credentials()
        except InputError:
            continue
        if missing is not None:
            unset.append((source.name, missing))
    return unset


def warn_skipped(day: str, sources: list[Source], verb: str) -> dict[str, SourceStatus]:
    """A warning for each of `sources` without its credentials: it `verb` ("is", "would
    be") skipped; their statuses for a snapshot."""
    statuses = {}
    for source in sources:
        missing = source.missing_credentials()
        if missing is not None:
            how = f"set {missing}, or turn it off with sources.{source.name}.enabled: false"
            log.warning("%s: %s %s skipped: %s", day, source.name, verb, how)
            statuses[source.name] = SourceStatus(status="skipped", detail=f"needs {missing}")
    return statuses


def none_can_run(days: list[str], sources: list[Source], snapshot: Path) -> InputError:
    """The error for days no source can fetch, all without a snapshot or all with one (a
    refresh; stored as a build counts it, `is_stored`: a link to nothing is one), the first
    of which has its snapshot at `snapshot`. With every source off (a site that writes its
    own snapshots), a day without one is to be written there."""
    day, rest = days[0], days[1:]
    it = "them" if rest else "it"
    needs = " or ".join(f"{s.missing_credentials()} (sources.{s.name})" for s in sources)
    if stored := is_stored(snapshot):
        kept = "the stored snapshots stay" if rest else "its stored snapshot stays"
        what = f"{spans(days)}: no source can fetch {it} again ({kept})"
    else:
        what = f"{day} has no snapshot{f' (nor has {spans(rest)})' if rest else ''} and no source can fetch {it}"
    if needs:
        return InputError(f"{what}: set {needs}")
    write = (
        f"write each day's snapshot, as {shown_path(snapshot)}"
        if rest
        else f"write the day's snapshot to {shown_path(snapshot)}"
    )
    bring = "" if stored else f"; turn one on (sources.NAME.enabled), or {write} (docs/snapshot.md)"
    return InputError(f"{what}: {ALL_SOURCES_OFF}{bring}")
