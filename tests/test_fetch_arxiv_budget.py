"""A day keeps at most sources.limits.MAX_METADATA_BYTES of arXiv's metadata (its papers as
JSON, in UTF-8 bytes): once a paper would pass it, no more are asked for, the papers kept
stay, the ids left out count as unknown ids (their mentions ignored), arXiv is recorded as
`partial` saying so, and the build warns in one line. Before it, each of a day's lookups
could keep an answer of http.max_bytes (64 MiB): gigabytes of metadata in one snapshot.

The arXiv stand-in answers the example day's papers (in the current API's format) with
abstracts 20,000 characters longer, some 22,000 bytes of JSON a paper; the limit is lowered
to 50,000 bytes, which two such papers fit in, and three do not."""

from __future__ import annotations

import copy
import json
from pathlib import Path

import msgspec
import pytest
from click.testing import CliRunner
from werkzeug import Request, Response

import hotpapers.sources.limits
from fakes import Recorder, atom_feed, example_scenario, fake_time, live_config, serve_scenario, without_credentials
from hn_hf_fakes import HF_2026, Algolia, story
from hotpapers.cli import cli
from hotpapers.config import ArxivSettings
from hotpapers.http import HttpClient
from hotpapers.models import Paper, Snapshot
from hotpapers.snapshot import MAX_FILE_BYTES, dump_snapshot, load_snapshot
from hotpapers.sources.arxiv import fetch_papers, parse_feed
from hotpapers.sources.limits import MAX_AUTHORS, MAX_CATEGORIES, MAX_MENTION_BYTES, MAX_METADATA_BYTES, DayBudget
from test_fetch_arxiv_limits import FlakyDailyPapers

DAY = "2020-09-24"
START = 1600905600
"""2020-09-24T00:00:00Z in epoch seconds."""
SNAPSHOT = Path("data/snapshots/2020-09-24.json")
LINKED = ["2009.11027", "2009.11094", "2009.11243", "2009.11278"]
"""The papers the day's stories link, in the order of their ids."""
PADDING = " " + "x" * 20_000


@pytest.fixture
def points() -> list[int]:
    """The points of the stories linking LINKED, in that order: the order of their
    engagement, in which they are asked for (a test parametrizes it to another)."""
    return [40, 30, 20, 10]


@pytest.fixture
def batch_size() -> int:
    return 1


@pytest.fixture
def day(tmp_path, monkeypatch, httpserver, points, batch_size):
    """Hacker News with a story linking each of LINKED (`points` points); arXiv, asked for
    `batch_size` ids a request, answers each paper with its abstract padded by PADDING;
    Hugging Face, while `failing`, answers 503."""
    monkeypatch.setattr(hotpapers.sources.limits, "MAX_METADATA_BYTES", 50_000)
    scenario, recorder = example_scenario(), Recorder()
    for paper_id in LINKED:
        scenario.papers[paper_id]["abstract"] += PADDING
    stories = [
        story(f"2457800{n}", START + 3600 * (n + 1), f"https://arxiv.org/abs/{paper_id}", points=points[n])
        for n, paper_id in enumerate(LINKED)
    ]
    httpserver.expect_request("/hn/search_by_date").respond_with_handler(Algolia(stories))
    daily = FlakyDailyPapers({})
    httpserver.expect_request("/hf/daily_papers").respond_with_handler(daily)
    sources = {
        "twitter": {"enabled": False},
        "huggingface": {"api_url": httpserver.url_for("/hf"), "min_interval": 0},
        "hackernews": {"api_url": httpserver.url_for("/hn"), "min_interval": 0},
    }
    every_paper = {"candidates": {"categories": None, "max_age_days": None}, "ranking": {"min_paper_score": 0}}
    config = live_config(
        httpserver, sources=sources, arxiv={"batch_size": batch_size, "min_interval": 0}, **every_paper
    )
    (tmp_path / "config.yaml").write_text(config)
    serve_scenario(httpserver, scenario, recorder)
    monkeypatch.chdir(tmp_path)
    without_credentials(monkeypatch)
    fake_time(monkeypatch)
    return tmp_path, scenario, recorder, daily


def asked(recorder: Recorder) -> list[str]:
    return [query["id_list"] for _, query, _ in recorder.of("/api/query")]


def test_a_day_past_the_budget_keeps_the_papers_that_fit_and_asks_no_more(day):
    """2009.11027 and 2009.11094 fit (some 44,000 bytes); 2009.11243 would pass 50,000, so it
    is left out and 2009.11278 never asked for. Their mentions are ignored, as those of ids
    arXiv does not have; the post lists the two papers kept."""
    root, _, recorder, _ = day
    result = CliRunner().invoke(cli, ["build", "--date", DAY])
    assert result.exit_code == 0, result.output
    assert asked(recorder) == ["2009.11027", "2009.11094", "2009.11243"]
    reached = "reached the 50,000 bytes of metadata a day keeps: kept 2 papers, left out the rest"
    assert (
        f"{DAY}: arxiv: {reached}; the ids left out count as unknown ids, whose mentions are ignored\n"
    ) in result.stderr
    assert f"{DAY}: ignored mentions of 2 ids without metadata: 2009.11243, 2009.11278\n" in result.stderr
    snapshot = load_snapshot(root / SNAPSHOT)
    assert [paper.id for paper in snapshot.papers] == ["2009.11027", "2009.11094"]
    assert snapshot.papers[0].abstract.endswith(PADDING)
    status = snapshot.sources["arxiv"]
    assert (status.status, status.requests, status.items) == ("partial", 3, 2)
    assert status.detail == f"{reached}; unknown ids: 2009.11243, 2009.11278"
    post = (root / "content/posts/2020-09-24---Hot-Papers.md").read_text()
    titles = {paper.id: paper.title for paper in snapshot.papers}
    headings = [line for line in post.splitlines() if line.startswith("# ")]
    assert headings == [f"# 1. {titles['2009.11027']}", f"# 2. {titles['2009.11094']}"]


@pytest.mark.parametrize(("points", "batch_size"), [([10, 40, 20, 30], 2)])
def test_the_papers_kept_at_the_budget_are_the_most_engaged(day):
    """Engagement orders the papers 2009.11094 (40 points), 2009.11278 (30), 2009.11243 (20),
    2009.11027 (10): they are asked for in that order, two a request, so the two that fit
    are the two the post ranks first. The second request holds 2009.11243, which would pass
    the limit, and 2009.11027 after it: both are left out, and no third request is made."""
    root, _, recorder, _ = day
    result = CliRunner().invoke(cli, ["build", "--date", DAY])
    assert result.exit_code == 0, result.output
    assert asked(recorder) == ["2009.11094,2009.11278", "2009.11243,2009.11027"]
    assert f"{DAY}: ignored mentions of 2 ids without metadata: 2009.11027, 2009.11243\n" in result.stderr
    snapshot = load_snapshot(root / SNAPSHOT)
    assert [paper.id for paper in snapshot.papers] == ["2009.11094", "2009.11278"]
    status = snapshot.sources["arxiv"]
    assert (status.status, status.requests, status.items) == ("partial", 2, 2)
    reached = "reached the 50,000 bytes of metadata a day keeps: kept 2 papers, left out the rest"
    assert status.detail == f"{reached}; unknown ids: 2009.11027, 2009.11243"
    post = (root / "content/posts/2020-09-24---Hot-Papers.md").read_text()
    titles = {paper.id: paper.title for paper in snapshot.papers}
    headings = [line for line in post.splitlines() if line.startswith("# ")]
    assert headings == [f"# 1. {titles['2009.11094']}", f"# 2. {titles['2009.11278']}"]


def test_a_batch_is_kept_in_the_order_asked_whatever_the_order_of_its_answer(httpserver):
    """arXiv answering a batch's entries in the order of their ids: the papers kept are still
    the first asked for (the most engaged), 2009.11094 and 2009.11278, not 2009.11243, which
    the answer lists second."""
    papers = example_scenario().papers
    asked_for: list[str] = []

    def answer(request: Request) -> Response:
        asked_for.append(request.args["id_list"])
        ids = sorted(request.args["id_list"].split(","))
        feed = atom_feed([{**papers[i], "abstract": papers[i]["abstract"] + PADDING} for i in ids], "")
        return Response(feed, 200, content_type="application/atom+xml")

    httpserver.expect_request("/api/query").respond_with_handler(answer)
    settings = ArxivSettings(api_url=httpserver.url_for("/api/query"), batch_size=3, min_interval=0)
    budget = DayBudget(50_000)
    engaged = ["2009.11094", "2009.11278", "2009.11243", "2009.11027"]
    result = fetch_papers(engaged, settings, HttpClient(timeout=5, retries=0, max_wait=1), budget)
    assert asked_for == ["2009.11094,2009.11278,2009.11243"]
    assert [paper.id for paper in result.papers] == ["2009.11094", "2009.11278"]
    assert budget.full


def test_a_repair_asks_nothing_more_of_a_day_at_the_budget(day):
    """Hugging Face failed at first; listed when the day is repaired, its new paper
    (2009.11201) is not asked for: the day's metadata is at its limit. It counts as an
    unknown id too, and the status still says the limit was reached."""
    root, _, recorder, daily = day
    assert CliRunner().invoke(cli, ["build", "--date", DAY]).exit_code == 0
    assert load_snapshot(root / SNAPSHOT).sources["huggingface"].status == "failed"
    listed = copy.deepcopy(HF_2026[:1])
    listed[0]["paper"]["id"] = "2009.11201"
    daily.days[DAY], daily.failing = listed, False

    result = CliRunner().invoke(cli, ["build", "--date", DAY])
    assert result.exit_code == 0, result.output
    assert f"{DAY}: fetched huggingface again: 1 mention" in result.stderr
    assert asked(recorder) == ["2009.11027", "2009.11094", "2009.11243"]  # the first build's, no more
    reached = "reached the 50,000 bytes of metadata a day keeps: kept 2 papers, left out the rest"
    assert f"{DAY}: arxiv: {reached}; the ids left out count as unknown ids" in result.stderr
    snapshot = load_snapshot(root / SNAPSHOT)
    assert [paper.id for paper in snapshot.papers] == ["2009.11027", "2009.11094"]
    status = snapshot.sources["arxiv"]
    assert (status.status, status.requests) == ("partial", 3)
    assert status.detail == f"{reached}; unknown ids: 2009.11201, 2009.11243, 2009.11278"


def test_a_refresh_at_the_budget_keeps_the_stored_day_and_says_why(day, monkeypatch):
    """The day stored under a limit of 100,000 bytes holds the four papers; refreshed under
    50,000, the fetch keeps 2009.11027 and 2009.11094 and leaves out the other two: the
    stored snapshot stays, as the new one lacks the metadata it holds, and the reason given
    is the limit, not an arXiv that gave none of those papers (it was never asked for
    2009.11278)."""
    root, _, recorder, _ = day
    monkeypatch.setattr(hotpapers.sources.limits, "MAX_METADATA_BYTES", 100_000)
    assert CliRunner().invoke(cli, ["build", "--date", DAY]).exit_code == 0
    stored = (root / SNAPSHOT).read_bytes()
    assert len(load_snapshot(root / SNAPSHOT).papers) == 4
    monkeypatch.setattr(hotpapers.sources.limits, "MAX_METADATA_BYTES", 50_000)

    result = CliRunner().invoke(cli, ["build", "--date", DAY, "--refresh"])
    assert result.exit_code == 0, result.output
    assert asked(recorder)[4:] == ["2009.11027", "2009.11094", "2009.11243"]
    assert (
        f"{DAY}: kept the stored snapshot data/snapshots/2020-09-24.json: it holds the metadata of 2 papers that "
        "the new fetch has none for, having reached the 50,000 bytes of metadata a day keeps (2009.11243, "
        "2009.11278) (--force replaces it)\n"
    ) in result.stderr
    assert "gave none" not in result.stderr
    assert (root / SNAPSHOT).read_bytes() == stored


def test_a_refresh_at_the_budget_blames_the_limit_only_for_the_papers_it_left_out(day, monkeypatch):
    """Stored under a limit of 100,000 bytes, the day holds the four papers. Refreshed
    under 50,000, with arXiv no longer answering 2009.11094: 2009.11027 is kept, 2009.11094
    asked for and not given, 2009.11243 kept (some 44,000 bytes), and 2009.11278, which would
    pass 50,000, left out. The limit cost 2009.11278 alone; it was named for both."""
    root, scenario, recorder, _ = day
    monkeypatch.setattr(hotpapers.sources.limits, "MAX_METADATA_BYTES", 100_000)
    assert CliRunner().invoke(cli, ["build", "--date", DAY]).exit_code == 0
    monkeypatch.setattr(hotpapers.sources.limits, "MAX_METADATA_BYTES", 50_000)
    del scenario.papers["2009.11094"]

    result = CliRunner().invoke(cli, ["build", "--date", DAY, "--refresh"])
    assert result.exit_code == 0, result.output
    assert asked(recorder)[4:] == ["2009.11027", "2009.11094", "2009.11243", "2009.11278"]
    assert (
        f"{DAY}: kept the stored snapshot data/snapshots/2020-09-24.json: it holds the metadata of 1 paper that "
        "arXiv gave none for this time (2009.11094), and of 1 that the new fetch has none for, having reached the "
        "50,000 bytes of metadata a day keeps (2009.11278) (--force replaces it)\n"
    ) in result.stderr
    assert len(load_snapshot(root / SNAPSHOT).papers) == 4


def test_a_snapshot_written_by_hand_at_the_budget_without_papers_is_repaired_within_it(day):
    """A snapshot written by hand records Hacker News as failed and arXiv's limit as reached
    while it holds no paper, which no fetch records (a first paper alone past the limit
    fails arXiv). The limit counts the bytes kept: none are, so the repair asks arXiv for the
    four ids Hacker News now links, keeps the two that fit in the 50,000 bytes and records
    that limit reached with them; it said that the first paper alone held more than the
    limit, though none had been asked for, and recorded arXiv as failed."""
    root, _, recorder, _ = day
    reached = "reached the 50,000 bytes of metadata a day keeps: kept 0 papers, left out the rest"
    handmade = {
        "schema": "hotpapers/snapshot@1",
        "date": DAY,
        "taken_at": "2020-09-25T08:00:00Z",
        "papers": [],
        "mentions": [],
        "sources": {
            "hackernews": {"status": "failed", "detail": "HTTP 503"},
            "huggingface": {"status": "ok", "items": 0},
            "arxiv": {"status": "partial", "detail": reached},
        },
    }
    (root / SNAPSHOT).parent.mkdir(parents=True)
    (root / SNAPSHOT).write_text(json.dumps(handmade))

    result = CliRunner().invoke(cli, ["build", "--date", DAY])
    assert result.exit_code == 0, result.output
    assert "first paper alone" not in result.stderr
    assert f"{DAY}: fetched hackernews again: 4 mentions" in result.stderr
    assert asked(recorder) == ["2009.11027", "2009.11094", "2009.11243"]
    snapshot = load_snapshot(root / SNAPSHOT)
    assert [paper.id for paper in snapshot.papers] == ["2009.11027", "2009.11094"]
    status = snapshot.sources["arxiv"]
    assert (status.status, status.requests, status.items) == ("partial", 3, 2)
    assert status.detail == (
        "reached the 50,000 bytes of metadata a day keeps: kept 2 papers, left out the rest; "
        "unknown ids: 2009.11243, 2009.11278"
    )
    post = (root / "content/posts/2020-09-24---Hot-Papers.md").read_text()
    assert len([line for line in post.splitlines() if line.startswith("# ")]) == 2


def test_a_first_paper_past_the_budget_alone_fails_arxiv_in_one_line(day, monkeypatch, httpserver):
    """Nothing of the day fits: arXiv failed, as on an unreadable answer, the posts read
    kept, and the next build asks arXiv again."""
    root, _, recorder, _ = day
    monkeypatch.setattr(hotpapers.sources.limits, "MAX_METADATA_BYTES", 10_000)
    result = CliRunner().invoke(cli, ["build", "--date", DAY])
    assert result.exit_code == 1, result.output
    assert result.stderr == (  # Hugging Face failed too (its fixture answers 503): not published without it
        "Error: 2020-09-24: arxiv: its first paper alone holds more than the 10,000 bytes of metadata a day keeps: "
        f"taken as a failed answer (from {httpserver.url_for('/api/query')}); "
        f"huggingface: HTTP 503 from {httpserver.url_for('/hf/daily_papers')} after 3 attempts; "
        "the posts read are kept in data/snapshots/2020-09-24.json, and the next `hotpapers build --date 2020-09-24` asks arXiv and huggingface "
        "again\n"
    )
    assert asked(recorder) == ["2009.11027"]
    snapshot = load_snapshot(root / SNAPSHOT)
    assert (snapshot.sources["arxiv"].status, snapshot.papers) == ("failed", ())


def test_real_days_are_far_below_the_budget_and_a_day_at_it_fits_a_snapshot():
    """The largest paper of the recorded answers, 5,000 times over (arxiv.max_ids' default),
    takes less than half the limit. A snapshot file holds a paper in at most four times its
    JSON's bytes, even one of MAX_AUTHORS authors and MAX_CATEGORIES categories of one letter
    each (its indentation), so the papers at the limit and every source at its own fill at
    most three quarters of MAX_FILE_BYTES."""
    real = Path(__file__).parent / "fixtures/real-api"
    papers = [
        paper
        for path in sorted(real.glob("arxiv_*.xml"))
        if "error" not in path.name
        for paper in parse_feed(path.read_bytes()).papers
    ]
    largest = max(len(msgspec.json.encode(paper)) for paper in papers)
    assert 2_000 < largest < 3_000 and ArxivSettings().max_ids * largest < MAX_METADATA_BYTES // 2
    small = Paper(
        id="2009.11243",
        title="T",
        authors=("A",) * MAX_AUTHORS,
        categories=("c",) * MAX_CATEGORIES,
        abstract="",
        abs_url="https://arxiv.org/abs/2009.11243",
        pdf_url=None,
    )
    shapes = [small, *papers[:5]]
    day = Snapshot(date="2026-11-20", taken_at="2026-11-21T08:00:00Z", papers=tuple(shapes), mentions=())
    empty = Snapshot(date="2026-11-20", taken_at="2026-11-21T08:00:00Z", papers=(), mentions=())
    in_file = len(dump_snapshot(day).encode()) - len(dump_snapshot(empty).encode())
    assert in_file <= 4 * sum(len(msgspec.json.encode(paper)) for paper in shapes)
    assert 2 * MAX_MENTION_BYTES + 4 * MAX_METADATA_BYTES <= MAX_FILE_BYTES * 3 // 4
