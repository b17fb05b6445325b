"""A build through one hostile source: that source fails in one line and is recorded as
failed, and the day is published from the others (Hacker News and arXiv stand-ins
answering normally, Hugging Face a raw socket answering as each test says)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner
from werkzeug import Request, Response

import hotpapers.snapshot
from fakes import (
    FakeClock,
    RawServers,
    Recorder,
    example_scenario,
    fake_time,
    live_config,
    raw_answer,
    serve_scenario,
    without_credentials,
)
from hn_hf_fakes import Algolia, story
from hotpapers.cli import cli
from hotpapers.snapshot import load_snapshot

DAY = "2020-09-24"
START = 1600905600
"""2020-09-24T00:00:00Z in epoch seconds."""
SNAPSHOT = Path("data/snapshots/2020-09-24.json")
POST = Path("content/posts/2020-09-24---Hot-Papers.md")


@pytest.fixture
def raw_server() -> Iterator[RawServers]:
    with RawServers() as start:
        yield start


@pytest.fixture
def clock(monkeypatch) -> FakeClock:
    return fake_time(monkeypatch)


def site(tmp_path: Path, monkeypatch, httpserver, hugging_face: str, **http) -> Path:
    """A site reading Hacker News (one story, one paper) and Hugging Face at `hugging_face`."""
    serve_scenario(httpserver, example_scenario(), Recorder())
    algolia = Algolia([story("24578001", START + 36000, "https://arxiv.org/abs/2009.11278", points=120)])
    httpserver.expect_request("/hn/search_by_date").respond_with_handler(algolia)
    sources = {
        "twitter": {"enabled": False},
        "hackernews": {"api_url": httpserver.url_for("/hn"), "min_interval": 0},
        "huggingface": {"api_url": hugging_face, "min_interval": 0},
    }
    config = json.loads(live_config(httpserver, sources=sources))
    config["http"].update(http)
    (tmp_path / "config.yaml").write_text(json.dumps(config))
    monkeypatch.chdir(tmp_path)
    without_credentials(monkeypatch)
    return tmp_path


def published_without_hugging_face(root: Path, reason: str) -> None:
    result = CliRunner().invoke(cli, ["build", "--date", DAY])
    assert result.exit_code == 0, result.output
    warning = f"{DAY}: huggingface: {reason}; published without it (a later build fetches it again)\n"
    assert warning in result.stderr and "internal error" not in result.output
    snapshot = load_snapshot(root / SNAPSHOT)
    status = snapshot.sources["huggingface"]
    assert (status.status, status.detail) == ("failed", reason)
    assert [(m.platform, m.paper_ids) for m in snapshot.mentions] == [("hackernews", ("2009.11278",))]
    assert "# 1. " in (root / POST).read_text()


@pytest.mark.parametrize(
    ("head", "body", "reason"),
    [
        (
            b"HTTP/1.1 302 Found\r\nLocation: http://127.0.0.1:99999/x\r\n",
            b"",
            "a redirect to 'http://127.0.0.1:99999', not a usable http(s) address (from {url})",
        ),
        (
            b"HTTP/1.1 302 Found\r\nLocation: http://[::1\r\n",
            b"",
            "a redirect to 'http://[::1', not a usable http(s) address (from {url})",
        ),
        (
            b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n",
            b"[" * 100_000 + b"]" * 100_000,
            "unreadable answer from {url} (JSON nested more than 100 levels deep)",
        ),
        (b"HTTP/1.1 503 Service Unavailable\r\nRetry-After: \xb2\r\n", b"", "HTTP 503 from {url} after 2 attempts"),
        (
            b"HTTP/1.1 429 Too Many Requests\r\nx-rate-limit-reset: " + b"9" * 5000 + b"\r\n",
            b"",
            "HTTP 429 from {url} after 2 attempts",
        ),
        (
            b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n",
            b"<html></html>",
            "unreadable answer from {url} (not JSON)",
        ),
    ],
    ids=["redirect-port", "redirect-ipv6", "deep-json", "retry-after-superscript", "5000-digit-reset", "html"],
)
def test_a_hostile_answer_fails_only_its_source(
    tmp_path, monkeypatch, httpserver, raw_server, clock, head, body, reason
):
    base = raw_server(raw_answer(head, body)) + "/hf"
    root = site(tmp_path, monkeypatch, httpserver, base, retries=1)
    published_without_hugging_face(root, reason.format(url=f"{base}/daily_papers"))


def test_rate_limits_wait_no_longer_in_all_than_max_wait(tmp_path, monkeypatch, httpserver, raw_server, clock):
    base = raw_server(raw_answer(b"HTTP/1.1 429 Too Many Requests\r\nRetry-After: 3\r\n")) + "/hf"
    root = site(tmp_path, monkeypatch, httpserver, base, retries=4, max_wait=3)
    url = f"{base}/daily_papers"
    published_without_hugging_face(
        root,
        f"HTTP 429 from {url}: the server asks to wait 3 s, more than the 0 s left of http.max_wait (3 s) "
        "after 3 s of rate-limit waits in this build",
    )
    assert [wait for wait in clock.sleeps if wait >= 1] == [3]  # it waited 14.8 s: 3 s and jitter four times


def test_a_source_paging_slowly_for_ever_stops_at_max_time_keeping_what_it_read(
    tmp_path, monkeypatch, httpserver, clock
):
    """Each page answered, each with a paper not seen before: only the time stops it, and
    the pages read are kept, the source partial (Source.cut_short)."""

    def endless(request: Request) -> Response:
        page = int(request.args["p"])
        return Response(json.dumps([{"paper": {"id": f"2009.{20000 + page}", "upvotes": 1}}]), 200)

    httpserver.expect_request("/slow/daily_papers").respond_with_handler(endless)
    root = site(tmp_path, monkeypatch, httpserver, httpserver.url_for("/slow"), max_time=300)
    config = json.loads((root / "config.yaml").read_text())
    config["sources"]["huggingface"].update(max_pages=1000, min_interval=60)
    (root / "config.yaml").write_text(json.dumps(config))
    url = httpserver.url_for("/slow/daily_papers")
    result = CliRunner().invoke(cli, ["build", "--date", DAY])
    assert result.exit_code == 0, result.output
    why = (
        f"stopped before a request to {url}: this source's requests of the day took longer than http.max_time "
        "(300 s); kept the 6 papers read"
    )
    assert f"huggingface: {why}\n" in result.stderr
    status = load_snapshot(root / SNAPSHOT).sources["huggingface"]
    assert (status.status, status.detail, status.items) == ("partial", why, 6)
    assert len([r for r, _ in httpserver.log if r.path == "/slow/daily_papers"]) == 6  # at 0, 60, ... 300 s


def test_a_day_whose_snapshot_would_be_too_large_to_read_back_is_never_written(
    tmp_path, monkeypatch, httpserver, clock
):
    """A snapshot file past snapshot.MAX_FILE_BYTES is refused unread: a day fetched from a
    source sending posts of megabytes was written so, and every later build of it refused.
    The limit is lowered to 2 MiB here, for 100 papers of titles of 32,768 characters (the
    most a source keeps of a text, sources.limits.MAX_TEXT): 3,276,800 bytes and the rest, 3.2 MiB."""
    monkeypatch.setattr(hotpapers.snapshot, "MAX_FILE_BYTES", 2 * 2**20)
    page = [{"paper": {"id": f"2009.{11200 + n}", "upvotes": 60, "title": "x" * 32_768}} for n in range(100)]
    httpserver.expect_request("/big/daily_papers").respond_with_json(page)
    root = site(tmp_path, monkeypatch, httpserver, httpserver.url_for("/big"))
    result = CliRunner().invoke(cli, ["build", "--date", DAY])
    assert result.exit_code == 2, result.output
    assert result.stderr.splitlines()[-1] == (
        f"Error: {DAY}: refusing to write a snapshot of 3.2 MiB, more than the 2 MiB a snapshot file may hold, so no "
        "build would read it back"
    )
    assert not (root / SNAPSHOT).exists() and not (root / POST).exists()
