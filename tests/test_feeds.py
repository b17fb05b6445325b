"""Feeds written by build, read back by feedparser (Atom) and as JSON Feed 1.1."""

import json
import os
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import feedparser
from click.testing import CliRunner
from msgspec.structs import replace

import hotpapers
from conftest import add_settings
from hotpapers.cli import cli
from hotpapers.feeds import feeds_off_reason
from hotpapers.snapshot import load_snapshot, save_snapshot

SITE = "https://lab.example.org"


def build_two_days(site):
    add_settings(site, f"\nsite:\n  url: {SITE}/\n  title: Lab hot papers\n")
    example = load_snapshot(site / "data" / "snapshots" / "2020-09-24.json")
    hostile = replace(example.papers[0], title="<script>alert(1)</script> & more", abs_url="javascript:alert(1)")
    save_snapshot(
        replace(example, date="2020-09-25", taken_at="2020-09-26T08:00:00Z", papers=(hostile, *example.papers[1:])),
        site / "data" / "snapshots" / "2020-09-25.json",
    )
    result = CliRunner().invoke(cli, ["build", "--since", "2020-09-24", "--until", "2020-09-25"])
    assert result.exit_code == 0, result.output
    assert "feeds: 2 entries, wrote static/hot-papers.atom, static/hot-papers.json" in result.stderr
    return result


def test_atom_feed_has_every_required_field(site):
    build_two_days(site)
    feed = feedparser.parse((site / "static" / "hot-papers.atom").read_bytes())
    assert feed.bozo == 0 and feed.version == "atom10"
    assert feed.feed.title == "Lab hot papers" and feed.feed.id == f"{SITE}/"
    assert feed.feed.updated == "2020-09-26T08:00:00+00:00"
    assert [link.href for link in feed.feed.links] == [f"{SITE}/", f"{SITE}/hot-papers.atom"]
    assert [e.id for e in feed.entries] == [
        f"{SITE}/posts/hot-papers-2020-09-25",
        f"{SITE}/posts/hot-papers-2020-09-24",
    ]
    newest = feed.entries[0]
    assert newest.title == "Hot Papers 2020-09-25" and newest.link == newest.id
    assert newest.updated == "2020-09-26T08:00:00+00:00" and newest.author == "Lab hot papers"
    html = newest.content[0].value
    assert html.count("<li>") == 11 and "<script>" not in html and "javascript:" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; more" in html


def test_json_feed_1_1_has_every_required_field(site):
    build_two_days(site)
    feed = json.loads((site / "static" / "hot-papers.json").read_text(encoding="utf-8"))
    assert feed["version"] == "https://jsonfeed.org/version/1.1"
    assert feed["title"] == "Lab hot papers" and feed["home_page_url"] == f"{SITE}/"
    assert feed["feed_url"] == f"{SITE}/hot-papers.json"
    assert [item["date_published"] for item in feed["items"]] == ["2020-09-26T08:00:00Z", "2020-09-25T08:00:47Z"]
    for item in feed["items"]:
        assert item["id"] == item["url"] and item["url"].startswith(f"{SITE}/posts/hot-papers-2020-09-2")
        assert item["content_html"].startswith("<ol><li>") and item["title"].startswith("Hot Papers ")


def test_feeds_are_rewritten_only_when_they_change_and_not_without_a_site_url(site):
    build_two_days(site)
    again = CliRunner().invoke(cli, ["build", "--date", "2020-09-25"])
    assert "feeds: 2 entries, up to date" in again.stderr
    (site / "config.yaml").write_text("output: {profile: lumen}\n", encoding="utf-8")
    quiet = CliRunner().invoke(cli, ["build", "--date", "2020-09-25"])
    assert quiet.exit_code == 0 and "feeds: 2 entries" not in quiet.stderr and "feeds: off until" in quiet.stderr


def test_a_day_whose_post_was_built_with_other_settings_is_left_out_until_built_again(site):
    """A feed entry must match the page it links: after the slug changes, the older
    post still has the old slug (and URL) until it is built again."""
    build_two_days(site)
    add_settings(site, '\npost:\n  slug: "trending-{date}"\n')
    one = CliRunner().invoke(cli, ["-q", "build", "--date", "2020-09-25"])
    assert one.exit_code == 0, one.output
    assert one.stderr.strip() == (
        "feeds: left out 2020-09-24: the post differs from what the snapshot and the settings make now "
        "(slug, title or papers); build that day again to list it (--force replaces a post that lists more papers)"
    )
    feed = json.loads((site / "static" / "hot-papers.json").read_text(encoding="utf-8"))
    assert [item["url"] for item in feed["items"]] == [f"{SITE}/posts/trending-2020-09-25"]
    both = CliRunner().invoke(cli, ["build", "--since", "2020-09-24", "--until", "2020-09-25"])
    assert "left out" not in both.stderr and "feeds: 2 entries, wrote" in both.stderr
    feed = json.loads((site / "static" / "hot-papers.json").read_text(encoding="utf-8"))
    assert [item["url"] for item in feed["items"]] == [f"{SITE}/posts/trending-2020-09-2{n}" for n in (5, 4)]


def test_a_kept_post_that_lists_more_papers_is_not_described_by_a_shorter_entry(site):
    build_two_days(site)
    before = (site / "static" / "hot-papers.json").read_bytes()
    add_settings(site, "\nranking:\n  min_paper_score: 200\n")
    kept = CliRunner().invoke(cli, ["build", "--date", "2020-09-25"])
    assert kept.exit_code == 0 and "kept content/posts/2020-09-25---Hot-Papers.md: it lists 11 papers" in kept.stderr
    assert "feeds: left out 2020-09-24, 2020-09-25: the posts differ" in kept.stderr
    assert (site / "static" / "hot-papers.json").read_bytes() == before  # no day to list: the feeds stay


def test_a_site_template_with_other_headings_still_gets_its_days_listed(site):
    """A paper is counted alike in the post on disk and in the one the settings make now,
    whatever heading the site's own template gives it."""
    bundled = (Path(__file__).parents[1] / "templates" / "_papers.md.j2").read_text(encoding="utf-8")
    assert "\n# {{ loop.index }}. " in bundled
    (site / "templates").mkdir(exist_ok=True)
    (site / "templates" / "_papers.md.j2").write_text(bundled.replace("\n# {{", "\n## {{"), encoding="utf-8")
    result = build_two_days(site)
    assert "left out" not in result.stderr


def test_a_feed_reached_through_a_symbolic_link_gets_its_address_in_the_served_folder(site):
    (site / "static").mkdir(exist_ok=True)
    (site / "pub").symlink_to(site / "static", target_is_directory=True)
    add_settings(site, "\nfeeds:\n  atom: pub/hot-papers.atom\n  json: null\n")
    add_settings(site, f"\nsite:\n  url: {SITE}/\n")
    result = CliRunner().invoke(cli, ["build", "--date", "2020-09-24"])
    assert result.exit_code == 0, result.output
    feed = feedparser.parse((site / "static" / "hot-papers.atom").read_bytes())
    assert [link.href for link in feed.feed.links] == [f"{SITE}/", f"{SITE}/hot-papers.atom"]


def test_a_day_ranked_otherwise_since_its_post_was_built_is_left_out(site):
    """Same number of papers, other order: the entry would list what the page does not."""
    build_two_days(site)
    add_settings(site, "\nranking:\n  weights: {reposts: 0.1, likes: 1.0}\n  min_paper_score: 0\n")
    result = CliRunner().invoke(cli, ["build", "--date", "2020-09-25"])
    assert result.exit_code == 0, result.output
    assert "feeds: left out 2020-09-24: the post differs" in result.stderr


def test_an_older_day_the_settings_cannot_render_now_is_left_out_and_the_build_succeeds(site):
    """The feeds run after the posts are written: a day they cannot check must not fail
    the build (the nightly workflow would then not commit the new post)."""
    build_two_days(site)
    bundled = (Path(__file__).parents[1] / "templates" / "post.md.j2").read_text(encoding="utf-8")
    (site / "templates").mkdir(exist_ok=True)
    broken = '{% if date == "2020-09-24" %}{{ snapshot.no_such_field }}{% endif %}'
    (site / "templates" / "post.md.j2").write_text(bundled + broken, encoding="utf-8")
    result = CliRunner().invoke(cli, ["build", "--date", "2020-09-25"])
    assert result.exit_code == 0, result.output
    assert "2020-09-25: content/posts/2020-09-25---Hot-Papers.md is up to date" in result.stderr
    assert "feeds: 1 entry, wrote" in result.stderr and "feeds: left out 2020-09-24" in result.stderr


def test_an_older_post_whose_hand_edited_frontmatter_is_broken_is_left_out_by_name(site):
    """PyYAML raises ValueError, no YAMLError, for a date that does not exist: the build of
    another day failed after writing its post."""
    build_two_days(site)
    old = site / "content" / "posts" / "2020-09-24---Hot-Papers.md"
    old.write_text(
        old.read_text(encoding="utf-8").replace("\ndate: ", "\ndate: 2020-13-45\nwas: ", 1), encoding="utf-8"
    )
    result = CliRunner().invoke(cli, ["build", "--date", "2020-09-25"])
    assert result.exit_code == 0, result.output
    assert "feeds: 1 entry, wrote static/hot-papers.atom, static/hot-papers.json" in result.stderr
    assert (
        "feeds: left out content/posts/2020-09-24---Hot-Papers.md: the frontmatter is not valid YAML at line 3 "
        "('2020-13-45' is not a valid timestamp (month must be in 1..12)); mend it, or build its day again\n"
    ) in result.stderr
    assert "the post differs" not in result.stderr


def test_other_papers_under_a_site_templates_own_headings_are_left_out(site):
    """Papers under a site template's `## N.` headings are compared too: in another order, they differ."""
    bundled = (Path(__file__).parents[1] / "templates" / "_papers.md.j2").read_text(encoding="utf-8")
    (site / "templates").mkdir(exist_ok=True)
    (site / "templates" / "_papers.md.j2").write_text(bundled.replace("\n# {{", "\n## {{"), encoding="utf-8")
    build_two_days(site)
    add_settings(site, "\nranking:\n  weights: {reposts: 0.1, likes: 1.0}\n  min_paper_score: 0\n")
    result = CliRunner().invoke(cli, ["build", "--date", "2020-09-25"])
    assert result.exit_code == 0 and "feeds: left out 2020-09-24: the post differs" in result.stderr


def test_a_feed_file_that_is_a_symbolic_link_keeps_its_own_address(site):
    """The file is written in the link's place (a link is replaced), so its address is the link's."""
    (site / "static" / "feeds").mkdir(parents=True)
    (site / "static" / "feeds" / "lab.atom").write_text("old\n", encoding="utf-8")
    (site / "static" / "hot-papers.atom").symlink_to(site / "static" / "feeds" / "lab.atom")
    build_two_days(site)
    feed = feedparser.parse((site / "static" / "hot-papers.atom").read_bytes())
    assert [link.href for link in feed.feed.links] == [f"{SITE}/", f"{SITE}/hot-papers.atom"]


def test_a_range_that_fails_part_way_still_brings_the_feeds_in_line_with_the_posts_it_wrote(site):
    build_two_days(site)
    add_settings(site, '\npost:\n  title: "Digest {date}"\n')
    (site / "data" / "snapshots" / "2020-09-26.json").write_text("{", encoding="utf-8")
    result = CliRunner().invoke(cli, ["build", "--since", "2020-09-24", "--until", "2020-09-26", "--offline"])
    assert result.exit_code == 2 and "2020-09-26.json: not valid JSON" in result.stderr
    assert "feeds: 2 entries, wrote" in result.stderr
    feed = json.loads((site / "static" / "hot-papers.json").read_text(encoding="utf-8"))
    assert [item["title"] for item in feed["items"]] == ["Digest 2020-09-25", "Digest 2020-09-24"]


def test_a_feed_file_that_is_not_utf8_is_replaced_not_an_internal_error(site):
    (site / "static").mkdir(exist_ok=True)
    (site / "static" / "hot-papers.atom").write_bytes(b"\xff\xfe")
    build_two_days(site)
    assert feedparser.parse((site / "static" / "hot-papers.atom").read_bytes()).bozo == 0


def test_characters_xml_cannot_hold_are_dropped_from_the_atom_feed(site):
    """U+FFFF in a paper's title or U+FFFE in a configured title: XML 1.0 has no way to
    write them, so the Atom feed leaves them out rather than failing every build after."""
    add_settings(
        site, f'\nsite:\n  url: {SITE}\n  title: "Lab \\ufffe papers"\npost:\n  title: "Hot \\uffff{{date}}"\n'
    )
    snapshot = site / "data" / "snapshots" / "2020-09-24.json"
    example = load_snapshot(snapshot)
    odd = replace(example.papers[0], title=example.papers[0].title + "\uffff")
    save_snapshot(replace(example, papers=(odd, *example.papers[1:])), snapshot)
    result = CliRunner().invoke(cli, ["build", "--date", "2020-09-24", "--force"])
    assert result.exit_code == 0, result.output
    feed = feedparser.parse((site / "static" / "hot-papers.atom").read_bytes())
    assert feed.bozo == 0 and feed.feed.title == "Lab  papers" and feed.entries[0].title == "Hot 2020-09-24"
    html = feed.entries[0].content[0].value
    assert "\uffff" not in html and f">{odd.title[:-1]}</a>" in html
    json_feed = json.loads((site / "static" / "hot-papers.json").read_text(encoding="utf-8"))
    assert json_feed["title"] == "Lab \ufffe papers"  # JSON holds any character


def test_a_feed_is_updated_when_its_latest_entry_is_even_if_that_is_an_older_day_rebuilt_later(site):
    """RFC 4287: a feed's updated is the latest instant it changed, so never older than an entry's
    updated; an older day fetched again after the newest day was taken gives that instant."""
    build_two_days(site)
    older = site / "data" / "snapshots" / "2020-09-24.json"
    save_snapshot(replace(load_snapshot(older), taken_at="2020-09-27T05:11:33Z"), older)
    result = CliRunner().invoke(cli, ["build", "--date", "2020-09-24"])
    assert result.exit_code == 0 and "feeds: 2 entries, wrote" in result.stderr, result.output
    feed = feedparser.parse((site / "static" / "hot-papers.atom").read_bytes())
    assert [e.updated for e in feed.entries] == ["2020-09-26T08:00:00+00:00", "2020-09-27T05:11:33+00:00"]
    assert feed.feed.updated == "2020-09-27T05:11:33+00:00"
    json_items = json.loads((site / "static" / "hot-papers.json").read_text(encoding="utf-8"))["items"]
    assert [item["date_published"] for item in json_items] == ["2020-09-26T08:00:00Z", "2020-09-27T05:11:33Z"]
    again = CliRunner().invoke(cli, ["build", "--date", "2020-09-24"])
    assert "feeds: 2 entries, up to date" in again.stderr


def test_a_fifo_at_a_day_s_post_is_named_and_hangs_no_build(site):
    """The feeds read each day's post to compare it with its snapshot: one that is a FIFO
    was read as a file, and every build waited for a writer for ever."""
    build_two_days(site)
    post = site / "content" / "posts" / "2020-09-25---Hot-Papers.md"
    post.unlink()
    os.mkfifo(post)
    command = [sys.executable, "-m", "hotpapers", "build", "--date", "2020-09-24"]
    run = subprocess.run(command, cwd=site, capture_output=True, text=True, timeout=30)
    assert run.returncode == 1, run.stderr
    assert run.stderr.endswith(
        "Error: cannot read the post content/posts/2020-09-25---Hot-Papers.md for the feeds: it is a FIFO\n"
    ), run.stderr  # named from the site's folder, as the build's other lines name a post


def test_a_draft_post_is_left_out_of_the_feeds_as_its_site_publishes_none(site):
    """With post.draft: true (lumen, Hugo: `draft: true`; Jekyll: `published: false`) the
    site published no page for the day, and the feeds listed it all the same, and left out
    the day before, published, since its `draft: false` was not as configured."""
    build_two_days(site)
    add_settings(site, "\npost:\n  draft: true\n")
    result = CliRunner().invoke(cli, ["build", "--date", "2020-09-25"])
    assert result.exit_code == 0, result.output
    post = site / "content/posts/2020-09-25---Hot-Papers.md"
    assert "\ndraft: true\n" in post.read_text(encoding="utf-8")
    feed = json.loads((site / "static" / "hot-papers.json").read_text(encoding="utf-8"))
    assert [item["url"] for item in feed["items"]] == [f"{SITE}/posts/hot-papers-2020-09-24"], result.stderr
    assert "left out" not in result.stderr
    post.write_text(post.read_text(encoding="utf-8").replace("\ndraft: true\n", "\ndraft: false\n"))  # reviewed
    feeds = hotpapers.update_feeds(hotpapers.load_config())
    assert feeds is not None and feeds.line == "feeds: 2 entries, wrote static/hot-papers.atom, static/hot-papers.json"
    feed = json.loads((site / "static" / "hot-papers.json").read_text(encoding="utf-8"))
    assert [item["url"] for item in feed["items"]] == [f"{SITE}/posts/hot-papers-2020-09-2{n}" for n in (5, 4)]


def test_a_build_whose_every_post_is_a_draft_says_why_it_wrote_no_feeds(site):
    """With post.draft: true on every day, the build wrote no feeds (each post a draft, of
    which the site publishes no page) and said nothing about it, where site.url unset is
    said, under -q too. A post made a draft by hand is named so; one published post lists."""
    add_settings(site, f"\nsite:\n  url: {SITE}/\npost:\n  draft: true\n")
    example = load_snapshot(site / "data" / "snapshots" / "2020-09-24.json")
    next_day = replace(example, date="2020-09-25", taken_at="2020-09-26T08:00:00Z")
    save_snapshot(next_day, site / "data" / "snapshots" / "2020-09-25.json")
    result = CliRunner().invoke(cli, ["-q", "build", "--since", "2020-09-24", "--until", "2020-09-25"])
    silence = "; feeds.atom and feeds.json null silence this\n"
    drafts = "feeds: not written: each post they could list is a draft ({}), of which the site publishes no page"
    assert (result.exit_code, result.stderr) == (0, drafts.format("post.draft is true") + silence)
    assert not (site / "static").exists()
    add_settings(site, "\npost:\n  draft: false\n")  # the posts stay drafts, as if set by hand
    config = hotpapers.load_config()
    report = hotpapers.update_feeds(config)
    assert report is not None and (report.line, report.drafts) == (None, 2)
    assert feeds_off_reason(config, report) + "\n" == drafts.format("as its frontmatter says") + silence
    again = CliRunner().invoke(cli, ["-q", "build", "--date", "2020-09-25", "--offline"])  # published now
    assert (again.exit_code, again.stderr) == (0, "")
    feed = json.loads((site / "static" / "hot-papers.json").read_text(encoding="utf-8"))
    assert [item["url"] for item in feed["items"]] == [f"{SITE}/posts/hot-papers-2020-09-25"]


def test_no_draft_warning_when_a_post_that_is_no_draft_was_left_out_for_its_future_date(site):
    """A draft beside a post Hugo publishes only from a future date: the build said each post
    the feeds could list is a draft, of a post that is none (it waits for its date)."""
    add_settings(site, f"\nsite:\n  url: {SITE}/\noutput:\n  profile: hugo\n")
    example = load_snapshot(site / "data" / "snapshots" / "2020-09-24.json")
    future = replace(example, date="2020-09-25", taken_at="2999-01-01T00:00:00Z")
    save_snapshot(future, site / "data" / "snapshots" / "2020-09-25.json")
    add_settings(site, "\npost:\n  draft: true\n")
    assert CliRunner().invoke(cli, ["-q", "build", "--date", "2020-09-24", "--offline"]).exit_code == 0  # a draft
    add_settings(site, "\npost:\n  draft: false\n")
    result = CliRunner().invoke(cli, ["-q", "build", "--date", "2020-09-25", "--offline"])
    assert result.exit_code == 0 and "draft" not in result.stderr, result.stderr
    assert "2020-09-25: the post is dated 2999-01-01T00:00:00Z" in result.stderr
    assert not (site / "static").exists()
    report = hotpapers.update_feeds(hotpapers.load_config(), datetime(2020, 9, 26, tzinfo=UTC))
    assert report is not None and (report.line, report.drafts) == (None, 0)


def test_a_post_hugo_publishes_only_from_a_future_date_is_left_out_of_the_feeds_until_then(site):
    """A snapshot whose taken_at lies in the future (one written by hand) dates its post then:
    build warned that Hugo does not publish it before that date, and the feeds listed it all
    the same, linking a page Hugo had not made, under an <updated> in the future. It is left
    out while its date is to come; a lumen site, which shows it, lists it."""
    example = load_snapshot(site / "data" / "snapshots" / "2020-09-24.json")
    save_snapshot(
        replace(example, date="2020-09-25", taken_at="2999-01-01T00:00:00Z"),
        site / "data" / "snapshots" / "2020-09-25.json",
    )
    for profile, listed in (("hugo", ["2020-09-24"]), ("lumen", ["2020-09-25", "2020-09-24"])):
        add_settings(site, f"\nsite:\n  url: {SITE}/\noutput:\n  profile: {profile}\n")
        result = CliRunner().invoke(cli, ["build", "--since", "2020-09-24", "--until", "2020-09-25"])
        assert result.exit_code == 0, result.output
        assert "2020-09-25: the post is dated 2999-01-01T00:00:00Z" in result.stderr
        feed = json.loads((site / "static" / "hot-papers.json").read_text(encoding="utf-8"))
        assert [item["url"].rstrip("/")[-10:] for item in feed["items"]] == listed, result.stderr
        assert ("2999" in (site / "static" / "hot-papers.atom").read_text(encoding="utf-8")) == (profile == "lumen")
