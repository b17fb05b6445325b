"""Every output profile from the same snapshot: paths, frontmatter types, and body."""

import re
from datetime import UTC, datetime

import frontmatter
import pytest
import yaml
from click.testing import CliRunner

from conftest import make_config, make_mention, make_paper, make_snapshot
from hotpapers.cli import cli
from hotpapers.config_yaml import commented_config
from hotpapers.rank import rank
from hotpapers.render import PostRenderer

PROFILE_PATHS = {
    "lumen": "content/posts/2020-09-24---Hot-Papers.md",
    "lumen-2022": "content/posts/2020-09-24---hot-papers/index.md",
    "hugo": "content/posts/2020-09-24-hot-papers.md",
    "jekyll": "_posts/2020-09-24-hot-papers.md",
}
TAGS = ["arXiv", "Twitter", "Machine Learning", "Computer Science"]
RUN_TIME = datetime(2020, 9, 25, 8, 0, 47, tzinfo=UTC)


def build(site, profile):
    (site / "config.yaml").write_text(f"output:\n  profile: {profile}\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["build", "--date", "2020-09-24"])
    assert result.exit_code == 0, result.output
    return frontmatter.loads((site / PROFILE_PATHS[profile]).read_text(encoding="utf-8"))


@pytest.mark.parametrize("profile", list(PROFILE_PATHS))
def test_each_profile_writes_its_path_with_real_dates_and_typed_fields(site, profile):
    post = build(site, profile)
    assert post["date"] == RUN_TIME and isinstance(post["date"], datetime)
    assert post["title"] == "Hot Papers 2020-09-24" and post["description"] == "Hot papers 2020-09-24"
    assert post["tags"] == TAGS
    assert len(re.findall(r"^# \d+\. ", post.content, re.MULTILINE)) == 11
    assert post.content.count('<blockquote class="twitter-tweet">') == 12
    expected = {
        "lumen": {
            "template": "post",
            "draft": False,
            "slug": "hot-papers-2020-09-24",
            "category": "arXiv",
            "socialImage": "/media/flying-marine.jpg",
        },
        "lumen-2022": {"template": "post", "draft": False, "slug": "/posts/hot-papers-2020-09-24", "category": "arXiv"},
        "hugo": {"draft": False, "slug": "hot-papers-2020-09-24", "categories": ["arXiv"]},
        "jekyll": {"layout": "post", "published": True, "slug": "hot-papers-2020-09-24", "categories": ["arXiv"]},
    }[profile]
    assert {key: post[key] for key in expected} == expected
    assert set(post.keys()) == set(expected) | {"title", "date", "tags", "description"}


def test_the_date_lines_are_the_forms_each_consumer_reads():
    lines = {}
    for profile in PROFILE_PATHS:
        config = make_config(output={"profile": profile})
        snapshot = make_snapshot([make_paper()], [make_mention(likes=60)])
        text = PostRenderer(config).render(rank(snapshot, config), snapshot)
        lines[profile] = next(line for line in text.splitlines() if line.startswith("date: "))
    assert lines == {
        "lumen": "date: 2020-09-25T08:00:47.Z",
        "lumen-2022": "date: 2020-09-25T08:00:47Z",
        "hugo": "date: 2020-09-25T08:00:47Z",
        "jekyll": "date: 2020-09-25 08:00:47 +00:00",
    }


def render(profile, paper, **output):
    config = make_config(output={"profile": profile, **output}, post={"category": "", "tags": [], "draft": True})
    snapshot = make_snapshot([paper], [make_mention(likes=60)])
    return PostRenderer(config).render(rank(snapshot, config), snapshot)


def test_markdown_is_escaped_outside_the_classic_profile():
    paper = make_paper(
        title="__init__ is *fine*", abstract="# Not a heading\nwe use x_1 * y_2 and $k$ [1]\n1. not a list"
    )
    hugo = render("hugo", paper)
    assert "# 1. \\_\\_init\\_\\_ is \\*fine\\*\n" in hugo
    assert "\\# Not a heading we use x\\_1 \\* y\\_2 and \\$k\\$ \\[1\\] 1. not a list\n" in hugo  # one line: no list
    lumen = render("lumen", paper)
    assert "# 1. __init__ is *fine*\n" in lumen and "# Not a heading we use x_1 * y_2" in lumen
    assert "# 1. __init__ is *fine*\n" in render("hugo", paper, escape_markdown=False)


@pytest.mark.parametrize("profile", list(PROFILE_PATHS))
def test_empty_lists_and_drafts_read_back_with_their_types(profile):
    meta = yaml.safe_load(render(profile, make_paper()).split("---\n")[1])
    assert meta["tags"] == []
    if profile in ("hugo", "jekyll"):
        assert meta["categories"] == []
    assert meta.get("published", not meta.get("draft")) is False


def test_the_configs_comment_on_a_post_setting_names_the_profiles_that_write_it(site):
    """docs/hotpapers.yaml said 'null leaves socialImage out' of post.social_image, which only
    lumen writes: set on a lumen-2022 site, it was dropped without a word."""
    posts = {profile: build(site, profile) for profile in PROFILE_PATHS}
    lines = commented_config("lumen").splitlines()
    for setting, key in (("template", "template"), ("social_image", "socialImage")):
        at = lines.index(f"  # {setting}: {getattr(make_config().post, setting)}")
        comment = " ".join(
            line.strip(" #") for line in lines[at - 2 : at] if line.startswith("  # ") and ":" not in line
        )
        named = set(re.findall(r"\b(lumen-2022|lumen|hugo|jekyll)\b(?!'s)", comment))
        assert named == {profile for profile, post in posts.items() if key in post.metadata}, comment
