"""What a build of several days says of the days it did not build: a day whose snapshot
is unusable is skipped, and the others are still built; any other failure stops the
build, and its error names every day left unbuilt."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import date, timedelta
from typing import TYPE_CHECKING

from hotpapers.errors import FetchError, HotpapersError, InputError

if TYPE_CHECKING:
    from hotpapers.pipeline import DayReport


def naming_unbuilt(days: list[str], reports: Iterable[DayReport]) -> Iterator[DayReport]:
    """`reports` (one per day of `days`; in order but for the days worker processes finished
    after another's failure) passed on; then an InputError naming the days whose report is
    `failed`, or, when one raises, its error naming the days unbuilt: those failed and
    those not reported (a fetch's error names its day when it is the only one: cron mails
    it the next night)."""
    failed: list[str] = []
    reported: set[str] = set()
    try:
        for report in reports:
            reported.add(report.day)
            failed += [report.day] if report.failed else []
            yield report
    except HotpapersError as error:
        if len(days) == 1 and isinstance(error, FetchError):  # a source's words, which do not name the day
            raise error.varied(day=days[0]) from None
        if len(days) == 1 or reported.issuperset(days):
            raise
        unbuilt = [day for day in days if day in failed or day not in reported]
        stopped = next(day for day in days if day not in reported)
        message = (
            f"{error.message}; stopped at {stopped}: {len(unbuilt)} of {len(days)} days not built: {spans(unbuilt)}"
        )
        raise (InputError if isinstance(error, InputError) else HotpapersError)(message) from error
    if failed:
        reasons = "reason" if len(failed) == 1 else "reasons"
        raise InputError(f"{len(failed)} of {len(days)} days not built, for the {reasons} given above: {spans(failed)}")


def spans(days: list[str]) -> str:
    """'2026-11-20, 2026-11-22 to 2026-11-25': each run of consecutive days as one span."""
    runs: list[list[str]] = []
    for day in days:
        if runs and date.fromisoformat(runs[-1][-1]) + timedelta(days=1) == date.fromisoformat(day):
            runs[-1].append(day)
        else:
            runs.append([day])
    return ", ".join(run[0] if len(run) == 1 else f"{run[0]} to {run[-1]}" for run in runs)
