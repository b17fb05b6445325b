"""One HTTP exchange under a total deadline: the request, the redirects it follows, the body.

requests bounds each socket read, not the exchange: a server sending its status line
and headers a byte at a time keeps `session.request` waiting forever, and requests'
own redirect following reads every 3xx body in full, outside any size cap. So here
redirects are followed by hand, a bounded number of times, their bodies never read,
and the whole exchange runs in a daemon thread that the caller stops waiting for at
the deadline. An abandoned thread holds little, and ends with the process at the latest:
http.client caps the header size (though a server sending `100 Continue` answers without
end keeps it reading them, one at a time), and the body reader stops at the same
deadline. An answer never hands on a credential the client's requests carried (a server
echoing it in a field a message quotes or a post shows: http_secrets).
"""

from __future__ import annotations

import re
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from http.cookiejar import DefaultCookiePolicy
from typing import Any, TypeVar
from urllib.parse import urljoin, urlsplit

import requests
from urllib3.exceptions import DecodeError

from hotpapers.errors import excerpt
from hotpapers.http_secrets import REDACTED, hidden

MAX_REDIRECTS = 5
GRACE = 0.25
"""Seconds the wait for an exchange lasts past its deadline: the request's own timeouts
(a connection not made, a silent server) end a moment after it, and name the cause."""
CHUNK = 64 * 1024
_REDIRECTS = {301, 302, 303, 307, 308}
T = TypeVar("T")


class DeadlineExceeded(requests.Timeout):
    """The whole answer did not arrive within `timeout` seconds."""


class TooLarge(Exception):
    """The answer grew past `max_bytes` once decompressed."""


class Undecodable(Exception):
    """The body is not what its Content-Encoding says (a gzip answer that is none)."""


class TooManyRedirects(Exception):
    """More than MAX_REDIRECTS redirects in a row."""


class BadRedirect(Exception):
    """A redirect that cannot or must not be followed; the message says why."""


class RetryableStatus(Exception):
    """A 5xx or 429 answer, worth another try."""

    def __init__(self, response: requests.Response) -> None:
        super().__init__(f"HTTP {response.status_code}")
        self.response = response


class ManualRedirectSession(requests.Session):
    """A Session that never looks for a redirect: even with allow_redirects=False,
    requests reads a 3xx body in full to find its next hop. It keeps no cookie: no API
    read needs one, and a jar would grow with every answer, outside any size cap, and
    be sent back with each later request."""

    def __init__(self) -> None:
        super().__init__()
        self.cookies.set_policy(DefaultCookiePolicy(allowed_domains=[]))

    def get_redirect_target(self, resp: requests.Response) -> None:
        return None


def before_deadline(work: Callable[[], T], deadline: float) -> T:
    """What `work` returns or raises, if it ends before `deadline` (time.monotonic), or GRACE after it."""
    outcome: dict[str, Any] = {}

    def run() -> None:
        try:
            outcome["value"] = work()
        except BaseException as exc:  # handed to the waiting thread, raised there
            outcome["error"] = exc

    thread = threading.Thread(target=run, name="hotpapers-http", daemon=True)
    thread.start()
    thread.join(max(0.0, deadline - time.monotonic()) + GRACE)
    if thread.is_alive():
        raise DeadlineExceeded()
    if "error" in outcome:
        raise outcome["error"]
    return outcome["value"]


@dataclass(frozen=True, slots=True)
class Exchange:
    """One request as a client asks it, and the credentials (all its requests carried) to keep from its answer."""

    session: ManualRedirectSession
    method: str
    url: str
    params: Mapping[str, str | int] | None
    json: Any
    headers: Mapping[str, str] | None
    secrets: list[str]

    def answer(self, timeout: float, deadline: float, max_bytes: int) -> requests.Response:
        """The answer after its redirects (request_following_redirects), its body read by
        `deadline` (read_body); RetryableStatus for a 5xx or 429, its body unread."""
        response = request_following_redirects(
            self.session,
            self.method,
            self.url,
            params=self.params,
            json=self.json,
            headers=self.headers,
            timeout=timeout,
            secrets=self.secrets,
        )
        try:
            if response.status_code == 429 or response.status_code >= 500:
                raise RetryableStatus(response)
            response._content = read_body(response, deadline, max_bytes, self.secrets)
        finally:
            response.close()
        return response


def request_following_redirects(
    session: ManualRedirectSession,
    method: str,
    url: str,
    *,
    params: Mapping[str, str | int] | None,
    json: Any,
    headers: Mapping[str, str] | None,
    timeout: float,
    secrets: list[str],
) -> requests.Response:
    """The first answer that is not a redirect, its body unread (stream=True). As
    requests does: a 303, or a 301/302 to a POST, turns into a GET without body. The
    caller's headers (credentials) are never sent to another origin (another scheme,
    host or port, so never from https to http), and a POST is not redirected there at
    all: its body may hold a password. A redirect elsewhere than to an http(s) URL
    raises BadRedirect, naming it with each of `secrets` (the client's credentials) REDACTED."""
    sent = dict(headers or {})
    for _ in range(MAX_REDIRECTS + 1):
        response = session.request(method, url, params=params, json=json, headers=sent, timeout=timeout, stream=True)
        location = response.headers.get("Location")
        if response.status_code not in _REDIRECTS or not location:
            return response
        response.close()
        target = _target(response.url, location, secrets)
        if _origin(target) != _origin(response.url):
            if method == "POST":
                raise BadRedirect(
                    f"a redirect of a POST to another origin ({hidden(_origin_text(target), secrets)}), which would get its "
                    "body or credentials; not followed"
                )
            sent = {}
        if response.status_code == 303 or (response.status_code in (301, 302) and method == "POST"):
            method, json = "GET", None
        url, params = target, None
    raise TooManyRedirects()


def read_body(response: requests.Response, deadline: float, max_bytes: int, secrets: list[str]) -> bytes:
    """The decompressed body, read as it arrives: each read waits at most until the
    deadline, and decompresses at most CHUNK bytes (urllib3 2.6 bounds that), so
    the size is checked as it grows. Each of `secrets` (the client's credentials) is REDACTED in it.
    The socket is looked up before each read: urllib3 gives the connection back to its pool
    once the compressed body is read, while its pieces are still being decompressed, and
    the pool may then close it, or hand it to another request."""
    chunks: list[bytes] = []
    size = 0
    while True:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise DeadlineExceeded()
        if (sock := getattr(getattr(response.raw, "connection", None), "sock", None)) is not None:
            sock.settimeout(remaining)
        try:
            chunk = response.raw.read1(CHUNK, decode_content=True)
        except DecodeError:
            raise Undecodable(ascii(excerpt(hidden(response.headers.get("Content-Encoding", ""), secrets)))) from None
        except Exception as exc:
            if time.monotonic() >= deadline:
                raise DeadlineExceeded() from None
            raise requests.exceptions.ChunkedEncodingError(exc) from None
        if not chunk:
            body = b"".join(chunks)
            for secret in secrets:
                body = body.replace(secret.encode(), REDACTED.encode())
            return body
        size += len(chunk)
        if size > max_bytes:
            raise TooLarge()
        chunks.append(chunk)


def _target(base: str, location: str, secrets: list[str]) -> str:
    """The absolute URL a Location header points to, when it is one an http(s) request can go to;
    else BadRedirect, naming it with each of `secrets` REDACTED."""
    try:
        target = urljoin(base, location)
        parts = urlsplit(target)
        parts.port  # noqa: B018 - raises ValueError for a port out of range
    except ValueError:
        parts = None
    if parts is None or parts.scheme not in ("http", "https") or not _is_host_name(parts.hostname):
        raise BadRedirect(f"a redirect to {_kind(hidden(location, secrets))}, not a usable http(s) address")
    return target


def _is_host_name(host: str | None) -> bool:
    """Whether urllib3 would connect to `host`: it refuses one IDNA cannot encode (a part
    between dots empty or longer than 63 characters) with an error requests lets through
    (LocationParseError; http.py names it for the URL asked for)."""
    try:
        (host or "").encode("idna")
    except UnicodeError:
        return False
    return bool(host)


_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.-]{0,19}(?=:)")
_ORIGIN = re.compile(r"(https?://)(?:[^/?#]*@)?([^/?#]*)", re.IGNORECASE)
"""An http(s) URL's scheme and host[:port], past a user:password (up to the authority's last `@`)."""


def _kind(location: str) -> str:
    """What a redirect points to: an http(s) URL by its scheme, host and port, anything
    else by its scheme only (the rest, a path, a user:password, all of a `javascript:`
    or `data:` target, may echo a secret the request carried)."""
    scheme = _SCHEME.match(location)
    origin = _ORIGIN.match(location)
    if scheme and scheme[0].lower() in ("http", "https") and origin:
        return ascii(f"{origin[1]}{origin[2]}"[:100])
    return f"a {scheme[0].lower()}: URL" if scheme else "a URL without a scheme"


def _origin(url: str) -> tuple[str, str | None, int | None]:
    parts = urlsplit(url)
    return parts.scheme, parts.hostname, parts.port or {"http": 80, "https": 443}.get(parts.scheme)


def _origin_text(url: str) -> str:
    scheme, host, port = _origin(url)
    return f"{scheme}://{host}:{port}"
