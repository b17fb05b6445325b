"""A post with all four platforms read by its real consumers: the remark chain of
gatsby-transformer-remark (lumen, lumen-2022), Hugo, and `serve` in headless Chromium.
Its Bluesky embed's text holds a blank line, and its Hacker News title holds markup."""

from __future__ import annotations

import re
import shutil
import subprocess
import threading

import pytest
from click.testing import CliRunner

from conftest import make_config
from hotpapers.cli import cli
from hotpapers.preview import make_server
from hotpapers.snapshot import save_snapshot
from test_consumers import hugo_site, page_body, read_with_remark, require
from test_preview import dump_dom
from test_render_platforms import four_platform_day

HN_TITLE = "Show HN: [click](javascript:alert(1)) <b>*bold*</b>"
SCRIPTS = {"https://platform.twitter.com/widgets.js", "https://embed.bsky.app/static/embed.js"}
ENGAGEMENT = [
    "Hacker News: points: 40, comments: 15 (09/25/2020 09:00:00)",
    "Bluesky: reposts: 6, likes: 44 (09/25/2020 08:30:00)",
    "Hugging Face: upvotes: 30, comments: 2 (09/25/2020 07:00:00)",
    "X: retweets: 10, favorites: 20 (09/25/2020 08:00:00)",
]


def built_post(site, profile: str) -> str:
    """The four-platform day built by the CLI in `profile`; the post's text."""
    (site / "config.yaml").write_text(f"output: {{profile: {profile}}}\n", encoding="utf-8")
    save_snapshot(four_platform_day(), site / "data" / "snapshots" / "2020-09-24.json")
    result = CliRunner().invoke(cli, ["build", "--date", "2020-09-24"])
    assert result.exit_code == 0, result.output
    config = make_config(site, output={"profile": profile})
    return config.post_path("2020-09-24").read_text(encoding="utf-8")


def check_page(html: str) -> None:
    """What a reader of the post sees, as an HTML5 parser reads it."""
    body = page_body(html)
    quotes = {q.get("class"): q for q in body.iter("blockquote")}
    assert set(quotes) == {"twitter-tweet", "bluesky-embed"}
    bluesky = "".join(quotes["bluesky-embed"].itertext())
    assert "I dove in" in bluesky and "Please give it a read" in bluesky  # the blank line did not end the block
    links = {a.get("href"): "".join(a.itertext()) for a in body.iter("a")}
    assert links["https://news.ycombinator.com/item?id=24000000"] == HN_TITLE  # literal: no link, no bold
    assert links["https://huggingface.co/papers/2009.00001"] == "Hugging Face"
    assert all(href.startswith(("https://", "http://", "/")) for href in links)
    assert {s.get("src") for s in body.iter("script")} <= SCRIPTS
    assert not [e for e in body.iter() if isinstance(e.tag, str) and any(k.startswith("on") for k in e.attrib)]
    items = ["".join(li.itertext()).strip() for li in body.iter("li")]
    assert all(line in items for line in ENGAGEMENT)
    assert [h for h in ("".join(h.itertext()) for h in body.iter("h1")) if re.match(r"\d+\. ", h)] == [
        "1. Paper 2009.00001",
        "2. Paper 2009.00002",
        "3. Paper 2009.00003",
    ]


@pytest.mark.parametrize("profile", ["lumen", "lumen-2022"])
def test_the_gatsby_remark_chain_reads_four_platforms(site, tmp_path, profile):
    check_page(read_with_remark(built_post(site, profile), tmp_path))


def test_hugo_builds_a_post_with_four_platforms(site, tmp_path):
    require("hugo", shutil.which("hugo"))
    post = built_post(site, "hugo")
    hugo = hugo_site(tmp_path / "hugo")
    (hugo / "content" / "posts" / "2020-09-24-hot-papers.md").write_text(post, encoding="utf-8")
    run = subprocess.run(["hugo", "--quiet", "-s", str(hugo)], capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr
    page = (hugo / "public" / "posts" / "hot-papers-2020-09-24" / "index.html").read_text(encoding="utf-8")
    assert "raw HTML omitted" not in page
    check_page(page)


def test_serve_shows_four_platforms_in_headless_chromium(site):
    built_post(site, "lumen")
    server = make_server(make_config(site), 0)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        page = dump_dom(f"http://127.0.0.1:{server.server_port}/2020-09-24")
    finally:
        server.shutdown()
        server.server_close()
    check_page(page)
