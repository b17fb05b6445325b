"""The HTTP client against a local server: retries, rate limits, timeouts; a fake clock, so no real waits."""

from __future__ import annotations

import gzip
import time
import tracemalloc

import pytest
from werkzeug import Response

from fakes import FakeClock
from hotpapers.errors import FetchError, InputError
from hotpapers.http import HttpClient


def client(clock: FakeClock, **kw) -> HttpClient:
    settings = {"timeout": 2, "retries": 3, "max_wait": 100, "backoff": 1}
    settings.update(kw)
    return HttpClient(
        **settings, sleep=clock.sleep, monotonic=lambda: clock.now, wall_clock=lambda: clock.now, jitter=lambda: 0.0
    )


def sequence(httpserver, *responses):
    for response in responses:
        httpserver.expect_ordered_request("/x").respond_with_response(response)


def test_5xx_then_success_backs_off_exponentially(httpserver):
    clock = FakeClock()
    sequence(httpserver, Response("", 503), Response("", 502), Response("ok", 200))
    response = client(clock).get(httpserver.url_for("/x"), source="test")
    assert response.text == "ok"
    assert clock.sleeps == [1, 2]


def test_persistent_5xx_fails_naming_source_and_status(httpserver):
    clock = FakeClock()
    sequence(httpserver, *[Response("", 500)] * 4)
    with pytest.raises(FetchError) as info:
        client(clock).get(httpserver.url_for("/x"), source="arxiv")
    assert info.value.message == f"arxiv: HTTP 500 from {httpserver.url_for('/x')} after 4 attempts"
    assert info.value.exit_code == 1 and len(clock.sleeps) == 3


def test_429_waits_until_the_rate_limit_reset(httpserver):
    clock = FakeClock()
    reset = int(clock.now) + 42
    sequence(httpserver, Response("{}", 429, headers={"x-rate-limit-reset": str(reset)}), Response("ok", 200))
    client(clock).get(httpserver.url_for("/x"), source="twitter")
    assert clock.sleeps == [42]


def test_retry_after_seconds_is_honoured(httpserver):
    clock = FakeClock()
    sequence(httpserver, Response("", 503, headers={"Retry-After": "7"}), Response("ok", 200))
    client(clock).get(httpserver.url_for("/x"), source="arxiv")
    assert clock.sleeps == [7]


def test_a_wait_beyond_the_cap_fails_at_once(httpserver):
    clock = FakeClock()
    sequence(httpserver, Response("", 429, headers={"x-rate-limit-reset": str(int(clock.now) + 3600)}))
    with pytest.raises(FetchError) as info:
        client(clock, max_wait=900).get(httpserver.url_for("/x"), source="twitter")
    assert info.value.message.startswith("twitter: HTTP 429 from")
    assert "asks to wait 3600 s, more than http.max_wait (900 s)" in info.value.message
    assert clock.sleeps == []


def test_rate_limit_waits_add_up_to_max_wait_across_requests(httpserver):
    clock = FakeClock()
    sequence(httpserver, Response("", 429, headers={"Retry-After": "6"}), Response("ok"))
    sequence(httpserver, Response("", 429, headers={"Retry-After": "6"}))
    http = client(clock, max_wait=10)
    http.get(httpserver.url_for("/x"), source="hackernews")
    with pytest.raises(FetchError) as info:
        http.get(httpserver.url_for("/x"), source="huggingface")
    assert info.value.message == (
        f"huggingface: HTTP 429 from {httpserver.url_for('/x')}: the server asks to wait 6 s, more than the 4 s "
        "left of http.max_wait (10 s) after 6 s of rate-limit waits in this build"
    )
    assert clock.sleeps == [6]


def test_jitter_never_takes_a_wait_past_max_wait(httpserver):
    clock = FakeClock()
    sequence(httpserver, *[Response("", 429, headers={"Retry-After": "3"})] * 5)
    http = HttpClient(
        timeout=2, retries=4, max_wait=3, sleep=clock.sleep, monotonic=lambda: clock.now, jitter=lambda: 0.9
    )
    with pytest.raises(FetchError, match=r"asks to wait 3 s, more than the 0 s left of http\.max_wait \(3 s\)"):
        http.get(httpserver.url_for("/x"), source="t")
    assert clock.sleeps == [3] and http.waited == 3


def test_4xx_is_not_retried_and_the_error_carries_its_facts(httpserver):
    clock = FakeClock()
    sequence(httpserver, Response("", 404))
    with pytest.raises(FetchError) as info:
        client(clock).get(httpserver.url_for("/x"), source="test", params={"key": "secret"})
    assert info.value.message == f"test: HTTP 404 from {httpserver.url_for('/x')}"
    assert (info.value.source, info.value.url, info.value.status, info.value.attempt) == (
        "test",
        httpserver.url_for("/x"),
        404,
        1,
    )
    assert clock.sleeps == []


def test_a_failed_answer_is_described_in_the_sources_words(httpserver):
    sequence(httpserver, Response("no such thing", 404))
    with pytest.raises(FetchError) as info:
        client(FakeClock()).get(httpserver.url_for("/x"), source="t", describe=lambda r: f"gone: {r.text}")
    assert info.value.message == f"t: gone: no such thing (HTTP 404 from {httpserver.url_for('/x')})"


def test_a_hanging_server_ends_in_bounded_time(httpserver):
    httpserver.expect_request("/slow").respond_with_handler(lambda request: (time.sleep(0.6), Response("late"))[1])
    clock = FakeClock()
    started = time.monotonic()
    with pytest.raises(FetchError) as info:
        client(clock, timeout=0.2, retries=1).get(httpserver.url_for("/slow"), source="arxiv")
    assert info.value.message.endswith("/slow within http.timeout (0.2 s), 2 attempts")
    assert time.monotonic() - started < 3


def test_connection_refused_is_retried_then_reported():
    clock = FakeClock()
    with pytest.raises(FetchError) as info:
        client(clock, retries=2).get("http://127.0.0.1:9/x", source="oembed")
    assert (
        info.value.message == "oembed: cannot reach http://127.0.0.1:9/x: connection refused by 127.0.0.1:9, 3 attempts"
    )
    assert clock.sleeps == [1, 2]


def test_min_interval_spaces_requests_of_one_source(httpserver):
    clock = FakeClock()
    httpserver.expect_request("/x").respond_with_data("ok")
    http = client(clock)
    for _ in range(3):
        http.get(httpserver.url_for("/x"), source="arxiv", min_interval=3)
        clock.now += 0.5  # the request itself took half a second
    assert clock.sleeps == [2.5, 2.5]
    assert http.requests["arxiv"] == 3


def gzip_bomb(mebibytes: int) -> Response:
    """`mebibytes` MiB of zero bytes, gzip-compressed to about a thousandth of that (one
    gzip member per MiB: a gzip body may hold several)."""
    member = gzip.compress(b"\0" * 1024 * 1024)
    return Response(member * mebibytes, headers={"Content-Encoding": "gzip"}, content_type="application/json")


def test_a_gzip_bomb_stops_at_max_bytes_in_little_memory(httpserver):
    httpserver.expect_request("/bomb").respond_with_response(gzip_bomb(256))
    tracemalloc.start()
    try:
        with pytest.raises(FetchError) as info:
            client(FakeClock(), max_bytes=1024 * 1024).get(httpserver.url_for("/bomb"), source="twitter")
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert info.value.message == (
        f"twitter: the answer from {httpserver.url_for('/bomb')} is larger than http.max_bytes (1048576 bytes)"
    )
    assert peak < 32 * 1024 * 1024  # the whole body would take 256 MiB


def test_an_answer_just_under_max_bytes_is_read_whole(httpserver):
    httpserver.expect_request("/bomb").respond_with_response(gzip_bomb(1))
    response = client(FakeClock(), max_bytes=1024 * 1024).get(httpserver.url_for("/bomb"), source="t")
    assert response.content == b"\0" * 1024 * 1024


def test_an_endless_body_stops_at_max_bytes(httpserver):
    def endless(request):
        return Response((b"x" * 65536 for _ in range(100_000)), content_type="application/octet-stream")

    httpserver.expect_request("/huge").respond_with_handler(endless)
    started = time.monotonic()
    with pytest.raises(FetchError, match=r"larger than http\.max_bytes \(2000000 bytes\)"):
        client(FakeClock(), max_bytes=2_000_000).get(httpserver.url_for("/huge"), source="arxiv")
    assert time.monotonic() - started < 3


def test_a_trickled_body_ends_at_the_deadline(httpserver):
    def trickle(request):
        def body():
            for _ in range(40):
                yield b"x"
                time.sleep(0.05)

        return Response(body(), content_type="application/json")

    httpserver.expect_request("/trickle").respond_with_handler(trickle)
    clock = FakeClock()
    started = time.monotonic()
    with pytest.raises(FetchError) as info:
        client(clock, timeout=0.4, retries=1).get(httpserver.url_for("/trickle"), source="oembed")
    elapsed = time.monotonic() - started
    assert info.value.message.endswith("/trickle within http.timeout (0.4 s), 2 attempts")
    assert 0.8 <= elapsed < 1.9  # two attempts of 0.4 s each, not the 2 s the body takes
    assert clock.sleeps == [1]


def test_post_sends_json_and_is_retried_like_get(httpserver):
    clock = FakeClock()
    for response in (Response("", 502), Response('{"ok": true}', 200, content_type="application/json")):
        httpserver.expect_ordered_request("/x", method="POST", json={"identifier": "me"}).respond_with_response(
            response
        )
    http = client(clock)
    assert http.post(httpserver.url_for("/x"), source="bluesky", json={"identifier": "me"}).json() == {"ok": True}
    assert clock.sleeps == [1] and http.requests["bluesky"] == 2


def test_a_refused_post_fails_with_the_sources_reason(httpserver):
    sequence(httpserver, Response('{"error": "AuthenticationRequired"}', 401))
    with pytest.raises(FetchError) as info:
        client(FakeClock()).post(
            httpserver.url_for("/x"), source="bluesky", json=None, describe=lambda r: r.json()["error"]
        )
    assert info.value.message == f"bluesky: AuthenticationRequired (HTTP 401 from {httpserver.url_for('/x')})"


def test_429_waits_until_the_bluesky_ratelimit_reset(httpserver):
    clock = FakeClock()
    sequence(httpserver, Response("{}", 429, headers={"RateLimit-Reset": str(int(clock.now) + 30)}), Response("ok"))
    client(clock).get(httpserver.url_for("/x"), source="bluesky")
    assert clock.sleeps == [30]


def test_an_ietf_ratelimit_reset_is_seconds_from_now(httpserver):
    clock = FakeClock()
    sequence(httpserver, Response("", 429, headers={"RateLimit-Reset": "30"}), Response("ok"))
    client(clock).get(httpserver.url_for("/x"), source="test")
    assert clock.sleeps == [30]


@pytest.mark.parametrize(
    ("header", "value", "wait"),
    [("RateLimit-Reset", "999999999", 999999999), ("RateLimit", '"api";r=0;t=3600', 3600)],
)
def test_a_wait_asked_for_beyond_max_wait_fails_at_once(httpserver, header, value, wait):
    """A reset in seconds from now, or the `t` of an IETF RateLimit field's used-up quota."""
    clock = FakeClock()
    sequence(httpserver, Response("", 429, headers={header: value}))
    with pytest.raises(FetchError) as info:
        client(clock, max_wait=900).get(httpserver.url_for("/x"), source="test")
    assert f"asks to wait {wait} s, more than http.max_wait (900 s)" in info.value.message
    assert clock.sleeps == []


def test_a_reset_from_10_to_the_9_on_is_an_epoch_time(httpserver):
    clock = FakeClock()
    clock.now = 10**9 - 5.0
    sequence(httpserver, Response("", 429, headers={"ratelimit-reset": str(10**9)}), Response("ok"))
    client(clock).get(httpserver.url_for("/x"), source="test")
    assert clock.sleeps == [5]


def test_a_header_http_cannot_carry_is_refused_before_any_request(httpserver):
    with pytest.raises(InputError) as info:
        client(FakeClock()).get(
            httpserver.url_for("/x"), source="bluesky", headers={"Authorization": "Bearer s\u20acret"}
        )
    assert info.value.exit_code == 2 and info.value.message.startswith("bluesky: a request header would carry")
    assert "s\u20acret" not in info.value.message and httpserver.log == []


def test_a_sources_requests_stop_after_max_time_for_the_day(httpserver):
    clock = FakeClock()
    httpserver.expect_request("/x").respond_with_data("ok")
    url = httpserver.url_for("/x")
    http = client(clock, max_time=10)
    for _ in range(3):  # at 0, 4 and 8 s
        http.get(url, source="huggingface", min_interval=4)
    with pytest.raises(FetchError) as info:  # at 12 s
        http.get(url, source="huggingface", min_interval=4)
    assert info.value.message == (
        f"huggingface: stopped before a request to {url}: this source's requests of the day took longer than "
        "http.max_time (10 s)"
    )
    assert len(httpserver.log) == 3 and info.value.exit_code == 1
    http.get(url, source="hackernews")  # another source has its own time
    http.budgets.restart()  # a new day
    http.get(url, source="huggingface", min_interval=4)
    assert len(httpserver.log) == 5


def test_max_time_counts_retries_and_their_waits(httpserver):
    clock = FakeClock()
    sequence(httpserver, Response("", 503), Response("", 503), Response("ok", 200))
    with pytest.raises(FetchError, match=r"stopped before a request to .*/x: .* http\.max_time \(2 s\)$"):
        client(clock, max_time=2).get(httpserver.url_for("/x"), source="arxiv")
    assert clock.sleeps == [1, 2] and len(httpserver.log) == 2  # the third attempt was due at 3 s


def test_429_waits_the_t_of_the_exhausted_quota_in_an_ietf_ratelimit_field(httpserver):
    # Hugging Face's Hub answers a 429 with `RateLimit: "api";r=0;t=<seconds until the reset>`
    # (draft-ietf-httpapi-ratelimit-headers-09); the quota still open (r=3) is not waited for.
    clock = FakeClock()
    field = '"api";r=0;t=60, "pages";r=3;t=90'
    sequence(httpserver, Response("{}", 429, headers={"RateLimit": field}), Response("ok"))
    client(clock).get(httpserver.url_for("/x"), source="test")
    assert clock.sleeps == [60]


@pytest.mark.parametrize(
    "field",
    [
        '"a;t=5";r=0',  # `;t=5` inside a string is no parameter
        '"api";r=0;t=-3',  # no negative wait
        '"api";r=0;t=1.5',  # t is an integer
        '"api";r=0;t=?1',
        '"api";r=0;;t=5',  # not a structured field
    ],
)
def test_an_ietf_ratelimit_field_without_a_usable_t_backs_off_as_usual(httpserver, field):
    clock = FakeClock()
    sequence(httpserver, Response("", 429, headers={"RateLimit": field}), Response("ok"))
    client(clock, backoff=2).get(httpserver.url_for("/x"), source="test")
    assert clock.sleeps == [2]


def test_a_wait_asked_beyond_what_is_left_of_max_time_fails_at_once(httpserver):
    """http.max_time bounds a source's requests of a day, waits included: a 429 asking for
    600 s with 300 s of max_time was slept through whole, and only the next attempt found
    the time spent (a nightly build with a low max_time took max_wait per day instead)."""
    clock = FakeClock()
    sequence(httpserver, Response("", 429, headers={"Retry-After": "600"}), Response("ok", 200))
    url = httpserver.url_for("/x")
    with pytest.raises(FetchError) as info:
        client(clock, max_time=300, max_wait=900).get(url, source="huggingface")
    assert info.value.message == (
        f"huggingface: HTTP 429 from {url}: the server asks to wait 600 s, more than the 300 s left of "
        "http.max_time (300 s) for this source's requests of the day"
    )
    assert clock.sleeps == [] and len(httpserver.log) == 1 and info.value.attempt == 1
