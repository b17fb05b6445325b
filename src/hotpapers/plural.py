"""Counts and lists of problems in messages, in proper English."""

from __future__ import annotations

from collections.abc import Sequence


def count(number: int, noun: str, plural: str | None = None) -> str:
    """'1 paper', '2 papers': `plural` when adding an s is wrong ('entries')."""
    return f"{number} {noun}" if number == 1 else f"{number} {plural or noun + 's'}"


def listed(problems: Sequence[str], shown: int) -> str:
    """Problems on one line: the only one as it is, several as 'N problems: a; b; c (and
    K more)', naming the first `shown`."""
    if len(problems) == 1:
        return problems[0]
    more = f" (and {len(problems) - shown} more)" if len(problems) > shown else ""
    return f"{len(problems)} problems: {'; '.join(problems[:shown])}{more}"
