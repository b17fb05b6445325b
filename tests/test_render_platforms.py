"""Posts with several platforms (docs/post-format.md, "Several platforms"): engagement
per platform in its own words, embeds for X and Bluesky, a linked line for Hacker News
and Hugging Face, in every profile; a post only X talks about stays the classic one."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from msgspec.structs import replace

from conftest import EXAMPLE_SNAPSHOT, make_config, make_mention, make_paper, make_snapshot
from hotpapers.feeds import feed_entry
from hotpapers.rank import rank
from hotpapers.render import PostRenderer
from hotpapers.snapshot import load_snapshot
from hotpapers.sources import SOURCES

BLUESKY_EMBED = (
    '<blockquote class="bluesky-embed" data-bluesky-uri="at://did:plc:s7savtl25cqhm3ddqc7jeljx/app.bsky.feed.post/'
    '3lpjpstvsvk2y" data-bluesky-cid="bafyreid5xizjatchg3cdddekg6e53tdj4xcvuyrbzcf3zqq4pfzncco7iy"><p lang="en">'
    "I dove in\n\nPlease give it a read</p>&mdash; "
    '<a href="https://bsky.app/profile/did:plc:s7savtl25cqhm3ddqc7jeljx?ref_src=embed">Chris (@christackett.bsky.social)'
    '</a> <a href="https://bsky.app/profile/did:plc:s7savtl25cqhm3ddqc7jeljx/post/3lpjpstvsvk2y?ref_src=embed">'
    "September 24, 2020 at 10:00 AM</a></blockquote>"
    '<script async src="https://embed.bsky.app/static/embed.js" charset="utf-8"></script>'
)


def four_platform_day():
    """One paper talked about on all four platforms, one only on X, one only on Bluesky."""
    papers = [make_paper("2009.00001"), make_paper("2009.00002"), make_paper("2009.00003")]
    mentions = [
        make_mention("1", ("2009.00001",), reposts=10, likes=20, replies=5),
        make_mention(
            "at://did:plc:s7savtl25cqhm3ddqc7jeljx/app.bsky.feed.post/3lpjpstvsvk2y",
            ("2009.00001", "2009.00003"),
            reposts=6,
            likes=44,
            replies=3,
            quotes=1,
            platform="bluesky",
            url="https://bsky.app/profile/christackett.bsky.social/post/3lpjpstvsvk2y",
            observed_at="2020-09-25T08:30:00Z",
            embed_html=BLUESKY_EMBED,
        ),
        make_mention(
            "24000000",
            ("2009.00001",),
            likes=40,
            replies=15,
            platform="hackernews",
            url="https://news.ycombinator.com/item?id=24000000",
            observed_at="2020-09-25T09:00:00Z",
            text="Show HN: [click](javascript:alert(1)) <b>*bold*</b>",
        ),
        make_mention(
            "2009.00001",
            ("2009.00001",),
            likes=30,
            replies=2,
            platform="huggingface",
            url="https://huggingface.co/papers/2009.00001",
            observed_at="2020-09-25T07:00:00Z",
            text=None,
        ),
        make_mention("2", ("2009.00002",), reposts=30, likes=40),
    ]
    return make_snapshot(papers, mentions)


def body(profile: str, snapshot=None) -> str:
    config = make_config(output={"profile": profile})
    snapshot = snapshot or four_platform_day()
    text = PostRenderer(config).render(rank(snapshot, config), snapshot)
    return re.split(r"^---$", text, maxsplit=2, flags=re.MULTILINE)[2]


@pytest.mark.parametrize("profile", ["lumen", "lumen-2022", "hugo", "jekyll"])
def test_a_paper_on_four_platforms_in_every_profile(profile):
    text = body(profile)
    # 2009.00001: Bluesky 50, HN 55, X 30, HF 30 = 165; 2009.00002: X 70; 2009.00003: Bluesky 50
    first = text[text.index("# 1. ") : text.index("# 2. ")]
    assert first.splitlines()[4:9] == [
        "- Hacker News: points: 40, comments: 15 (09/25/2020 09:00:00)",
        "- Bluesky: reposts: 6, likes: 44 (09/25/2020 08:30:00)",
        "- Hugging Face: upvotes: 30, comments: 2 (09/25/2020 07:00:00)",
        "- X: retweets: 10, favorites: 20 (09/25/2020 08:00:00)",
        "",
    ]
    shown = first.split("An abstract.\n\n", 1)[1].split("\n\n")
    title = "Show HN: \\[click\\](javascript:alert(1)) &lt;b>\\*bold\\*&lt;/b>"
    assert shown[0] == f"[{title}](https://news.ycombinator.com/item?id=24000000) on Hacker News"
    assert shown[1] == BLUESKY_EMBED.replace("\n\n", "<br><br>") or shown[1].startswith(
        '<blockquote class="bluesky-embed"'
    )
    assert "I dove in" in shown[1] and "\n\n" not in shown[1]  # one HTML block, whatever its text holds
    assert shown[2].startswith('<blockquote class="twitter-tweet">')  # X and HF tie at 30: by id, "1" first
    assert shown[3] == "[Hugging Face](https://huggingface.co/papers/2009.00001)"  # no title: the platform's name
    # a paper only X talks about keeps the classic line; one only Bluesky talks about speaks Bluesky
    assert "# 2. Paper 2009.00002" in text and "# 3. Paper 2009.00003" in text
    assert "\n- retweets: 30, favorites: 40 (09/25/2020 08:00:00)\n\n- links" in text.split("# 2. ")[1]
    assert "\n- Bluesky: reposts: 6, likes: 44 (09/25/2020 08:30:00)\n\n- links" in text.split("# 3. ")[1]


def test_an_embed_the_allow_list_refuses_gives_the_escaped_fallback():
    snapshot = four_platform_day()
    mentions = tuple(
        replace(m, embed_html=BLUESKY_EMBED.replace("<p lang", '<p onclick="x" lang'), text="Read <this>")
        if m.platform == "bluesky"
        else m
        for m in snapshot.mentions
    )
    text = body("lumen", replace(snapshot, mentions=mentions))
    assert "onclick" not in text and 'class="bluesky-embed"' not in text
    assert "<p>Read &lt;this&gt;</p>" in text


def test_a_discussion_without_a_safe_url_is_not_linked():
    snapshot = four_platform_day()
    mentions = tuple(
        replace(m, url="https://news.ycombinator.com/item?id=1)") if m.platform == "hackernews" else m
        for m in snapshot.mentions
    )
    text = body("lumen", replace(snapshot, mentions=mentions))
    assert "\nShow HN: \\[click\\](javascript:alert(1)) &lt;b>\\*bold\\*&lt;/b> on Hacker News\n" in text


def test_the_platforms_words_are_declared_once_by_their_sources():
    words = {word for source in SOURCES.values() for _, word in source.display.counts}
    assert {"retweets", "favorites", "points", "upvotes", "comments"} <= words
    package = Path(__file__).parent.parent
    shown_in = [
        path.relative_to(package)
        for path in [package / "src" / "hotpapers" / "render.py", *(package / "templates").rglob("*.j2")]
        if re.search(r"\b(retweets|favorites|upvotes|points)\b", path.read_text(encoding="utf-8"))
    ]
    assert shown_in == []


def test_a_feed_entry_gives_each_papers_counts_per_platform_in_its_words():
    config = make_config(site={"url": "https://example.org"})
    snapshot = four_platform_day()
    html = feed_entry(snapshot, rank(snapshot, config), config).html
    assert (
        "(Hacker News: points: 40, comments: 15; Bluesky: reposts: 6, likes: 44; "
        "Hugging Face: upvotes: 30, comments: 2; X: retweets: 10, favorites: 20)</li>"
    ) in html
    assert "Paper 2009.00002</a> (30 reposts, 40 likes)</li>" in html  # only X: as the post's classic line


def test_an_x_only_feed_entry_keeps_the_words_feeds_had_before_several_platforms():
    """The golden post's first paper reads `retweets: 18348, favorites: 0`; feeds said
    `(R reposts, F likes)` before there were several platforms, and still do."""
    config = make_config(site={"url": "https://example.org"})
    example = load_snapshot(EXAMPLE_SNAPSHOT)
    html = feed_entry(example, rank(example, config), config).html
    assert html.count(" reposts, ") == 11 and "retweets" not in html
    assert "</a> (18348 reposts, 0 likes)</li>" in html


def test_a_feed_entry_of_one_paper_says_so_in_the_singular():
    config = make_config(site={"url": "https://example.org"})
    snapshot = make_snapshot([make_paper()], [make_mention("1", likes=60)])
    assert feed_entry(snapshot, rank(snapshot, config), config).summary == "1 paper, led by: Paper 2009.00001"


def test_a_paper_x_leads_but_another_platform_talks_about_is_shown_per_platform():
    """docs/post-format.md, "Several platforms": the classic line only when every mention
    is X's; a paper X leads (60) and Bluesky also talks about (5) speaks per platform."""
    mentions = [
        make_mention("1", reposts=10, likes=50),
        make_mention(
            "3k",
            reposts=1,
            likes=4,
            platform="bluesky",
            url="https://bsky.app/profile/a.bsky.social/post/3k",
            observed_at="2020-09-25T08:30:00Z",
        ),
    ]
    snapshot = make_snapshot([make_paper()], mentions)
    text = body("lumen", snapshot)
    assert "\n- X: retweets: 10, favorites: 50 (09/25/2020 08:00:00)\n" in text
    assert "\n- Bluesky: reposts: 1, likes: 4 (09/25/2020 08:30:00)\n\n- links" in text
    config = make_config(site={"url": "https://example.org"})
    html = feed_entry(snapshot, rank(snapshot, config), config).html
    assert "</a> (X: retweets: 10, favorites: 50; Bluesky: reposts: 1, likes: 4)</li>" in html


def test_a_discussion_line_by_its_title_or_its_platforms_name_with_or_without_a_link():
    def story(id, text, url):
        return make_mention(id, likes=30, platform="hackernews", url=url, text=text)

    unsafe = "https://news.ycombinator.com/item?id=1)"  # a `)` would end the Markdown link: not linked
    mentions = [
        story("1", None, unsafe),
        story("2", "   ", "https://news.ycombinator.com/item?id=2"),
        story("3", "see https://x.org/a_b", unsafe),
    ]
    shown = body("lumen", make_snapshot([make_paper()], mentions)).split("An abstract.\n\n", 1)[1].split("\n\n")
    # no title: the platform's name, linked when the URL is safe; a title unlinked is a line
    # of its own, where lumen's remark links a bare URL (escape_markdown keeps the `_` of a link)
    assert shown[:3] == [
        "Hacker News",
        "[Hacker News](https://news.ycombinator.com/item?id=2)",
        "see https://x.org/a_b on Hacker News",
    ]


def test_a_platform_no_source_reads_is_named_as_the_snapshot_writes_it():
    """docs/snapshot.md, "Platforms hotpapers does not fetch": its engagement line is
    `- mastodon: reposts: 30, likes: 45 (12/01/2026 06:00:00)`, and a shown mention is the
    renderer's own blockquote, its embed_html not published."""
    toot = make_mention(
        "110",
        ("2009.00001",),
        reposts=30,
        likes=45,
        platform="mastodon",
        url="https://mastodon.social/@someone/110",
        observed_at="2026-12-01T06:00:00Z",
        text="A toot",
        embed_html='<blockquote class="mastodon-embed">A toot</blockquote>',
    )
    text = body("lumen", make_snapshot([make_paper()], [toot], date="2026-11-30"))
    assert "\n- mastodon: reposts: 30, likes: 45 (12/01/2026 06:00:00)\n\n- links" in text
    assert "mastodon-embed" not in text and "<p>A toot</p>" in text


@pytest.mark.parametrize("handle", ["ada@sigmoid.social", "@ada@sigmoid.social"])
def test_a_handle_written_with_its_at_sign_gets_one(handle):
    """A Mastodon handle is usually written `@ada@sigmoid.social`; a snapshot written by hand
    with it showed `(@@ada@sigmoid.social)`."""
    toot = make_mention("110", platform="mastodon", author_name="Ada", author_handle=handle)
    html = PostRenderer(make_config()).fallback_embed(toot)
    assert "&mdash; Ada (@ada@sigmoid.social) <a href=" in html


def test_embed_html_of_a_platform_without_embeds_is_not_refused_but_unused():
    """platform_text.published_embed: a Hacker News story links its discussion whatever
    embed_html it holds, so build has no refused embed to warn of."""
    story = make_mention(
        "7",
        likes=60,
        platform="hackernews",
        url="https://news.ycombinator.com/item?id=7",
        text="A story",
        embed_html='<blockquote class="twitter-tweet"><p>x</p></blockquote>',
    )
    config = make_config()
    snapshot = make_snapshot([make_paper()], [story])
    text, departures = PostRenderer(config).render_noting(rank(snapshot, config), snapshot)
    assert departures.refused == [] and "<blockquote" not in text
    assert "\n[A story](https://news.ycombinator.com/item?id=7) on Hacker News\n" in text
