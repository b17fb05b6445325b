"""The command line: parses, loads the config, reads the clock, and calls the pipeline.

Nothing else in the package reads the clock or the environment. A command imports the
network stack (fetch) and the HTML preview when it runs, not this module: `render`,
`explain` and `check` start in half the time without them.
"""

from __future__ import annotations

import logging
import os
import re
import sys
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import click

from hotpapers import __version__
from hotpapers.atomic import write_atomically
from hotpapers.check import DayFiles, day_problems
from hotpapers.config import Config, default_config_path, load_config
from hotpapers.errors import HotpapersError, InputError
from hotpapers.explain import explain as explain_snapshot
from hotpapers.explain import explanation_json, explanation_text
from hotpapers.pipeline import BuildOptions, all_stored, build_days, papers_text, update_feeds
from hotpapers.rank import rank
from hotpapers.render import PostRenderer
from hotpapers.snapshot import load_snapshot, stored_snapshot

log = logging.getLogger("hotpapers")
_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


class HotpapersGroup(click.Group):
    """Turns unexpected exceptions into one line, unless --debug asks for the traceback."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except click.UsageError as exc:
            command = f"hotpapers {exc.ctx.info_name} --help" if exc.ctx and exc.ctx.parent else "hotpapers --help"
            raise InputError(f"{exc.format_message()} (see '{command}')") from None
        except (click.exceptions.Exit, click.ClickException, click.Abort):
            raise
        except KeyboardInterrupt:
            click.echo("Interrupted.", err=True)
            sys.exit(130)
        except Exception as exc:
            if ctx.meta.get("hotpapers.debug"):
                raise
            raise HotpapersError(f"internal error: {type(exc).__name__}: {exc} (run with --debug for details)") from exc


def parse_day(value: str, option: str) -> date:
    if not _DATE.fullmatch(value):
        raise click.BadParameter(f"{value!r} is not a date in the form YYYY-MM-DD", param_hint=option)
    try:
        return date.fromisoformat(value)
    except ValueError as exc:
        raise click.BadParameter(f"{value!r} is not a real date ({exc})", param_hint=option) from None


def config_option(func: Any) -> Any:
    return click.option(
        "--config",
        "config_path",
        type=click.Path(path_type=Path, dir_okay=False),
        default=None,
        help="The site's config file. Default: ./config.yaml if present, else built-in defaults.",
    )(func)


def obtain_config(config_path: Path | None) -> Config:
    if config_path is not None and not config_path.exists():
        raise click.BadParameter(f"{config_path} does not exist", param_hint="--config")
    return load_config(config_path or default_config_path(Path.cwd()), Path.cwd())


@click.group(cls=HotpapersGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "--version", prog_name="hotpapers")
@click.option("-v", "--verbose", "--debug", "debug", is_flag=True, help="Log details, and show tracebacks.")
@click.option("-q", "--quiet", is_flag=True, help="Print errors only.")
@click.pass_context
def cli(ctx: click.Context, debug: bool, quiet: bool) -> None:
    """Write a daily "Hot Papers" digest of the arXiv papers people posted about.

    \b
    Examples:
      hotpapers build                      # yesterday, as a nightly cron job
      hotpapers build --date 2020-09-24
      hotpapers render data/snapshots/2020-09-24.json
    """
    ctx.meta["hotpapers.debug"] = debug
    level = logging.DEBUG if debug else logging.WARNING if quiet else logging.INFO
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(message)s"))
    log.handlers[:] = [handler]
    log.setLevel(level)
    log.propagate = False


@cli.command()
@click.argument("snapshot", type=click.Path(path_type=Path, dir_okay=False))
@click.option(
    "-o", "--output", type=click.Path(path_type=Path, dir_okay=False), help="Write the post here instead of stdout."
)
@config_option
def render(snapshot: Path, output: Path | None, config_path: Path | None) -> None:
    """Render one snapshot file to a post, on stdout or into a file.

    Reads nothing but the snapshot and the config; never touches the network.

    \b
    Examples:
      hotpapers render data/snapshots/2020-09-24.json
      hotpapers render my-import.json -o content/posts/2020-09-24---Hot-Papers.md
    """
    config = obtain_config(config_path)
    snap = load_snapshot(snapshot)
    ranked = rank(snap, config)
    if not ranked:
        log.info("%s: no paper qualifies; nothing written", snap.date)
        return
    text = PostRenderer(config).render(ranked, snap)
    if output is None:
        click.echo(text, nl=False)
    else:
        write_atomically(output, text)
        log.info("wrote %s (%s)", output, papers_text(len(ranked)))


@cli.command()
@click.option("--date", "day", help="The digest day, YYYY-MM-DD. Default: yesterday in the configured time zone.")
@click.option("--since", help="First day of a range (inclusive); needs --until.")
@click.option("--until", help="Last day of a range (inclusive); needs --since.")
@click.option("--offline", is_flag=True, help="Use stored snapshots only; fail for a day without one.")
@click.option(
    "--refresh", is_flag=True, help="Fetch again even when a snapshot exists (it is kept if the fetch fails)."
)
@click.option("--force", is_flag=True, help="Replace an existing post even if it lists more papers.")
@click.option("--dry-run", is_flag=True, help="Show what would be fetched and written, and write nothing.")
@config_option
def build(
    day: str | None,
    since: str | None,
    until: str | None,
    offline: bool,
    refresh: bool,
    force: bool,
    dry_run: bool,
    config_path: Path | None,
) -> None:
    """Build the post of one day, or of each day in a range.

    For each day, the stored snapshot data/snapshots/DAY.json is used when it exists
    (no network); otherwise the day is fetched from the sources and its snapshot saved.

    \b
    Examples:
      hotpapers build                                   # yesterday
      hotpapers build --date 2020-09-24
      hotpapers build --since 2020-09-01 --until 2020-09-30 --offline
      hotpapers build --date 2020-09-24 --refresh --dry-run
    """
    if offline and refresh:
        raise click.UsageError("--offline and --refresh contradict each other")
    config = obtain_config(config_path)
    days = [one_day.isoformat() for one_day in select_days(day, since, until, today(config))]
    options = BuildOptions(offline=offline, refresh=refresh, force=force, dry_run=dry_run)
    fetcher = None
    if not offline and (refresh or not all_stored(days, config)):
        from hotpapers.fetch import make_fetcher  # requests and feedparser: only when a day is fetched

        fetcher = make_fetcher(config, os.environ, lambda: datetime.now(config.timezone), progress_bar)
    reports = []
    try:
        with progress(build_days(days, config, options, fetcher), len(days), "day") as bar:
            for report in bar:
                reports.append(report)
                for note in report.notes:
                    log.info("%s", note)
                log.info("%s", report.message)
        if not dry_run:
            feeds = update_feeds(config)
            if feeds:
                log.info("%s", feeds)
    except HotpapersError:
        log.debug("%s", summary(reports, len(days), fetcher))
        raise
    if len(days) > 1 or (fetcher and fetcher.http.requests):
        log.info("%s", summary(reports, len(days), fetcher))


@cli.command()
@click.argument("day", required=False)
@click.option("--json", "as_json", is_flag=True, help="Print JSON for machines instead of text.")
@config_option
def explain(day: str | None, as_json: bool, config_path: Path | None) -> None:
    """Show why each paper and post of a day is in its post or not.

    Reads the day's snapshot only: every mentioned paper with its score and rank, or
    why it was dropped (below the threshold, outside the categories or the age), and
    every mention record: embedded, counted, duplicate, or linking unknown ids.
    DAY defaults to yesterday.

    \b
    Examples:
      hotpapers explain 2020-09-24
      hotpapers explain 2020-09-24 --json | jq '.papers[0]'
    """
    config = obtain_config(config_path)
    the_day = day_or_yesterday(day, "DAY", config).isoformat()
    explanation = explain_snapshot(load_snapshot(config.snapshot_path(the_day), the_day), config)
    if as_json:
        click.echo(explanation_json(explanation))
    else:
        click.echo(explanation_text(explanation), nl=False)


@cli.command()
@click.option("--days", default=7, show_default=True, type=click.IntRange(1, 3660), help="How many days to check.")
@click.option("--until", "last", help="The last day to check, YYYY-MM-DD. Default: yesterday.")
@click.option(
    "--min-ratio",
    default=0.25,
    show_default=True,
    type=click.FloatRange(0, 1),
    help="A day with fewer mentions than this share of the median of the days before it has collapsed.",
)
@config_option
def check(days: int, last: str | None, min_ratio: float, config_path: Path | None) -> None:
    """Fail when the last days show a dead or failing pipeline.

    Exits 1 with a one-line reason when a day has no snapshot, has no post though
    papers qualify, has a failed source, or has far fewer mentions than the median of
    the days before it. Run it after the nightly build, so cron mail or CI reports a
    pipeline that went quiet.

    \b
    Examples:
      hotpapers check
      hotpapers check --days 30 --until 2020-09-24
      hotpapers -q check || mail -s "hotpapers is down" me@example.org
    """
    config = obtain_config(config_path)
    end = day_or_yesterday(last, "--until", config)
    entries = []
    for back in range(days - 1, -1, -1):
        day = (end - timedelta(days=back)).isoformat()
        snap = stored_snapshot(config.snapshot_path(day), day)
        entries.append(DayFiles(day, snap, config.post_path(day).exists(), bool(snap and rank(snap, config))))
    problems = day_problems(entries, min_ratio)
    for problem in problems[1:]:
        log.info("%s", problem)
    if problems:
        more = f" (and {len(problems) - 1} more, listed above)" if len(problems) > 1 else ""
        raise HotpapersError(f"check failed: {problems[0]}{more}")
    log.info("ok: %d day(s) up to %s, each with its snapshot, its post and working sources", days, end)


@cli.command()
@click.argument("day", required=False)
@config_option
def preview(day: str | None, config_path: Path | None) -> None:
    """Print the HTML of one day's post, as `hotpapers serve` shows it.

    The post's Markdown goes through the `markdown` package; embedded posts stay
    blockquotes without their widget script, so the page loads nothing from the
    network. DAY defaults to yesterday.

    \b
    Examples:
      hotpapers preview 2020-09-24 > /tmp/post.html
    """
    from hotpapers.preview import post_html, read_post

    config = obtain_config(config_path)
    the_day = day_or_yesterday(day, "DAY", config).isoformat()
    text = read_post(config, the_day)
    if text is None:
        raise InputError(f"no post for {the_day} at {config.post_path(the_day)}")
    click.echo(post_html(text, the_day), nl=False)


@cli.command()
@click.option("--port", default=8000, show_default=True, type=click.IntRange(0, 65535), help="The port on 127.0.0.1.")
@config_option
def serve(port: int, config_path: Path | None) -> None:
    """Serve the site's posts as HTML on 127.0.0.1, for a look before publishing.

    An index lists the days that have a post, newest first; each day's page is
    rendered afresh on every request, so a rebuilt post shows on reload.

    \b
    Examples:
      hotpapers serve                 # then open http://127.0.0.1:8000/
      hotpapers serve --port 8080
    """
    from hotpapers.preview import make_server

    config = obtain_config(config_path)
    try:
        server = make_server(config, port)
    except OSError as exc:
        raise HotpapersError(f"cannot listen on 127.0.0.1:{port}: {exc.strerror or exc}") from None
    log.info("serving the posts of %s on http://127.0.0.1:%d/ (Ctrl-C stops)", config.paths.posts, server.server_port)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()


def progress_bar(items: Iterable[Any], total: int | None, unit: str) -> Iterable[Any]:
    """tqdm over `items` (a count when `total` is None) on an interactive terminal; the
    items themselves under cron, CI or a pipe, or with -q (and tqdm is not imported)."""
    if not ((total is None or total > 1) and sys.stderr.isatty() and log.getEffectiveLevel() <= logging.INFO):
        return items
    from tqdm import tqdm

    tqdm.monitor_interval = 0  # no monitor thread: a re-render forks worker processes, which threads make unsafe
    return tqdm(items, total=total, unit=unit, file=sys.stderr, leave=False)


@contextmanager
def progress(items: Iterable[Any], total: int | None, unit: str) -> Iterator[Iterable[Any]]:
    """A progress bar whose log lines keep printing above it."""
    bar = progress_bar(items, total, unit)
    if bar is items:
        yield items
        return
    from tqdm.contrib.logging import logging_redirect_tqdm

    with bar, logging_redirect_tqdm(loggers=[log]):
        yield bar


def day_or_yesterday(value: str | None, option: str, config: Config) -> date:
    return parse_day(value, option) if value else today(config) - timedelta(days=1)


def today(config: Config) -> date:
    """The date in the configured time zone: the only place the CLI reads the clock."""
    return datetime.now(config.timezone).date()


def summary(reports: list, planned: int, fetcher: Any) -> str:
    """One line for the log: days done, papers, requests made, posts read."""
    written = sum(1 for r in reports if r.written)
    papers = sum(r.papers for r in reports)
    line = f"summary: {len(reports)}/{planned} day(s) built, {written} post(s) written, {papers_text(papers)}"
    if fetcher is not None and fetcher.http.requests:
        counts = ", ".join(f"{name} {count}" for name, count in sorted(fetcher.http.requests.items()))
        line += f"; requests: {counts}; posts read: {fetcher.posts_read}"
    return line


def select_days(day: str | None, since: str | None, until: str | None, today: date) -> list[date]:
    """The days to build: --date, or the inclusive --since/--until range, or yesterday."""
    if day is not None and (since is not None or until is not None):
        raise click.UsageError("give either --date or --since/--until, not both")
    if (since is None) != (until is None):
        raise click.UsageError("--since and --until go together")
    if since is not None and until is not None:
        first, last = parse_day(since, "--since"), parse_day(until, "--until")
        if first > last:
            raise click.BadParameter(f"{since} is after {until}", param_hint="--since/--until")
        return [first + timedelta(days=n) for n in range((last - first).days + 1)]
    if day is not None:
        return [parse_day(day, "--date")]
    return [today - timedelta(days=1)]
