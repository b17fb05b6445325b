"""What one hostile answer may make of the arXiv lookups: a story naming thousands of
ids costs at most `arxiv.max_ids` lookups, the ids with the most engagement; a paper
whose metadata no snapshot may hold is left out, and an answer of only such papers
fails arXiv in one line (exit 1), never the snapshot check (exit 2)."""

from __future__ import annotations

import copy
import json
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from werkzeug import Response

from fakes import Recorder, atom_feed, example_scenario, fake_time, live_config, serve_scenario, without_credentials
from hn_hf_fakes import HF_2026, Algolia, DailyPapers, story
from hotpapers.cli import cli
from hotpapers.snapshot import load_snapshot

DAY = "2020-09-24"
START = 1600905600
"""2020-09-24T00:00:00Z in epoch seconds."""
SNAPSHOT = Path("data/snapshots/2020-09-24.json")
SPAM_IDS = [f"2009.{n:05d}" for n in range(1, 1001)]
"""A thousand ids none of the other stories links, all real-looking."""


@pytest.fixture
def day(tmp_path, monkeypatch, httpserver):
    """Hacker News with three stories linking one paper each (120, 40 and 3 points) and
    one of 1 point naming a thousand ids in its text; arXiv knows the example's papers."""
    scenario, recorder = example_scenario(), Recorder()
    stories = [
        story("24578001", START + 3600, "https://arxiv.org/abs/2009.11278", points=120),
        story("24578002", START + 7200, "https://arxiv.org/abs/2009.11027", points=40),
        story("24578003", START + 9000, "https://arxiv.org/abs/2009.11094", points=3),
        story(
            "24578004",
            START + 10800,
            None,
            points=1,
            title="Ask HN: read these?",
            story_text=" ".join(f"arXiv:{paper_id}" for paper_id in SPAM_IDS),
        ),
    ]
    httpserver.expect_request("/hn/search_by_date").respond_with_handler(Algolia(stories))
    sources = {
        "twitter": {"enabled": False},
        "huggingface": {"enabled": False},
        "hackernews": {"api_url": httpserver.url_for("/hn"), "min_interval": 0},
    }
    every_paper = {"candidates": {"categories": None, "max_age_days": None}, "ranking": {"min_paper_score": 0}}
    config = json.loads(live_config(httpserver, sources=sources, **every_paper))

    def start(**arxiv) -> None:
        config["arxiv"].update(arxiv)
        (tmp_path / "config.yaml").write_text(json.dumps(config))
        serve_scenario(httpserver, scenario, recorder)

    monkeypatch.chdir(tmp_path)
    without_credentials(monkeypatch)
    fake_time(monkeypatch)
    return tmp_path, scenario, recorder, start


def asked(recorder: Recorder) -> list[str]:
    return [i for _, query, _ in recorder.of("/api/query") for i in query["id_list"].split(",")]


def test_past_max_ids_the_ids_with_the_most_engagement_are_looked_up(day):
    root, _, recorder, start = day
    start(max_ids=4, batch_size=100)
    result = CliRunner().invoke(cli, ["build", "--date", DAY])
    assert result.exit_code == 0, result.output
    # 120, 40 and 3 points, then the first of the thousand ids at 1 point each
    assert sorted(asked(recorder)) == ["2009.00001", "2009.11027", "2009.11094", "2009.11278"]
    assert len(recorder.of("/api/query")) == 1
    warning = (
        f"{DAY}: 1003 arXiv ids mentioned, more than arxiv.max_ids (4) allows; looked up the 4 with the most "
        "engagement (as the ranking scores them) and left out 999\n"
    )
    assert warning in result.stderr
    snapshot = load_snapshot(root / SNAPSHOT)
    status = snapshot.sources["arxiv"]
    assert (status.status, status.requests) == ("partial", 1)
    assert status.detail == "999 ids not looked up (arxiv.max_ids); unknown ids: 2009.00001"
    post = (root / "content/posts/2020-09-24---Hot-Papers.md").read_text().splitlines()
    titles = {paper.id: paper.title for paper in snapshot.papers}
    headings = [line for line in post if line.startswith("# ")]
    assert headings == [f"# {n}. {titles[i]}" for n, i in enumerate(["2009.11278", "2009.11027", "2009.11094"], 1)]


def test_the_limit_bounds_the_requests_one_story_can_cause(day):
    _, _, recorder, start = day
    start(max_ids=500, batch_size=100)
    assert CliRunner().invoke(cli, ["build", "--date", DAY]).exit_code == 0
    assert len(recorder.of("/api/query")) == 5 and len(set(asked(recorder))) == 500


def test_below_max_ids_every_id_is_looked_up(day):
    root, _, recorder, start = day
    start(max_ids=1003, batch_size=500)
    result = CliRunner().invoke(cli, ["build", "--date", DAY])
    assert result.exit_code == 0 and "arxiv.max_ids" not in result.stderr
    assert len(recorder.of("/api/query")) == 3 and len(set(asked(recorder))) == 1003
    assert load_snapshot(root / SNAPSHOT).sources["arxiv"].status == "ok"


def test_a_paper_the_snapshot_check_refuses_is_left_out(day):
    root, scenario, _, start = day
    scenario.papers["2009.11027"]["published"] = "yesterday"
    start(max_ids=3)
    result = CliRunner().invoke(cli, ["build", "--date", DAY])
    assert result.exit_code == 0, result.output
    assert (
        f"{DAY}: arxiv: left out 1 paper whose metadata no snapshot may hold "
        "(2009.11027: published: 'yesterday' is not a time stamp written as 2020-09-25T08:00:47Z or with an offset, "
        "as 2020-09-25T10:00:47+02:00)\n"
    ) in result.stderr
    snapshot = load_snapshot(root / SNAPSHOT)
    assert {p.id for p in snapshot.papers} == {"2009.11278", "2009.11094"}


def test_arxivs_failure_names_the_config_where_cron_runs_elsewhere(day, httpserver, monkeypatch):
    """The `build --date D` that asks arXiv again, pasted in cron's folder, would read no site's config."""
    root, scenario, _, start = day
    for paper in scenario.papers.values():
        paper["published"] = "yesterday"
    start(max_ids=3)
    (root / "home").mkdir()
    monkeypatch.chdir(root / "home")
    result = CliRunner().invoke(cli, ["--config", str(root / "config.yaml"), "build", "--date", DAY])
    assert result.exit_code == 1, result.output
    assert result.stderr.endswith(
        f", and the next `hotpapers --config {root / 'config.yaml'} build --date 2020-09-24` asks arXiv alone again\n"
    )


def test_an_answer_of_only_refused_papers_fails_arxiv_in_one_line(day, httpserver):
    root, scenario, _, start = day
    for paper in scenario.papers.values():
        paper["published"] = "yesterday"
    start(max_ids=3)
    result = CliRunner().invoke(cli, ["build", "--date", DAY])
    assert result.exit_code == 1, result.output
    assert result.stderr.endswith(
        "\nError: 2020-09-24: arxiv: no paper it returned has metadata a snapshot may hold (2009.11027: published: "
        "'yesterday' is not a time stamp written as 2020-09-25T08:00:47Z or with an offset, as "
        f"2020-09-25T10:00:47+02:00; from {httpserver.url_for('/api/query')}); the posts read are kept in data/snapshots/2020-09-24.json, and the next `hotpapers build --date 2020-09-24` asks arXiv alone again\n"
    )
    assert load_snapshot(root / SNAPSHOT).sources["arxiv"].status == "failed"  # the posts read, kept


@pytest.mark.parametrize(
    ("version", "left_out"),
    [("0", "(2009.11027: version: 0 is less than the minimum of 1)"), ("9" * 5000, None)],
    ids=["version-0", "version-of-5000-digits"],
)
def test_a_hostile_version_leaves_out_only_its_paper(day, version, left_out):
    root, scenario, _, start = day
    scenario.papers["2009.11027"]["version"] = version
    start(max_ids=3)
    result = CliRunner().invoke(cli, ["build", "--date", DAY])
    assert result.exit_code == 0, result.output
    assert (f"{DAY}: arxiv: left out 1 paper whose metadata no snapshot may hold {left_out}\n" in result.stderr) == (
        left_out is not None
    )
    assert {p.id for p in load_snapshot(root / SNAPSHOT).papers} == {"2009.11278", "2009.11094"}


def fails_arxiv_as_no_feed(day, httpserver, feed: bytes, reason: str) -> None:
    """A build whose arXiv stand-in answers `feed` fails arXiv in one line giving `reason`,
    and keeps the posts read."""
    root, _, _, start = day
    httpserver.expect_request("/api/query").respond_with_data(feed, content_type="application/atom+xml")
    start(max_ids=3)
    result = CliRunner().invoke(cli, ["build", "--date", DAY])
    assert result.exit_code == 1, result.output
    assert result.stderr.endswith(
        f"\nError: 2020-09-24: arxiv: not an arXiv Atom feed ({reason}) (HTTP 200 from "
        f"{httpserver.url_for('/api/query')}); the posts read are kept in data/snapshots/2020-09-24.json, and the "
        "next `hotpapers build --date 2020-09-24` asks arXiv alone again\n"
    )
    assert load_snapshot(root / SNAPSHOT).sources["arxiv"].status == "failed"  # the posts read, kept


def three_papers_feed(day) -> bytes:
    _, scenario, _, _ = day
    return atom_feed([scenario.papers[i] for i in ("2009.11027", "2009.11094", "2009.11278")], "id_list=...")


@pytest.mark.parametrize(
    ("reference", "error"),
    [
        (b"&#xD83D;", "UnicodeEncodeError"),
        (b"&#x110000;", "ValueError"),
        # chr() of a number past C's int: OverflowError until Python 3.12, ValueError since 3.13
        (b"&#99999999999999999999999;", "OverflowError" if sys.version_info < (3, 13) else "ValueError"),
    ],
    ids=["lone-surrogate", "past-unicode", "huge"],
)
def test_a_feed_its_parser_breaks_on_fails_arxiv_in_one_line(day, httpserver, reference, error):
    feed = three_papers_feed(day).replace(b"<title>", b"<title>" + reference, 1)
    fails_arxiv_as_no_feed(day, httpserver, feed, f"{error} reading it")


@pytest.mark.parametrize("encoding", ["UTF-8", "cp500"], ids=["utf-8", "ebcdic"])
def test_an_answer_of_more_elements_than_a_feed_holds_fails_arxiv_before_it_is_read(day, httpserver, encoding):
    """feedparser keeps 300 to 650 bytes for each element, and more when its lenient parser
    reads a feed again: 5.7 MiB of unclosed `<x>` took 1.3 GB and a minute to refuse, so the
    64 MiB of http.max_bytes would take 14 GB. The elements are counted as feedparser reads
    them, in the encoding the feed declares: in EBCDIC a `<` is the byte 0x4C."""
    text = three_papers_feed(day).decode().replace("</feed>", "<x/>" * 500_000 + "</feed>")
    feed = text.replace("encoding='UTF-8'", f"encoding='{encoding}'").encode(encoding)
    fails_arxiv_as_no_feed(day, httpserver, feed, "more than 500,000 elements")


def test_a_feed_declaring_an_encoding_that_fails_as_it_decodes_fails_arxiv_in_one_line(day, httpserver):
    """Counting the elements of a feed declaring 'punycode' raised its UnicodeError out of
    the build: 'internal error'. Since Python 3.13 that codec raises a UnicodeDecodeError,
    after which feedparser tries other encodings, and reads the feed."""
    feed = three_papers_feed(day).replace(b"encoding='UTF-8'", b"encoding='punycode'")
    if sys.version_info < (3, 13):
        fails_arxiv_as_no_feed(day, httpserver, feed, "UnicodeError reading it")
        return
    root, _, _, start = day
    httpserver.expect_request("/api/query").respond_with_data(feed, content_type="application/atom+xml")
    start(max_ids=3)
    result = CliRunner().invoke(cli, ["build", "--date", DAY])
    assert result.exit_code == 0, result.output
    assert {paper.id for paper in load_snapshot(root / SNAPSHOT).papers} == {"2009.11027", "2009.11094", "2009.11278"}


class FlakyDailyPapers(DailyPapers):
    """The daily papers list, answering 503 while `failing`."""

    failing = True

    def __call__(self, request):
        return Response("Service Unavailable", 503) if self.failing else super().__call__(request)


@pytest.mark.parametrize(
    ("listed_ids", "left_out"),
    [(["2009.11094", "2009.00002"], 999), (["2009.11094", "2009.00002", "2009.11243"], 1000)],
    ids=["known-ids", "a-new-id"],
)
def test_a_repair_keeps_what_the_capped_lookup_recorded(day, httpserver, listed_ids, left_out):
    """A repair recorded arXiv as ok and listed the 999 ids left out as unknown ids.
    Hugging Face, failed at first, lists an id looked up before, one left out before
    and maybe a new one, which the day's spent lookups leave out too."""
    root, _, recorder, start = day
    listed = copy.deepcopy(HF_2026[: len(listed_ids)])
    for item, paper_id in zip(listed, listed_ids, strict=True):
        item["paper"]["id"] = paper_id
    daily = FlakyDailyPapers({DAY: listed})
    httpserver.expect_request("/hf/daily_papers").respond_with_handler(daily)
    start(max_ids=4, batch_size=100)
    config = json.loads((root / "config.yaml").read_text())
    config["sources"]["huggingface"] = {"api_url": httpserver.url_for("/hf"), "min_interval": 0}
    (root / "config.yaml").write_text(json.dumps(config))
    first = CliRunner().invoke(cli, ["build", "--date", DAY])
    assert first.exit_code == 0, first.output
    assert load_snapshot(root / SNAPSHOT).sources["huggingface"].status == "failed"
    lookups = len(recorder.of("/api/query"))

    daily.failing = False
    result = CliRunner().invoke(cli, ["build", "--date", DAY])
    assert result.exit_code == 0, result.output
    assert f"{DAY}: fetched huggingface again: {len(listed_ids)} mentions" in result.stderr
    assert len(recorder.of("/api/query")) == lookups  # the day's 4 lookups were made before
    warning = (
        f"{DAY}: 1004 arXiv ids mentioned, more than arxiv.max_ids (4) allows; looked up 4 before and 0 now, "
        "those with the most engagement (as the ranking scores them) and left out 1000\n"
    )
    assert (warning in result.stderr) == (left_out == 1000)
    status = load_snapshot(root / SNAPSHOT).sources["arxiv"]
    assert (status.status, status.requests) == ("partial", 1)
    assert status.detail == f"{left_out} ids not looked up (arxiv.max_ids); unknown ids: 2009.00001"
