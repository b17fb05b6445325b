"""The HTTP client's total deadline and its own redirect following, against local servers:
trickled headers, bombs and trickles in a redirect's body, redirect loops, credentials."""

from __future__ import annotations

import gzip
import json
import socket
import threading
import time
import tracemalloc
from collections.abc import Callable, Iterator
from urllib.parse import unquote

import pytest
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from fakes import Answer, FakeClock, RawServers, raw_answer
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


@pytest.fixture
def raw_server() -> Iterator[RawServers]:
    with RawServers() as start:
        yield start


def client(**kw) -> HttpClient:
    settings = {"timeout": 5.0, "retries": 0, "max_wait": 100, "backoff": 1}  # ample on a busy machine
    settings.update(kw)
    clock = FakeClock()
    return HttpClient(**settings, sleep=clock.sleep, monotonic=lambda: clock.now, jitter=lambda: 0.0)


def trickle(connection: socket.socket, data: bytes, pause: float = 0.1) -> None:
    for byte in data:
        connection.sendall(bytes([byte]))
        time.sleep(pause)


def test_trickled_headers_end_at_the_deadline(raw_server):
    headers = b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nX-Pad: " + b"a" * 200 + b"\r\n\r\n{}"
    url = raw_server(lambda connection, line: trickle(connection, headers)) + "/x"
    started = time.monotonic()
    with pytest.raises(FetchError) as info:
        client(timeout=0.5).get(url, source="arxiv")
    assert info.value.message == f"arxiv: no complete answer from {url} within http.timeout (0.5 s), 1 attempt"
    assert time.monotonic() - started < 5  # the headers alone take 25 s


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
        client(timeout=0.5).get(server.url_for("/a"), source="t")


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


@pytest.fixture
def other() -> Iterator[HTTPServer]:
    """A second server: another origin (another port)."""
    local = HTTPServer(host="127.0.0.1")
    local.start()
    yield local
    local.clear()
    local.stop()


def test_no_header_of_the_caller_is_sent_to_another_origin(server, other):
    other.expect_request("/landing").respond_with_data("elsewhere")
    server.expect_request("/away").respond_with_response(redirect(other.url_for("/landing")))
    headers = {"Authorization": "Bearer s3cret", "X-Api-Key": "k3y"}
    response = client().get(server.url_for("/away"), source="t", headers=headers)
    assert response.text == "elsewhere"
    assert seen_authorization(server) == ["Bearer s3cret"]
    assert seen_authorization(other) == [None] and "X-Api-Key" not in other.log[0][0].headers


@pytest.mark.parametrize("status", [301, 302, 303, 307, 308])
def test_a_post_is_never_redirected_to_another_origin(server, other, status):
    other.expect_request("/steal").respond_with_data("thanks")
    server.expect_request("/login", method="POST").respond_with_response(redirect(other.url_for("/steal"), status))
    with pytest.raises(FetchError) as info:
        client().post(server.url_for("/login"), source="bluesky", json={"identifier": "me", "password": "s3cret"})
    assert info.value.message == (
        f"bluesky: a redirect of a POST to another origin (http://127.0.0.1:{other.port}), which would get its "
        f"body or credentials; not followed (from {server.url_for('/login')})"
    )
    assert other.log == [] and len(server.log) == 1


def test_another_scheme_on_the_same_host_and_port_is_another_origin(server):
    https = server.url_for("/session").replace("http://", "https://")
    server.expect_request("/login", method="POST").respond_with_response(redirect(https, 308))
    with pytest.raises(
        FetchError, match=rf"a redirect of a POST to another origin \(https://127\.0\.0\.1:{server.port}\)"
    ):
        client().post(server.url_for("/login"), source="bluesky", json={"password": "s3cret"})
    assert len(server.log) == 1


def test_a_post_redirected_by_307_on_its_origin_keeps_its_body(server):
    server.expect_request("/login", method="POST").respond_with_response(redirect("/session", 307))
    server.expect_request("/session", method="POST").respond_with_data("ok")
    assert client().post(server.url_for("/login"), source="t", json={"identifier": "me"}).text == "ok"
    assert server.log[1][0].get_json() == {"identifier": "me"}


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


@pytest.mark.parametrize(
    ("location", "named"),
    [
        ("javascript:alert('s3cret')", "a javascript: URL"),
        ("DATA:text/html,s3cret", "a data: URL"),
    ],
)
def test_a_redirect_that_cannot_be_followed_is_named_by_its_scheme_only(server, location, named):
    """A hostile server may put what the request carried (a token) in its Location."""
    server.expect_request("/go").respond_with_response(redirect(location))
    with pytest.raises(FetchError) as info:
        client().get(server.url_for("/go"), source="t", headers={"Authorization": "Bearer s3cret"})
    assert (
        info.value.message == f"t: a redirect to {named}, not a usable http(s) address (from {server.url_for('/go')})"
    )


@pytest.mark.parametrize(
    ("location", "named"),
    [
        (b"http://127.0.0.1:99999/s3cret?s3cret#s3cret", "'http://127.0.0.1:99999'"),
        (b"https://user:s3cret@127.0.0.1:99999/", "'https://127.0.0.1:99999'"),
        (b"http://a@b:s3cret@127.0.0.1:99999/s3cret", "'http://127.0.0.1:99999'"),
    ],
    ids=["path", "user-and-password", "at-signs"],
)
def test_an_http_redirect_that_cannot_be_followed_is_named_by_its_origin_only(raw_server, location, named):
    """Its path and user:password may hold what the request carried, as a javascript: URL may."""
    url = raw_server(raw_answer(b"HTTP/1.1 302 Found\r\nLocation: " + location + b"\r\n")) + "/go"
    with pytest.raises(FetchError) as info:
        client().get(url, source="t", headers={"Authorization": "Bearer s3cret"})
    assert info.value.message == f"t: a redirect to {named}, not a usable http(s) address (from {url})"


def test_no_cookie_a_server_sets_is_kept_or_sent_back(server):
    """No API read needs one, and a jar would grow with every answer outside http.max_bytes
    (100 headers of 64 KiB each) and send it all back with each later request."""
    cookies = [("Set-Cookie", f"c{n}={'v' * 1000}; Path=/") for n in range(50)]
    server.expect_request("/set").respond_with_response(Response("{}", headers=cookies))
    server.expect_request("/next").respond_with_data("{}")
    http = client()
    http.get(server.url_for("/set"), source="t")
    http.get(server.url_for("/next"), source="t")
    assert "Cookie" not in server.log[1][0].headers and len(http.session.cookies) == 0


def test_a_wait_too_long_after_a_redirect_names_the_url_asked_for(server):
    """As every other failure does: the path a server redirects to is its own words, and
    may carry what the request did (a token)."""
    server.expect_request("/asked").respond_with_response(redirect("/s3cret/limited"))
    server.expect_request("/s3cret/limited").respond_with_response(Response("", 429, headers={"Retry-After": "999"}))
    with pytest.raises(FetchError) as info:
        client(retries=1).get(server.url_for("/asked"), source="t", headers={"Authorization": "Bearer s3cret"})
    assert info.value.message == (
        f"t: HTTP 429 from {server.url_for('/asked')}: the server asks to wait 999 s, more than http.max_wait (100 s)"
    )
    assert info.value.url == server.url_for("/asked")


TOKEN = "AAAAAAAAAAAAAAAAAAAAAMLheAAAAAAA0%2BuSeid%2BULvsea4JtiGRiSDSJSI%3DEUifiRBk"


def echo(request: Request) -> Response:
    """An answer holding what the request carried: its Authorization, its body."""
    said = {"auth": request.headers.get("Authorization", ""), "body": request.get_data(as_text=True)}
    token = said["auth"].removeprefix("Bearer ")
    return Response(json.dumps({**said, "created_at": token, "cursor": f"x{token}x"}), content_type="application/json")


def test_an_answer_never_hands_on_the_credential_its_request_carried(server):
    """A server echoing the bearer token in a field that is quoted in a message (an unreadable
    time stamp, a repeated cursor) or kept in a post put it in the build's output and in the
    snapshot, which a site commits."""
    server.expect_request("/echo").respond_with_handler(echo)
    data = client().get_json(server.url_for("/echo"), source="t", headers={"Authorization": f"Bearer {TOKEN}"})
    assert data == {"auth": "[redacted]", "body": "", "created_at": "[redacted]", "cursor": "x[redacted]x"}


def test_an_answer_never_hands_on_the_credential_written_with_json_escapes(server):
    """JSON may write any character as an escape (`\\u0041` for `A`): a server echoing the
    token so put it, past the redaction of the raw body, in the text a snapshot keeps and
    a post shows."""

    def escaped(request: Request) -> Response:
        token = request.headers["Authorization"].removeprefix("Bearer ")
        hidden = "".join(f"\\u{ord(character):04x}" for character in token)
        return Response(f'{{"text": "see {hidden}", "{hidden}": 1}}', content_type="application/json")

    server.expect_request("/echo").respond_with_handler(escaped)
    data = client().get_json(server.url_for("/echo"), source="t", headers={"Authorization": f"Bearer {TOKEN}"})
    assert data == {"text": "see [redacted]", "[redacted]": 1}


def test_an_answer_never_hands_on_the_credential_percent_decoded(server):
    """X's bearer tokens hold percent-escapes (`%2B`, `%3D`): a server echoing the token
    decoded (`+`, `=`), as a URL's query is read, put it past a redaction of the token as
    sent into the snapshot and the post."""

    def decoded(request: Request) -> Response:
        token = request.headers["Authorization"].removeprefix("Bearer ")
        return Response(json.dumps({"text": f"see {unquote(token)}!"}), content_type="application/json")

    server.expect_request("/echo").respond_with_handler(decoded)
    data = client().get_json(server.url_for("/echo"), source="t", headers={"Authorization": f"Bearer {TOKEN}"})
    assert unquote(TOKEN) == "AAAAAAAAAAAAAAAAAAAAAMLheAAAAAAA0+uSeid+ULvsea4JtiGRiSDSJSI=EUifiRBk"
    assert data == {"text": "see [redacted]!"}


def test_no_answer_hands_on_a_credential_another_request_of_the_build_carried(server):
    """A login posts the app password and a search carries only the session's token: a
    server echoing the password in the search's posts (or the bearer token in an embed,
    asked without it) put it in the snapshot and the post, however escaped."""

    def posts(request: Request) -> Response:
        escaped = "".join(f"\\u{ord(character):04x}" for character in "abcd-efgh-ijkl-mnop")
        return Response(f'{{"text": "abcd-efgh-ijkl-mnop {escaped} {TOKEN}"}}', content_type="application/json")

    server.expect_request("/echo").respond_with_handler(posts)
    http = client()
    http.post(server.url_for("/echo"), source="t", json={"identifier": "me", "password": "abcd-efgh-ijkl-mnop"})
    http.get(server.url_for("/echo"), source="t", headers={"Authorization": f"Bearer {TOKEN}"})
    data = http.get_json(server.url_for("/echo"), source="u")
    assert data == {"text": "[redacted] [redacted] [redacted]"}


def test_a_refusals_reason_never_quotes_a_credential_another_request_carried(server):
    server.expect_request("/login").respond_with_json({})
    server.expect_request("/search").respond_with_json({"error": "abcd-efgh-ijkl-mnop"}, status=400)
    http = client()
    http.post(server.url_for("/login"), source="t", json={"identifier": "me", "password": "abcd-efgh-ijkl-mnop"})
    with pytest.raises(FetchError) as info:
        http.get(server.url_for("/search"), source="t", describe=lambda answer: json.loads(answer.content)["error"])
    assert info.value.message == f"t: [redacted] (HTTP 400 from {server.url_for('/search')})"


def test_an_answer_never_hands_on_the_password_its_request_posted(server):
    server.expect_request("/echo").respond_with_handler(echo)
    login = {"identifier": "reader.bsky.social", "password": "abcd-efgh-ijkl-mnop"}
    answer = client().post(server.url_for("/echo"), source="t", json=login)
    assert json.loads(answer.content)["body"] == '{"identifier": "reader.bsky.social", "password": "[redacted]"}'


def test_a_content_encoding_echoing_the_credential_is_not_quoted_with_it(server):
    def undecodable(request: Request) -> Response:
        token = request.headers["Authorization"].removeprefix("Bearer ")
        return Response(b"x" * 32, headers={"Content-Encoding": f"gzip, {token}"})

    server.expect_request("/echo").respond_with_handler(undecodable)
    with pytest.raises(FetchError) as info:
        client().get(server.url_for("/echo"), source="t", headers={"Authorization": f"Bearer {TOKEN}"})
    assert info.value.message == (
        f"t: the answer from {server.url_for('/echo')} cannot be decoded as its Content-Encoding says "
        "('gzip, [redacted]')"
    )


@pytest.mark.parametrize(
    ("location", "named"),
    [
        (f"http://{TOKEN}/x", "'http://[redacted]'"),  # a part between dots past 63 characters: not followed
        (f"http://user@{TOKEN}.example:99999/", "'http://[redacted].example:99999'"),
    ],
    ids=["host", "host-and-port"],
)
def test_a_redirect_that_cannot_be_followed_is_not_named_with_the_credential_it_echoes(raw_server, location, named):
    """The host of a redirect's target is quoted, and a server may put there the token the request carried."""
    url = raw_server(raw_answer(b"HTTP/1.1 302 Found\r\nLocation: " + location.encode() + b"\r\n")) + "/go"
    with pytest.raises(FetchError) as info:
        client().get(url, source="t", headers={"Authorization": f"Bearer {TOKEN}"})
    assert info.value.message == f"t: a redirect to {named}, not a usable http(s) address (from {url})"


def test_a_posts_redirect_to_another_origin_is_not_named_with_the_password_it_echoes(raw_server):
    """urlsplit lowers the host, so the password is found in any case."""
    location = b"http://ABCD-EFGH-IJKL-MNOP.example/x"
    url = raw_server(raw_answer(b"HTTP/1.1 307 Temporary Redirect\r\nLocation: " + location + b"\r\n")) + "/go"
    with pytest.raises(FetchError) as info:
        client().post(url, source="t", json={"identifier": "reader.bsky.social", "password": "ABCD-EFGH-IJKL-MNOP"})
    assert info.value.message == (
        "t: a redirect of a POST to another origin (http://[redacted].example:80), which would get its body or "
        f"credentials; not followed (from {url})"
    )


def test_a_body_still_decompressing_after_its_connection_went_back_to_the_pool_is_read_whole(raw_server):
    """urllib3 hands a connection back to its pool once the compressed body is read, while
    the 64 KiB pieces it decompresses to are still being taken: a pool already full (of
    another request's connection) closes it, and setting the next piece's timeout on its
    socket raised OSError 'Bad file descriptor', which ended a build (exit 1) where the
    answer was whole, or one source's request failed."""
    body = b"[" + b"0," * 300_000 + b"0]"

    def answer(connection: socket.socket, line: bytes) -> None:
        if line.startswith(b"GET /late "):
            time.sleep(0.5)  # meanwhile the other request takes a connection of its own, and gives it back
            data, encoding = gzip.compress(body), b"Content-Encoding: gzip\r\n"
        else:
            data, encoding = b"[]", b""
        connection.sendall(b"HTTP/1.1 200 OK\r\n" + encoding + b"Content-Length: %d\r\n\r\n" % len(data) + data)
        connection.recv(1)  # keep the connection open, as a server does between requests

    url = raw_server(answer)
    http = client(pool_size=1)
    other = threading.Timer(0.1, lambda: http.get(f"{url}/quick", source="t"))
    other.start()
    assert http.get(f"{url}/late", source="t").content == body
    other.join()
