"""`hotpapers build` with X off and Bluesky on, against local stand-ins of Bluesky and arXiv."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from werkzeug import Request, Response

from bluesky_fake import HANDLE, PASSWORD, FakeBluesky, oembed_html, post
from fakes import atom_feed
from hotpapers.cli import cli
from hotpapers.snapshot import load_snapshot
from hotpapers.sources import SOURCES

DID = "did:plc:s7savtl25cqhm3ddqc7jeljx"
ABS = "https://arxiv.org/abs/2611."
PAPERS = {
    f"2611.0000{n}": {
        "id": f"2611.0000{n}",
        "title": f"Paper {n}",
        "authors": ["Ada Lovelace"],
        "categories": ["cs.LG"],
        "abstract": "An abstract.",
        "published": "2026-11-18T17:00:00Z",
    }
    for n in range(1, 4)
}


def shown_url(rkey: str) -> str:
    return f"https://bsky.app/profile/cjtackett.bsky.social/post/{rkey}"


@pytest.fixture
def bluesky_site(tmp_path, monkeypatch, httpserver):
    day1 = post("day1", facets=(f"{ABS}00001",), created="2026-11-20T10:00:00.000Z", counts=(20, 60, 2))
    day1b = post("day1b", card=f"{ABS}00002", created="2026-11-20T11:00:00.000Z", counts=(10, 50, 0))
    quiet = post("quiet", facets=(f"{ABS}00003",), created="2026-11-20T12:00:00.000Z", counts=(0, 1, 0))
    day2 = post("day2", shown_card=f"{ABS}00003", created="2026-11-21T09:00:00.000Z", counts=(40, 40, 0))
    fake = FakeBluesky(
        pages={None: {"posts": [day1, day2, quiet], "cursor": "2"}, "2": {"posts": [day1b]}},
        embeds={shown_url("day1"): oembed_html(DID, "day1", "Read this\n\nit is good")},
    )
    fake.serve(httpserver)

    def arxiv(request: Request) -> Response:
        ids = request.args.get("id_list", "").split(",")
        return Response(atom_feed([PAPERS[i] for i in ids if i in PAPERS], "id_list"), 200)

    httpserver.expect_request("/api/query").respond_with_handler(arxiv)
    config = {
        "candidates": {"categories": ["cs.*"], "max_age_days": 7},
        "arxiv": {"api_url": httpserver.url_for("/api/query"), "min_interval": 0},
        "sources": {
            **{name: {"enabled": False} for name in SOURCES if name != "bluesky"},  # no request leaves the machine
            "bluesky": {"api_url": httpserver.url_for("/xrpc"), "oembed_url": httpserver.url_for("/oembed")},
        },
        "http": {"timeout": 2, "retries": 1, "backoff": 0, "max_wait": 1},
    }
    (tmp_path / "config.yaml").write_text(json.dumps(config))
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("X_BEARER_TOKEN", raising=False)
    monkeypatch.setenv("BSKY_HANDLE", HANDLE)
    monkeypatch.setenv("BSKY_APP_PASSWORD", PASSWORD)
    return tmp_path, fake


def test_a_range_is_built_from_bluesky_with_one_login(bluesky_site):
    site, fake = bluesky_site
    result = CliRunner().invoke(cli, ["build", "--since", "2026-11-20", "--until", "2026-11-21"])
    assert result.exit_code == 0, result.output
    assert len(fake.of("createSession")) == 1 and len(fake.of("searchPosts")) == 4  # two pages a day
    first = load_snapshot(site / "data" / "snapshots" / "2026-11-20.json")
    assert {m.id.rsplit("/", 1)[-1]: m.paper_ids for m in first.mentions} == {
        "day1": ("2611.00001",),
        "day1b": ("2611.00002",),
        "quiet": ("2611.00003",),
    }
    bluesky = first.sources["bluesky"]
    assert (bluesky.status, bluesky.items, bluesky.requests, bluesky.query) == ("ok", 3, 3, "arxiv.org")
    assert {name for name, status in first.sources.items() if status.status == "skipped"} == set(SOURCES) - {"bluesky"}
    assert first.sources["bluesky-oembed"].status == "partial"  # day1b has no embed: the fallback
    assert [m.id for m in first.mentions if m.embed_html] == [f"at://{DID}/app.bsky.feed.post/day1"]
    # the shown posts only: "quiet" links a paper that does not qualify on its day
    assert sorted(q["url"] for q in fake.of("/oembed")) == [shown_url(r) for r in ("day1", "day1b", "day2")]


def test_the_post_embeds_bluesky_in_one_html_block_and_holds_no_secret(bluesky_site):
    site, _ = bluesky_site
    result = CliRunner().invoke(cli, ["-v", "build", "--date", "2026-11-20"])
    assert result.exit_code == 0, result.output
    [post_file] = (site / "content").rglob("*.md")
    text = post_file.read_text()
    embed = oembed_html(DID, "day1", "Read this\nit is good")
    assert embed in text  # the text's blank line is folded: the block does not end there
    assert 'data-bluesky-uri="at://' in text and text.count("bluesky-embed") == 1
    written = [text, result.output, *(p.read_text() for p in (site / "data").rglob("*.json"))]
    assert not [piece for piece in written if PASSWORD in piece or "access-1" in piece or "refresh-1" in piece]
    assert Path(site / "data" / "snapshots" / "2026-11-20.json").exists()


def test_a_wrong_app_password_fails_the_day_in_one_line_without_the_password(bluesky_site, monkeypatch):
    site, fake = bluesky_site
    monkeypatch.setenv("BSKY_APP_PASSWORD", "zzzz-zzzz-zzzz-zzzz")
    result = CliRunner().invoke(cli, ["build", "--date", "2026-11-20"])
    assert result.exit_code == 1 and result.stderr.count("\n") == 1  # Bluesky was the only source: nothing written
    assert "the login was refused (AuthenticationRequired); check that BSKY_HANDLE" in result.stderr
    assert "BSKY_APP_PASSWORD" in result.stderr and "zzzz" not in result.stderr and HANDLE not in result.stderr
    assert not list(site.rglob("*.json")) and not list(site.rglob("*.md"))
    assert fake.of("searchPosts") == []
