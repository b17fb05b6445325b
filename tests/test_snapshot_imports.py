"""Snapshots a lab brings from its own collector: valid files that make a post other than
the one expected get a build warning saying why, also under -q."""

import json

import pytest
from click.testing import CliRunner

from conftest import add_settings, example_data
from hotpapers.cli import cli

DAY = "2020-09-24"


def build_with(site, data, *flags):
    add_settings(site, "feeds:\n  atom: null\n  json: null\n")
    (site / "data" / "snapshots" / f"{DAY}.json").write_text(json.dumps(data), encoding="utf-8")
    result = CliRunner().invoke(cli, [*flags, "build", "--date", DAY, "--offline"])
    assert result.exit_code == 0, result.output
    return result.stderr.splitlines()


@pytest.mark.parametrize(
    ("profile", "consequence"),
    [
        ("hugo", "Hugo does not publish it before then (unless buildFuture is set)"),
        ("jekyll", "Jekyll does not publish it before then (unless future: true is set)"),
        ("lumen", "the site shows it under that date"),
    ],
)
def test_a_post_dated_in_the_future_is_built_with_a_warning_saying_who_hides_it(site, profile, consequence):
    """The post's date is taken_at: Hugo and Jekyll left a post dated next year out of the
    site without a word."""
    add_settings(site, f"output:\n  profile: {profile}\n")
    data = example_data()
    data["taken_at"] = "9000-01-01T00:00:00+02:00"
    warning = (
        f"{DAY}: the post is dated 9000-01-01T00:00:00+02:00, the snapshot's taken_at, which is in the future: "
        f"{consequence}"
    )
    assert warning in build_with(site, data, "-q")


def test_a_post_dated_in_the_past_gets_no_such_warning(site):
    assert build_with(site, example_data(), "-q") == []


def test_a_refused_embed_of_a_shown_mention_is_named_by_build(site):
    """The post silently showed the renderer's own embed instead of the imported one. It
    is written from the mention's fields: an embed where the platform has a template of
    its own, else a quote, so the warning does not call it an embed."""
    data = example_data()
    mention = data["mentions"][11]
    mention["embed_html"] = mention["embed_html"].replace("<blockquote ", '<blockquote onclick="x()" ', 1)
    data["mentions"][10].update(embed_html="<iframe src=https://example.org></iframe>", id="2\n\x1b[2J")
    assert build_with(site, data, "-q") == [
        f"{DAY}: the embed HTML of 2 shown mentions was refused, and the post writes them from the mentions' "
        "fields instead: twitter 1308951548979011585 (attribute onclick on <blockquote>) and 1 more; "
        f"`hotpapers explain {DAY}` names each"
    ]
    mention["embed_html"] = None  # an id of any characters is named on one line
    assert build_with(site, data, "-q") == [
        f"{DAY}: the embed HTML of 1 shown mention was refused, and the post writes it from the mention's "
        "fields instead: twitter 2\\n\\x1b[2J (markup, a link or a character that is not allowed); "
        f"`hotpapers explain {DAY}` names each"
    ]


def test_an_embed_of_a_mention_not_shown_is_not_named(site):
    data = example_data()
    data["mentions"][9].update(reposts=0, likes=24, embed_html="<iframe></iframe>")  # under min_mention_score 25
    assert build_with(site, data, "-q") == []


def test_a_shown_mention_without_a_usable_link_is_named_by_build(site):
    """An imported post's AT URI, or a Slack link, as its URL: the post showed it without a link."""
    data = example_data()
    data["mentions"][11].update(embed_html=None, url="at://alice.bsky.social/app.bsky.feed.post/3k")
    data["mentions"][10]["url"] = "ftp://example.org/status/1"  # its embed is published, with its own link
    warning = (
        f"{DAY}: the URL of 1 shown mention is no http(s) link, and the post shows it without a link: "
        "twitter 1308951548979011585 (at://alice.bsky.social/app.bsky.feed.post/3k); "
        f"`hotpapers explain {DAY}` names each"
    )
    assert build_with(site, data, "-q") == [warning]


def test_render_to_stdout_says_what_build_would_warn_of(tmp_path):
    """`render FILE`, the way to try an import, printed the post and said nothing of the
    embed it refused or the date that hides it."""
    data = example_data()
    data["taken_at"] = "9000-01-01T00:00:00Z"
    data["mentions"][11]["embed_html"] = "<iframe></iframe>"
    snapshot = tmp_path / "import.json"
    snapshot.write_text(json.dumps(data), encoding="utf-8")
    result = CliRunner().invoke(cli, ["-q", "render", str(snapshot)])
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("---\ntitle: ")
    warnings = result.stderr.splitlines()
    assert len(warnings) == 2 and "which is in the future: the site shows it under that date" in warnings[0]
    assert warnings[1].startswith(f"{DAY}: the embed HTML of 1 shown mention was refused")
    assert "hotpapers explain" not in result.stderr  # explain reads the site's stored day, not this file
    to_file = CliRunner().invoke(cli, ["-q", "render", str(snapshot), "-o", str(tmp_path / "post.md")])
    assert to_file.exit_code == 0 and to_file.stderr == result.stderr


def test_render_to_stdout_says_when_no_paper_qualifies(tmp_path):
    data = example_data()
    data["mentions"] = []
    snapshot = tmp_path / "import.json"
    snapshot.write_text(json.dumps(data), encoding="utf-8")
    result = CliRunner().invoke(cli, ["render", str(snapshot)])
    assert (result.exit_code, result.stdout) == (0, "")
    assert (
        result.stderr
        == f"{DAY}: no paper qualifies (a paper needs a score of 50, ranking.min_paper_score, and a category that "
        "candidates.categories matches, and publication at most 7 days before the day, candidates.max_age_days); "
        "no post written\n"  # the settings of the working directory's config.yaml, the repository's
    )
    explained = CliRunner().invoke(cli, ["render", str(snapshot), "-o", str(tmp_path / "post.md")])
    assert explained.stderr == result.stderr  # `explain` reads the site's day, not this file
