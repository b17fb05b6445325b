"""The one place that talks HTTP: timeouts, retries with backoff, rate limits, politeness.

Retries (connection errors, timeouts, 5xx, 429) run through tenacity with exponential
backoff and jitter. A `Retry-After` or `x-rate-limit-reset` header sets the wait
instead, up to `max_wait`; a longer wait fails at once with a clear message. Sleep
and clocks are injected, so tests run in no time; this module is the only one that
sleeps.
"""

from __future__ import annotations

import random
import re
import threading
import time
from collections import Counter
from collections.abc import Callable, Mapping
from email.utils import parsedate_to_datetime
from typing import Any

import requests
from requests.adapters import HTTPAdapter
from tenacity import RetryCallState, Retrying, retry_if_exception_type, stop_after_attempt, wait_exponential_jitter

from hotpapers import __version__
from hotpapers.errors import FetchError

USER_AGENT = f"hotpapers/{__version__} (daily arXiv digest for static sites; python-requests)"
_TRANSIENT = (requests.ConnectionError, requests.Timeout, requests.exceptions.ChunkedEncodingError)


class RetryableStatus(Exception):
    """A 5xx or 429 answer, worth another try."""

    def __init__(self, response: requests.Response) -> None:
        super().__init__(f"HTTP {response.status_code}")
        self.response = response


class HttpClient:
    """GET with retries, per-source request counts and per-source minimum spacing."""

    def __init__(
        self,
        *,
        timeout: float,
        retries: int,
        max_wait: float,
        backoff: float = 1,
        pool_size: int = 10,
        sleep: Callable[[float], None] = time.sleep,
        monotonic: Callable[[], float] = time.monotonic,
        wall_clock: Callable[[], float] = time.time,
        jitter: Callable[[], float] = random.random,
    ) -> None:
        self.timeout = timeout
        self.retries = retries
        self.max_wait = max_wait
        self.sleep = sleep
        self.monotonic = monotonic
        self.wall_clock = wall_clock
        self.jitter = jitter
        self.requests: Counter[str] = Counter()
        self._last_start: dict[str, float] = {}
        self._lock = threading.Lock()
        self.session = requests.Session()
        self.session.headers["User-Agent"] = USER_AGENT
        adapter = HTTPAdapter(pool_connections=4, pool_maxsize=pool_size)
        self.session.mount("http://", adapter)
        self.session.mount("https://", adapter)
        self._backoff = wait_exponential_jitter(multiplier=backoff, max=60, jitter=0)

    def get(
        self,
        url: str,
        *,
        source: str,
        params: Mapping[str, str | int] | None = None,
        headers: Mapping[str, str] | None = None,
        min_interval: float = 0,
        ok_statuses: frozenset[int] = frozenset(),
    ) -> requests.Response:
        """The response of a GET, after retries. Statuses below 400 and those in
        `ok_statuses` are returned; any other status is a FetchError naming `source`."""
        retrying = Retrying(
            stop=stop_after_attempt(self.retries + 1),
            wait=self._wait,
            retry=retry_if_exception_type((RetryableStatus, *_TRANSIENT)),
            sleep=self.sleep,
            reraise=True,
        )
        try:
            response = retrying(self._attempt, url, source, params, headers, min_interval)
        except FetchError as exc:
            raise FetchError(f"{source}: {exc.message}") from None
        except RetryableStatus as exc:
            raise FetchError(
                f"{source}: HTTP {exc.response.status_code} from {_endpoint(url)} after {self.retries + 1} attempts"
            ) from None
        except requests.Timeout:
            raise FetchError(
                f"{source}: no answer from {_endpoint(url)} within {self.timeout:g} s, {self.retries + 1} attempts"
            ) from None
        except requests.RequestException as exc:
            raise FetchError(
                f"{source}: cannot reach {_endpoint(url)} ({type(exc).__name__}), {self.retries + 1} attempts"
            ) from None
        if response.status_code >= 400 and response.status_code not in ok_statuses:
            raise FetchError(f"{source}: HTTP {response.status_code} from {_endpoint(url)}")
        return response

    def _attempt(self, url, source, params, headers, min_interval) -> requests.Response:
        self._space(source, min_interval)
        with self._lock:
            self.requests[source] += 1
        response = self.session.get(url, params=params, headers=headers, timeout=self.timeout)
        if response.status_code == 429 or response.status_code >= 500:
            raise RetryableStatus(response)
        return response

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
            told = self._told_wait(error.response)
            if told is not None:
                if told > self.max_wait:
                    raise FetchError(
                        f"HTTP {error.response.status_code} from {_endpoint(error.response.url)}: the server asks "
                        f"to wait {told:.0f} s, more than http.max_wait ({self.max_wait:g} s)"
                    )
                return told + self.jitter()
        return self._backoff(state) + self.jitter() * self._backoff(state)

    def _told_wait(self, response: requests.Response) -> float | None:
        """Seconds the server asked us to wait, from Retry-After or x-rate-limit-reset."""
        retry_after = response.headers.get("Retry-After")
        if retry_after:
            if retry_after.strip().isdigit():
                return float(retry_after)
            try:
                return max(0.0, parsedate_to_datetime(retry_after).timestamp() - self.wall_clock())
            except (TypeError, ValueError):
                return None
        reset = response.headers.get("x-rate-limit-reset")
        if reset and reset.strip().isdigit():
            return max(0.0, int(reset) - self.wall_clock())
        return None


_SURROGATE = re.compile("[\ud800-\udfff]")


def json_body(response: requests.Response) -> Any:
    """The response's JSON with every lone UTF-16 surrogate (a `\\ud83d` escape cut from
    its pair, as a truncated text may carry) replaced by U+FFFD: such a string could
    not be written to a UTF-8 snapshot. Raises ValueError when the body is not JSON."""
    return _without_lone_surrogates(response.json())


def _without_lone_surrogates(value: Any) -> Any:
    if isinstance(value, str):
        return (
            value.encode("utf-16", "surrogatepass").decode("utf-16", "replace") if _SURROGATE.search(value) else value
        )
    if isinstance(value, list):
        return [_without_lone_surrogates(item) for item in value]
    if isinstance(value, dict):
        return {key: _without_lone_surrogates(item) for key, item in value.items()}
    return value


def _endpoint(url: str) -> str:
    """A URL without its query string, for messages (queries can be long)."""
    return url.split("?", 1)[0]
