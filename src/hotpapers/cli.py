"""The command line: each command parses its options, calls the library (`hotpapers`)
and prints. Commands read the clock through days.py; `build` hands it and the
environment to the library. The network stack is imported by the commands that fetch."""

from __future__ import annotations

import os
from pathlib import Path

import click

import hotpapers
from hotpapers import console
from hotpapers.check_files import checked_days, problems_of_days
from hotpapers.cli_init import init
from hotpapers.cli_options import YESTERDAY, config_option, day_options, given_config_path, obtain_config, render_input
from hotpapers.compose import compose
from hotpapers.console import HotpapersGroup, log, log_feeds, log_report, progress, progress_bar, start_logging, summary
from hotpapers.days import day_or_yesterday, no_post, now, select_days, stored_day
from hotpapers.errors import HotpapersError
from hotpapers.explain import explanation_json, explanation_text
from hotpapers.fetch_on_demand import FetcherOnDemand
from hotpapers.plural import count
from hotpapers.preview import make_server, post_html, read_post
from hotpapers.site import warn_of_unread_outputs


@click.group(cls=HotpapersGroup, commands=[init], context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(hotpapers.__version__, "--version", prog_name="hotpapers")
@click.option("-v", "--verbose", "--debug", "debug", is_flag=True, help="Log details, and show tracebacks.")
@click.option("-q", "--quiet", is_flag=True, help="Print errors and warnings only.")
@config_option
@click.pass_context
def cli(ctx: click.Context, debug: bool, quiet: bool, config_path: Path | None) -> None:
    """Write a daily "Hot Papers" digest of the arXiv papers people posted about.

    \b
    Examples:
      hotpapers build                      # yesterday, as a nightly cron job
      hotpapers build --date 2020-09-24
      hotpapers render data/snapshots/2020-09-24.json
    """
    ctx.meta.update({"hotpapers.debug": debug, "hotpapers.config": config_path})
    start_logging(debug, quiet)


@cli.command()
@click.argument("snapshot", type=click.Path(dir_okay=False, allow_dash=True))
@click.option("-o", "--output", type=click.Path(dir_okay=False), help="Write the post here.")
@click.option(
    "--force", is_flag=True, help="With -o: replace a post that lists more papers, or a file that is no post."
)
@config_option
def render(snapshot: str, output: str | None, force: bool, config_path: Path | None) -> None:
    """Render one snapshot file (`-`: standard input) to a post, on stdout or into a file.

    Reads nothing but the snapshot and the config; never touches the network. A file
    is written as `build` writes posts: atomically, never replacing a post that lists
    more papers, or a file that is no post, unless --force.

    \b
    Examples:
      hotpapers render data/snapshots/2020-09-24.json
      hotpapers render my-import.json -o content/posts/2020-09-24---Hot-Papers.md
      my-collector | hotpapers render -
    """
    path = None if output in (None, "-") else Path(output)  # - is stdout, as in other tools; ./- a file so named
    if force and path is None:
        raise click.BadParameter("it goes with -o (a post printed replaces nothing)", param_hint="'--force'")
    config = obtain_config(config_path, writes="render" if path is not None else "")
    snap, path = render_input(snapshot, path, config.output.profile, given_config_path(config_path))
    if path is not None:
        log_report(hotpapers.publish(snap, config, hotpapers.BuildOptions(force=force, now=now(config)), path=path))
        return
    post = compose(snap, config, now=now(config))
    log_report(post)
    console.echo(post.text)


@cli.command()
@day_options
@click.option("--since", help="First day of a range (inclusive); needs --until.")
@click.option("--until", help="Last day of a range (inclusive); needs --since.")
@click.option("--offline", is_flag=True, help="Use stored snapshots only; fail for a day without one.")
@click.option("--refresh", is_flag=True, help="Fetch again even when a snapshot exists (kept if the fetch fails).")
@click.option(
    "--force",
    is_flag=True,
    help="Replace a post that lists more papers, a file that is no post, or a snapshot on --refresh.",
)
@click.option("--dry-run", is_flag=True, help="Show what would be fetched and written, and write nothing.")
@config_option
def build(
    day: str | None,
    typed: str,
    since: str | None,
    until: str | None,
    config_path: Path | None,
    **flags: bool,
) -> None:
    """Build the post of one day, or of each day in a range.

    For each day, the stored snapshot data/snapshots/DAY.json is used when it exists (a source it
    records as failed is asked again); otherwise the day is fetched from the sources and its snapshot saved.
    A --refresh keeps the stored snapshot, unless --force, when it holds mentions no enabled source fetches, or the
    fetch finds under half its mentions (in all or of one platform) or lacks papers' metadata it held.

    \b
    Examples:
      hotpapers build                                   # yesterday, then repairs (or builds) the days before it
      hotpapers build --date 2020-09-24                 # or: hotpapers build 2020-09-24
      hotpapers build --since 2020-09-01 --until 2020-09-30 --offline
      hotpapers build --date 2020-09-24 --refresh --dry-run
    """
    if flags["offline"] and flags["refresh"]:
        raise click.UsageError("--offline and --refresh contradict each other")
    config = obtain_config(config_path, writes="build")
    options = hotpapers.BuildOptions(**flags, now=now(config))  # offline, refresh, force, dry_run
    hotpapers.refuse_unfit_profile(config.output.profile, given_config_path(config_path))
    warn_of_unread_outputs(config, given_config_path(config_path))
    days = [one_day.isoformat() for one_day in select_days(day, since, until, now(config).date(), typed)]
    fetcher = FetcherOnDemand(config, os.environ, lambda: now(config), progress_bar)
    build_all = hotpapers.build_nightly if day is None and since is None else hotpapers.build_days  # repair_days
    reports: list[hotpapers.DayReport] = []
    try:
        with progress(build_all(days, config, options, fetcher), len(days), "day") as bar:
            for report in bar:
                reports.append(report)
                log_report(report)
    except HotpapersError:
        log.debug("%s", summary(reports, days, fetcher.made))
        log_feeds(config, reports, options, failed=True)
        raise
    log_feeds(config, reports, options)
    if len(days) > 1 or (fetcher.made and fetcher.made.http.requests):
        log.info("%s", summary(reports, days, fetcher.made))


@cli.command()
@day_options
@click.option("--json", "as_json", is_flag=True, help="Print JSON for machines instead of text.")
@config_option
def explain(day: str | None, typed: str, as_json: bool, config_path: Path | None) -> None:
    """Show why each paper and post of a day is in its post or not.

    Reads the day's snapshot only: every mentioned paper with its score and rank, or
    why it was dropped (below the threshold, outside the categories or the age), and
    every mention record: shown (embedded, quoted or linked), counted, duplicate, or linking unknown ids.
    DAY defaults to yesterday.

    \b
    Examples:
      hotpapers explain 2020-09-24
      hotpapers explain 2020-09-24 --json | jq '.papers[0]'
    """
    config = obtain_config(config_path)
    the_day = day_or_yesterday(day, typed, config).isoformat()
    explanation = hotpapers.explain_day(stored_day(the_day, config), config)
    console.echo(explanation_json(explanation) + "\n" if as_json else explanation_text(explanation))


MIN_RATIO_HELP = "A day with fewer mentions than this share of the median of the days before it has collapsed."


@cli.command()
@click.option("--days", default=7, show_default=True, type=click.IntRange(1, 3660), help="How many days to check.")
@click.option("--until", "last", help=f"The last day to check, YYYY-MM-DD. {YESTERDAY}")
@click.option("--min-ratio", default=0.25, show_default=True, type=click.FloatRange(0, 1), help=MIN_RATIO_HELP)
@config_option
def check(days: int, last: str | None, min_ratio: float, config_path: Path | None) -> None:
    """Fail when the last days show a dead or failing pipeline.

    Exits 1, naming each problem on a line of its own, when a day has no usable snapshot (a
    post without any snapshot is only noted), has no post though papers qualify, has a post
    another profile or file name left beside its own, has a failed source, or has far fewer
    mentions than the median of the days before it (days before the nightly build began are
    not checked).
    Run it after the nightly build, so cron mail or CI reports a pipeline that went quiet.

    \b
    Examples:
      hotpapers check
      hotpapers check --days 30 --until 2020-09-24
      hotpapers -q check || mail -s "hotpapers is down" me@example.org
    """
    config = obtain_config(config_path)
    end = day_or_yesterday(last, "--until", config, ended=True)
    checked = checked_days(config, end, days)
    problems = problems_of_days(config, checked, min_ratio)
    many = f"{count(len(problems), 'problem')} in {count(len(checked), 'day')} up to {end}, listed above"
    for problem in problems if len(problems) > 1 else ():  # warnings: `-q check` names every one
        log.warning("%s", problem)
    if problems:
        raise HotpapersError(f"check failed: {problems[0] if len(problems) == 1 else many}")
    ok = f"no problem in {count(len(checked), 'day')} up to {end} (snapshots, posts, sources)"
    log.info("ok: %s", ok if checked else f"no day to check up to {end}: the first snapshot is of a later day")


@cli.command()
@day_options
@config_option
def preview(day: str | None, typed: str, config_path: Path | None) -> None:
    """Print the HTML of one day's post, as `hotpapers serve` shows it.

    The post's Markdown is read as CommonMark, as Gatsby's and Hugo's parsers read
    it (Jekyll's kramdown is not CommonMark and can read a post otherwise); embedded
    posts stay blockquotes without their widget script, so the page loads nothing
    from the network. DAY defaults to yesterday.

    \b
    Examples:
      hotpapers preview 2020-09-24 > /tmp/post.html
    """
    config = obtain_config(config_path)
    the_day = day_or_yesterday(day, typed, config).isoformat()
    text = read_post(config, the_day)
    if text is None:
        raise no_post(the_day, config)
    console.echo(post_html(text, the_day, config.post_path(the_day)))


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
