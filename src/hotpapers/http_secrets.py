"""The credentials a client's requests carried, kept from every answer it reads.

A server may hand back what a request gave it: the bearer token echoed in a post's text,
the app password a login posted echoed in a later search's posts, either written with
JSON escapes (`\\u0041` for `A`), percent-decoded (a bearer token may hold `%2B` and
`%3D`, which a server may echo as `+` and `=`) or in the host of a redirect. Each answer is
read with every credential any request of the client carried REDACTED: in its raw body, in
the strings of its JSON, in the reasons and addresses a message quotes.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Mapping
from typing import Any
from urllib.parse import unquote

REDACTED = "[redacted]"
"""What an answer holds instead of a credential."""
MIN_SECRET = 8
"""The fewest characters a credential has to be looked for in answers (none real is shorter)."""


def credentials(headers: Mapping[str, str] | None, body: Any) -> list[str]:
    """What a request with `headers` and the JSON `body` carries: its Authorization header
    and the credential after its scheme (`Bearer TOKEN`), and each string its body holds
    under a key naming a password, each also percent-decoded (`%2B` as `+`); those of
    MIN_SECRET characters or more."""
    authorization = next((value for key, value in (headers or {}).items() if key.lower() == "authorization"), "")
    found = [authorization, authorization.partition(" ")[2]]
    if isinstance(body, dict):
        found += [value for key, value in body.items() if "password" in str(key).lower() and isinstance(value, str)]
    return [text for text in {*found, *map(unquote, found)} if len(text) >= MIN_SECRET]


class Secrets:
    """Every credential the requests of one client (a build) carried; safe across threads."""

    def __init__(self) -> None:
        self._found: set[str] = set()
        self._lock = threading.Lock()

    def add(self, headers: Mapping[str, str] | None, body: Any) -> None:
        """Remember what a request with `headers` and the JSON `body` carries."""
        found = credentials(headers, body)
        with self._lock:
            self._found.update(found)

    def __call__(self) -> list[str]:
        """The credentials remembered, longest first (a token holding another is redacted whole)."""
        with self._lock:
            return sorted(self._found, key=len, reverse=True)


def hidden(text: str, secrets: list[str]) -> str:
    """`text` with each of `secrets` REDACTED, in any case: a host name is lowered."""
    for secret in secrets:
        text = re.sub(re.escape(secret), REDACTED, text, flags=re.IGNORECASE)
    return text
