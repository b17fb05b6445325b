"""How long a server that refused a request (429, 5xx) asks us to wait, from its headers.

`Retry-After` (seconds or an HTTP date) comes first; then a rate limit's reset time,
`x-rate-limit-reset` or `RateLimit-Reset`, as an epoch time, or as seconds from now when
under _EARLIEST_EPOCH; then the IETF draft's `RateLimit` field (`"api";r=0;t=120`: the
quota with no request left resets in `t` seconds), a structured field read by http_sf.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from email.utils import parsedate_to_datetime
from typing import cast

import http_sf

_SECONDS = re.compile(r"[0-9]{1,12}")
"""A header's whole number of seconds: ASCII digits only (int() also reads '²' and
other scripts' digits) and few enough to be a time (not 5,000 digits)."""

_EARLIEST_EPOCH = 10**9
"""A rate limit reset under this (2001-09-09 as epoch seconds) is seconds from now: some
platforms send the reset's epoch time, the IETF RateLimit draft under the same header name
a delta. No reset a server sends today is that far in the past, and no delta reaches it
(31 years, far past any http.max_wait)."""


def told_wait(headers: Mapping[str, str], now: float) -> float | None:
    """Seconds the server asks us to wait (`now`: the wall clock, epoch seconds); None when
    it asks nothing we can read."""
    retry_after = headers.get("Retry-After", "").strip()
    if _SECONDS.fullmatch(retry_after):
        return float(retry_after)
    if retry_after:
        try:
            return max(0.0, parsedate_to_datetime(retry_after).timestamp() - now)
        except (TypeError, ValueError, OverflowError):
            return None
    reset = (headers.get("x-rate-limit-reset") or headers.get("RateLimit-Reset") or "").strip()
    if _SECONDS.fullmatch(reset):
        return float(reset) if int(reset) < _EARLIEST_EPOCH else max(0.0, int(reset) - now)
    return _ratelimit_reset(headers.get("RateLimit", ""))


def _ratelimit_reset(field: str) -> float | None:
    """The longest `t` of the quotas a `RateLimit` field says are used up (`r=0`)."""
    try:
        parsed = http_sf.parse(field.encode("latin-1"), tltype="list") if field else []
    except (http_sf.StructuredFieldError, UnicodeEncodeError):
        return None
    quotas = cast("list[tuple[object, dict[str, object]]]", parsed)  # a list's members: (value, parameters)
    resets = [
        reset for _, params in quotas if _count(params.get("r")) == 0 and (reset := _count(params.get("t"))) is not None
    ]
    return float(max(resets)) if resets else None


def _count(value: object) -> int | None:
    """A structured field's whole number, not negative (`?0`, a boolean, is no number)."""
    return value if type(value) is int and value >= 0 else None
