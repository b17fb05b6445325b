"""The rules tying a snapshot's times to its day, beyond the schema: its window is that
day in some time zone, and it was taken after the day ended (its post is dated then).

A file does not say which time zone its day was in, and the configured zone may have
changed since, so the bounds are those of every UTC offset in use, from -12:00 to
+14:00: a day starts and ends at midnight in one of them. The start and the end may be
at different offsets, as on a day a zone changes its clocks (of 23 or 25 hours, or
more).
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta, timezone

from hotpapers.models import Window, parse_time

EARLIEST, LATEST = timezone(timedelta(hours=14)), timezone(timedelta(hours=-12))
"""The offsets where a date starts (and ends) first and last."""


def time_problems(day: str, taken_at: str, window: Window | None) -> list[str]:
    """The first of these rules that the snapshot of `day` breaks, as 'JSON path: message'."""
    return (_window_problems(day, window) if window is not None else []) or _taken_too_early(day, taken_at, window)


def _midnight(day: date, offset: timezone) -> datetime:
    return datetime.combine(day, time(), offset)


def _window_problems(day: str, window: Window) -> list[str]:
    """A window that is not `day` in any time zone: the post would claim a day the
    snapshot does not hold, and the end bounds `taken_at`."""
    since, until = parse_time(window.since), parse_time(window.until)
    if since >= until:
        return [f"$.window: its since, {window.since!r}, is not before its until, {window.until!r}"]
    start = date.fromisoformat(day)
    end = start + timedelta(days=1)
    if _between(since, start) and _between(until, end):
        return []
    return [
        f"$.window: {window.since!r} to {window.until!r} is not the day {day} in any time zone: it must start "
        f"between {_midnight(start, EARLIEST).isoformat()} and {_midnight(start, LATEST).isoformat()} and end "
        f"between {_midnight(end, EARLIEST).isoformat()} and {_midnight(end, LATEST).isoformat()} "
        "(midnight at some UTC offset)"
    ]


def _between(moment: datetime, day: date) -> bool:
    """Whether `moment` is the midnight that starts `day` at some offset in use."""
    return _midnight(day, EARLIEST) <= moment <= _midnight(day, LATEST)


def _taken_too_early(day: str, taken_at: str, window: Window | None) -> list[str]:
    """A snapshot taken before its day ended cannot hold the whole day, and its post,
    dated `taken_at`, would be dated before the end of the day it covers.

    The day ends where the snapshot's window ends, when it records one: that is the
    interval that was searched, in the time zone that was configured then. A file
    without a window (an import) does not say which zone its day is in, so the bound is
    the earliest end of that date anywhere on Earth, midnight at UTC+14: refused is only
    what is too early in every zone.
    """
    if window is not None:
        end, which = window.until, "its window's end"
    else:
        end, which = (
            _midnight(date.fromisoformat(day) + timedelta(days=1), EARLIEST).isoformat(),
            "its earliest end in any time zone",
        )
    if parse_time(taken_at) >= parse_time(end):
        return []
    return [f"$.taken_at: {taken_at!r} is before the end of the day {day} ({which}, {end}): the day was not over yet"]
