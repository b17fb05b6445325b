"""How the command line talks: errors as one line, log lines without terminal escapes,
and a progress bar on an interactive terminal only (not under cron, CI, a pipe or -q);
a command's output (`echo`), never dropped without a word; and, after a build, its
summary, and the feeds written (`log_feeds` writes them, then says so)."""

from __future__ import annotations

import logging
import os
import sys
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import Any

import click
from tqdm import tqdm
from tqdm.contrib.logging import logging_redirect_tqdm

from hotpapers.compose import Post
from hotpapers.config import Config
from hotpapers.errors import OUT_OF_MEMORY, HotpapersError, InputError, printable
from hotpapers.feeds import feeds_off_reason, update_feeds
from hotpapers.pipeline import BuildOptions, DayReport
from hotpapers.plural import count
from hotpapers.write import Outcome

log = logging.getLogger("hotpapers")


class HotpapersGroup(click.Group):
    """Turns usage errors and unexpected exceptions into one line, unless --debug asks for
    the traceback."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        """The options before the command (a command's own are parsed in `invoke`)."""
        try:
            return super().parse_args(ctx, args)
        except click.UsageError as exc:
            if not args:  # no argument at all: click shows the help
                raise
            raise InputError(f"{exc.format_message()} (see 'hotpapers --help')") from None

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except click.UsageError as exc:
            if misplaced := _before_the_command(exc, ctx):  # the command's help does not list it
                raise InputError(f"{misplaced} (see 'hotpapers --help')") from None
            command = f"hotpapers {exc.ctx.info_name} --help" if exc.ctx and exc.ctx.parent else "hotpapers --help"
            raise InputError(f"{exc.format_message()} (see '{command}')") from None
        except (click.exceptions.Exit, click.ClickException, click.Abort):
            raise
        except KeyboardInterrupt:
            click.echo("Interrupted.", err=True)
            sys.exit(130)
        except OSError as exc:  # what the system refused where no step expected it: a name too long, a full disk
            if ctx.meta.get("hotpapers.debug"):
                raise
            where = f" ({printable(str(exc.filename))})" if exc.filename else ""
            raise HotpapersError(f"{exc.strerror or exc}{where}") from exc
        except MemoryError as exc:  # MemoryError carries no text: say what ran out
            if ctx.meta.get("hotpapers.debug"):
                raise
            raise HotpapersError(f"{OUT_OF_MEMORY} (--debug shows where)") from exc
        except Exception as exc:
            if ctx.meta.get("hotpapers.debug"):
                raise
            raise HotpapersError(f"internal error: {type(exc).__name__}: {exc} (run with --debug for details)") from exc


def _before_the_command(exc: click.UsageError, group: click.Context) -> str:
    """What to say of an option of hotpapers itself given after a command (`build -q`),
    which click calls unknown there (or takes for another: `--debug`, "did you mean
    '--date'?"); empty for any other mistake. --version and --help are left out: the
    first is no option of a command, the second is one of every command."""
    if not (isinstance(exc, click.NoSuchOption) and exc.ctx and exc.ctx.parent):
        return ""
    own = {name for param in group.command.params if not param.is_eager for name in param.opts}
    if exc.option_name not in own:
        return ""
    name = exc.option_name
    return (
        f"{name} is an option of hotpapers itself, so it goes before the command: "
        f"hotpapers {name} {exc.ctx.info_name} ..."
    )


class PrintableFormatter(logging.Formatter):
    """Log lines never carry terminal escapes or line breaks from untrusted text."""

    def format(self, record: logging.LogRecord) -> str:
        return printable(super().format(record))


def start_logging(debug: bool, quiet: bool) -> None:
    """Messages to stderr: details with --debug, warnings and errors only with -q."""
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(PrintableFormatter("%(message)s"))
    log.handlers[:] = [handler]
    log.setLevel(logging.DEBUG if debug else logging.WARNING if quiet else logging.INFO)
    log.propagate = False


def echo(text: str) -> None:
    """Print `text` as it is on standard output; a HotpapersError when it cannot be
    written: closed (`>&-`, where click prints nothing and the command exited 0), or
    refusing it (a full disk). A pipe whose reader left (`| head`, `| grep -q`) ends the
    command quietly, with exit code 1, as Python's documentation of SIGPIPE does: the
    reader took what it wanted, and the shell shows its output, not an error after it."""
    if sys.stdout is None:
        raise HotpapersError("standard output: closed, so nothing was printed: redirect it to a file (> FILE)")
    try:
        click.echo(text, nl=False)
    except BrokenPipeError:
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())  # so that the exit's flush fails no more
        sys.exit(1)
    except OSError as exc:
        raise HotpapersError(f"standard output: {exc.strerror or exc}") from exc


def progress_bar(items: Iterable[Any], total: int | None, unit: str) -> Iterable[Any]:
    """tqdm over `items` (a count when `total` is None) when there is more than one and
    someone watches; else the items themselves."""
    if not ((total is None or total > 1) and sys.stderr.isatty() and log.getEffectiveLevel() <= logging.INFO):
        return items
    tqdm.monitor_interval = 0  # no monitor thread: a re-render forks worker processes, which threads make unsafe
    return tqdm(items, total=total, unit=unit, file=sys.stderr, leave=False)


@contextmanager
def progress(items: Iterable[Any], total: int | None, unit: str) -> Iterator[Iterable[Any]]:
    """A progress bar whose log lines keep printing above it."""
    bar = progress_bar(items, total, unit)
    if bar is items:
        yield items
        return
    with bar, logging_redirect_tqdm(loggers=[log]):  # type: ignore[attr-defined]
        yield bar


def log_report(report: DayReport | Post) -> None:
    """A day's notes, its warnings (said under -q too), then what building it did (of a
    post on stdout, only that no paper qualifies)."""
    for note in report.notes:
        log.info("%s", note)
    for warning in report.warnings:
        log.warning("%s", warning)
    if isinstance(report, Post):
        level = logging.INFO
    else:
        level = logging.ERROR if report.failed else logging.WARNING if report.kept else logging.INFO
    if report.message:
        log.log(level, "%s", report.message)


def log_feeds(config: Config, reports: list[DayReport], options: BuildOptions, failed: bool = False) -> None:
    """After a build, write the feeds and say so, or say why there are none. After a
    build that `failed` part-way, only when it wrote a post (the feeds then follow it),
    and a problem with the feeds does not hide the build's own."""
    if options.dry_run or (failed and not any(r.written for r in reports)):
        return
    try:
        report = update_feeds(config, options.now)
    except HotpapersError:
        if failed:
            return
        raise
    if (reason := feeds_off_reason(config, report)) and not failed:
        log.warning("%s", reason)
    if report is None:
        return
    if report.line:
        log.info("%s", report.line)
    if report.warning():
        log.warning("%s", report.warning())


def summary(reports: list[DayReport], days: list[str], fetcher: Any) -> str:
    """One line for the log: days done, posts written (and found up to date), the papers
    of the days' posts whether written now or not, requests made, posts read. The reports
    of other days than `days` are a nightly build's repairs (repair_recent.py)."""
    written = sum(1 for r in reports if r.written)
    papers = sum(r.papers for r in reports)
    built = f"{sum(1 for r in reports if not r.failed and r.day in days)}/{count(len(days), 'day')} built"
    repaired = sum(1 for r in reports if r.fetched and r.day not in days and not r.missed)
    missed = sum(1 for r in reports if r.fetched and r.missed)
    built += f", {count(repaired, 'earlier day')} repaired" if repaired else ""
    built += f", {count(missed, 'missed day')} built" if missed else ""
    unchanged = sum(1 for r in reports if r.outcome is Outcome.UNCHANGED)
    written_line = f"{count(written, 'post')} written" + (f" ({unchanged} up to date)" if unchanged else "")
    line = f"summary: {built}, {written_line}, {count(papers, 'paper')} in the days' posts"
    if fetcher is not None and fetcher.http.requests:
        counts = ", ".join(f"{name} {count}" for name, count in sorted(fetcher.http.requests.items()))
        line += f"; requests: {counts}; posts read: {fetcher.posts_read}"
    return line
