"""A day's window, [D 00:00, D+1 00:00) in the configured time zone: what a fetch asks
every source for, and what a repair asks again from a snapshot's own record."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

from hotpapers.config import Config
from hotpapers.models import Snapshot, parse_time


def stored_window(snapshot: Snapshot) -> tuple[datetime, datetime]:
    """The snapshot's window at the offset where it starts at midnight of its day (the
    configured zone may have changed since), as `day_window` gives it to the sources."""
    assert snapshot.window is not None
    since, until = parse_time(snapshot.window.since), parse_time(snapshot.window.until)
    start = datetime.fromisoformat(snapshot.date).replace(tzinfo=UTC)
    offset = timezone(start - since)
    return since.astimezone(offset), until.astimezone(offset)


def day_window(day: str, config: Config) -> tuple[datetime, datetime]:
    """[D 00:00, D+1 00:00) as aware datetimes in the configured time zone."""
    start = datetime.combine(date.fromisoformat(day), datetime.min.time(), config.timezone)
    end = datetime.combine(date.fromisoformat(day) + timedelta(days=1), datetime.min.time(), config.timezone)
    return start, end
