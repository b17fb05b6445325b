"""The digest days a command is asked for: parsed from its options, checked, and
defaulted from the clock in the configured time zone."""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta
from pathlib import Path

import click

from hotpapers.compose import qualifying_needs
from hotpapers.config import Config
from hotpapers.day_window import day_window
from hotpapers.errors import ALL_SOURCES_OFF, HotpapersError, InputError, command, shown_path
from hotpapers.models import DAY_FORM, Snapshot
from hotpapers.rank import rank
from hotpapers.snapshot import is_stored, last_stored_day, load_snapshot, misnamed_snapshot, site_snapshot

_DATE = re.compile(DAY_FORM, re.ASCII)
_LOOSE_DATE = re.compile(r"([0-9]{4})([-/.]?)([0-9]{1,2})\2([0-9]{1,2})")
"""Year, month and day in that order, as in 2020-9-24, 2020/09/24 or 20200924: a date
whose meaning is plain, which `parse_day` names in the right form, not takes."""
FIRST_YEAR, LAST_YEAR = 1000, 9998
"""The years a digest day may fall in, as for a snapshot's time stamps: the day before
and after it, in any time zone, stay inside Python's dates."""


def parse_day(value: str, option: str) -> date:
    if not _DATE.fullmatch(value):
        raise click.BadParameter(f"{value!r} is not a date in the form YYYY-MM-DD{meant_day(value)}", param_hint=option)
    try:
        day = date.fromisoformat(value)
    except ValueError as exc:
        raise click.BadParameter(f"{value!r} is not a real date ({exc})", param_hint=option) from None
    if not FIRST_YEAR <= day.year <= LAST_YEAR:
        raise click.BadParameter(f"{value} is outside the years {FIRST_YEAR}-{LAST_YEAR}", param_hint=option)
    return day


def meant_day(value: str) -> str:
    """'; did you mean 2020-09-24?' for a `value` such as '2020-9-24' that is plainly that
    real day, only lacking the form; else ''."""
    loose = _LOOSE_DATE.fullmatch(value.strip())
    if loose is None or (not loose[2] and len(value.strip()) != 8):
        return ""
    year, month, day = int(loose[1]), int(loose[3]), int(loose[4])
    try:
        meant = date(year, month, day)
    except ValueError:
        return ""
    return f"; did you mean {meant.isoformat()}?" if FIRST_YEAR <= year <= LAST_YEAR else ""


def select_days(
    day: str | None, since: str | None, until: str | None, today: date, day_option: str = "--date"
) -> list[date]:
    """The days to build: `day` (given as `day_option`, which errors name), or the
    inclusive --since/--until range, or yesterday."""
    if day is not None and (since is not None or until is not None):
        raise click.UsageError(f"give either {day_option} or --since/--until, not both")
    if (since is None) != (until is None):
        raise click.UsageError("--since and --until go together")
    if since is not None and until is not None:
        first, last = parse_day(since, "--since"), parse_day(until, "--until")
        if first > last:
            raise click.BadParameter(f"{since} is after {until}", param_hint="--since/--until")
        return [first + timedelta(days=n) for n in range((last - first).days + 1)]
    if day is not None:
        return [parse_day(day, day_option)]
    return [today - timedelta(days=1)]


def day_or_yesterday(value: str | None, option: str, config: Config, *, ended: bool = False) -> date:
    """The day given as `option`, else yesterday; `ended`: refused when it has not ended yet in
    the configured time zone (check's last day: no build can have made it)."""
    yesterday = today(config) - timedelta(days=1)
    if value is None:
        return yesterday
    day = parse_day(value, option)
    if ended and (zone := unended(day.isoformat(), config)):
        raise click.BadParameter(
            f"{value} has not ended yet in {zone}, so no build can have made it: give a day up to {yesterday}",
            param_hint=option,
        )
    return day


def now(config: Config) -> datetime:
    """The time in the configured time zone, as every command but `init` reads the clock
    (init's workflow schedule reads today's date: site_workflow.py)."""
    return datetime.now(config.timezone)


def today(config: Config) -> date:
    return now(config).date()


def not_built(
    what: str,
    day: str,
    path: Path,
    snapshots: Path | None = None,
    *,
    unfetchable: bool = False,
    unended: str | None = None,
) -> InputError:
    """The error for a day that has no `what` (snapshot, post) at `path` yet; it names the
    last day stored in the `snapshots` folder (the snapshot's own, by default) when that is
    before `day`, as when a site that imported a day asks for yesterday, the default.
    `unfetchable`: the config enables no source and the day has no snapshot, which build
    would then refuse to fetch: the advice is to write it. `unended`: the time zone in which
    the day, with no snapshot, has not ended yet, so that build would refuse to fetch it
    too: the advice is to build it once it has."""
    hint = misnamed_snapshot(path) if what == "snapshot" else ""
    last = last_stored_day(snapshots or path.parent)
    if not hint and last is not None and last < day:
        hint = f" (the last day stored is {last})"
    advice = f"run `{command(f'build --date {day}')}` first"
    if unended and not unfetchable:
        advice = f"{day} has not ended yet in {unended}: `{command(f'build --date {day}')}` fetches it once it has"
    if unfetchable:
        snapshot = (
            "it" if what == "snapshot" else f"the day's snapshot to {shown_path((snapshots or path.parent) / day)}.json"
        )
        then = "" if what == "snapshot" else f", then run `{command(f'build --date {day}')}`"
        advice = f"{ALL_SOURCES_OFF}, so write {snapshot} (docs/snapshot.md){then}"
    return InputError(f"no {what} for {day} at {shown_path(path)}{hint}; {advice}")


def unended(day: str, config: Config) -> str | None:
    """The configured time zone's name when `day` has not ended there yet (no build can
    fetch it before), else None."""
    return config.timezone.key if day_window(day, config)[1] > now(config) else None


def stored_day(day: str, config: Config) -> Snapshot:
    """The stored snapshot of `day`, for a command that reads it; an error saying how to make
    one when there is none."""
    snapshot = site_snapshot(config, day)
    if snapshot is None:
        raise not_built(
            "snapshot",
            day,
            config.snapshot_path(day),
            unfetchable=not config.enabled_sources,
            unended=unended(day, config),
        )
    return snapshot


def no_post(day: str, config: Config) -> InputError:
    """The error for a day that has no post: to build it, or, when its stored snapshot
    ranks no paper (so that `build` writes none), that."""
    path = config.snapshot_path(day)
    try:
        qualifies = not is_stored(path) or bool(rank(load_snapshot(path, day), config))
    except HotpapersError:  # an unusable snapshot: building the day says what is wrong with it
        qualifies = True
    if qualifies:
        unfetchable = not config.enabled_sources and not is_stored(path)
        return not_built(
            "post",
            day,
            config.post_path(day),
            config.paths.snapshots,
            unfetchable=unfetchable,
            unended=None if is_stored(path) else unended(day, config),
        )
    needs = qualifying_needs(day, config, stored=True)
    return InputError(f"no post for {day}: no paper of its snapshot qualifies {needs}, so build writes none")
