"""`hotpapers build` with X off, reading Hacker News and Hugging Face through the registry,
against stand-ins of Algolia, the daily papers list and arXiv, with no key set."""

from __future__ import annotations

import copy
from pathlib import Path

import pytest
from click.testing import CliRunner

from fakes import Recorder, example_scenario, live_config, serve_scenario, without_credentials
from hn_hf_fakes import HF_2026, Algolia, DailyPapers, story
from hotpapers.cli import cli
from hotpapers.snapshot import load_snapshot

DAY = "2020-09-24"
START = 1600905600
"""2020-09-24T00:00:00Z in epoch seconds."""
SNAPSHOT = Path("data/snapshots/2020-09-24.json")


@pytest.fixture
def site(tmp_path, monkeypatch, httpserver):
    serve_scenario(httpserver, example_scenario(), Recorder())
    algolia = Algolia(
        [
            story("24578001", START + 36000, "https://arxiv.org/abs/2009.11278", points=120, comments=45),
            story("24579999", START + 72000, "https://arxiv.org/pdf/2009.11278v1.pdf", points=3, comments=1),
            story(
                "24580000",
                START + 100,
                None,
                title="Ask HN: KoBE?",
                story_text='See <a href="https:&#x2F;&#x2F;arxiv.org&#x2F;abs&#x2F;2009.11027">this</a>',
            ),
            story("24580001", START - 1, "https://arxiv.org/abs/2009.11094"),
        ]
    )
    listed = copy.deepcopy(HF_2026[:2])
    listed[0]["paper"]["id"], listed[1]["paper"]["id"] = "2009.11243", "2009.11094"
    daily = DailyPapers({DAY: listed})
    httpserver.expect_request("/hn/search_by_date").respond_with_handler(algolia)
    httpserver.expect_request("/hf/daily_papers").respond_with_handler(daily)
    sources = {
        "twitter": {"enabled": False},
        "hackernews": {"api_url": httpserver.url_for("/hn"), "min_interval": 0},
        "huggingface": {"api_url": httpserver.url_for("/hf"), "min_interval": 0},
    }
    (tmp_path / "config.yaml").write_text(live_config(httpserver, sources=sources))
    monkeypatch.chdir(tmp_path)
    without_credentials(monkeypatch)
    return tmp_path, algolia, daily


def test_a_build_with_x_off_reads_hacker_news_and_hugging_face(site):
    root, algolia, daily = site
    result = CliRunner().invoke(cli, ["build", "--date", DAY])
    assert result.exit_code == 0, result.output
    assert len(algolia.recorder.calls) == 1 and len(daily.recorder.calls) == 2
    assert daily.asked()[0] == (DAY, "100", "0")
    snapshot = load_snapshot(root / SNAPSHOT)
    hn, hf = snapshot.sources["hackernews"], snapshot.sources["huggingface"]
    assert (hn.status, hn.requests, hn.items, hn.query) == ("ok", 1, 3, "arxiv.org")
    assert (hf.status, hf.requests, hf.items, hf.query) == ("ok", 2, 2, f"date={DAY}")
    assert snapshot.sources["twitter"].status == "skipped"
    found = sorted((m.platform, m.id, m.paper_ids, m.likes, m.replies) for m in snapshot.mentions)
    assert found == [
        ("hackernews", "24578001", ("2009.11278",), 120, 45),
        ("hackernews", "24579999", ("2009.11278",), 3, 1),
        ("hackernews", "24580000", ("2009.11027",), 1, 0),
        ("huggingface", "2009.11094", ("2009.11094",), 74, 1),
        ("huggingface", "2009.11243", ("2009.11243",), 92, 1),
    ]
    assert {p.id for p in snapshot.papers} == {"2009.11278", "2009.11027", "2009.11094", "2009.11243"}


@pytest.mark.parametrize("dry_run", [False, True])
def test_a_day_fetched_beside_a_snapshot_of_its_own_under_another_name_says_so(site, dry_run):
    """A snapshot written by hand as 2020-09-24.json.txt (an editor's extension, which a file
    manager hides) was passed over without a word: the day was fetched from the sources, and
    its post published without the site's own data."""
    root = site[0]
    (root / SNAPSHOT.parent).mkdir(parents=True)
    (root / SNAPSHOT.parent / "2020-09-24.json.txt").write_text("{}", encoding="utf-8")
    result = CliRunner().invoke(cli, ["-q", "build", "--date", DAY, *(["--dry-run"] if dry_run else [])])
    assert result.exit_code == 0, result.output
    assert (
        "2020-09-24: no snapshot stored (2020-09-24.json.txt beside it is not read: a snapshot is named "
        "2020-09-24.json): the day is fetched from the sources"
    ) in result.stderr.splitlines()
    assert (root / SNAPSHOT).exists() != dry_run


def test_a_day_fetched_again_says_nothing_of_the_files_beside_it(site):
    root = site[0]
    assert CliRunner().invoke(cli, ["-q", "build", "--date", DAY]).exit_code == 0
    (root / SNAPSHOT.parent / "2020-09-24.json.broken").write_text("{", encoding="utf-8")  # an earlier refresh's
    result = CliRunner().invoke(cli, ["-q", "build", "--date", DAY, "--refresh"])
    assert result.exit_code == 0 and "beside it" not in result.stderr


def test_a_fetch_into_a_snapshots_folder_gone_from_a_site_with_posts_says_so(site):
    """The snapshots moved (to keep them out of Hugo's data folder, say) and paths.snapshots
    was left as it was: the nightly build made a new folder without a word, and from then
    on the feeds listed one day instead of the site's last ones, and `check` found no problem."""
    root = site[0]
    assert CliRunner().invoke(cli, ["-q", "build", "--date", DAY]).exit_code == 0
    (root / "data/snapshots").rename(root / "snapshots")
    planned = CliRunner().invoke(cli, ["-q", "build", "--date", "2020-09-25", "--dry-run"])
    assert planned.exit_code == 0 and not (root / "data/snapshots").exists()
    assert (
        "data/snapshots is not there, though content/posts holds the posts of 1 day (the latest 2020-09-24): the fetch "
        "would start it anew, and the feeds would list only the days it holds; if the snapshots moved, set "
        "paths.snapshots to their folder"
    ) in planned.stderr.splitlines()
    result = CliRunner().invoke(cli, ["-q", "build", "--date", "2020-09-25"])
    assert result.exit_code == 0, result.output
    assert (
        "data/snapshots is not there, though content/posts holds the posts of 1 day (the latest 2020-09-24): the fetch "
        "starts it anew, and the feeds list only the days it holds; if the snapshots moved, set paths.snapshots to "
        "their folder"
    ) in result.stderr.splitlines()
    again = CliRunner().invoke(cli, ["-q", "build", "--date", "2020-09-26"])
    assert again.exit_code == 0 and "is not there" not in again.stderr


def test_a_new_site_s_first_fetch_says_nothing_of_its_snapshots_folder(site):
    result = CliRunner().invoke(cli, ["-q", "build", "--date", DAY])
    assert result.exit_code == 0 and "is not there" not in result.stderr
