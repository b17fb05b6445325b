"""Errors that present themselves: one line for the user, and the exit code that fits.

Exit codes: 1 for a runtime failure (network, I/O), 2 for bad usage, config or input.
"""

import click


class HotpapersError(click.ClickException):
    """A failure the CLI prints as one line, without a traceback."""

    exit_code = 1


class InputError(HotpapersError):
    """Bad input from the user: a wrong date, a missing file, a broken import."""

    exit_code = 2


class ConfigError(InputError):
    """The configuration file is unreadable or has invalid keys."""


class SnapshotError(InputError):
    """A snapshot file is not valid JSON or breaks the schema."""


class FetchError(HotpapersError):
    """A source failed after its retries, or answered with something unusable."""


class WriteError(HotpapersError):
    """A file could not be written."""
