"""Counts in messages, in proper English."""


def count(number: int, noun: str, plural: str | None = None) -> str:
    """'1 paper', '2 papers': `plural` when adding an s is wrong ('entries')."""
    return f"{number} {noun}" if number == 1 else f"{number} {plural or noun + 's'}"
