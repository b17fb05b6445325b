"""`explain` on a day with several platforms: each paper's score per platform, each
mention's weighted score and how it adds up."""

import json

import pytest
from click.testing import CliRunner
from msgspec.structs import replace

from bluesky_fake import oembed_html
from conftest import EXAMPLE_SNAPSHOT, make_config, make_mention, make_paper, make_snapshot
from hotpapers.cli import cli
from hotpapers.explain import PlatformScore, explain, explanation_text
from hotpapers.rank import rank
from hotpapers.render import PostRenderer
from hotpapers.snapshot import load_snapshot, save_snapshot
from test_rank import four_platforms


def test_each_paper_has_its_score_per_platform_and_each_mention_its_weighted_score():
    snapshot = make_snapshot([make_paper()], four_platforms())
    e = explain(snapshot, make_config(ranking={"platform_weights": {"bluesky": {"likes": 2, "quotes": 1}}}))
    [paper] = e.papers
    # X 10 + 20 = 30; Bluesky 16 x 2 + 2 = 34; HN 40 + 15 = 55; HF 30
    assert (paper.rank, paper.score) == (1, 149)
    assert paper.platforms == (
        PlatformScore("hackernews", 55, 0, 40, 15, None),  # its mention has no quotes (null)
        PlatformScore("bluesky", 34, 4, 16, 9, 2),
        PlatformScore("huggingface", 30, 0, 30, 2, None),
        PlatformScore("twitter", 30, 10, 20, 5, 3),
    )
    assert [(m.platform, m.score, m.shown) for m in paper.mentions] == [
        ("hackernews", 55, True),
        ("bluesky", 34, True),
        ("twitter", 30, True),
        ("huggingface", 30, True),
    ]
    assert e.weights == {
        "*": {"reposts": 1, "likes": 1},
        "hackernews": {"likes": 1, "replies": 1},
        "huggingface": {"likes": 1},
        "bluesky": {"likes": 2, "quotes": 1},
    }
    text = explanation_text(e)
    assert "#1 2009.00001 score 149: Paper 2009.00001\n" in text
    assert "  on bluesky: score 34 from 4 reposts, 16 likes, 9 replies, 2 quotes\n" in text
    # each platform's counts in the words its post uses (the sources' Display), the settings' names in the rules
    assert "  on hackernews: score 55 from 40 points, 15 comments\n" in text
    assert "  on huggingface: score 30 from 30 upvotes, 2 comments\n" in text
    assert "  on twitter: score 30 from 10 retweets, 20 favorites, 5 replies, 3 quotes\n" in text
    assert "  hackernews 24000000 score 55 (40 points x 1 + 15 comments x 1): linked\n" in text
    assert "  huggingface 2009.00001 score 30 (30 upvotes x 1): linked\n" in text
    assert "  bluesky at://did:plc:a/app.bsky.feed.post/3k score 34 (16 likes x 2 + 2 quotes x 1): quoted\n" in text
    assert "  twitter 1 score 30 (10 retweets x 1 + 20 favorites x 1): embedded\n" in text
    assert (
        "(hackernews: likes (points) x 1 + replies (comments) x 1; huggingface: likes (upvotes) x 1; "
        "bluesky: likes x 2 + quotes x 1; any other platform: reposts x 1 + likes x 1)"
    ) in text
    assert "up to 10 posts shown per paper (embedded or quoted, or linked where a platform has no embeds)" in text


def test_a_null_count_shows_as_0_and_is_left_out_of_the_json_counts():
    mention = make_mention("7", likes=60, platform="hackernews", url="https://news.ycombinator.com/item?id=7")
    e = explain(make_snapshot([make_paper()], [mention]), make_config())
    [fate] = e.papers[0].mentions
    assert (fate.score, fate.counts) == (60, {"reposts": 0, "likes": 60})
    assert "  hackernews 7 score 60 (60 points x 1 + 0 comments x 1): linked\n" in explanation_text(e)


def test_a_platform_count_null_in_each_of_its_mentions_is_null_in_the_json_not_0(site):
    hn = "https://news.ycombinator.com/item?id="
    mentions = [
        make_mention("7", likes=60, platform="hackernews", url=f"{hn}7"),  # replies and quotes null
        make_mention("8", likes=30, replies=4, platform="hackernews", url=f"{hn}8"),
        make_mention("1", reposts=10, likes=20),  # on X: replies and quotes null
    ]
    save_snapshot(make_snapshot([make_paper()], mentions, date="2020-09-23"), site / "data/snapshots/2020-09-23.json")
    result = CliRunner().invoke(cli, ["explain", "2020-09-23", "--json"])
    assert result.exit_code == 0, result.output
    # HN: points 60 + 30, comments 4 (the one count given) = 94; X: 10 retweets + 20 favorites = 30
    assert json.loads(result.stdout)["papers"][0]["platforms"] == [
        {"platform": "hackernews", "score": 94, "reposts": 0, "likes": 90, "replies": 4, "quotes": None},
        {"platform": "twitter", "score": 30, "reposts": 10, "likes": 20, "replies": None, "quotes": None},
    ]


def test_explain_json_keeps_id_rank_and_score_and_adds_the_platforms(site):
    snapshot = make_snapshot([make_paper("2009.00001"), make_paper("2009.00002")], four_platforms())
    snapshot = make_snapshot(
        list(snapshot.papers), [*snapshot.mentions, make_mention("9", ("2009.00002",), likes=10)], date="2020-09-23"
    )
    save_snapshot(snapshot, site / "data" / "snapshots" / "2020-09-23.json")
    result = CliRunner().invoke(cli, ["explain", "2020-09-23", "--json"])
    assert result.exit_code == 0, result.output
    papers = json.loads(result.stdout)["papers"]
    assert [(p["id"], p["rank"], p["score"]) for p in papers] == [("2009.00001", 1, 135), ("2009.00002", None, 10)]
    assert [(p["platform"], p["score"]) for p in papers[0]["platforms"]] == [
        ("hackernews", 55),
        ("huggingface", 30),
        ("twitter", 30),
        ("bluesky", 20),
    ]
    assert papers[0]["mentions"][0] == {
        "platform": "hackernews",
        "id": "24000000",
        "url": "https://news.ycombinator.com/item?id=24000000",
        "score": 55,
        "shown": True,
        "reason": "linked",
        "counts": {"reposts": 0, "likes": 40, "replies": 15},
    }


def test_one_of_a_count_is_said_in_the_singular():
    mention = make_mention("1", reposts=1, likes=60, replies=1, quotes=1)
    text = explanation_text(explain(make_snapshot([make_paper()], [mention]), make_config()))
    assert "  on twitter: score 61 from 1 retweet, 60 favorites, 1 reply, 1 quote\n" in text
    points = make_mention("8", likes=1, replies=1, platform="hackernews", url="https://news.ycombinator.com/item?id=8")
    text = explanation_text(explain(make_snapshot([make_paper()], [points]), make_config()))
    assert "  on hackernews: score 2 from 1 point, 1 comment\n" in text


def test_a_shown_mention_whose_link_is_refused_is_said_to_be_shown_without_it():
    """The post writes the discussion's title without a link when its URL is not safe."""
    hostile = make_mention("9", likes=60, platform="hackernews", url="javascript:alert(1)", text="A discussion")
    e = explain(make_snapshot([make_paper()], [hostile]), make_config())
    assert e.papers[0].mentions[0].reason == "linked, written without the link: its URL was refused"


@pytest.mark.parametrize(
    ("embed_html", "reason"),
    [
        (None, "quoted, written from its fields, without the link: its URL was refused"),
        (
            "<iframe></iframe>",
            "quoted, written from its fields: its embed HTML was refused (markup, a link or a character that is "
            "not allowed), and without the link: its URL was refused",
        ),
    ],
)
def test_a_quoted_mention_whose_link_is_refused_is_said_to_be_shown_without_it(embed_html, reason):
    """An imported post's AT URI as its URL: its quote, written from its fields, had no
    link, and explain said only 'embedded'."""
    imported = make_mention(
        "3k", likes=60, platform="bluesky", url="at://alice.bsky.social/app.bsky.feed.post/3k", embed_html=embed_html
    )
    e = explain(make_snapshot([make_paper()], [imported]), make_config())
    assert e.papers[0].mentions[0].reason == reason


def test_a_refused_link_inside_an_embed_that_is_published_is_not_named():
    example = load_snapshot(EXAMPLE_SNAPSHOT)
    first = replace(example.mentions[0], url="ftp://example.org/status/1")  # its embed links the post itself
    e = explain(replace(example, mentions=(first, *example.mentions[1:])), make_config())
    assert {m.reason for paper in e.papers for m in paper.mentions} == {"embedded"}


@pytest.mark.parametrize(
    ("platform", "embed_html", "shown", "reason"),
    [
        ("mastodon", None, '<blockquote class="hotpapers-mention">', "quoted"),  # imported: no source reads it
        ("bluesky", None, '<blockquote class="hotpapers-mention">', "quoted"),
        ("twitter", None, '<blockquote class="twitter-tweet">', "embedded"),  # X's script makes it an embed
        ("bluesky", oembed_html("did:plc:a", "3k", "A post"), '<blockquote class="bluesky-embed"', "embedded"),
    ],
)
def test_a_shown_mention_is_said_to_be_quoted_where_the_post_quotes_it(platform, embed_html, shown, reason):
    """Without its own embed HTML, a mention of a platform with no embed template of its
    own (an imported snapshot's Mastodon, Bluesky) is a quote written from its fields, no
    embed: explain said 'embedded'."""
    mention = make_mention("9", likes=60, platform=platform, url="https://example.org/@a/9", embed_html=embed_html)
    snapshot, config = make_snapshot([make_paper()], [mention]), make_config()
    assert shown in PostRenderer(config).render(rank(snapshot, config), snapshot)
    assert explain(snapshot, config).papers[0].mentions[0].reason == reason
