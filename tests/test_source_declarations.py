"""What a platform's source module declares reaches everything that speaks of the
platform: a source registered with one line has its embeds passed through by its own
rules, written by its own fallback template, its engagement line, its default weights
and its site step, with no module outside `hotpapers.sources` edited."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import ClassVar

import pytest

from conftest import NotSearched, make_config, make_mention, make_paper, make_snapshot
from hotpapers.config import Config, Ranking
from hotpapers.rank import rank
from hotpapers.render import PostRenderer
from hotpapers.sanitize import EmbedRules
from hotpapers.site_init import PROFILE_STEPS, init_site
from hotpapers.sources import SOURCES
from hotpapers.sources.base import Display, SourceSettings

SCRIPT = '<script async src="https://mastodon.social/embed.js"></script>'
EMBED = (
    '<blockquote class="mastodon-embed" data-embed-url="https://mastodon.social/users/ada/statuses/1/embed">'
    '<p>A paper</p>&mdash; <a href="https://mastodon.social/@ada/1">Ada</a></blockquote>\n' + SCRIPT
)
JEKYLL_STEP = "Load embed.js in _layouts/post.html."


class MastodonSource(NotSearched):
    name: ClassVar[str] = "mastodon"
    cost: ClassVar[str] = "free"
    display: ClassVar[Display] = Display(
        "Mastodon",
        (("reposts", "boosts"), ("likes", "favourites")),
        embed_rules=EmbedRules("mastodon-embed", frozenset([SCRIPT]), frozenset({"data-embed-url"})),
        embed_template="mastodon",
        classic=True,
    )
    Settings: ClassVar[type[SourceSettings]] = SourceSettings
    weights: ClassVar[dict[str, float]] = {"likes": 2.0, "quotes": 1.0}
    site_steps: ClassVar[dict[str, str]] = {"jekyll": JEKYLL_STEP}


@pytest.fixture
def mastodon(monkeypatch):
    monkeypatch.setitem(SOURCES, "mastodon", MastodonSource)


def test_a_new_sources_embeds_template_and_classic_line_reach_the_post(mastodon, tmp_path: Path):
    (tmp_path / "embeds").mkdir()
    (tmp_path / "embeds" / "mastodon.html.j2").write_text(
        '<blockquote class="own-fallback"><p>{{ text }}</p></blockquote>'
    )
    mentions = [
        make_mention(
            "m1", reposts=30, likes=40, platform="mastodon", url="https://mastodon.social/@ada/1", embed_html=EMBED
        ),
        make_mention(
            "m2",
            reposts=30,
            likes=40,
            platform="mastodon",
            url="https://mastodon.social/@ada/2",
            embed_html=EMBED.replace("data-embed-url", "onclick"),  # not in its rules: refused
        ),
    ]
    snapshot = make_snapshot([make_paper()], mentions)
    config = make_config(paths={"templates": str(tmp_path)})
    post = PostRenderer(config).render(rank(snapshot, config), snapshot)
    assert EMBED in post
    assert '<blockquote class="own-fallback"><p>Post m2</p></blockquote>' in post
    assert "onclick" not in post
    assert "boosts: 60, favourites: 80 (" in post  # the classic line: counts alone
    assert "Mastodon" not in post


def test_without_rules_no_embed_of_the_platform_is_accepted(mastodon, monkeypatch):
    monkeypatch.setattr(MastodonSource, "display", Display("Mastodon", (("likes", "favourites"),)))
    mention = make_mention("m1", likes=90, platform="mastodon", url="https://mastodon.social/@ada/1", embed_html=EMBED)
    snapshot = make_snapshot([make_paper()], [mention])
    config = make_config()
    post = PostRenderer(config).render(rank(snapshot, config), snapshot)
    assert "mastodon-embed" not in post and "Post m1" in post  # the generic fallback, written from its fields
    assert "Mastodon: favourites: 90 (" in post


def test_a_new_sources_weights_and_site_step_are_defaults(mastodon, tmp_path: Path):
    assert Ranking().platform_weights["mastodon"] == {"likes": 2.0, "quotes": 1.0}
    steps = init_site(tmp_path, "jekyll", None).next_steps
    jekyll_step = PROFILE_STEPS["jekyll"].format(excluded="data, hotpapers.yaml")
    assert steps[steps.index(jekyll_step) + 1] == JEKYLL_STEP


def test_the_registered_sources_declare_the_documented_defaults(tmp_path: Path):
    # README, "Settings": Hacker News {likes: 1, replies: 1}, Hugging Face {likes: 1}
    assert Config().ranking.platform_weights == {"hackernews": {"likes": 1, "replies": 1}, "huggingface": {"likes": 1}}
    (tmp_path / "lumen").mkdir()
    (tmp_path / "hugo").mkdir()
    lumen = init_site(tmp_path / "lumen", "lumen", None).next_steps
    assert [step for step in lumen if "gatsby-plugin-twitter" in step] == [
        "Add gatsby-plugin-twitter to the site (npm install gatsby-plugin-twitter, first in `plugins` of "
        "gatsby-config.js) so embedded posts render on client-side navigation too."
    ]
    (tmp_path / "lumen-2022").mkdir()
    lumen_2022 = init_site(tmp_path / "lumen-2022", "lumen-2022", None).next_steps
    assert [step for step in lumen_2022 if "gatsby-plugin-twitter" in step] == [  # lumen's config is .ts since 2022-04
        "Add gatsby-plugin-twitter to the site (npm install gatsby-plugin-twitter, first in `plugins` of "
        "gatsby-config.ts, or .js in older sites) so embedded posts render on client-side navigation too."
    ]
    assert not any("gatsby" in step for step in init_site(tmp_path / "hugo", "hugo", None).next_steps)


@pytest.mark.parametrize(
    ("name", "settings", "pages"),
    [
        ("twitter", {"max_posts": 95}, 20),
        ("bluesky", {"max_posts": 95, "page_size": 10}, 30),
        ("hackernews", {"max_depth": 3}, 15),
        ("huggingface", {"max_pages": 4}, 4),
    ],
)
def test_every_source_declares_a_page_limit_from_its_own_settings(name, settings, pages):
    """A server that pages for ever is stopped there (tests per source show each stops)."""
    config = make_config(sources={name: settings})
    source = SOURCES[name](config.sources[name], None, {}, datetime.now)
    limit = source.page_limit()
    assert limit.pages == pages and f"sources.{name}." in limit.setting
