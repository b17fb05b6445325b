"""What a snapshot's misspelt key or value likely stands for, added to its schema error as
a config's "did you mean" is; and the required key that a misspelt one leaves missing,
which is no problem of its own."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from hotpapers.guesses import as_list, closest
from hotpapers.sources import platform_aliases


def with_guess(error: Any, message: str, validator_for: Callable[..., Any]) -> str:
    """`message`, jsonschema's for `error`, with the name a misspelt key or value likely
    stands for: a key the object may hold and does not, or a value the schema lists; or
    with the value a count written in quotes ("30"), an id without them, or a list written
    as one text ("cs.LG, cs.AI") stands for, when the schema (`validator_for(schema=...)`,
    the snapshot validator's `evolve`) takes it there."""
    if error.validator == "type" and error.validator_value == "array" and isinstance(error.instance, str):
        items = as_list(error.instance)
        fits = len(error.instance) <= 200 and validator_for(schema=error.schema).is_valid(items)
        return f"{message} (did you mean {json.dumps(items, ensure_ascii=False)}, a list?)" if fits else message
    if error.validator == "type" and isinstance(error.instance, str) and "integer" in error.validator_value:
        number = _integer(error.instance)  # a count quoted
        return f"{message} (did you mean {number}, without quotes?)" if number is not None else message
    if error.validator == "type" and type(error.instance) is int and error.validator_value == "string":
        short = abs(error.instance) < 10**20  # an id has 19 digits at most; a longer number is not repeated
        return f'{message} (did you mean "{error.instance}", in quotes?)' if short else message  # JSON's quotes
    if error.validator == "enum" and isinstance(error.instance, str):
        values = [str(value) for value in error.validator_value]
        close = _platform_meant(error.instance, values) or closest(error.instance, values)
        return f"{message} (did you mean {close!r}?)" if close else message
    guesses = key_guesses(error)
    if len(guesses) == 1 and message.endswith(" was unexpected)"):  # the one key unexpected ("were" for several)
        return f"{message.removesuffix(')')}; did you mean {next(iter(guesses.values()))!r}?)"
    said = ", ".join(f"{guess!r} for {key!r}" for key, guess in guesses.items())
    return f"{message} (did you mean {said}?)" if said else message


def key_guesses(error: Any) -> dict[str, str]:
    """For an object with keys the schema does not know, the known key each likely stands
    for (one the object lacks), when there is one."""
    if error.validator != "additionalProperties" or not isinstance(error.instance, dict):
        return {}
    known = error.schema.get("properties", {})
    free = [key for key in known if key not in error.instance]
    unexpected = [key for key in error.instance if key not in known]
    return {key: close for key in unexpected if (close := closest(key, free))}


def missing_for_a_guess(error: Any, guessed: set[tuple[str, str]]) -> bool:
    """Whether `error` says only that keys are missing which `guessed` (JSON path, key) names
    as what a misspelt key stands for."""
    if error.validator != "required":
        return False
    missing = {key for key in error.validator_value if key not in error.instance}
    return all((error.json_path, key) in guessed for key in missing)


def _platform_meant(word: str, values: list[str]) -> str | None:
    """The source's platform among `values` that `word` writes as people do (its name in a
    post, or that name's initials: sources.platform_aliases), or None."""
    meant = platform_aliases().get(" ".join(word.lower().split()))
    return meant if meant in values else None


def _integer(text: str) -> int | None:
    """The integer `text` writes ("30"), or None; None too when it is longer than a message
    quotes (a count is at most 10^12)."""
    try:
        return int(text) if len(text) <= 20 else None
    except ValueError:
        return None
