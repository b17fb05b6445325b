"""Why a request got no answer at all, in words a user can act on: a host that does not
resolve (DNS), a connection refused, TLS that failed, a connection not made in time, a
server that does not speak HTTP or sends a header larger than http.client reads (a line
over 64 KiB, over 100 lines), a proxy that failed or asks for authentication (not retried).

requests wraps urllib3's errors (its exception holds a MaxRetryError, whose `reason` is
urllib3's error, a ProxyError holding the error met at the proxy), so the cause is found
by walking that chain by type. Only hosts and ports are named: never a URL's query or
path, nor the user:password a proxy URL may carry.
"""

from __future__ import annotations

import os
import ssl
from http.client import BadStatusLine, HTTPException
from urllib.parse import urlsplit

import requests
from urllib3.exceptions import ConnectTimeoutError, NameResolutionError, NewConnectionError
from urllib3.exceptions import ProxyError as UrllibProxyError

from hotpapers.errors import excerpt

_PORTS = {"http": 80, "https": 443}
_TUNNEL_FAILED = "Tunnel connection failed: "
"""How http.client's error of a CONNECT answered other than 200 begins, before the status line."""


def unreachable(exc: requests.ConnectionError, url: str, timeout: float) -> str | None:
    """What stopped the request for `url` before any answer, e.g. 'connection refused by
    127.0.0.1:9'; None when its chain holds no known cause."""
    url = exc.request.url if exc.request is not None and exc.request.url else url  # a redirect's hop
    chain = _chain(exc)
    proxy = _proxy(url)
    at_proxy = next((error for error in chain if isinstance(error, UrllibProxyError)), None)
    if at_proxy is not None and proxy is not None:
        return _proxy_failure(at_proxy.original_error, *proxy, timeout)
    cause = _cause(chain, _address(url), _host(url), timeout)
    if cause is not None and proxy is not None and any(isinstance(error, ssl.SSLError) for error in chain):
        cause += f" (through the proxy at {_address(proxy[1])}, {proxy[0]})"
    return cause


def refused_for_good(exc: BaseException) -> bool:
    """Whether `exc` is a refusal every attempt would meet again: a certificate that failed
    verification, or a proxy that asks for authentication (407)."""
    return any(isinstance(error, ssl.SSLCertVerificationError) or _asks_authentication(error) for error in _chain(exc))


def _asks_authentication(error: BaseException) -> bool:
    """A CONNECT answered 407, as http.client raises it (an OSError quoting the status line)."""
    return type(error) is OSError and str(error).startswith(f"{_TUNNEL_FAILED}407")


def _proxy_failure(error: Exception, variable: str, proxy_url: str, timeout: float) -> str:
    where = f"the proxy at {_address(proxy_url)} ({variable})"
    cause = _cause(_chain(error), where, f"{_host(proxy_url)} of the proxy in {variable}", timeout)
    if cause:
        return cause
    if type(error) is OSError:  # what urllib3 raises for a CONNECT answered other than 200, quoting it
        answer = excerpt(str(error).removeprefix(_TUNNEL_FAILED))
        if _asks_authentication(error):  # say whether a user was given, never who
            given = "its user and password were refused" if urlsplit(proxy_url).username else "none was given"
            return f"{where} refused the tunnel, authentication required ({given}): {answer}"
        return f"{where} refused the tunnel: {answer}"
    return f"{where} failed ({type(error).__name__})"


def _cause(chain: list[BaseException], where: str, host: str, timeout: float) -> str | None:
    """The first known cause in `chain`, naming `where` ('host:port', or a proxy) and `host`."""
    for error in chain:
        if isinstance(error, NameResolutionError):
            return f"cannot resolve the host {host} (DNS)"
        if isinstance(error, NewConnectionError):  # before ConnectTimeoutError, its base class
            reason = error.__cause__
            if isinstance(reason, ConnectionRefusedError):
                return f"connection refused by {where}"
            text = f": {reason.strerror}" if isinstance(reason, OSError) and reason.strerror else ""
            return f"cannot connect to {where}{text}"
        if isinstance(error, ConnectTimeoutError):
            return f"no connection to {where} within http.timeout ({timeout:g} s)"
        if isinstance(error, ssl.SSLCertVerificationError):
            return f"TLS with {where} failed: certificate verify failed: {error.verify_message}"
        if isinstance(error, ssl.SSLError):
            words = error.reason.replace("_", " ").lower() if error.reason else type(error).__name__
            return f"TLS with {where} failed: {words}"
        if isinstance(error, ConnectionResetError):  # http.client's RemoteDisconnected too
            return f"{where} closed the connection without an answer"
        if isinstance(error, BadStatusLine):  # an https port asked over http, another protocol's server
            return f"{where} answered, but not in HTTP"
        if isinstance(error, HTTPException) and str(error).startswith("got more than "):
            return f"{where} answered with a header too large to read ({error})"  # http.client's limits
    return None


def _chain(error: BaseException | None) -> list[BaseException]:
    """`error` and the errors behind it: one it wraps (as an argument), urllib3's `reason`, causes."""
    chain: list[BaseException] = []
    while error is not None and error not in chain:
        chain.append(error)
        wrapped = next((arg for arg in error.args if isinstance(arg, BaseException)), None)
        reason = getattr(error, "reason", None)
        if wrapped is not None:
            error = wrapped
        elif isinstance(reason, BaseException):
            error = reason
        else:
            error = error.__cause__ or error.__context__
    return chain


def _proxy(url: str) -> tuple[str, str] | None:
    """The environment variable naming the proxy requests used for `url`, and its URL:
    requests chooses the scheme's own proxy, then ALL_PROXY, unless NO_PROXY exempts the host."""
    proxies = requests.utils.get_environ_proxies(url)
    for key in (urlsplit(url).scheme, "all"):
        if proxies.get(key):
            variable = f"{key.upper()}_PROXY"
            named = variable in os.environ or variable.lower() in os.environ
            return (variable if named else "the system's proxy settings"), proxies[key]
    return None


def _host(url: str) -> str:
    return urlsplit(url if "://" in url else f"http://{url}").hostname or "?"


def _address(url: str) -> str:
    """host:port of `url`, without the user:password it may carry."""
    parts = urlsplit(url if "://" in url else f"http://{url}")
    host = parts.hostname or "?"
    host = f"[{host}]" if ":" in host else host
    try:
        port = parts.port or _PORTS.get(parts.scheme)
    except ValueError:
        port = None
    return f"{host}:{port}" if port else host
