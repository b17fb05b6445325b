"""Value types that config keys in several modules share (the core's and each source's
settings), declared once with their limits and, for a pattern, the words an error shows
instead of the regex; and how an error says to write what a refused value stands for."""

from __future__ import annotations

import contextlib
import json
import re
from collections.abc import Callable, Iterator
from typing import Annotated, Any

import msgspec
import yaml
from msgspec import Meta

from hotpapers.guesses import as_list
from hotpapers.yaml_c import load_yaml

_TYPE_NAMES = {
    "float": "a number",
    "int": "an integer",
    "str": "a string",
    "bool": "true or false",
    "array": "a list",
    "object": "a mapping",
    "null": "null",
}
_NAME = "|".join(_TYPE_NAMES)
TYPE_NAME = re.compile(rf"`((?:{_NAME})(?: \| (?:{_NAME}))*)`")
"""A type in the decoder's words, or a union of them (`str | null`, for a key that null turns off)."""


def type_in_words(match: re.Match[str]) -> str:
    """A match of TYPE_NAME in an error's words: `str | null` as "a string or null"."""
    names = [_TYPE_NAMES[name] for name in match[1].split(" | ")]
    return (", or " if any(" or " in name for name in names) else " or ").join(names)


Hook = Callable[[type, Any], Any]
"""Reads the types msgspec does not know (config_check.decode_hook)."""


def written_as(data: dict[Any, Any], kind: Any, hook: Hook) -> Iterator[str]:
    """How to write what the refused value of `data`'s one key likely stands for, when `kind`
    takes that there (the first that it takes): none ("" or []) for a null; for a text, the
    number, true, false or null it reads as without its quotes, or the list a text of commas
    stands for."""
    value = next(iter(data.values()))
    tries: list[tuple[Any, str]] = [("", '; write "" for none'), ([], "; write [] for none")] if value is None else []
    if isinstance(value, str):
        items = as_list(value)
        tries = [*_unquoted(value), (items, f"; write it as a list: {json.dumps(items, ensure_ascii=False)}")]
    for meant, hint in tries:
        with contextlib.suppress(msgspec.ValidationError):
            msgspec.convert(dict.fromkeys(data, meant), kind, dec_hook=hook)
            yield hint
            return


def _unquoted(text: str) -> list[tuple[Any, str]]:
    """What YAML reads `text` as without quotes (`"50"`, `"true"`, `"[a, b]"`), when that is a
    number, true, false, null, or a list written in brackets."""
    try:
        read = load_yaml(text)
    except yaml.YAMLError:
        return []
    meant = (
        isinstance(read, bool | int | float)
        or (read is None and text.strip())
        or (isinstance(read, list) and text.lstrip().startswith("["))
    )
    return [(read, f"; write it without quotes: {text.strip()}")] if meant else []


def expects(words: str) -> Meta:
    """Says in `words` what a key's pattern asks for: its error message shows them, not the regex."""
    return Meta(extra={"expected": words})


Url = Annotated[
    str,
    Meta(pattern="^https?://(\\[[^\\]\\s]*\\]|[^/?#@\\s:\\[\\]]+)(:[0-9]*)?([/?#]|$)", max_length=1000),
    expects(
        "an address that starts with http:// or https://, with no user or password (secrets come from environment variables)"
    ),
]
SiteUrl = Annotated[  # the feeds link every post under it: a host, and no user or password, which they would publish
    str,
    Meta(
        pattern=r"^https?://[^/?#@:\s\x00-\x1f\x7f][^/?#@\s\x00-\x1f\x7f]*(/[^?#\s\x00-\x1f\x7f]*)?$", max_length=1000
    ),
    expects(
        "an address that starts with http:// or https:// and a host, and has no user or password, query (?), "
        "fragment (#), space or control character"
    ),
]
EnvName = Annotated[
    str,
    Meta(pattern="^[A-Za-z_][A-Za-z0-9_]*$", max_length=200),
    expects("an environment variable's name: letters, digits and _, not starting with a digit"),
]
