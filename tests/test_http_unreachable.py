"""A request that gets no answer names its cause and host: real sockets on 127.0.0.1,
no network (a name under the reserved .invalid TLD fails to resolve without a resolver asked)."""

from __future__ import annotations

import contextlib
import socket
import ssl
import subprocess
import threading
import time
from collections.abc import Callable, Iterator

import pytest

from fakes import FakeClock
from hotpapers.errors import FetchError
from hotpapers.http import HttpClient

PROXY_VARIABLES = ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "NO_PROXY")


@pytest.fixture(autouse=True)
def no_proxy_from_the_machine(monkeypatch):
    for name in PROXY_VARIABLES:
        monkeypatch.delenv(name, raising=False)
        monkeypatch.delenv(name.lower(), raising=False)


@pytest.fixture(autouse=True)
def no_name_lookup_leaves_the_machine(monkeypatch):
    """A name under .invalid fails as a resolver answers it (RFC 6761), without asking one:
    the machine's resolver may forward the question off the machine."""
    lookup = socket.getaddrinfo

    def getaddrinfo(host, *args, **kwargs):
        if isinstance(host, str) and host.endswith(".invalid"):
            raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")
        return lookup(host, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)


def failure(url: str, *, timeout: float = 10, retries: int = 0) -> str:
    clock = FakeClock()
    http = HttpClient(timeout=timeout, retries=retries, max_wait=0, sleep=clock.sleep, jitter=lambda: 0.0)
    with pytest.raises(FetchError) as info:
        http.get(url, source="arxiv")
    assert info.value.attempt == retries + 1 and info.value.status is None
    return info.value.message


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def serve() -> Iterator[Callable[[Callable[[socket.socket], None]], int]]:
    """Starts a server on 127.0.0.1 that hands each connection to `handle`; gives its port."""
    servers: list[socket.socket] = []

    def start(handle: Callable[[socket.socket], None]) -> int:
        server = socket.create_server(("127.0.0.1", 0))
        servers.append(server)

        def run() -> None:
            while True:
                try:
                    connection, _ = server.accept()
                except OSError:
                    return
                with connection, contextlib.suppress(OSError):
                    handle(connection)

        threading.Thread(target=run, daemon=True).start()
        return server.getsockname()[1]

    yield start
    for server in servers:
        server.close()


def test_a_closed_port_is_a_connection_refused_by_its_address():
    port = closed_port()
    message = failure(f"http://127.0.0.1:{port}/api?key=SECRET", retries=1)
    assert (
        message
        == f"arxiv: cannot reach http://127.0.0.1:{port}/api: connection refused by 127.0.0.1:{port}, 2 attempts"
    )


def test_a_host_that_does_not_resolve_is_named_as_a_dns_failure():
    message = failure("http://export.hotpapers.invalid/api/query?token=SECRET")
    assert message == (
        "arxiv: cannot reach http://export.hotpapers.invalid/api/query: "
        "cannot resolve the host export.hotpapers.invalid (DNS), 1 attempt"
    )


@pytest.fixture
def self_signed(tmp_path) -> ssl.SSLContext:
    """A TLS server's context with a certificate no client trusts."""
    key, cert = tmp_path / "key.pem", tmp_path / "cert.pem"
    subprocess.run(
        [
            "openssl",
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-days",
            "2",
            "-subj",
            "/CN=127.0.0.1",
            "-keyout",
            str(key),
            "-out",
            str(cert),
        ],
        check=True,
        capture_output=True,
    )
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    return context


def test_a_self_signed_certificate_is_a_tls_failure(serve, self_signed):
    port = serve(lambda connection: self_signed.wrap_socket(connection, server_side=True).close())
    message = failure(f"https://127.0.0.1:{port}/api")
    start = f"arxiv: cannot reach https://127.0.0.1:{port}/api: TLS with 127.0.0.1:{port} failed: certificate verify failed: "
    assert message.startswith(start) and message.endswith(", 1 attempt")
    assert "self" in message[len(start) :]  # OpenSSL's words: 'self-signed certificate'


def test_a_proxy_intercepting_tls_is_named_with_the_tls_failure(serve, self_signed, monkeypatch):
    def intercept(connection: socket.socket) -> None:
        connection.recv(1000)
        connection.sendall(b"HTTP/1.1 200 Connection established\r\n\r\n")
        self_signed.wrap_socket(connection, server_side=True).close()

    port = serve(intercept)
    monkeypatch.setenv("HTTPS_PROXY", f"http://proxyuser:hunter2@127.0.0.1:{port}")
    message = failure("https://export.arxiv.org/api/query")
    assert message.startswith(
        "arxiv: cannot reach https://export.arxiv.org/api/query: TLS with export.arxiv.org:443 failed: "
        "certificate verify failed: "
    )
    assert message.endswith(f" (through the proxy at 127.0.0.1:{port}, HTTPS_PROXY), 1 attempt")


def test_a_connection_not_made_in_time_is_told_from_a_slow_answer():
    with socket.create_server(("127.0.0.1", 0), backlog=0) as server:
        port = server.getsockname()[1]
        waiting = [socket.create_connection(("127.0.0.1", port))]  # fills the queue: the next SYN is dropped
        try:
            message = failure(f"http://127.0.0.1:{port}/api", timeout=0.5)
        finally:
            for connection in waiting:
                connection.close()
    assert message == (
        f"arxiv: cannot reach http://127.0.0.1:{port}/api: no connection to 127.0.0.1:{port} "
        "within http.timeout (0.5 s), 1 attempt"
    )


def test_a_server_closing_without_an_answer_is_named(serve):
    port = serve(lambda connection: connection.recv(1000))
    message = failure(f"http://127.0.0.1:{port}/api")
    assert (
        message
        == f"arxiv: cannot reach http://127.0.0.1:{port}/api: 127.0.0.1:{port} closed the connection without an answer, 1 attempt"
    )


def test_a_proxy_on_a_closed_port_is_named_without_its_password(monkeypatch):
    port = closed_port()
    monkeypatch.setenv("HTTPS_PROXY", f"http://proxyuser:hunter2@127.0.0.1:{port}")
    message = failure("https://export.arxiv.org/api/query?token=SECRET")
    assert message == (
        "arxiv: cannot reach https://export.arxiv.org/api/query: "
        f"connection refused by the proxy at 127.0.0.1:{port} (HTTPS_PROXY), 1 attempt"
    )


def test_a_proxy_whose_host_does_not_resolve_is_a_dns_failure_of_the_proxy(monkeypatch):
    monkeypatch.setenv("https_proxy", "http://proxyuser:hunter2@proxy.hotpapers.invalid:3128")
    message = failure("https://export.arxiv.org/api/query")
    assert message == (
        "arxiv: cannot reach https://export.arxiv.org/api/query: "
        "cannot resolve the host proxy.hotpapers.invalid of the proxy in HTTPS_PROXY (DNS), 1 attempt"
    )


def test_a_proxy_refusing_the_tunnel_is_quoted(serve, monkeypatch):
    def refuse(connection: socket.socket) -> None:
        connection.recv(1000)
        connection.sendall(b"HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\n\r\n")

    port = serve(refuse)
    monkeypatch.setenv("ALL_PROXY", f"http://proxyuser:hunter2@127.0.0.1:{port}")
    message = failure("https://export.arxiv.org/api/query")
    assert message == (
        "arxiv: cannot reach https://export.arxiv.org/api/query: the proxy at "
        f"127.0.0.1:{port} (ALL_PROXY) refused the tunnel: 403 Forbidden, 1 attempt"
    )


@pytest.mark.parametrize("user", ["proxyuser:hunter2@", ""], ids=["refused", "none-given"])
def test_a_proxy_asking_for_authentication_fails_at_once_naming_it_without_the_password(serve, monkeypatch, user):
    """A proxy answering the tunnel's CONNECT with 407 was asked again, as after a network
    blip, though every attempt meets the same refusal; and it said only 'refused the tunnel'."""
    asked: list[bytes] = []

    def refuse(connection: socket.socket) -> None:
        asked.append(connection.recv(1000).split(b"\r\n")[0])
        connection.sendall(b"HTTP/1.1 407 Proxy Authentication Required\r\nContent-Length: 0\r\n\r\n")

    port = serve(refuse)
    monkeypatch.setenv("ALL_PROXY", f"http://{user}127.0.0.1:{port}")
    http = HttpClient(timeout=10, retries=2, max_wait=0, sleep=FakeClock().sleep, jitter=lambda: 0.0)
    with pytest.raises(FetchError) as info:
        http.get("https://export.arxiv.org/api/query", source="arxiv")
    given = "its user and password were refused" if user else "none was given"
    assert (info.value.message, info.value.attempt) == (
        "arxiv: cannot reach https://export.arxiv.org/api/query: the proxy at "
        f"127.0.0.1:{port} (ALL_PROXY) refused the tunnel, authentication required ({given}): "
        "407 Proxy Authentication Required, 1 attempt",
        1,
    )
    assert [line.rsplit(b" ", 1)[0] for line in asked] == [b"CONNECT export.arxiv.org:443"]  # one attempt


def test_a_server_that_answers_in_another_protocol_is_named(serve):
    """An http:// address at a port that speaks something else (TLS, SSH) read only 'ConnectionError'."""
    port = serve(lambda connection: (connection.recv(1000), connection.sendall(b"SSH-2.0-OpenSSH_9.6\r\n")))
    message = failure(f"http://127.0.0.1:{port}/api")
    assert message == (
        f"arxiv: cannot reach http://127.0.0.1:{port}/api: 127.0.0.1:{port} answered, but not in HTTP, 1 attempt"
    )


@pytest.mark.parametrize(
    ("head", "why"),
    [
        (b"X-Big: " + b"a" * 70_000 + b"\r\n", "got more than 65536 bytes when reading header line"),
        (b"".join(b"X-%d: 1\r\n" % n for n in range(150)), "got more than 100 headers"),
    ],
    ids=["long-line", "many-lines"],
)
def test_a_header_too_large_to_read_is_named(serve, head, why):
    """A server that answers with a header line over 64 KiB, or over 100 lines of header,
    read as 'cannot reach ... (ConnectionError)': as if it had never answered."""
    answer = b"HTTP/1.1 200 OK\r\n" + head + b"Content-Length: 2\r\n\r\n[]"
    port = serve(lambda connection: (connection.recv(1000), connection.sendall(answer)))
    message = failure(f"http://127.0.0.1:{port}/api")
    assert message == (
        f"arxiv: cannot reach http://127.0.0.1:{port}/api: 127.0.0.1:{port} answered with a header "
        f"too large to read ({why}), 1 attempt"
    )


def test_a_certificate_that_fails_verification_is_not_retried(serve, self_signed):
    """Every attempt meets the same certificate: the retries only multiplied the wait (and
    the connections) before the same failure."""
    connections = []

    def handshake(connection: socket.socket) -> None:
        connections.append(connection)
        self_signed.wrap_socket(connection, server_side=True).close()

    port = serve(handshake)
    clock = FakeClock()
    http = HttpClient(timeout=10, retries=2, max_wait=0, sleep=clock.sleep, jitter=lambda: 0.0)
    with pytest.raises(FetchError) as info:
        http.get(f"https://127.0.0.1:{port}/api", source="arxiv")
    assert "certificate verify failed: " in info.value.message and info.value.message.endswith(", 1 attempt")
    assert len(connections) == 1 and info.value.attempt == 1 and clock.sleeps == []


@pytest.mark.parametrize(
    ("answer", "reason"),
    [
        (None, "no complete answer from http://127.0.0.1:{port}/api within http.timeout (0.3 s), 2 attempts"),
        (
            b"HTTP/1.1 429 Too Many Requests\r\nRetry-After: 86400\r\nContent-Length: 0\r\n\r\n",
            "HTTP 429 from http://127.0.0.1:{port}/api: the server asks to wait 86400 s, more than http.max_wait (60 s)",
        ),
        (
            b"",
            "cannot reach http://127.0.0.1:{port}/api: 127.0.0.1:{port} closed the connection without an answer, "
            "2 attempts",
        ),
        (
            b"HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n{}",
            "the answer from http://127.0.0.1:{port}/api broke off before its end, 2 attempts",
        ),
    ],
    ids=["accepts-and-never-answers", "asks-a-day-s-wait", "closes-without-an-answer", "breaks-off"],
)
def test_a_source_given_up_on_is_not_asked_again_when_the_build_says_so(serve, answer, reason):
    """The nightly build's days before yesterday (skip_down): a server that accepts and never
    answers held each day for its retries of http.timeout, and one asking to wait a day
    was asked again for each day."""

    def handle(connection: socket.socket) -> None:
        connection.recv(1000)
        if answer is None:
            time.sleep(1)
        else:
            connection.sendall(answer)

    port = serve(handle)
    clock = FakeClock()
    http = HttpClient(timeout=0.3, retries=1, max_wait=60, sleep=clock.sleep, jitter=lambda: 0.0)
    with pytest.raises(FetchError) as first:
        http.get(f"http://127.0.0.1:{port}/api", source="arxiv")
    assert first.value.reason == reason.format(port=port)
    asked = http.requests["arxiv"]
    http.skip_down = True
    with pytest.raises(FetchError) as again:
        http.get(f"http://127.0.0.1:{port}/api?id_list=1", source="arxiv")
    assert again.value.message == f"arxiv: not asked again tonight (earlier: {reason.format(port=port)})"
    assert http.requests["arxiv"] == asked  # counted as each attempt starts


@pytest.mark.parametrize("host", ["export..hotpapers.invalid", "a" * 64 + ".hotpapers.invalid"])
def test_a_host_name_no_connection_can_be_made_to_is_named_and_not_retried(host):
    """urllib3 refuses a host with an empty label or one over 63 characters as it connects,
    with an exception of its own (LocationParseError) that requests lets through: it was
    an internal error that stopped the whole build."""
    message = failure(f"http://{host}/api/query?token=SECRET")
    assert message == (
        f"arxiv: cannot reach http://{host}/api/query: {host!r} is no host name "
        "(a part between dots is empty or longer than 63 characters), 1 attempt"
    )


def test_a_request_requests_refuses_is_not_retried_and_its_message_says_so(serve):
    """A redirect to a host starting with `*` is refused by requests itself before any connection
    (InvalidURL: "URL has an invalid label"), and, not being transient, is not retried: the
    message said '3 attempts'. (A space or an escaped NUL in the host is refused only by urllib3
    2.8 and newer, which the dependencies do not require; older ones ask DNS for it. A host
    starting with a dot is refused as a redirect: test_http_hostile.py.)"""

    def redirect(connection: socket.socket) -> None:
        connection.recv(1000)
        connection.sendall(b"HTTP/1.1 302 Found\r\nLocation: http://*.example.com/\r\nContent-Length: 0\r\n\r\n")

    port = serve(redirect)
    clock = FakeClock()
    http = HttpClient(timeout=10, retries=2, max_wait=0, sleep=clock.sleep, jitter=lambda: 0.0)
    with pytest.raises(FetchError) as info:
        http.get(f"http://127.0.0.1:{port}/api", source="arxiv")
    assert info.value.message == f"arxiv: cannot reach http://127.0.0.1:{port}/api (InvalidURL), 1 attempt"
    assert info.value.attempt == 1 and http.requests["arxiv"] == 1 and clock.sleeps == []


def test_a_cause_not_known_is_named_by_its_class_as_other_failures_are(serve):
    """An answer in an HTTP version http.client does not read (its UnknownProtocol) is a
    bare ConnectionError to requests, which was said as 'cannot reach URL: ConnectionError',
    where every other failure without words of its own reads 'cannot reach URL (InvalidURL)'.
    (It was an answer of 101 headers, now named: test_a_header_too_large_to_read_is_named.)"""
    port = serve(lambda connection: (connection.recv(1000), connection.sendall(b"HTTP/2.0 200 OK\r\n\r\n")))
    message = failure(f"http://127.0.0.1:{port}/api")
    assert message == f"arxiv: cannot reach http://127.0.0.1:{port}/api (ConnectionError), 1 attempt"
