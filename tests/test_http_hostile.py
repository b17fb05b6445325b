"""What a broken or hostile server may send, against the one place that decides HTTP
errors: every answer ends as a response or as a FetchError naming the source and the
URL, never as another exception (which the CLI reports as an internal error)."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator

import pytest

from fakes import Answer, FakeClock, RawServers, raw_answer
from hotpapers import http_json
from hotpapers.errors import FetchError
from hotpapers.http import HttpClient


@pytest.fixture
def raw_server() -> Iterator[RawServers]:
    with RawServers() as start:
        yield start


def client(clock: FakeClock, **kw) -> HttpClient:
    settings = {"timeout": 2, "retries": 1, "max_wait": 100, "backoff": 1}
    settings.update(kw)
    return HttpClient(
        **settings, sleep=clock.sleep, monotonic=lambda: clock.now, wall_clock=lambda: clock.now, jitter=lambda: 0.0
    )


def json_answer(body: bytes) -> Answer:
    return raw_answer(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n", body)


@pytest.mark.parametrize(
    ("location", "shown"),
    [
        (b"http://127.0.0.1:99999/x", "'http://127.0.0.1:99999'"),
        (b"http://[::1", "'http://[::1'"),
        (b"file:///etc/passwd", "a file: URL"),
        (b"ftp://127.0.0.1/x", "a ftp: URL"),
        (b"https://:443/x", "'https://:443'"),
        (b"http://export..arxiv.org/x", "'http://export..arxiv.org'"),
        (b"http://" + b"a" * 64 + b".example.com/x", repr("http://" + "a" * 64 + ".example.com")),
    ],
    ids=["port-out-of-range", "broken-ipv6", "file", "ftp", "no-host", "empty-label", "label-over-63"],
)
def test_a_redirect_to_no_usable_address_fails_the_source_in_one_line(raw_server, location, shown):
    url = raw_server(raw_answer(b"HTTP/1.1 302 Found\r\nLocation: " + location + b"\r\n")) + "/hf"
    with pytest.raises(FetchError) as info:
        client(FakeClock()).get(url, source="huggingface")
    assert info.value.message == f"huggingface: a redirect to {shown}, not a usable http(s) address (from {url})"
    assert (info.value.exit_code, info.value.url) == (1, url)


def nested(levels: int) -> bytes:
    return b'{"x": ' + b"[" * levels + b"]" * levels + b"}"


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        (b"[" * 100_000 + b"]" * 100_000, "JSON nested more than 100 levels deep"),
        (nested(100), "JSON nested more than 100 levels deep"),
        (b'{"hits": [], "nbHits": ' + b"9" * 5000 + b"}", "JSON with a number too long to read"),
        (b"<html></html>", "not JSON"),
        (b"[" + b"0," * 1_000_000 + b"0]", "JSON of more than 1,000,000 values"),
        (b'{"hits": [' + b"{}," * 999_999 + b'{"a": 1}]}', "JSON of more than 1,000,000 values"),
    ],
    ids=["nested-100000", "nested-101", "5000-digits", "html", "1000001-numbers", "1000001-objects-and-keys"],
)
def test_json_no_program_should_read_is_an_unreadable_raw_answer(raw_server, body, reason):
    url = raw_server(json_answer(body)) + "/x"
    with pytest.raises(FetchError) as info:
        client(FakeClock()).get_json(url, source="huggingface")
    assert info.value.message == f"huggingface: unreadable answer from {url} ({reason})"


def test_json_nested_too_deep_is_refused_before_it_is_read(raw_server, monkeypatch):
    """json.loads reached Python's recursion limit on 100,000 nested arrays, and a finalizer the
    garbage collector ran meanwhile raised RecursionError too: Python printed it as 'Exception
    ignored in' with a traceback (and the suite failed now and then on it). The depth is
    checked first, so json.loads never reads such an answer."""
    read: list[str] = []
    monkeypatch.setattr(
        http_json.json, "loads", lambda text, **kw: read.append(text) or json.JSONDecoder().decode(text)
    )
    deep = raw_server(json_answer(b"[" * 100_000 + b"]" * 100_000)) + "/x"
    with pytest.raises(FetchError, match=r"\(JSON nested more than 100 levels deep\)$"):
        client(FakeClock()).get_json(deep, source="t")
    assert read == []
    quoted = raw_server(json_answer(b'["' + b"[" * 5_000 + b'", {"a": [[]]}]')) + "/x"  # brackets in a string
    assert client(FakeClock()).get_json(quoted, source="t") == ["[" * 5_000, {"a": [[]]}] and len(read) == 1


@pytest.mark.parametrize(
    "body",
    [
        b"[" + b"0," * 999_998 + b"0]",
        b'[{"a": [], "b": {}}, "' + b",:[{" * 1_000_000 + b'"]',
        b"[" + b"{ } , [\t]," * 499_999 + b"0]",
    ],
    ids=["1000000-values", "marks-in-a-string", "spaced-empty-containers"],
)
def test_json_of_as_many_values_as_allowed_is_read(raw_server, body):
    """The values are counted without reading them: commas, colons and brackets outside
    strings. 64 MiB of `{},` (http.max_bytes) were 22 million dicts, 3.2 GB of memory."""
    url = raw_server(json_answer(body)) + "/x"
    assert client(FakeClock()).get_json(url, source="t") == json.loads(body)


def test_an_answer_of_more_brackets_than_values_hold_is_refused_before_its_depth_is_measured(raw_server):
    """`[][]...` counts as one value (empty arrays are subtracted, and no comma separates them):
    its 2,000,002 brackets were walked one by one to measure its depth, 0.15 s of CPU a million,
    seconds for the 64 MiB of http.max_bytes. No JSON of 1,000,000 values holds more than
    two brackets a value."""
    url = raw_server(json_answer(b"[]" * 1_000_001)) + "/x"
    with pytest.raises(FetchError, match=r"\(JSON of more than 1,000,000 values\)$"):
        client(FakeClock()).get_json(url, source="t")


def test_values_are_counted_in_time_linear_in_the_answer(raw_server):
    """Each quote of an unended string once started a search for its end that ran to the
    end of the answer: these 150 KB of escaped quotes took 40 s to count, 3 MB hours."""
    url = raw_server(json_answer(b'"' + b'\\"' * 50_000)) + "/x"
    start = time.monotonic()
    with pytest.raises(FetchError) as info:
        client(FakeClock()).get_json(url, source="t")
    assert time.monotonic() - start < 5
    assert info.value.message == f"t: unreadable answer from {url} (not JSON)"


def test_json_nested_as_deep_as_allowed_is_read(raw_server):
    url = raw_server(json_answer(nested(99))) + "/x"
    data = client(FakeClock()).get_json(url, source="t")
    for _ in range(99):
        data = data["x"] if isinstance(data, dict) else data[0] if data else data
    assert data == []


@pytest.mark.parametrize(
    "header",
    [
        b"Retry-After: \xb2",  # a superscript two: str.isdigit() says yes, float() no
        b"Retry-After: " + b"9" * 5000,
        b"Retry-After: Wed, 21 Oct 99999 07:28:00 GMT",
        b"Retry-After: Wed, 21 Oct 2015 07:28:00 +9999",
        b"x-rate-limit-reset: " + b"9" * 5000,
        b"RateLimit-Reset: \xb3",  # a superscript three
    ],
    ids=["superscript", "5000-digit-seconds", "year-99999", "offset-9999", "5000-digit-reset", "superscript-reset"],
)
def test_a_wait_header_that_cannot_be_read_means_backing_off(raw_server, header):
    url = raw_server(raw_answer(b"HTTP/1.1 503 Service Unavailable\r\n" + header + b"\r\n")) + "/x"
    clock = FakeClock()
    with pytest.raises(FetchError) as info:
        client(clock).get(url, source="huggingface")
    assert info.value.message == f"huggingface: HTTP 503 from {url} after 2 attempts"
    assert clock.sleeps == [1]  # the backoff, not a wait the header would name


SPOKEN = {"title": "Ramírez and Wübben 🔥"}


@pytest.mark.parametrize(
    ("content_type", "body"),
    [
        (b"text/plain", json.dumps(SPOKEN, ensure_ascii=False).encode()),
        (b"text/html", json.dumps(SPOKEN, ensure_ascii=False).encode()),
        (b"application/json; charset=iso-8859-1", json.dumps(SPOKEN, ensure_ascii=False).encode()),
        (b"application/json", b"\xef\xbb\xbf" + json.dumps(SPOKEN, ensure_ascii=False).encode()),
        (b"application/json; charset=utf-8", json.dumps(SPOKEN, ensure_ascii=False).encode("utf-16")),
    ],
    ids=["text-plain", "text-html", "charset-lie", "utf-8-bom", "utf-16"],
)
def test_json_is_read_as_unicode_whatever_its_content_type_says(raw_server, content_type, body):
    """JSON is UTF-8 (RFC 8259; UTF-16 and -32 show in its first bytes): requests decoded a
    text/* answer without a charset, or one with a wrong charset, as Latin-1 ('RamÃ­rez')."""
    head = b"HTTP/1.1 200 OK\r\nContent-Type: " + content_type + b"\r\n"
    url = raw_server(raw_answer(head, body)) + "/x"
    assert client(FakeClock()).get_json(url, source="huggingface") == SPOKEN


def test_a_byte_no_utf_8_has_is_replaced_whatever_the_content_type(raw_server):
    head = b"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n"
    url = raw_server(raw_answer(head, b'{"title": "a\xffb"}')) + "/x"
    assert client(FakeClock()).get_json(url, source="huggingface") == {"title": "a\ufffdb"}


@pytest.mark.parametrize("encoding", [b"gzip", b"deflate", b"gzip, gzip"])
def test_a_body_its_content_encoding_does_not_fit_fails_at_once_saying_so(raw_server, encoding):
    """The server answered: 'cannot reach' it was wrong, and retrying the same bytes useless."""
    head = b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Encoding: " + encoding + b"\r\n"
    url = raw_server(raw_answer(head, b"x" * 32)) + "/x"  # not even raw deflate, which reads much as garbage
    clock = FakeClock()
    with pytest.raises(FetchError) as info:
        client(clock).get(url, source="huggingface")
    assert info.value.message == (
        f"huggingface: the answer from {url} cannot be decoded as its Content-Encoding says ({encoding.decode()!r})"
    )
    assert clock.sleeps == [] and info.value.exit_code == 1


def test_an_answer_that_breaks_off_is_named_so_not_as_a_server_out_of_reach(raw_server):
    def truncated(connection, line) -> None:  # promises 1,000 bytes, sends 10 and closes
        connection.sendall(
            b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{" + b" " * 9
        )

    url = raw_server(truncated) + "/x"
    with pytest.raises(FetchError) as info:
        client(FakeClock()).get(url, source="test")
    assert info.value.message == f"test: the answer from {url} broke off before its end, 2 attempts"
