"""The HTTP client's total deadline and its own redirect following, against local servers:
trickled headers, bombs and trickles in a redirect's body, redirect loops, credentials."""

from __future__ import annotations

import gzip
import socket
import threading
import time
import tracemalloc
from collections.abc import Callable, Iterator

import pytest
from pytest_httpserver import HTTPServer
from werkzeug import Response

from fakes import FakeClock
from hotpapers.errors import FetchError
from hotpapers.http import HttpClient


@pytest.fixture
def server() -> Iterator[HTTPServer]:
    """A threaded server: a redirect's body still trickling must not hold up the next hop."""
    local = HTTPServer(host="127.0.0.1", threaded=True)
    local.start()
    yield local
    local.clear()
    local.stop()


def client(**kw) -> HttpClient:
    settings = {"timeout": 0.5, "retries": 0, "max_wait": 100, "backoff": 1}
    settings.update(kw)
    clock = FakeClock()
    return HttpClient(**settings, sleep=clock.sleep, monotonic=lambda: clock.now, jitter=lambda: 0.0)


Answer = Callable[[socket.socket, bytes], None]
"""Writes a raw answer to the connection for the request line it got."""


@pytest.fixture
def raw_server() -> Iterator[Callable[[Answer], str]]:
    """A raw-socket server, each connection in its own thread, answering as the test says:
    werkzeug cannot trickle a status line or hold back a 302's body."""
    stop = threading.Event()
    servers: list[socket.socket] = []

    def start(answer: Answer) -> str:
        server = socket.create_server(("127.0.0.1", 0))
        servers.append(server)

        def serve(connection: socket.socket) -> None:
            with connection:
                request = b""
                while b"\r\n\r\n" not in request:
                    received = connection.recv(65536)
                    if not received:
                        return
                    request += received
                try:
                    answer(connection, request.split(b"\r\n")[0])
                except OSError:
                    return

        def accept() -> None:
            while not stop.is_set():
                try:
                    connection, _ = server.accept()
                except OSError:
                    return
                threading.Thread(target=serve, args=(connection,), daemon=True).start()

        threading.Thread(target=accept, daemon=True).start()
        return f"http://127.0.0.1:{server.getsockname()[1]}"

    yield start
    stop.set()
    for server in servers:
        server.close()


def trickle(connection: socket.socket, data: bytes, pause: float = 0.1) -> None:
    for byte in data:
        connection.sendall(bytes([byte]))
        time.sleep(pause)


def test_trickled_headers_end_at_the_deadline(raw_server):
    headers = b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nX-Pad: " + b"a" * 200 + b"\r\n\r\n{}"
    url = raw_server(lambda connection, line: trickle(connection, headers)) + "/x"
    started = time.monotonic()
    with pytest.raises(FetchError) as info:
        client().get(url, source="arxiv")
    assert info.value.message == f"arxiv: no complete answer from {url} within http.timeout (0.5 s), 1 attempt"
    assert time.monotonic() - started < 1.5  # the headers alone take 25 s


def redirect_then_ok(body: Callable[[socket.socket], None], headers: bytes = b"") -> Answer:
    def answer(connection: socket.socket, line: bytes) -> None:
        if line.startswith(b"GET /ok "):
            connection.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok")
            return
        connection.sendall(b"HTTP/1.1 302 Found\r\nLocation: /ok\r\n" + headers + b"Content-Length: 100000000\r\n\r\n")
        body(connection)

    return answer


def redirect(location: str, status: int = 302, body=b"") -> Response:
    return Response(body, status, headers={"Location": location})


def test_a_gzip_bomb_in_a_redirect_is_never_read(raw_server):
    member = gzip.compress(b"\0" * 1024 * 1024)

    def bomb(connection: socket.socket) -> None:
        for _ in range(64):
            connection.sendall(member)

    url = raw_server(redirect_then_ok(bomb, b"Content-Encoding: gzip\r\n"))
    tracemalloc.start()
    try:
        response = client(max_bytes=1024 * 1024).get(url + "/bomb", source="t")
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert response.text == "ok"
    assert peak < 16 * 1024 * 1024  # the 302's body is 64 MiB once decompressed


def test_a_trickled_redirect_body_is_never_read(raw_server):
    url = raw_server(redirect_then_ok(lambda connection: trickle(connection, b"x" * 40, 0.05)))
    started = time.monotonic()
    assert client(timeout=1).get(url + "/slow", source="t").text == "ok"
    assert time.monotonic() - started < 1  # the 302's body takes 2 s


def test_a_slow_chain_of_redirects_shares_one_deadline(server):
    def slow(location: str):
        return lambda request: (time.sleep(0.3), redirect(location))[1]

    server.expect_request("/a").respond_with_handler(slow("/b"))
    server.expect_request("/b").respond_with_handler(slow("/c"))
    server.expect_request("/c").respond_with_handler(slow("/d"))
    server.expect_request("/d").respond_with_data("ok")
    with pytest.raises(FetchError, match=r"/a within http\.timeout \(0\.5 s\)"):
        client().get(server.url_for("/a"), source="t")


def test_a_redirect_loop_stops_after_five_hops(server):
    server.expect_request("/loop").respond_with_response(redirect("/loop"))
    with pytest.raises(FetchError) as info:
        client().get(server.url_for("/loop"), source="hackernews")
    assert info.value.message == f"hackernews: more than 5 redirects from {server.url_for('/loop')}"
    assert len(server.log) == 6


def test_five_redirects_are_followed(server):
    for hop in range(5):
        server.expect_request(f"/{hop}").respond_with_response(redirect(f"/{hop + 1}", 301 + hop % 2))
    server.expect_request("/5").respond_with_data("arrived")
    assert client().get(server.url_for("/0"), source="t").text == "arrived"


def seen_authorization(server: HTTPServer) -> list[str | None]:
    return [request.headers.get("Authorization") for request, _ in server.log]


def test_authorization_is_not_sent_to_another_origin(server):
    other = HTTPServer(host="127.0.0.1")
    other.start()
    try:
        other.expect_request("/landing").respond_with_data("elsewhere")
        server.expect_request("/away").respond_with_response(redirect(other.url_for("/landing")))
        response = client().get(server.url_for("/away"), source="t", headers={"Authorization": "Bearer s3cret"})
        assert response.text == "elsewhere"
        assert seen_authorization(server) == ["Bearer s3cret"]
        assert seen_authorization(other) == [None]
    finally:
        other.clear()
        other.stop()


def test_authorization_follows_a_redirect_on_the_same_origin(server):
    server.expect_request("/moved").respond_with_response(redirect("/here", 307))
    server.expect_request("/here").respond_with_data("ok")
    client().get(server.url_for("/moved"), source="t", headers={"Authorization": "Bearer s3cret"})
    assert seen_authorization(server) == ["Bearer s3cret", "Bearer s3cret"]


def test_a_post_redirected_by_303_becomes_a_get_without_body(server):
    server.expect_request("/post", method="POST").respond_with_response(redirect("/result", 303))
    server.expect_request("/result", method="GET").respond_with_data("done")
    assert client().post(server.url_for("/post"), source="t", json={"a": 1}).text == "done"
    assert server.log[1][0].get_data() == b""
