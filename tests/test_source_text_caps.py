"""Each text a source keeps from an answer is cut to sources.limits.MAX_TEXT (32,768)
characters, ending in "…": an answer is capped, but what a source keeps adds up across
its pages, and a day of X posts of 600 KB made a snapshot too large to write, which lost
the day with every other source's posts. Ids, URLs and counts are never cut."""

from __future__ import annotations

from datetime import UTC, datetime

from click.testing import CliRunner

import hotpapers.snapshot
from bluesky_fake import post
from fakes import TOKEN, Recorder, atom_feed, example_scenario, fake_time, live_config, serve_scenario, tweet
from hn_hf_fakes import Algolia, story
from hotpapers.cli import cli
from hotpapers.snapshot import load_snapshot
from hotpapers.sources import bluesky_posts, hackernews, huggingface, twitter
from hotpapers.sources.arxiv import parse_feed

LONG = "a" * 40_000
CUT = "a" * 32_767 + "…"
"""LONG as a source keeps it: its first 32,767 characters and an ellipsis, 32,768 in all."""
EXACT = "b" * 32_768
"""A text at the limit, kept whole."""
OBSERVED = "2020-09-25T08:00:00Z"
DAY = "2020-09-24"
START = 1600905600
"""2020-09-24T00:00:00Z in epoch seconds."""
SINCE, UNTIL = datetime(2020, 9, 24, tzinfo=UTC), datetime(2020, 9, 25, tzinfo=UTC)


def test_an_x_posts_long_text_and_author_name_are_cut():
    link = "https://arxiv.org/abs/2009.11243"
    data = {
        "data": [tweet("1309000000000000001", "7", f"{link} {LONG}", [link], "2020-09-24T12:00:00.000Z", 3, 5)],
        "includes": {"users": [{"id": "7", "username": "ada", "name": EXACT}]},
        "meta": {"result_count": 1},
    }
    [mention] = twitter.parse_page(data, OBSERVED, SINCE, UNTIL).mentions
    assert mention.text == f"{link} " + "a" * (32_767 - len(link) - 1) + "…"
    assert len(mention.text) == 32_768 and mention.author_name == EXACT
    assert (mention.id, mention.paper_ids, mention.reposts, mention.likes, mention.author_handle) == (
        "1309000000000000001",
        ("2009.11243",),
        3,
        5,
        "ada",
    )


def test_a_bluesky_posts_long_text_and_display_name_are_cut():
    bsky = post("3kabc", card="https://arxiv.org/abs/2009.11243", text=LONG, created="2020-09-24T10:00:00.000Z")
    bsky["author"]["displayName"] = LONG + "b"
    [mention] = bluesky_posts.parse_page({"posts": [bsky]}, OBSERVED, SINCE, UNTIL).mentions
    assert (mention.text, mention.author_name) == (CUT, CUT)
    assert (mention.paper_ids, mention.reposts, mention.likes, mention.replies) == (("2009.11243",), 3, 10, 1)


def test_a_hacker_news_storys_long_title_and_author_are_cut():
    hit = story("24578001", START + 36000, "https://arxiv.org/abs/2009.11278", points=120, title=LONG, author=LONG)
    [mention] = hackernews.parse_page({"hits": [hit], "nbHits": 1}, OBSERVED, START, START + 86400).mentions
    assert (mention.text, mention.author_handle) == (CUT, CUT)
    assert (mention.id, mention.likes, mention.url) == (
        "24578001",
        120,
        "https://news.ycombinator.com/item?id=24578001",
    )


def test_a_hugging_face_papers_long_title_and_submitter_are_cut():
    item = {
        "paper": {"id": "2009.11278", "upvotes": 60},
        "title": LONG,
        "submittedBy": {"name": LONG, "fullname": EXACT},
    }
    [mention] = huggingface.parse_page([item], OBSERVED).mentions
    assert (mention.text, mention.author_handle, mention.author_name) == (CUT, CUT, EXACT)
    assert (mention.id, mention.likes) == ("2009.11278", 60)


def test_an_arxiv_papers_long_title_abstract_and_author_are_cut():
    paper = {"id": "2009.11243", "title": LONG, "authors": [LONG, "Ada Lovelace"], "categories": ["cs.LG"]}
    feed = parse_feed(atom_feed([{**paper, "abstract": EXACT + "c"}], "id_list=2009.11243"))
    [kept] = feed.papers
    assert (kept.title, kept.authors, kept.abstract) == (CUT, (CUT, "Ada Lovelace"), "b" * 32_767 + "…")
    assert (kept.id, kept.categories, kept.abs_url) == ("2009.11243", ("cs.LG",), "https://arxiv.org/abs/2009.11243")


def test_a_day_of_x_posts_of_huge_texts_is_written_small_with_every_sources_posts(tmp_path, monkeypatch, httpserver):
    """3 pages of 10 X posts of 100,000 characters each: 3 MB of text, more than the 2 MiB
    the snapshot limit is lowered to here, which refused the day and lost the Hacker News
    story. Cut to 32,768 characters, the 30 texts hold 983,040: the day is written."""
    monkeypatch.setattr(hotpapers.snapshot, "MAX_FILE_BYTES", 2 * 2**20)
    huge_x_posts_and_a_story(tmp_path, monkeypatch, httpserver)
    link = "https://arxiv.org/abs/2009.11243"
    result = CliRunner().invoke(cli, ["build", "--date", DAY])
    assert result.exit_code == 0, result.output
    path = tmp_path / "data/snapshots" / f"{DAY}.json"
    assert path.stat().st_size < 2 * 2**20
    snapshot = load_snapshot(path)
    x = [m for m in snapshot.mentions if m.platform == "twitter"]
    assert len(x) == 30 and {m.text for m in x} == {f"{link} " + "x" * (32_767 - len(link) - 1) + "…"}
    assert [(m.id, m.likes) for m in snapshot.mentions if m.platform == "hackernews"] == [("24578001", 120)]
    assert snapshot.sources["twitter"].status == "ok" and snapshot.sources["twitter"].items == 30
    assert (tmp_path / "content/posts/2020-09-24---Hot-Papers.md").is_file()


def huge_x_posts_and_a_story(tmp_path, monkeypatch, httpserver) -> Recorder:
    """A site in `tmp_path` (the working directory) whose X search answers 3 pages of 10 posts
    of 100,000 characters, linking 2009.11243, and Hacker News one story of 2009.11278 (120
    points); the recorder of the X stand-in's requests."""
    scenario = example_scenario()
    link = "https://arxiv.org/abs/2009.11243"
    scenario.pages = []
    for page in range(3):
        posts = [
            tweet(f"13090000000000000{page}{n}", "7", f"{link} " + "x" * 100_000, [link], f"{DAY}T12:00:00.000Z", 1, 2)
            for n in range(10)
        ]
        meta = {"result_count": 10, **({"next_token": f"t{page + 1}"} if page < 2 else {})}
        scenario.pages.append(
            {"data": posts, "includes": {"users": [{"id": "7", "username": "u", "name": "U"}]}, "meta": meta}
        )
    recorder = Recorder()
    serve_scenario(httpserver, scenario, recorder)
    algolia = Algolia([story("24578001", START + 36000, "https://arxiv.org/abs/2009.11278", points=120)])
    httpserver.expect_request("/hn/search_by_date").respond_with_handler(algolia)
    sources = {"hackernews": {"enabled": True, "api_url": httpserver.url_for("/hn"), "min_interval": 0}}
    (tmp_path / "config.yaml").write_text(live_config(httpserver, sources=sources))
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("X_BEARER_TOKEN", TOKEN)
    fake_time(monkeypatch)
    return recorder
