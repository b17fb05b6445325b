"""The one place that talks HTTP and decides what a failure is: timeouts, size caps,
retries with backoff, rate limits, politeness.

Every answer is read as a stream and bounded twice: `max_bytes` caps its size after
decompression (a gzip bomb stops at the cap), and `timeout` is a deadline for the whole
exchange: connection, headers, redirects and body (see http_exchange). Retries (connection
errors, timeouts, 5xx, 429; not a certificate that fails verification, which every attempt
meets) run through tenacity with exponential backoff and jitter. A wait the server asks
for (`Retry-After`, a rate limit's reset: http_wait) is waited instead; such waits add up
to `max_wait` at most over the client's life (a build), and a wait beyond what is left, or
beyond what is left of the source's `max_time`, fails at once. A source's requests of a
day stop after `max_time` (http_budget). Every failure, whatever the server sent, is a
FetchError naming the source, the endpoint, the status and the attempt. Sleep and clocks
are injected, so tests run in no time; this module is the only one that sleeps.
"""

from __future__ import annotations

import math
import random
import threading
import time
from collections import Counter
from collections.abc import Callable, Mapping
from typing import Any
from urllib.parse import urlsplit

import requests
from requests.adapters import HTTPAdapter
from tenacity import RetryCallState, Retrying, retry_if_exception, stop_after_attempt, wait_exponential
from urllib3.exceptions import LocationValueError

from hotpapers import __version__
from hotpapers.errors import FetchError, InputError, NotAskedError, OutOfTimeError, endpoint, excerpt
from hotpapers.http_budget import OutOfTime, TimeBudgets
from hotpapers.http_exchange import (
    MAX_REDIRECTS,
    BadRedirect,
    Exchange,
    ManualRedirectSession,
    RetryableStatus,
    TooLarge,
    TooManyRedirects,
    Undecodable,
    before_deadline,
)
from hotpapers.http_json import json_body
from hotpapers.http_secrets import Secrets, hidden
from hotpapers.http_unreachable import refused_for_good, unreachable
from hotpapers.http_wait import told_wait
from hotpapers.plural import count

USER_AGENT = f"hotpapers/{__version__} (daily arXiv digest for static sites; python-requests)"
_TRANSIENT = (requests.ConnectionError, requests.Timeout, requests.exceptions.ChunkedEncodingError)
Describe = Callable[[requests.Response], str | None]
"""Turns a failed answer (status 400 or more) into a reason in the source's words, or None."""


def _worth_retrying(error: BaseException) -> bool:
    """A 5xx, a 429 or a transient failure; not a certificate that failed verification, nor
    a proxy asking for authentication."""
    return isinstance(error, (RetryableStatus, *_TRANSIENT)) and not refused_for_good(error)


def _attempts(retrying: Retrying) -> tuple[int, str]:
    """The attempts a failed request made, and in words: all it was allowed, or fewer when
    its failure was not worth retrying (a certificate, a proxy asking for authentication, a URL
    requests refuses)."""
    made = retrying.statistics["attempt_number"]
    return made, count(made, "attempt")


class HttpClient:
    """GET and POST with bounded answers, retries, per-source request counts and per-source minimum spacing."""

    def __init__(
        self,
        *,
        timeout: float,
        retries: int,
        max_wait: float,
        backoff: float = 1,
        max_bytes: int = 64 * 1024 * 1024,
        max_time: float = math.inf,
        pool_size: int = 10,
        sleep: Callable[[float], None] = time.sleep,
        monotonic: Callable[[], float] = time.monotonic,
        wall_clock: Callable[[], float] = time.time,
        jitter: Callable[[], float] = random.random,
    ) -> None:
        self.timeout = timeout
        self.retries = retries
        self.max_wait = max_wait
        self.max_bytes = max_bytes
        self.sleep = sleep
        self.monotonic = monotonic
        self.wall_clock = wall_clock
        self.jitter = jitter
        self.requests: Counter[str] = Counter()
        self.waited = 0.0
        """Seconds slept so far on what servers asked (Retry-After, rate limit resets)."""
        self._last_start: dict[str, float] = {}
        self.budgets = TimeBudgets(max_time, monotonic)
        self.down: dict[str, str] = {}
        """Why each source was given up on in this client's life (a build): no answer after
        its retries (unreachable, 5xx, 429), a wait asked beyond max_wait, its max_time spent."""
        self.skip_down = False
        """Fail at once for a source in `down`: the nightly build's days before yesterday
        (repair_recent), each of which would take those retries, waits or max_time again."""
        self._lock = threading.Lock()
        self.secrets = Secrets()
        """Every credential a request of this client carried: redacted in each answer it reads."""
        self.session = ManualRedirectSession()
        self.session.headers["User-Agent"] = USER_AGENT
        adapter = HTTPAdapter(pool_connections=4, pool_maxsize=pool_size)
        self.session.mount("http://", adapter)
        self.session.mount("https://", adapter)
        self._backoff = wait_exponential(multiplier=backoff, max=60)

    def get(
        self,
        url: str,
        *,
        source: str,
        params: Mapping[str, str | int] | None = None,
        headers: Mapping[str, str] | None = None,
        min_interval: float = 0,
        describe: Describe | None = None,
    ) -> requests.Response:
        """The response of a GET with its body read, after retries. A status of 400 or
        more raises FetchError, with the reason `describe` gives for it, if any."""
        return self._send("GET", url, source, params, None, headers, min_interval, describe)

    def post(
        self,
        url: str,
        *,
        source: str,
        json: Any,
        headers: Mapping[str, str] | None = None,
        describe: Describe | None = None,
    ) -> requests.Response:
        """The response of a POST of `json` (None: no body), bounded, retried and failing as a GET."""
        return self._send("POST", url, source, None, json, headers, 0, describe)

    def _send(self, method, url, source, params, json, headers, min_interval, describe) -> requests.Response:
        if headers and not all(value.isascii() and value.isprintable() for value in headers.values()):
            raise InputError(
                f"{source}: a request header would carry a character HTTP cannot send (non-ASCII or a control "
                "character); check the credentials it is made from"
            )
        if self.skip_down and source in self.down:
            raise NotAskedError(source, f"not asked again tonight (earlier: {self.down[source]})", url=url)
        self.secrets.add(headers, json)
        retrying = Retrying(
            stop=stop_after_attempt(self.retries + 1),
            wait=self._wait,
            retry=retry_if_exception(_worth_retrying),
            sleep=self.sleep,
            reraise=True,
        )
        where = endpoint(url)
        try:
            response = retrying(self._attempt, url, source, params, headers, min_interval, method, json)
        except RetryableStatus as exc:
            status, (made, tries) = exc.response.status_code, _attempts(retrying)
            why = f"HTTP {status} from {where} after {tries}"
            raise self._gave_up(FetchError(source, why, url=url, status=status, attempt=made)) from None
        except BadRedirect as exc:
            raise FetchError(source, f"{exc} (from {where})", url=url) from None
        except TooManyRedirects:
            raise FetchError(source, f"more than {MAX_REDIRECTS} redirects from {where}", url=url) from None
        except OutOfTime:
            text = f"this source's requests of the day took longer than http.max_time ({self.budgets.max_time:g} s)"
            raise self._gave_up(
                OutOfTimeError(source, f"stopped before a request to {where}: {text}", url=url)
            ) from None
        except LocationValueError:  # the host of the URL asked for (a redirect's is a BadRedirect): not retried
            host = excerpt(urlsplit(url).hostname or "")
            why = f"{host!r} is no host name (a part between dots is empty or longer than 63 characters)"
            raise FetchError(source, f"cannot reach {where}: {why}, 1 attempt", url=url, attempt=1) from None
        except Undecodable as exc:
            raise FetchError(
                source, f"the answer from {where} cannot be decoded as its Content-Encoding says ({exc})", url=url
            ) from None
        except TooLarge:
            raise FetchError(
                source, f"the answer from {where} is larger than http.max_bytes ({self.max_bytes} bytes)", url=url
            ) from None
        except requests.ConnectionError as exc:  # before Timeout: a connect timeout is both
            made, tries = _attempts(retrying)
            cause = unreachable(exc, url, self.timeout)
            said = f": {cause}" if cause else f" ({type(exc).__name__})"
            why = f"cannot reach {where}{said}, {tries}"
            raise self._gave_up(FetchError(source, why, url=url, attempt=made)) from None
        except requests.exceptions.ChunkedEncodingError:
            made, tries = _attempts(retrying)
            why = f"the answer from {where} broke off before its end, {tries}"
            raise self._gave_up(FetchError(source, why, url=url, attempt=made)) from None
        except requests.Timeout:
            made, tries = _attempts(retrying)
            why = f"no complete answer from {where} within http.timeout ({self.timeout:g} s), {tries}"
            raise self._gave_up(FetchError(source, why, url=url, attempt=made)) from None
        except requests.RequestException as exc:  # a URL requests refuses, say: not worth retrying
            made, tries = _attempts(retrying)
            why = f"cannot reach {where} ({type(exc).__name__}), {tries}"
            raise self._gave_up(FetchError(source, why, url=url, attempt=made)) from None
        if response.status_code >= 400:
            status = response.status_code
            reason = hidden(describe(response) or "", self.secrets()) if describe else None
            text = f"{reason} (HTTP {status} from {where})" if reason else f"HTTP {status} from {where}"
            raise FetchError(source, text, url=url, status=status, attempt=1)
        return response

    def get_json(self, url: str, *, source: str, **options: Any) -> Any:
        """The JSON of a GET (see `get` and `json_body`); a body that is not JSON is a FetchError."""
        response = self.get(url, source=source, **options)
        try:
            return json_body(response, self.secrets())
        except ValueError as exc:
            raise FetchError(
                source, f"unreadable answer from {endpoint(url)} ({exc})", url=url, status=response.status_code
            ) from None

    def _attempt(self, url, source, params, headers, min_interval, method, json) -> requests.Response:
        self._space(source, min_interval)
        self.budgets.check(source)
        with self._lock:
            self.requests[source] += 1
        deadline = time.monotonic() + self.timeout  # the real clock: it bounds real I/O

        exchange = Exchange(self.session, method, url, params, json, headers, self.secrets())
        return before_deadline(lambda: exchange.answer(self.timeout, deadline, self.max_bytes), deadline)

    def _space(self, source: str, min_interval: float) -> None:
        """Keep the starts of one source's requests at least `min_interval` apart."""
        if min_interval <= 0:
            return
        last = self._last_start.get(source)
        if last is not None:
            remaining = last + min_interval - self.monotonic()
            if remaining > 0:
                self.sleep(remaining)
        self._last_start[source] = self.monotonic()

    def _wait(self, state: RetryCallState) -> float:
        error = state.outcome.exception() if state.outcome else None
        if isinstance(error, RetryableStatus):
            told = told_wait(error.response.headers, self.wall_clock())
            if told is not None:
                time_left = self.budgets.left(state.args[1])  # a wait is part of the source's http.max_time
                with self._lock:
                    left = self.max_wait - self.waited
                    if told > min(left, time_left):
                        raise self._gave_up(self._too_long(error.response, told, left, time_left, state))
                    wait = min(told + self.jitter(), left)
                    self.waited += wait
                return wait
        return self._backoff(state) + self.jitter() * self._backoff(state)

    def _gave_up(self, error: FetchError) -> FetchError:
        """`error`, its source noted in `down` (with the first such reason; one setdefault
        needs no lock, and _wait calls this holding it)."""
        self.down.setdefault(error.source, error.reason)
        return error

    def _too_long(
        self, response: requests.Response, told: float, left: float, time_left: float, state: RetryCallState
    ) -> FetchError:
        limit, failure = f"http.max_wait ({self.max_wait:g} s)", FetchError
        if time_left < left:  # an OutOfTimeError, as at max_time: a search keeps the pages it read
            failure = OutOfTimeError
            limit = (
                f"the {time_left:.0f} s left of http.max_time ({self.budgets.max_time:g} s) for this source's "
                "requests of the day"
            )
        elif left < self.max_wait:
            limit = f"the {left:.0f} s left of {limit} after {self.waited:.0f} s of rate-limit waits in this build"
        url = state.args[0]  # the URL asked for, as in every failure: not the one a redirect named
        return failure(
            state.args[1],
            f"HTTP {response.status_code} from {endpoint(url)}: the server asks to wait {told:.0f} s, "
            f"more than {limit}",
            url=url,
            status=response.status_code,
            attempt=state.attempt_number,
        )
