"""arXiv failing after the sources answered: the posts read (X bills each one) are kept
in the day's snapshot with arXiv recorded as failed, no post is written, and the next
build asks arXiv alone again, never the search that was paid for."""

from __future__ import annotations

import json
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from click.testing import CliRunner
from werkzeug import Response

from conftest import EXAMPLE_POST, EXAMPLE_SNAPSHOT, example_data
from fakes import TOKEN, Recorder, example_scenario, fake_time, live_config, serve_scenario
from hotpapers.cli import cli
from hotpapers.snapshot import load_snapshot
from test_fetch_live import normalised

DAY = "2020-09-24"
POST = Path("content/posts/2020-09-24---Hot-Papers.md")
SNAPSHOT = Path("data/snapshots/2020-09-24.json")
DOWN = [Response("Service Unavailable", 503) for _ in range(2)]
"""Two answers: the request and its one retry."""


@pytest.fixture
def site(tmp_path, monkeypatch, httpserver):
    (tmp_path / "config.yaml").write_text(live_config(httpserver, http={"retries": 1, "backoff": 0.01}))
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("X_BEARER_TOKEN", TOKEN)
    fake_time(monkeypatch)
    return tmp_path


def build(*args: str):
    return CliRunner().invoke(cli, ["build", "--date", DAY, *args])


def test_arxiv_down_keeps_the_posts_read_and_the_next_build_asks_only_arxiv(site, httpserver):
    recorder = Recorder()
    serve_scenario(httpserver, example_scenario(), recorder, {"/api/query": list(DOWN)})
    result = build()
    assert result.exit_code == 1, result.output
    assert result.stderr.count("\n") == 1 and result.stderr == (
        f"Error: {DAY}: arxiv: HTTP 503 from {httpserver.url_for('/api/query')} after 2 attempts; the posts read are kept "
        f"in data/snapshots/{DAY}.json, and the next `hotpapers build --date {DAY}` asks arXiv alone again\n"
    )
    assert not (site / POST).exists()
    snapshot = load_snapshot(site / SNAPSHOT)
    kept = {mention.key for mention in snapshot.mentions}
    assert snapshot.papers == () and "1308951548979011585" in {mention.id for mention in snapshot.mentions}
    assert snapshot.sources["arxiv"].status == "failed" and snapshot.sources["arxiv"].requests == 2
    assert snapshot.sources["twitter"].status == "ok"
    assert not recorder.of("/oembed")  # embeds wait for the papers that decide which posts are shown
    check = CliRunner().invoke(cli, ["check", "--days", "1", "--until", DAY])
    assert check.exit_code == 1 and f"{DAY}: source arxiv failed (HTTP 503 from " in check.stderr
    offline = build("--offline")
    assert offline.exit_code == 0 and not (site / POST).exists()
    assert f"{DAY}: the snapshot records arxiv as failed, so no paper has metadata" in offline.stderr

    searches = len(recorder.of("/tweets/search/"))
    repaired = build()
    assert repaired.exit_code == 0, repaired.output
    assert len(recorder.of("/tweets/search/")) == searches
    assert normalised((site / POST).read_text()) == normalised(EXAMPLE_POST.read_text())
    snapshot = load_snapshot(site / SNAPSHOT)
    assert (
        snapshot.sources["arxiv"].status == "ok"
        and snapshot.sources["arxiv"].requests == len(recorder.of("/api/query")) == 5
    )
    assert {mention.key for mention in snapshot.mentions} == kept
    assert CliRunner().invoke(cli, ["check", "--days", "1", "--until", DAY]).exit_code == 0


def test_arxiv_down_again_keeps_the_snapshot_and_exits_1(site, httpserver):
    recorder = Recorder()
    serve_scenario(httpserver, example_scenario(), recorder, {"/api/query": [*DOWN, *DOWN]})
    assert build().exit_code == 1
    again = build()
    assert again.exit_code == 1 and again.stderr.startswith(f"Error: {DAY}: arxiv: HTTP 503 from ")
    assert len(recorder.of("/tweets/search/")) == 3  # the three pages, read once
    assert load_snapshot(site / SNAPSHOT).sources["arxiv"].requests == 4
    assert not (site / POST).exists()
    assert build().exit_code == 0 and normalised((site / POST).read_text()) == normalised(EXAMPLE_POST.read_text())


def test_a_refresh_while_arxiv_is_down_keeps_the_stored_snapshot(site, httpserver):
    (site / SNAPSHOT).parent.mkdir(parents=True)
    (site / SNAPSHOT).write_bytes(EXAMPLE_SNAPSHOT.read_bytes())
    (site / POST).parent.mkdir(parents=True)
    (site / POST).write_bytes(EXAMPLE_POST.read_bytes())
    serve_scenario(httpserver, example_scenario(), Recorder(), {"/api/query": list(DOWN)})
    refresh = build("--refresh")
    assert refresh.exit_code == 1 and refresh.stderr == (
        f"Error: {DAY}: arxiv: HTTP 503 from {httpserver.url_for('/api/query')} after 2 attempts; the stored "
        "snapshot and its post stay as they were\n"
    )
    assert (site / SNAPSHOT).read_bytes() == EXAMPLE_SNAPSHOT.read_bytes()
    assert (site / POST).read_bytes() == EXAMPLE_POST.read_bytes()


def killed_while_asking(httpserver, path: str = "/api/query") -> Recorder:
    """`build --date DAY` run in a process killed (kill -9) once it asks `path` (arXiv's);
    what the stand-ins of X and oEmbed were asked."""
    recorder, asked, release = Recorder(), threading.Event(), threading.Event()

    def stalled(request):
        asked.set()
        release.wait(30)
        return Response("Service Unavailable", 503)

    httpserver.expect_request(path).respond_with_handler(stalled)
    serve_scenario(httpserver, example_scenario(), recorder)
    command = [sys.executable, "-m", "hotpapers", "build", "--date", DAY]
    with subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE) as build_process:  # closes its pipes
        try:
            assert asked.wait(30)
        finally:
            build_process.kill()
            release.set()
    return recorder


def test_a_build_killed_while_arxiv_answers_keeps_the_posts_read(site, httpserver):
    """kill -9 (or a machine stopping) after the sources answered: their posts are in the
    day's snapshot, saved before arXiv is asked, and the next build asks arXiv alone."""
    recorder = killed_while_asking(httpserver)
    snapshot = load_snapshot(site / SNAPSHOT)
    assert snapshot.sources["arxiv"].status == "failed" and snapshot.papers == ()
    assert not [p for p in site.rglob("*") if p.name.endswith(".tmp")] and not (site / POST).exists()
    httpserver.clear()
    serve_scenario(httpserver, example_scenario(), recorder)
    searches = len(recorder.of("/tweets/search/"))
    repaired = build()
    assert repaired.exit_code == 0, repaired.output
    assert len(recorder.of("/tweets/search/")) == searches == 3
    assert normalised((site / POST).read_text()) == normalised(EXAMPLE_POST.read_text())


def test_a_build_killed_after_arxiv_answered_does_not_say_arxiv_never_answered(site, httpserver):
    """kill -9 once arXiv had answered, while the embeds of the shown posts were fetched:
    the snapshot saved before arXiv was asked recorded 'the build stopped before arXiv
    answered', which check repeated, sending a site owner to look at arXiv, which had
    answered (found by a simulated month of nights, one of them killed)."""
    killed_while_asking(httpserver, "/oembed")
    arxiv = load_snapshot(site / SNAPSHOT).sources["arxiv"]
    assert (arxiv.status, arxiv.detail) == (
        "failed",
        "the build stopped after the sources answered, before arXiv's answer was saved",
    )
    check = CliRunner().invoke(cli, ["check", "--days", "1", "--until", DAY])
    assert f"{DAY}: source arxiv failed (the build stopped after the sources answered, before arXiv's" in check.stderr


def test_a_repair_killed_while_arxiv_answers_keeps_the_posts_it_read(site, httpserver):
    """kill -9 during the repair of a day whose X search had failed, after X answered: the
    posts read (billed) are in the day's snapshot, and the next build asks arXiv alone."""
    failed = {**example_data(), "mentions": [], "papers": []}
    failed["sources"] = {"twitter": {"status": "failed", "detail": "HTTP 503"}, "arxiv": {"status": "ok"}}
    (site / "data" / "snapshots").mkdir(parents=True)
    (site / SNAPSHOT).write_text(json.dumps(failed), encoding="utf-8")
    recorder = killed_while_asking(httpserver)
    assert len(recorder.of("/tweets/search/")) == 3
    snapshot = load_snapshot(site / SNAPSHOT)
    assert snapshot.sources["twitter"].status == "ok" and snapshot.sources["arxiv"].status == "failed"
    assert {m["id"] for m in example_data()["mentions"]} < {m.id for m in snapshot.mentions} and snapshot.papers == ()
    assert not [p for p in site.rglob("*") if p.name.endswith(".tmp")] and not (site / POST).exists()
    httpserver.clear()
    serve_scenario(httpserver, example_scenario(), recorder)
    repaired = build()
    assert repaired.exit_code == 0, repaired.output
    assert len(recorder.of("/tweets/search/")) == 3  # the search paid for is not made again
    assert normalised((site / POST).read_text()) == normalised(EXAMPLE_POST.read_text())
