"""A --refresh that finds far fewer mentions of one platform (a search answering a page of
its posts, say) keeps the stored snapshot, as one that finds far fewer in all does: the
others' counts hid the collapse, the snapshot was replaced, and the day's post, kept as it
listed more papers, no longer matched its snapshot and left the feeds for good."""

from __future__ import annotations

from click.testing import CliRunner

from conftest import EXAMPLE_SNAPSHOT
from fakes import TOKEN, Recorder, example_scenario, live_config, serve_scenario
from hotpapers.cli import cli
from hotpapers.snapshot import load_snapshot
from test_fetch_outage import DAY, SNAPSHOT, build, day  # noqa: F401 (the fixture)


def test_a_refresh_finding_far_fewer_mentions_of_one_platform_keeps_the_snapshot_unless_forced(day):  # noqa: F811
    site, _, platforms, serve_x = day
    serve_x()
    assert build().exit_code == 0
    stored = (site / SNAPSHOT).read_bytes()
    assert len(load_snapshot(site / SNAPSHOT).mentions) > 2 * 3  # the other platforms' hold more than half in all
    platforms["mastodon"].posts = platforms["mastodon"].posts[2:]
    result = CliRunner().invoke(cli, ["-q", "build", "--date", DAY, "--refresh"])
    assert result.exit_code == 0, result.output
    assert result.stderr.splitlines()[0] == (
        f"{DAY}: kept the stored snapshot {SNAPSHOT}: it holds 3 mentions of mastodon, the new fetch 1 "
        "(--force replaces it)"
    )
    assert (site / SNAPSHOT).read_bytes() == stored
    assert build("--refresh", "--force").exit_code == 0
    assert [m.id for m in load_snapshot(site / SNAPSHOT).mentions if m.platform == "mastodon"] == ["m3"]


def test_a_refresh_that_arxiv_answers_without_some_papers_keeps_the_snapshot_unless_forced(
    tmp_path, monkeypatch, httpserver
):
    """arXiv answering a well-formed feed that lacks entries it has (an overloaded mirror's
    short answer): the refresh found as many mentions, so the snapshot was replaced by one
    without those papers' metadata, their mentions ignored; the post, kept as it listed
    more papers, no longer matched its snapshot, and the feeds (made from snapshots) lost them."""
    scenario = example_scenario()
    serve_scenario(httpserver, scenario, Recorder())
    (tmp_path / "config.yaml").write_text(live_config(httpserver))
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("X_BEARER_TOKEN", TOKEN)
    assert build().exit_code == 0
    stored = (tmp_path / SNAPSHOT).read_bytes()
    held = sorted(paper.id for paper in load_snapshot(tmp_path / SNAPSHOT).papers)
    for paper_id in held[1:]:
        del scenario.papers[paper_id]
    result = CliRunner().invoke(cli, ["-q", "build", "--date", DAY, "--refresh"])
    assert result.exit_code == 0, result.output
    assert result.stderr.splitlines()[0] == (
        f"{DAY}: kept the stored snapshot {SNAPSHOT}: it holds the metadata of {len(held) - 1} papers that arXiv "
        f"gave none for this time ({', '.join(held[1:4])}, ...) (--force replaces it)"
    )
    assert (tmp_path / SNAPSHOT).read_bytes() == stored
    assert build("--refresh", "--force").exit_code == 0
    assert [paper.id for paper in load_snapshot(tmp_path / SNAPSHOT).papers] == held[:1]


def test_a_refresh_over_a_snapshot_it_cannot_read_keeps_that_file_beside_the_new_one(tmp_path, monkeypatch, httpserver):
    """A snapshot written by hand with one mistake (a count in quotes) is refused with the
    advice to fix it or refresh; the refresh replaced it, and every mention of the user's
    own (of platforms no source fetches) was gone for good. Now the file is set aside."""
    serve_scenario(httpserver, example_scenario(), Recorder())
    (tmp_path / "config.yaml").write_text(live_config(httpserver), encoding="utf-8")
    snapshots = tmp_path / "data" / "snapshots"
    snapshots.mkdir(parents=True)
    broken = (EXAMPLE_SNAPSHOT.read_text(encoding="utf-8")).replace('"likes": 32,', '"likes": "32",', 1)
    assert broken != EXAMPLE_SNAPSHOT.read_text(encoding="utf-8")
    (tmp_path / SNAPSHOT).write_text(broken, encoding="utf-8")
    (tmp_path / f"{SNAPSHOT}.broken").write_text("an earlier one", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("X_BEARER_TOKEN", TOKEN)
    refused = CliRunner().invoke(cli, ["-q", "build", "--date", DAY])
    assert refused.exit_code == 2 and f"`hotpapers build --date {DAY} --refresh`" in refused.stderr
    result = CliRunner().invoke(cli, ["-q", "build", "--date", DAY, "--refresh"])
    assert result.exit_code == 0, result.output
    assert result.stderr.splitlines()[0] == (
        f"{DAY}: the stored snapshot could not be read; it is kept as {SNAPSHOT}.broken-2"
    )
    assert (tmp_path / f"{SNAPSHOT}.broken-2").read_text(encoding="utf-8") == broken
    assert (tmp_path / f"{SNAPSHOT}.broken").read_text(encoding="utf-8") == "an earlier one"
    assert load_snapshot(tmp_path / SNAPSHOT).date == DAY


def test_a_refresh_kept_from_a_failed_source_does_not_say_the_day_was_published_without_it(day):  # noqa: F811
    """A source failing on a --refresh said '...; published without it (a later build fetches
    it again)', then 'kept the stored snapshot ...': the day was published from the stored
    snapshot, with that source's mentions, and no build fetches it again, none being failed."""
    site, _, platforms, serve_x = day
    serve_x()
    assert build().exit_code == 0
    stored = (site / SNAPSHOT).read_bytes()
    platforms["mastodon"].failing = True
    result = CliRunner().invoke(cli, ["-q", "build", "--date", DAY, "--refresh"])
    assert result.exit_code == 0, result.output
    down = f"{DAY}: mastodon: HTTP 503 from {platforms['mastodon'].server.url_for('/search')} after 2 attempts"
    assert result.stderr.splitlines()[:2] == [
        f"{down}; the new fetch is without it",
        f"{DAY}: kept the stored snapshot {SNAPSHOT}: it holds 3 mentions of mastodon, the new fetch 0 "
        "(--force replaces it)",
    ]
    assert "published" not in result.stderr and (site / SNAPSHOT).read_bytes() == stored
    forced = CliRunner().invoke(cli, ["-q", "build", "--date", DAY, "--refresh", "--force"])
    assert forced.exit_code == 0, forced.output
    assert forced.stderr.splitlines()[0] == f"{down}; published without it (a later build fetches it again)"
    assert "kept" not in forced.stderr and load_snapshot(site / SNAPSHOT).sources["mastodon"].status == "failed"
