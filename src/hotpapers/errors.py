"""Errors that present themselves: one line for the user, and the exit code that fits;
and how such a line names a path, a URL or a server's words.

Exit codes: 1 for a runtime failure (network, I/O), 2 for bad usage, config or input.
"""

import os
import re
from collections.abc import Callable
from contextvars import ContextVar
from pathlib import Path
from typing import Self

import click

from hotpapers.sanitize import CONTROLS

_UNPRINTABLE = re.compile(f"[{CONTROLS}\t\n\r\u2028\u2029]")
"""What a one-line message escapes: the controls dropped from untrusted text, and line breaks."""


MAX_QUOTED = 100
"""The most characters of a server's own words (a cursor, a time stamp, an error's
text) a message quotes: a hostile answer can make them megabytes long."""


def excerpt(text: str) -> str:
    """A server's `text` as a message quotes it: its first MAX_QUOTED characters."""
    return text if len(text) <= MAX_QUOTED else f"{text[:MAX_QUOTED]}…"


def printable(text: str) -> str:
    """`text` for a one-line message: control characters (terminal escapes, line breaks,
    bidi overrides) from untrusted text written as escapes such as `\\x1b`."""
    return _UNPRINTABLE.sub(lambda match: match[0].encode("unicode_escape").decode("ascii"), text)


class HotpapersError(click.ClickException):
    """A failure the CLI prints as one line, without a traceback."""

    exit_code = 1

    def format_message(self) -> str:
        return printable(self.message)

    def continued(self, more: str) -> Self:
        """The same failure, its message followed by `more` ('; ...'): what comes of it."""
        return type(self)(self.message + more)


class InputError(HotpapersError):
    """Bad input from the user: a wrong date, a missing file, a broken import."""

    exit_code = 2


class ConfigError(InputError):
    """The configuration file is unreadable or has invalid keys."""


class SnapshotError(InputError):
    """A snapshot file is not valid JSON or breaks the schema."""


class FetchError(HotpapersError):
    """A source failed after its retries, or answered with something unusable.

    Its message is "SOURCE: REASON"; `url` is the endpoint without its query string
    (which may hold secrets), `status` the last HTTP status (None when there was no
    answer) and `attempt` the number of attempts made (None when no request failed).
    """

    def __init__(
        self,
        source: str,
        reason: str,
        *,
        url: str | None = None,
        status: int | None = None,
        attempt: int | None = None,
        day: str | None = None,
    ) -> None:
        super().__init__(f"{day}: {source}: {reason}" if day else f"{source}: {reason}")
        self.source = source
        self.reason = reason
        self.url = endpoint(url) if url else None
        self.status = status
        self.attempt = attempt
        self.day = day

    def varied(self, *, reason: str | None = None, day: str | None = None) -> Self:
        """The same failure with another reason, or its message naming the day whose fetch it stopped."""
        return type(self)(
            self.source,
            reason or self.reason,
            url=self.url,
            status=self.status,
            attempt=self.attempt,
            day=day or self.day,
        )

    def continued(self, more: str) -> Self:
        return self.varied(reason=self.reason + more)


OUT_OF_MEMORY = "out of memory: the system, or a limit such as `ulimit -v`, gave no more"
"""What a MemoryError, which carries no text, says: in the build's process or a worker's."""
STORED_STAYS = "the stored snapshot and its post stay as they were"
"""What a failed refresh says of the files it would have replaced."""
ALL_SOURCES_OFF = "every source is disabled in the config"
"""Why a day cannot be fetched on a site that brings its own snapshots."""


def every_source_failed(failures: list[FetchError], *, stored: bool) -> FetchError:
    """The error of a day none of whose sources answered (`failures`, one each); a refresh's
    (the day is `stored`) says that its stored snapshot, and so its post, stay as they were."""
    error = failures[0] if len(failures) == 1 else FetchError("every source failed", "; ".join(map(str, failures)))
    if not stored:
        return error
    return error.varied(reason=f"{error.reason}; {STORED_STAYS}")


class OutOfTimeError(FetchError):
    """A source's requests of the day took longer than `http.max_time`: a search may keep
    the pages it read."""


class NotAskedError(FetchError):
    """A source not asked at all: the build gave up on it earlier (HttpClient.skip_down)."""


def shown_path(path: Path) -> str:
    """`path` relative to the working directory when inside it, for messages (not when that
    is the root folder, where a systemd timer runs a command: `srv/site/...` would look like
    a path gone wrong, and work pasted nowhere else); `./-x` for a name `-x` there, which a
    command would take for standard input or an option."""
    text, cwd = str(path), os.getcwd()
    if text == cwd:
        return "."
    inside, at_root = os.path.join(cwd, ""), os.path.dirname(cwd) == cwd
    shown = text[len(inside) :] if text.startswith(inside) and not at_root else text
    return f"./{shown}" if shown.startswith("-") else shown


_CONFIG_OPTION: ContextVar[str] = ContextVar("hotpapers_config_option", default="")
"""The ` --config PATH` that `command` repeats, or '': set by the command line for each
command (cli_options) and handed on to a build's worker processes (pipeline)."""


def command(args: str) -> str:
    """`hotpapers ARGS`, as a message tells the user to run it: with the --config the running
    command was given when the working directory holds another config or none (cron run from
    $HOME with --config SITE/hotpapers.yaml), where a pasted `hotpapers build` would read that."""
    return f"hotpapers{_CONFIG_OPTION.get()} {args}"


def config_option() -> str:
    """What `command` adds now: ' --config PATH', or ''."""
    return _CONFIG_OPTION.get()


def repeat_config_option(option: str) -> Callable[[], None]:
    """Make `command` add `option` (' --config PATH', or ''); returns what undoes it."""
    token = _CONFIG_OPTION.set(option)
    return lambda: _CONFIG_OPTION.reset(token)


def endpoint(url: str) -> str:
    """A URL without its query string or fragment, for messages (queries can be long or hold secrets)."""
    return url.split("?", 1)[0].split("#", 1)[0]


class WriteError(HotpapersError):
    """A file could not be written."""
