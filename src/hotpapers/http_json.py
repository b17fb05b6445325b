"""Reading an answer's JSON so that nothing in it can break a later stage: a body nested
deep enough to exhaust a reader's stack, a number too long to convert, a lone UTF-16
surrogate that no UTF-8 snapshot can hold, or a credential (http_secrets) written with
JSON escapes (`\\u0041` for `A`), which the raw body's redaction cannot see. The body is decoded as JSON is
written (UTF-8, or UTF-16/32 as its first bytes show), never by the Content-Type's
charset: requests reads a `text/*` answer without one as Latin-1 ('RamÃ­rez')."""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from itertools import accumulate
from typing import TYPE_CHECKING, Annotated, Any

from msgspec import Meta

from hotpapers.http_secrets import REDACTED

if TYPE_CHECKING:
    import requests

MAX_JSON_DEPTH = 100
"""Arrays and objects nested deeper than this in an answer make it unreadable: real
answers nest a dozen levels, and a deeper one could exhaust the stack of a reader."""

MAX_JSON_VALUES = 1_000_000
"""Values an answer may hold, an object's keys counted as values: the largest real page
(500 posts of a source) holds about 130,000. Each costs its reader 50 to 150 bytes of memory
however few bytes it takes in the answer: the 64 MiB of http.max_bytes filled with `{},`
were 22 million dicts, 3.2 GB, for each of the answers read at once."""

PageToken = Annotated[str, Meta(max_length=1024)]
"""A page token or cursor in an answer: real ones are a few dozen characters. A search keeps
each to see a paging loop, so a server sending a new one of megabytes with every page made
it hold pages x http.max_bytes; a longer one makes its page unreadable."""

_SURROGATE = re.compile("[\ud800-\udfff]")
_STRING = re.compile(r'"(?:[^"\\]++|\\.)*+"?', re.DOTALL)
"""A JSON string, or an unended one up to the end of the text: each character is read
once (a closing quote required, every later quote restarted the search for it)."""
_BLANKS = str.maketrans("", "", " \t\r\n")
_NOT_BRACKET = re.compile(r"[^][{}]+")


def json_body(response: requests.Response, secrets: Sequence[str] = ()) -> Any:
    """The response's JSON with every lone UTF-16 surrogate (a `\\ud83d` escape cut from
    its pair, as a truncated text may carry) replaced by U+FFFD: such a string could
    not be written to a UTF-8 snapshot; and each of `secrets` (the client's credentials)
    REDACTED in its strings and keys, however escaped. Raises ValueError saying why when the body is
    not JSON, or JSON no program should read: nested past MAX_JSON_DEPTH, of more values
    than MAX_JSON_VALUES, or with a number of more digits than Python converts. A byte no
    UTF-8 text has becomes U+FFFD."""
    content = response.content
    text = content.decode(json.detect_encoding(content), "replace")
    skeleton = _STRING.sub('""', text).translate(_BLANKS)
    brackets = _NOT_BRACKET.sub("", skeleton)
    if _values(skeleton) > MAX_JSON_VALUES or len(brackets) > 2 * MAX_JSON_VALUES:  # a value holds two at most
        raise ValueError(f"JSON of more than {MAX_JSON_VALUES:,} values")
    if _depth(brackets) > MAX_JSON_DEPTH:
        raise ValueError(f"JSON nested more than {MAX_JSON_DEPTH} levels deep")
    try:
        data = json.loads(text)
    except ValueError as exc:  # a JSONDecodeError, or an integer past int()'s 4,300 digits
        raise ValueError("JSON with a number too long to read" if "digits" in str(exc) else "not JSON") from None
    return _cleaned(data, secrets)


def _values(skeleton: str) -> int:
    """How many values (and keys) a JSON text holds, counted from its `skeleton` (its strings
    emptied, its blanks dropped) without reading them: each but the first follows a `[`,
    `{`, `,` or `:` outside a string, except in an empty array or object. (Not JSON at all,
    it counts those marks, which json.loads then refuses.)"""
    marks = sum(skeleton.count(mark) for mark in "[{,:")
    return 1 + marks - skeleton.count("[]") - skeleton.count("{}")


def _depth(brackets: str) -> int:
    """How deep the arrays and objects of a JSON text nest, from its `brackets` alone (outside
    its strings). Checked before json.loads reads it: at Python's recursion limit json.loads
    raises RecursionError, and so does any finalizer the garbage collector runs meanwhile,
    which Python prints as 'Exception ignored in' with its traceback."""
    return max(accumulate(1 if bracket in "[{" else -1 for bracket in brackets), default=0)


def _cleaned(value: Any, secrets: Sequence[str]) -> Any:
    """`value` with each string's lone surrogates replaced and each of `secrets` REDACTED."""
    if isinstance(value, str):
        if _SURROGATE.search(value):
            value = value.encode("utf-16", "surrogatepass").decode("utf-16", "replace")
        for secret in secrets:
            value = value.replace(secret, REDACTED)
        return value
    if isinstance(value, list):
        return [_cleaned(item, secrets) for item in value]
    if isinstance(value, dict):
        return {_cleaned(key, secrets): _cleaned(item, secrets) for key, item in value.items()}
    return value


def more_than_asked(data: Any, key: str | None, most: int | None, what: str) -> None:
    """Raises ValueError when the answer's list `data[key]` (`data` itself for None) holds
    more than `most` items (None: no limit), the page size asked for: no API sends more,
    and a page of a million tiny posts cost a build gigabytes of memory and a snapshot of
    hundreds of megabytes."""
    items = data if key is None else data.get(key) if isinstance(data, dict) else None
    if most is not None and isinstance(items, list) and len(items) > most:
        raise ValueError(
            f"{len(items)} {what}, more than the {most} asked for - at `${'' if key is None else '.' + key}`"
        )
