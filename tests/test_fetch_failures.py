"""A failing or hostile source never publishes garbage: exit 1, one line, no snapshot
(but the posts read, when arXiv fails after the sources answered), and the old post intact."""

from __future__ import annotations

import gzip
import json
import time
from datetime import UTC, datetime
from pathlib import Path

import pytest
from click.testing import CliRunner
from werkzeug import Response

import fakes
from conftest import EXAMPLE_POST, FIXTURES
from fakes import TOKEN, Recorder, example_scenario, fake_time, live_config, serve_scenario
from hotpapers.cli import cli
from hotpapers.snapshot import load_snapshot
from hotpapers.sources.arxiv import FeedError, parse_feed
from hotpapers.sources.twitter import parse_page

DAY = "2020-09-24"
POST = Path("content/posts/2020-09-24---Hot-Papers.md")
SNAPSHOT = Path("data/snapshots/2020-09-24.json")
REAL = FIXTURES / "real-api"


@pytest.fixture
def clock(monkeypatch):
    return fake_time(monkeypatch)


@pytest.fixture
def site_with_post(tmp_path, monkeypatch, httpserver, clock):
    """A site that already published the day's post, and has no snapshot for it."""
    (tmp_path / POST).parent.mkdir(parents=True)
    (tmp_path / POST).write_bytes(EXAMPLE_POST.read_bytes())
    (tmp_path / "config.yaml").write_text(live_config(httpserver, http={"retries": 1, "backoff": 0.01, "timeout": 0.3}))
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("X_BEARER_TOKEN", TOKEN)
    return tmp_path


def serve_all_but(httpserver, path, handler):
    """The example scenario, except that `path` answers with `handler`."""
    httpserver.expect_request(path).respond_with_handler(handler)
    serve_scenario(httpserver, example_scenario(), Recorder())


def fails_cleanly(site, expected, code=1):
    result = CliRunner().invoke(cli, ["build", "--date", DAY, "--refresh"])
    assert result.exit_code == code, result.output
    assert result.stderr.count("\n") == 1 and result.stderr.startswith("Error: ")
    assert expected in result.stderr
    assert TOKEN not in result.stderr
    kept = result.stderr.startswith(
        f"Error: {DAY}: arxiv: "
    )  # the posts read are kept (X bills them), the day unpublished
    assert kept == (site / SNAPSHOT).exists()
    assert not kept or load_snapshot(site / SNAPSHOT).sources["arxiv"].status == "failed"
    assert (site / POST).read_bytes() == EXAMPLE_POST.read_bytes()
    files = ["2020-09-24---Hot-Papers.md", *(["2020-09-24.json"] if kept else []), "config.yaml"]
    assert sorted(p.name for p in site.rglob("*") if p.is_file()) == files
    return result.stderr


def hang(request):
    time.sleep(0.8)
    return Response("{}")


@pytest.mark.parametrize(
    ("path", "handler", "expected"),
    [
        ("/api/query", lambda r: Response("Service Unavailable", 503), "arxiv: HTTP 503 from"),
        (
            "/api/query",
            lambda r: Response("<html><body>Rate exceeded.</body></html>", 200, content_type="text/html"),
            "arxiv: not an arXiv Atom feed (HTTP 200",
        ),
        (
            "/api/query",
            lambda r: Response(
                (REAL / "arxiv_new_error_bad_id_http400.xml").read_bytes(), 400, content_type="application/atom+xml"
            ),
            "arxiv: arXiv error: incorrect id format for abc (HTTP 400",
        ),
        (
            "/2/tweets/search/all",
            lambda r: Response("not json", 200, content_type="application/json"),
            "twitter: unreadable answer from http://localhost:",
        ),
        (
            "/2/tweets/search/all",
            lambda r: Response(
                (REAL / "x_v2_error_401_unauthorized.json").read_bytes(), 401, content_type="application/json"
            ),
            "twitter: the API refused the bearer token in $X_BEARER_TOKEN (HTTP 401 from http://localhost:",
        ),
        ("/2/tweets/search/all", hang, "twitter: no complete answer from http://localhost:"),
        (
            "/2/tweets/search/all",
            lambda r: Response(
                json.dumps({"data": [{"id": "1", "text": "x", "public_metrics": {"retweet_count": None}}], "meta": {}}),
                200,
                content_type="application/json",
            ),
            "twitter: unreadable search page from http://localhost:",
        ),
        (
            "/2/tweets/search/all",
            lambda r: Response(json.dumps({"data": [{"text": "x"}], "meta": {}}), 200, content_type="application/json"),
            "(Object missing required field `id` - at `$.data[0]`)",
        ),
    ],
    ids=[
        "arxiv-down",
        "arxiv-garbage",
        "arxiv-error-feed",
        "search-garbage",
        "search-bad-token",
        "search-hangs",
        "search-null-count",
        "search-post-without-id",
    ],
)
def test_a_failing_source_fails_cleanly(site_with_post, httpserver, path, handler, expected):
    serve_all_but(httpserver, path, handler)
    fails_cleanly(site_with_post, expected)


def test_search_rate_limited_past_the_cap(site_with_post, httpserver):
    body = (REAL / "x_v2_error_429_key_order_B_2022.json").read_bytes()
    serve_all_but(
        httpserver, "/2/tweets/search/all", lambda r: Response(body, 429, headers={"x-rate-limit-reset": "99999999999"})
    )
    fails_cleanly(site_with_post, "more than http.max_wait")


def test_transient_429_and_5xx_are_survived(site_with_post, httpserver, clock):
    body = (REAL / "x_v2_error_429_key_order_A_2021.json").read_bytes()
    recorder = Recorder()
    reset = int(clock.now) + 3
    first = {
        "/2/tweets/search/all": [Response(body, 429, headers={"x-rate-limit-reset": str(reset)})],
        "/api/query": [Response("", 502)],
    }
    serve_scenario(httpserver, example_scenario(), recorder, first)
    result = CliRunner().invoke(cli, ["build", "--date", DAY, "--force"])
    assert result.exit_code == 0, result.output
    assert len(recorder.of("/tweets/search/")) == 4
    waits = [s for s in clock.sleeps if s >= 1]
    assert len(waits) == 1 and 3 <= waits[0] < 4  # until the reset the 429 names, plus jitter below a second
    sources = json.loads((site_with_post / SNAPSHOT).read_text())["sources"]
    assert (sources["twitter"]["requests"], sources["arxiv"]["requests"]) == (4, 4)


def test_missing_token_names_the_day_and_what_to_set(site_with_post, httpserver, monkeypatch):
    monkeypatch.delenv("X_BEARER_TOKEN")
    recorder = Recorder()
    serve_scenario(httpserver, example_scenario(), recorder)
    message = "2020-09-24 has no snapshot and no source can fetch it: set X_BEARER_TOKEN (sources.twitter)"
    fails_cleanly(site_with_post, message, code=2)
    assert recorder.calls == []


def test_a_refresh_no_source_can_fetch_says_the_stored_snapshot_stays(site_with_post, httpserver, monkeypatch):
    """Not "has no snapshot": a refresh has one, and keeps it."""
    monkeypatch.delenv("X_BEARER_TOKEN")
    stored = site_with_post / SNAPSHOT
    stored.parent.mkdir(parents=True)
    stored.write_bytes((FIXTURES / "example" / "2020-09-24.snapshot.json").read_bytes())
    result = CliRunner().invoke(cli, ["build", "--date", DAY, "--refresh"])
    assert result.exit_code == 2 and result.stderr == (
        "Error: 2020-09-24: no source can fetch it again (its stored snapshot stays): "
        "set X_BEARER_TOKEN (sources.twitter)\n"
    )
    assert stored.read_bytes() == (FIXTURES / "example" / "2020-09-24.snapshot.json").read_bytes()


def test_a_refresh_no_source_can_fetch_counts_a_link_to_nothing_as_stored(site_with_post, httpserver, monkeypatch):
    """A snapshot that is a link to a file gone (a collector's mount) is a stored day, as
    the build without --refresh says, naming the link and advising the refresh: the refresh
    then said "2020-09-24 has no snapshot"."""
    monkeypatch.delenv("X_BEARER_TOKEN")
    stored = site_with_post / SNAPSHOT
    stored.parent.mkdir(parents=True)
    stored.symlink_to(site_with_post / "gone.json")
    result = CliRunner().invoke(cli, ["build", "--date", DAY, "--refresh"])
    assert result.exit_code == 2 and result.stderr == (
        "Error: 2020-09-24: no source can fetch it again (its stored snapshot stays): "
        "set X_BEARER_TOKEN (sources.twitter)\n"
    )
    assert stored.is_symlink() and not stored.exists()


def test_dry_run_without_credentials_fails_as_the_build_would(site_with_post, httpserver, monkeypatch):
    monkeypatch.setenv("X_BEARER_TOKEN", "  ")
    recorder = Recorder()
    serve_scenario(httpserver, example_scenario(), recorder)
    result = CliRunner().invoke(cli, ["-q", "build", "--date", DAY, "--dry-run"])
    assert result.exit_code == 2 and recorder.calls == []
    assert result.stderr == (
        "Error: 2020-09-24 has no snapshot and no source can fetch it: set X_BEARER_TOKEN (sources.twitter)\n"
    )


def test_a_token_with_a_non_ascii_character_is_refused_in_one_line(site_with_post, httpserver, monkeypatch):
    monkeypatch.setenv("X_BEARER_TOKEN", "AAAA\u20acsecret")
    recorder = Recorder()
    serve_scenario(httpserver, example_scenario(), recorder)
    stderr = fails_cleanly(site_with_post, "twitter: the environment variable X_BEARER_TOKEN holds a character", code=2)
    assert "secret" not in stderr and recorder.calls == []


@pytest.mark.parametrize("stamp", ["2020-09-24T12:00:00", "2020-02-30T12:00:00Z"], ids=["no-zone", "february-30"])
def test_a_time_stamp_without_zone_is_an_unreadable_page(site_with_post, httpserver, stamp):
    scenario = example_scenario()
    scenario.pages[0]["data"][2]["created_at"] = stamp
    serve_scenario(httpserver, scenario, Recorder())
    stderr = fails_cleanly(site_with_post, "twitter: unreadable search page from http://localhost:")
    assert stderr.endswith(f"(not a time stamp with a zone: '{stamp}' - at `$.data[2].created_at`)\n")


def test_an_id_arxivs_rules_refuse_in_a_post_costs_the_day_nothing(site_with_post, httpserver):
    """'arXiv:0703.0001' (new-style ids began in April 2007) in one post's text was looked up,
    and arXiv answers a batch holding an id its rules refuse with HTTP 400, as it does for
    'abc': the day failed for want of every paper's metadata."""
    scenario = example_scenario()
    scenario.pages[0]["data"][0]["text"] += " arXiv:0703.0001"
    refused = (REAL / "arxiv_new_error_bad_id_http400.xml").read_bytes()

    def arxiv(request):
        ids = request.args["id_list"].split(",")
        if "0703.0001" in ids:
            return Response(refused, 400, content_type="application/atom+xml")
        found = [scenario.papers[i] for i in ids if i in scenario.papers]
        return Response(fakes.atom_feed(found, f"id_list={request.args['id_list']}"), 200)

    httpserver.expect_request("/api/query").respond_with_handler(arxiv)
    serve_scenario(httpserver, scenario, Recorder())
    result = CliRunner().invoke(cli, ["build", "--date", DAY, "--refresh"])
    assert result.exit_code == 0, result.output
    snapshot = load_snapshot(site_with_post / SNAPSHOT)
    assert {paper.id for paper in snapshot.papers} == set(scenario.papers)


def test_a_refresh_whose_every_source_fails_says_the_stored_snapshot_stays(site_with_post, httpserver):
    """It named the failure alone, so whether the day's files had been replaced was a guess."""
    stored = site_with_post / SNAPSHOT
    stored.parent.mkdir(parents=True)
    stored.write_bytes((FIXTURES / "example" / "2020-09-24.snapshot.json").read_bytes())
    serve_all_but(httpserver, "/2/tweets/search/all", lambda request: Response("", 503))
    result = CliRunner().invoke(cli, ["build", "--date", DAY, "--refresh"])
    assert result.exit_code == 1 and result.stderr.startswith(f"Error: {DAY}: twitter: HTTP 503 from "), result.stderr
    assert result.stderr.endswith(" attempts; the stored snapshot and its post stay as they were\n")
    assert stored.read_bytes() == (FIXTURES / "example" / "2020-09-24.snapshot.json").read_bytes()
    first = CliRunner().invoke(cli, ["build", "--date", "2020-09-23"])  # no stored snapshot: nothing said to stay
    assert first.exit_code == 1 and "stay as they were" not in first.stderr


def test_refresh_failure_keeps_the_old_snapshot(site_with_post, httpserver):
    old = b'{"kept": true}'
    serve_all_but(httpserver, "/api/query", lambda r: Response("", 500))
    (site_with_post / SNAPSHOT).parent.mkdir(parents=True)
    (site_with_post / SNAPSHOT).write_bytes(old)
    result = CliRunner().invoke(cli, ["build", "--date", DAY, "--refresh"])
    assert result.exit_code == 1 and (site_with_post / SNAPSHOT).read_bytes() == old


@pytest.mark.parametrize("name", sorted(p.name for p in REAL.glob("arxiv_*.xml")))
def test_every_recorded_arxiv_body_parses_or_fails_as_an_error(name):
    data = (REAL / name).read_bytes()
    if "error" in name:
        with pytest.raises(FeedError, match="arXiv error: incorrect id format"):
            parse_feed(data)
    else:
        for paper in parse_feed(data).papers:
            assert paper.title and paper.abs_url == f"https://arxiv.org/abs/{paper.id}"
            assert "\n" not in paper.title and "\n" not in paper.abstract


def test_arxiv_fields_from_the_legacy_format():
    [paper] = parse_feed((REAL / "arxiv_legacy_idlist_1111.2011v2_doi_jref_comment.xml").read_bytes()).papers
    assert paper.id == "1111.2011" and paper.version == 2
    assert paper.title == "Quantum Criticality for Extended Nodes on a Bethe Lattice in the Large Connectivity Limit"
    assert paper.authors == ("James M. Murray", "Adrian Del Maestro", "Zlatko Tesanovic")
    assert paper.categories == ("cond-mat.str-el", "cond-mat.stat-mech")
    assert paper.abstract.startswith(
        "Theoretical description of anisotropic systems, such as layered superconductors and"
    )
    assert (paper.doi, paper.journal_ref, paper.comment) == (
        "10.1103/PhysRevB.85.115117",
        "Phys. Rev. B 85, 115117 (2012)",
        "8 pages, 3 figures. Published version",
    )
    assert (paper.published, paper.updated) == ("2011-11-08T18:48:36Z", "2012-04-02T12:38:54Z")
    assert paper.pdf_url == "https://arxiv.org/pdf/1111.2011"


def test_arxiv_current_format_with_utf8_and_odd_titles():
    [paper] = parse_feed((REAL / "arxiv_new_id_2104.12255v1_title_is_0.xml").read_bytes()).papers
    assert paper.title == "0"
    papers = parse_feed((REAL / "arxiv_new_search_testing_10_entries.xml").read_bytes()).papers
    authors = [a for p in papers for a in p.authors]
    assert not any("Ã" in a for a in authors)  # no mojibake from a wrong decode
    [old] = parse_feed((REAL / "arxiv_new_oldstyle_id_quant-ph_0201082v1_multicat.xml").read_bytes()).papers
    assert (old.id, old.categories) == ("quant-ph/0201082", ("quant-ph", "cs.PL"))
    assert parse_feed((REAL / "arxiv_new_empty_totalresults0.xml").read_bytes()) == ([], 0)
    assert parse_feed((REAL / "arxiv_new_idlist_two_ids_one_missing.xml").read_bytes()).total == 1  # of two asked
    assert parse_feed((REAL / "arxiv_new_search_testing_10_entries.xml").read_bytes()).total == 214881


def test_recorded_search_pages_parse():
    from datetime import UTC, datetime

    everything = (datetime(2000, 1, 1, tzinfo=UTC), datetime(2100, 1, 1, tzinfo=UTC))
    for name in (
        "x_v2_search_all_url_operator_cdc_gov_2021_subset.json",
        "x_v2_search_all_2023_impression_count_subset.json",
        "x_v2_search_recent_brexit_2021_100tweets_page1.json",
        "x_v2_search_all_commtwitter_2021_5tweets_full.json",
        "x_v2_search_recent_tweepy_default_fields_2022.json",
        "x_v2_search_all_empty_meta_result_count0.json",
    ):
        data = json.loads((REAL / name).read_text())
        page = parse_page(data, "2026-01-01T00:00:00Z", *everything)
        assert page.posts == len(data.get("data", [])) and page.mentions == []  # none of them links arXiv
        assert page.next_token == data["meta"].get("next_token")


def search_page(token: str | None, posts: int = 0) -> Response:
    """A search page as X sends it for a window without matches, pointing at `token`."""
    meta = {"result_count": posts, **({"next_token": token} if token else {})}
    data = [fakes.tweet(str(n + 1), "1", "x", [], "2020-09-24T12:00:00.000Z", 0, 0) for n in range(posts)]
    return Response(
        json.dumps({"data": data, "meta": meta} if data else {"meta": meta}), 200, content_type="application/json"
    )


ZEROS_BOMB, ANGLES_BOMB = gzip.compress(b"\0" * 4 * 1024 * 1024), gzip.compress(b"<" * 8 * 1024 * 1024)
"""Small bodies that unpack to megabytes, compressed once: compressing them in the handler
took long enough on a busy machine to pass the 0.3 s timeout, failing the test on the
wrong bound."""


def trickle(request):
    """A body that takes 10 s a byte at a time: far more than the bounds below allow,
    so that a busy machine's slowness cannot pass for the bound."""

    def body():
        for _ in range(500):
            yield b" "
            time.sleep(0.02)

    return Response(body(), content_type="application/json")


@pytest.mark.parametrize(
    ("handler", "expected"),
    [
        (
            lambda r: Response(ZEROS_BOMB, headers={"Content-Encoding": "gzip"}),
            "is larger than http.max_bytes (100000 bytes)",
        ),
        (lambda r: Response(b"[" * 200_000, content_type="application/json"), "is larger than http.max_bytes (100000"),
        (trickle, "within http.timeout (0.3 s), 2 attempts"),
    ],
    ids=["gzip-bomb", "huge-body", "trickle"],
)
def test_a_bound_stops_a_hostile_search_in_one_line(site_with_post, httpserver, handler, expected):
    config = json.loads(live_config(httpserver, http={"retries": 1, "backoff": 0.01, "timeout": 0.3}))
    config["http"]["max_bytes"] = 100_000
    config["sources"]["twitter"]["max_posts"] = 5
    (site_with_post / "config.yaml").write_text(json.dumps(config))
    serve_all_but(httpserver, "/2/tweets/search/all", handler)
    started = time.monotonic()
    stderr = fails_cleanly(site_with_post, expected)
    assert stderr.startswith(f"Error: {DAY}: twitter: ") and time.monotonic() - started < 8


def test_a_page_token_sent_again_stops_the_search_and_keeps_what_was_read(site_with_post, httpserver):
    """X pointing the second page back at itself: the two pages read (billed) are kept and
    the source is partial, as at the page limit; it failed the source before, and the next
    try paid for them again."""
    scenario, recorder = example_scenario(), Recorder()
    scenario.pages[1]["meta"]["next_token"] = scenario.pages[0]["meta"]["next_token"]
    serve_scenario(httpserver, scenario, recorder)
    result = CliRunner().invoke(cli, ["build", "--date", DAY, "--refresh"])
    assert result.exit_code == 0, result.output
    posts = len(scenario.pages[0]["data"]) + len(scenario.pages[1]["data"])
    why = (
        f"stopped when the search at {httpserver.url_for('/2/tweets/search/all')} sent a page token again "
        f"after {posts} posts (a paging loop)"
    )
    assert f"twitter: {why}\n" in result.stderr
    snapshot = load_snapshot(site_with_post / SNAPSHOT)
    status = snapshot.sources["twitter"]
    assert (status.status, status.detail, status.items, status.requests) == ("partial", why, posts, 2)
    assert len(recorder.of("/tweets/search/")) == 2
    day = (datetime(2020, 9, 24, tzinfo=UTC), datetime(2020, 9, 25, tzinfo=UTC))
    page_two = {mention.id for mention in parse_page(scenario.pages[1], "2020-09-25T08:00:00Z", *day).mentions}
    assert page_two and page_two <= {mention.id for mention in snapshot.mentions}


def test_x_reaching_max_time_keeps_the_pages_read(site_with_post, httpserver, clock):
    """The second page rate-limited for longer than http.max_time: the first page's posts
    (billed) are kept and X is partial; it failed the source, and the repair the next
    build made paid for them again. (It no longer sleeps through the wait first.)"""
    scenario, asked = example_scenario(), []
    limited = (REAL / "x_v2_error_429_key_order_A_2021.json").read_bytes()

    def search(request):
        asked.append(request.args.get("next_token"))
        if len(asked) == 2:
            return Response(limited, 429, headers={"Retry-After": "100"}, content_type="application/json")
        token = request.args.get("next_token")
        page = scenario.pages[0 if token is None else int(token[-1])]
        return Response(json.dumps(page), 200, content_type="application/json")

    config = json.loads(live_config(httpserver, http={"max_time": 50, "max_wait": 1000}))
    (site_with_post / "config.yaml").write_text(json.dumps(config))
    serve_all_but(httpserver, "/2/tweets/search/all", search)
    result = CliRunner().invoke(cli, ["build", "--date", DAY, "--refresh", "--force"])
    assert result.exit_code == 0, result.output
    url = httpserver.url_for("/2/tweets/search/all")
    posts = len(scenario.pages[0]["data"])
    why = (
        f"HTTP 429 from {url}: the server asks to wait 100 s, more than the 50 s left of http.max_time (50 s) for "
        f"this source's requests of the day; kept the {posts} posts read"
    )
    assert f"twitter: {why}\n" in result.stderr and all(sleep < 100 for sleep in clock.sleeps)
    status = load_snapshot(site_with_post / SNAPSHOT).sources["twitter"]
    assert (status.status, status.detail, status.items, status.requests) == ("partial", why, posts, 2)
    assert asked == [None, scenario.pages[0]["meta"]["next_token"]]


@pytest.mark.parametrize("later_page", ["failing", "unreadable", "endless-token"])
def test_x_keeps_the_pages_read_when_a_later_page_fails_or_is_unreadable(site_with_post, httpserver, later_page):
    """A second page still answering 503 after its retries, or one X's API never sends (more
    posts than asked for): the first page's posts (billed) are kept and X is partial, as at
    http.max_time; the source failed, the posts were thrown away, and the repair the next
    night read and billed them again."""
    scenario, asked = example_scenario(), []
    too_many = json.dumps({"data": [{"id": str(n), "text": "x"} for n in range(11)]})

    def search(request):
        asked.append(request.args.get("next_token"))
        if not request.args.get("next_token"):
            return Response(json.dumps(scenario.pages[0]), 200, content_type="application/json")
        if later_page == "endless-token":  # a page of its own, with a page token of 1,025 characters
            page = {**scenario.pages[1], "meta": {**scenario.pages[1]["meta"], "next_token": "t" * 1025}}
            return Response(json.dumps(page), 200, content_type="application/json")
        return Response("busy", 503) if later_page == "failing" else Response(too_many, 200)

    (site_with_post / "config.yaml").write_text(live_config(httpserver, http={"retries": 1, "backoff": 0.01}))
    serve_all_but(httpserver, "/2/tweets/search/all", search)
    result = CliRunner().invoke(cli, ["build", "--date", DAY, "--refresh", "--force"])
    assert result.exit_code == 0, result.output
    url, posts = httpserver.url_for("/2/tweets/search/all"), len(scenario.pages[0]["data"])
    why = {
        "failing": f"HTTP 503 from {url} after 2 attempts",
        "unreadable": f"unreadable search page from {url} (11 posts, more than the 10 asked for - at `$.data`)",
        "endless-token": f"unreadable search page from {url} (Expected `str` of length <= 1024 - at "
        "`$.meta.next_token`)",
    }[later_page] + f"; kept the {posts} posts read"
    assert f"twitter: {why}\n" in result.stderr
    status = load_snapshot(site_with_post / SNAPSHOT).sources["twitter"]
    assert (status.status, status.detail, status.items) == ("partial", why, posts)
    assert asked == [None] + [scenario.pages[0]["meta"]["next_token"]] * (2 if later_page == "failing" else 1)


def test_endless_x_pages_stop_at_the_page_limit_and_keep_what_was_read(site_with_post, httpserver):
    """A new page token with every short page: the search stops at max_posts / 10 + 10 pages,
    keeps the posts read (billed), and says so; it failed the source before."""
    config = json.loads(live_config(httpserver))
    config["sources"]["twitter"]["max_posts"] = 50
    (site_with_post / "config.yaml").write_text(json.dumps(config))
    serve_all_but(httpserver, "/2/tweets/search/all", lambda r: search_page(f"t{r.args.get('next_token', 't')}1", 1))
    result = CliRunner().invoke(cli, ["build", "--date", DAY, "--refresh"])
    assert result.exit_code == 0, result.output
    why = "stopped after 15 pages (sources.twitter.max_posts / 10 + 10)"
    assert f"twitter: {why}" in result.stderr and "requests: twitter 15;" in result.stderr
    status = load_snapshot(site_with_post / SNAPSHOT).sources["twitter"]
    assert (status.status, status.detail, status.items) == ("partial", why, 15)


@pytest.mark.parametrize(
    ("handler", "expected"),
    [
        (
            lambda r: Response(ANGLES_BOMB, headers={"Content-Encoding": "gzip"}),
            "is larger than http.max_bytes (100000 bytes)",
        ),
        (trickle, "within http.timeout (0.3 s), 2 attempts"),
    ],
    ids=["gzip-bomb", "trickle"],
)
def test_a_bound_stops_a_hostile_arxiv_in_one_line(site_with_post, httpserver, handler, expected):
    config = json.loads(live_config(httpserver, http={"retries": 1, "backoff": 0.01, "timeout": 0.3}))
    config["http"]["max_bytes"] = 100_000
    (site_with_post / "config.yaml").write_text(json.dumps(config))
    serve_all_but(httpserver, "/api/query", handler)
    started = time.monotonic()
    stderr = fails_cleanly(site_with_post, expected)
    assert stderr.startswith(f"Error: {DAY}: arxiv: ") and time.monotonic() - started < 8
