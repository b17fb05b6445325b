"""The nightly build's repair of the days before it. `hotpapers build` with no day given
builds yesterday, then fetches again what failed (a source, arXiv) in the stored days
among the `repair_days` before it, through the repair `build --date D` makes
(`Fetch.repair`: only what failed is asked again, and a post is never replaced by one
listing fewer papers). So a failed day is searched again on at most `repair_days`
nights, and not on a night when what failed it fails yesterday's build too (a source down
for days would take its retries, up to `http.max_time`, once for every day), nor when it
reached `http.max_time` tonight (a slow source would take that time again for every day).
No source given up on tonight (HttpClient.down) is asked again for a day before yesterday:
it fails at once, the day records it failed, and a later night fetches it.
A `partial` source (a search cut short that kept its pages) is not repaired, as by
`build --date D`: its pages would be read, and a paid source would bill them, again. A
repair that fails again is a warning: the night's outcome is yesterday's build's.

A day among them with no snapshot at all (a night that never ran, or was killed before
saving it), and no post (one written by hand is kept), is fetched as `build --date D`
would, but only after the site's first stored snapshot (check_files.checked_days), and
only when one of the `repair_days` days before it has one or was missed too: a new site,
one that holds only older days (an imported archive, the sample day of a clone of this
repository) or one whose nightly build stopped long ago is not back-filled.

A day among them whose snapshot is stored and records no failure, but that has no post (a
night saved the snapshot, then could not write the post: a folder in its way, a full disk,
a kill between the two), gets its post from that snapshot, asking no source; a day where no
paper qualifies stays without one, unmentioned."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from datetime import date, timedelta

from msgspec.structs import replace

from hotpapers.check_files import checked_days
from hotpapers.config import Config
from hotpapers.errors import FetchError, HotpapersError, SnapshotError, command
from hotpapers.fetch_claim import FolderClaimed, claim_for_fetching
from hotpapers.models import Snapshot
from hotpapers.pipeline import BuildOptions, DayReport, Fetch, build_day, build_days, listed_days
from hotpapers.plural import count
from hotpapers.recorded_failures import may_record_failure
from hotpapers.render import PostRenderer
from hotpapers.snapshot import first_stored_day, is_stored, stored_snapshot
from hotpapers.write import Outcome


def build_nightly(
    days: Iterable[str | date],
    config: Config,
    options: BuildOptions | None = None,
    make_fetch: Callable[[], Fetch] | None = None,
) -> Iterator[DayReport]:
    """What `hotpapers build` does with no day given: build_days, then repair_recent
    for the days before the first of `days`. A build that raises repairs nothing; the error
    of one day says when the nights after take it up (_taken_up)."""
    options = options or BuildOptions()
    days = listed_days(days)
    try:
        yield from build_days(days, config, options, make_fetch)
    except HotpapersError as error:
        after = _taken_up(error, days[0], config) if len(days) == 1 and not options.offline and make_fetch else ""
        if not after:
            raise
        raise error.continued(after) from None
    if days:
        yield from repair_recent(days[0], config, options, make_fetch)


def repair_recent(
    built: str, config: Config, options: BuildOptions, make_fetch: Callable[[], Fetch] | None
) -> Iterator[DayReport]:
    """A report for each day among the `config.repair_days` before `built`, oldest first,
    whose snapshot records a failed source or arXiv, or that has none though an earlier day
    has: what fetching it (again) did (on a dry run, what it would fetch); and for each whose
    whole snapshot has no post, the post written from it (_post_unposted). Nothing --offline,
    or without `make_fetch`. A snapshot that cannot be read is left to `check` and `build
    --date D`, which name it; a day whose failed sources all failed, or reached
    `http.max_time`, tonight is not fetched again."""
    if options.offline or make_fetch is None or not config.repair_days:
        return
    end = date.fromisoformat(built)
    span = checked_days(config, end - timedelta(days=1), 2 * config.repair_days)  # the days and those before
    days = span[-config.repair_days :]
    missed = _missed(config, span)
    failing = {day: stored for day in days if day not in missed and (stored := _stored_failing(config, day))}
    unposted = {day for day in days if day not in missed and _unposted(config, day)}
    if not missed and not failing and not unposted:
        return
    fetch, renderer = make_fetch(), PostRenderer(config)
    tonight = None if options.dry_run else _stored_failing(config, built)  # a dry run fetched nothing tonight
    failed_tonight = set(fetch.failed_sources(tonight)) if tonight else set()
    fetch.http.skip_down = True  # a source given up on tonight is not asked again: it is noted as failed
    try:
        for day in days:
            tries_left = config.repair_days - (end - date.fromisoformat(day)).days
            if day in missed:
                yield _build_missed(day, config, renderer, options, fetch, tries_left)
                continue
            failed = fetch.failed_sources(failing[day]) if day in failing else []
            if not failed:
                if day in unposted and (post := _post_unposted(day, config, renderer, options, tries_left)) is not None:
                    yield post
                continue
            if (failed_tonight | set(fetch.http.down)).issuperset(failed):  # each would fail again, or take as long
                again = _tries_left(config, day, tries_left)
                why = (
                    "failed tonight too"
                    if failed_tonight.issuperset(failed)
                    else "failed or reached http.max_time tonight"
                )
                yield DayReport(day, "", warnings=(f"{day}: not repaired: {', '.join(failed)} {why}{again}",))
            elif options.dry_run:
                plan = fetch.plan_repair(failing[day])
                if plan:
                    yield DayReport(day, plan)
            else:
                yield _repair(failing[day], failed, config, renderer, BuildOptions(now=options.now), fetch, tries_left)
    finally:
        fetch.http.skip_down = False  # a build of a day or a range with this fetcher asks every source


def _stored_failing(config: Config, day: str) -> Snapshot | None:
    """The stored snapshot of `day` when it may record a failure; None when it cannot, or
    cannot be read (left to `check` and `build --date D`, which name it)."""
    if not may_record_failure(config.snapshot_path(day)):
        return None
    try:
        return stored_snapshot(config.snapshot_path(day), day)
    except SnapshotError:
        return None


def _unposted(config: Config, day: str) -> bool:
    """Whether `day` has a stored snapshot but no post file (as `check` finds it): a link to
    nothing there is replaced, as `build --date D` replaces it, and a folder named."""
    return is_stored(config.snapshot_path(day)) and not config.post_path(day).is_file()


def _post_unposted(
    day: str, config: Config, renderer: PostRenderer, options: BuildOptions, tries_left: int
) -> DayReport | None:
    """build_day of a stored day with no post, from its snapshot alone (on a dry run, what it
    would write); None when no paper qualifies, or the snapshot cannot be read (left to `check`
    and `build --date D`, which name it); why the post could not be written, as a warning."""
    try:
        report = build_day(day, config, renderer, BuildOptions(now=options.now, dry_run=options.dry_run), None)
    except SnapshotError:
        return None
    except HotpapersError as error:
        again = _after_failure(config, day, tries_left)
        return DayReport(day, "", warnings=(f"{day}: post not written: {error.message}{again}",))
    if not report.papers:
        return None
    saved = "written from the snapshot an earlier night saved without its post"
    return replace(report, message=f"{day}: {saved}: {report.message.removeprefix(f'{day}: ')}")


def _taken_up(error: HotpapersError, day: str, config: Config) -> str:
    """The end of the error of a nightly build that stopped at `day`, saying what the nights
    after do of it: where its snapshot is saved whole and its post was not written (a folder
    in its way, a posts folder it may not write), they write the post (_after_failure); where
    the snapshot saved records a failure (arXiv's, a source's, with the post or the last save
    failing after it), they repair it (_tries_left); where every source failed and nothing was
    saved, they fetch it as a day they missed (_missed), or else the command that does; ''
    for other errors, and when another build is fetching (its snapshot, not this night's)."""
    if isinstance(error, (SnapshotError, FolderClaimed)):
        return ""
    if not isinstance(error, FetchError):  # the post failed, or the snapshot's last save
        if _saved_whole(config, day):
            return "" if config.post_path(day).is_file() else _after_failure(config, day, config.repair_days)
        retried = config.repair_days and may_record_failure(config.snapshot_path(day))
        return _tries_left(config, day, config.repair_days) if retried else ""
    if is_stored(config.snapshot_path(day)):
        repaired = config.repair_days and not _saved_whole(config, day)
        return _tries_left(config, day, config.repair_days) if repaired else ""
    span = checked_days(config, date.fromisoformat(day), 2 * config.repair_days)
    unsaved = f"; nothing was saved for {day}"
    if config.repair_days and first_stored_day(config.paths.snapshots) and day in _missed(config, span):
        return f"{unsaved}, so the nightly build fetches it as a missed day ({count(config.repair_days, 'more night')})"
    return f"{unsaved}, and no later nightly build fetches it: run `{command(f'build --date {day}')}` once the sources answer"


def _tries_left(config: Config, day: str, tries_left: int) -> str:
    """The end of a warning about a day left failed: when the nightly build tries it again."""
    if tries_left:
        return f"; the nightly build tries again {count(tries_left, 'more night')}"
    return (
        f"; that was the nightly build's last try (repair_days: {config.repair_days}), "
        f"`{command(f'build --date {day}')}` tries again"
    )


def _after_failure(config: Config, day: str, tries_left: int) -> str:
    """The end of a warning about a day the nightly build failed to build or repair: when
    it tries again, or, the day's snapshot being saved whole (the post failed), that the nights
    left and `build --date D` write its post (_post_unposted): no night fetches such a day again."""
    if _saved_whole(config, day):
        nights = f"the nightly build ({count(tries_left, 'more night')}) or " if tries_left else ""
        return (
            f"; the snapshot is saved, so {nights}`{command(f'build --date {day}')}` writes the post once that is fixed"
        )
    return _tries_left(config, day, tries_left)


def _saved_whole(config: Config, day: str) -> bool:
    """Whether `day` has a snapshot that records no failure: no night fetches it again."""
    path = config.snapshot_path(day)
    return is_stored(path) and not may_record_failure(path)


def _repair(
    stored: Snapshot,
    failed: list[str],
    config: Config,
    renderer: PostRenderer,
    options: BuildOptions,
    fetch: Fetch,
    tries_left: int,
) -> DayReport:
    """build_day of a stored day recording `failed` (`Fetch.repair`), its report saying
    what was repaired; what is still failed, and why a repair failed, as warnings."""
    day = stored.date
    try:
        claim_for_fetching(config.paths.snapshots)
        report = build_day(day, config, renderer, options, fetch)
        after = stored_snapshot(config.snapshot_path(day), day) or stored
    except HotpapersError as error:
        again = _after_failure(config, day, tries_left)
        return DayReport(day, "", warnings=(f"{day}: not repaired: {error.message}{again}",))
    again = _tries_left(config, day, tries_left)
    still = fetch.failed_sources(after)
    repaired = [name for name in failed if name not in still]
    warnings = report.warnings
    if still:
        kept = "the day keeps its snapshot and post" if not repaired else "the post stays without it"
        warnings += (f"{day}: {', '.join(still)} still failed after the repair: {kept}{again}",)
    message = report.message if report.outcome in (Outcome.WRITTEN, Outcome.KEPT) else ""
    if repaired:
        message = f"{day}: repaired {', '.join(repaired)}: {report.message.removeprefix(f'{day}: ')}"
    return replace(report, message=message, warnings=warnings)


def _missed(config: Config, span: list[str]) -> set[str]:
    """The days among the last `repair_days` of `span` (oldest first) that a night missed:
    without a snapshot, while one of the `repair_days` days before has one or was missed too.
    A day with a post but no snapshot (a post written by hand) was not missed: fetching it
    would replace that post."""
    seen = {day for day in span if is_stored(config.snapshot_path(day)) or config.post_path(day).is_file()}
    missed: set[str] = set()
    for day in span[-config.repair_days :]:
        before = {str(date.fromisoformat(day) - timedelta(days=back)) for back in range(1, config.repair_days + 1)}
        if day not in seen and not seen.isdisjoint(before):
            missed.add(day)
            seen.add(day)
    return missed


def _build_missed(
    day: str, config: Config, renderer: PostRenderer, options: BuildOptions, fetch: Fetch, tries_left: int
) -> DayReport:
    """build_day of a day an earlier night left without a snapshot (on a dry run, the
    fetcher's plan for it); why it failed, as a warning."""
    missed = "(missed by an earlier night)"
    try:
        if options.dry_run:
            return DayReport(day, f"{day}: would build {missed}: {fetch.plan(day).removeprefix(f'{day}: ')}")
        claim_for_fetching(config.paths.snapshots)
        report = build_day(day, config, renderer, BuildOptions(now=options.now), fetch)
    except HotpapersError as error:
        again = _after_failure(config, day, tries_left)
        return DayReport(day, "", warnings=(f"{day}: not built {missed}: {error.message}{again}",))
    return replace(report, message=f"{day}: built {missed}: {report.message.removeprefix(f'{day}: ')}", missed=True)
