"""The name a mistyped one likely stands for, as every "did you mean" of a message says it."""

from __future__ import annotations

from collections.abc import Iterable
from difflib import get_close_matches


def closest(word: str, names: Iterable[str], cutoff: float = 0.6) -> str | None:
    """The name of `names` closest to `word`, letter case aside (`OK` stands for `ok`,
    which difflib alone does not see), or None when none is close enough."""
    close = close_names(word, names, 1, cutoff)
    return close[0] if close else None


def close_names(word: str, names: Iterable[str], most: int, cutoff: float = 0.6) -> list[str]:
    """The `most` names of `names` closest to `word`, closest first, letter case aside."""
    by_lower: dict[str, str] = {}
    for name in names:
        by_lower.setdefault(name.lower(), name)
    return [by_lower[close] for close in get_close_matches(word.lower(), list(by_lower), n=most, cutoff=cutoff)]


def as_list(text: str) -> list[str]:
    """The list a text of commas likely stands for (`cs.LG, cs.AI`), its items stripped."""
    return [item.strip() for item in text.split(",")]
