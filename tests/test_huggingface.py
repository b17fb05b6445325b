"""Hugging Face daily papers through a local stand-in serving the recorded lists in
fixtures/real-api/hf_daily_papers_*.json (the 2024 and the current shape)."""

from __future__ import annotations

import copy
import json
from datetime import UTC, date, datetime

import pytest
from werkzeug import Response

from conftest import make_config
from hn_hf_fakes import HF_2024, HF_2026, DailyPapers
from hotpapers.errors import ConfigError, FetchError
from hotpapers.fetch import day_window, stored_window
from hotpapers.http import HttpClient
from hotpapers.models import Snapshot, Window
from hotpapers.sources.huggingface import HuggingFaceSettings, HuggingFaceSource, digest_day

NOW = datetime(2026, 8, 21, 8, 30, 15, tzinfo=UTC)


def source(httpserver, handler, **settings) -> HuggingFaceSource:
    httpserver.expect_request("/api/daily_papers").respond_with_handler(handler)
    http = HttpClient(timeout=2, retries=1, max_wait=5, backoff=0.01, sleep=lambda seconds: None)
    return HuggingFaceSource(HuggingFaceSettings(api_url=httpserver.url_for("/api"), **settings), http, {}, lambda: NOW)


def window(day: str, zone: str = "UTC") -> tuple[datetime, datetime]:
    return day_window(day, make_config(timezone=zone))


def test_the_2024_shape(httpserver):
    daily = DailyPapers({"2024-06-03": HF_2024})
    found = source(httpserver, daily).search(*window("2024-06-03"))
    assert daily.asked() == [("2024-06-03", "100", "0"), ("2024-06-03", "100", "1")]
    assert [m.id for m in found.mentions] == [
        "2405.21060",
        "2405.21075",
        "2405.21048",
        "2405.20674",
        "2405.20541",
        "2405.18144",
    ]
    first = found.mentions[0]
    assert first.platform == "huggingface"
    assert first.url == "https://huggingface.co/papers/2405.21060"
    assert first.paper_ids == ("2405.21060",)
    assert (first.likes, first.replies, first.reposts, first.quotes) == (27, 3, 0, None)
    assert first.text == (
        "Transformers are SSMs: Generalized Models and Efficient Algorithms Through Structured State Space Duality"
    )
    assert first.created_at == "2024-06-03T03:44:01Z"
    assert first.observed_at == "2026-08-21T08:30:15Z"
    assert (first.author_handle, first.author_name) == (None, None)
    assert [(m.likes, m.replies) for m in found.mentions[1:]] == [(10, 1), (8, 0), (6, 1), (5, 0), (4, 2)]
    assert (found.items, found.partial, found.query) == (6, None, "date=2024-06-03")
    assert found.endpoint == httpserver.url_for("/api/daily_papers")


def test_the_current_shape(httpserver):
    found = source(httpserver, DailyPapers({"2026-08-20": HF_2026})).search(*window("2026-08-20"))
    assert len(found.mentions) == 15
    first = found.mentions[0]
    assert (first.id, first.likes, first.replies) == ("2608.16590", 92, 1)
    assert first.text and first.text.startswith("Zetta ζ: An Efficient Closed-Loop Embodied Harness")
    assert first.created_at == "2026-08-20T00:00:00Z"
    assert (first.author_handle, first.author_name) == ("Xin64", "Xin Ding")
    assert [(m.id, m.likes, m.replies) for m in found.mentions[-2:]] == [("2608.18115", 2, 1), ("2608.14229", 0, 1)]


def test_an_empty_day_is_quiet_not_a_failure(httpserver):
    daily = DailyPapers({})
    found = source(httpserver, daily).search(*window("2026-08-22"))
    assert (found.mentions, found.items, found.partial) == ([], 0, None)
    assert daily.asked() == [("2026-08-22", "100", "0")]


def test_pages_are_read_until_an_empty_one_even_after_a_short_page(httpserver):
    daily = DailyPapers({"2026-08-20": HF_2026}, short_pages=2)
    found = source(httpserver, daily, page_size=5).search(*window("2026-08-20"))
    assert [p for _, _, p in daily.asked()] == ["0", "1", "2", "3", "4"]
    assert [m.id for m in found.mentions] == [item["paper"]["id"] for item in HF_2026]


def test_a_server_ignoring_the_page_number_is_read_once(httpserver):
    daily = DailyPapers({"2026-08-20": HF_2026}, pages=False)
    found = source(httpserver, daily).search(*window("2026-08-20"))
    assert len(daily.asked()) == 2
    assert len(found.mentions) == 15 and found.partial is None


def test_paging_is_bounded(httpserver):
    daily = DailyPapers({"2026-08-20": HF_2026})
    found = source(httpserver, daily, page_size=2, max_pages=3).search(*window("2026-08-20"))
    assert len(found.mentions) == 6 and len(daily.asked()) == 3
    assert found.partial == "stopped after 3 pages (sources.huggingface.max_pages)"


def test_a_page_of_more_items_than_the_limit_asked_for_fails_in_one_line(httpserver):
    """Hugging Face sends at most `limit` items; a server that sent a million tiny ones in a
    page made a build hold gigabytes and write a snapshot of hundreds of megabytes."""
    daily = DailyPapers({"2026-08-20": HF_2026}, pages=False)  # all 15, whatever the limit
    with pytest.raises(FetchError) as failure:
        source(httpserver, daily, page_size=10).search(*window("2026-08-20"))
    assert failure.value.format_message() == (
        f"huggingface: unreadable daily papers from {httpserver.url_for('/api/daily_papers')} "
        "(15 items, more than the 10 asked for - at `$`)"
    )


def test_ids_that_are_no_arxiv_ids_are_ignored(httpserver):
    items = copy.deepcopy(HF_2026[:4])
    items[0]["paper"]["id"] = "2608.1659"
    items[1]["paper"]["id"] = "zetta-closed-loop-harness"
    items[2]["paper"]["id"] = "2613.17253"
    found = source(httpserver, DailyPapers({"2026-08-20": items})).search(*window("2026-08-20"))
    assert [m.id for m in found.mentions] == ["2608.17426"]
    assert found.items == 4


@pytest.mark.parametrize(
    "zone",
    [
        "UTC",
        "America/Los_Angeles",
        "Pacific/Honolulu",
        "Asia/Tokyo",
        "Pacific/Auckland",
        "Pacific/Tongatapu",
        "Pacific/Pago_Pago",  # -11
        "Etc/GMT+12",  # -12
        "Pacific/Kiritimati",  # +14
    ],
)
@pytest.mark.parametrize("day", ["2026-01-15", "2026-07-15", "2026-03-29"])
def test_the_date_asked_for_is_the_digest_day_in_the_configured_zone(zone, day):
    assert digest_day(window(day, zone)[0]) == date.fromisoformat(day)


def test_a_failing_server_is_one_line_and_exit_1(httpserver):
    hf = source(httpserver, lambda request: Response("Service Unavailable", 503))
    with pytest.raises(FetchError) as failure:
        hf.search(*window("2026-08-20"))
    assert failure.value.exit_code == 1
    message = failure.value.format_message()
    assert "\n" not in message and message.startswith("huggingface: HTTP 503 from ")


@pytest.mark.parametrize(
    ("change", "place"),
    [
        (lambda item: item["paper"].update(upvotes=-3), "$[0].paper.upvotes"),
        (lambda item: item["paper"].update(upvotes="92"), "$[0].paper.upvotes"),
        (lambda item: item.update(numComments=-1), "$[0].numComments"),
        (lambda item: item.pop("paper"), "$[0]"),
        (lambda item: item["paper"].update(submittedOnDailyAt="2026-02-30T00:00:00Z"), "$[0].paper.submittedOnDailyAt"),
        (lambda item: item.update(publishedAt="0999-12-31T00:00:00Z"), "$[0]"),
    ],
)
def test_a_wrong_shape_fails_in_one_line_naming_the_place_and_endpoint(httpserver, change, place):
    item = copy.deepcopy(HF_2026[0])
    change(item)
    hf = source(httpserver, DailyPapers({"2026-08-20": [item]}))
    with pytest.raises(FetchError) as failure:
        hf.search(*window("2026-08-20"))
    message = failure.value.format_message()
    assert "\n" not in message and f"at `{place}`" in message
    assert httpserver.url_for("/api/daily_papers") in message


def test_an_object_instead_of_the_list_fails_in_one_line(httpserver):
    hf = source(httpserver, lambda request: Response(json.dumps({"error": "Invalid date"})))
    with pytest.raises(FetchError, match=r"Expected `array`, got `object`"):
        hf.search(*window("2026-08-20"))


def test_no_credentials_no_embeds_and_a_plan_that_calls_nothing(httpserver):
    daily = DailyPapers({})
    hf = source(httpserver, daily)
    assert hf.missing_credentials() is None
    assert hf.embeds([]) is None
    assert hf.plan(*window("2026-08-20", "Asia/Tokyo")).endswith("/api/daily_papers?date=2026-08-20")
    assert daily.recorder.calls == []


def test_a_body_that_is_not_json_fails_in_one_line(httpserver):
    hf = source(httpserver, lambda request: Response("<!doctype html><title>Hugging Face</title>", 200))
    with pytest.raises(FetchError) as failure:
        hf.search(*window("2026-08-20"))
    message = failure.value.format_message()
    assert "\n" not in message and message.startswith("huggingface: ") and "not JSON" in message


def test_the_config_reads_sources_huggingface_and_refuses_a_bad_value():
    assert make_config(sources={"huggingface": {"page_size": 50}}).sources["huggingface"].page_size == 50
    assert make_config().sources["huggingface"] == HuggingFaceSettings()
    with pytest.raises(ConfigError, match=r"sources\.huggingface\.max_pages: expected an integer >= 1 \(got 0\)"):
        make_config(sources={"huggingface": {"max_pages": 0}})


def test_a_repair_asks_for_the_snapshots_own_day_whatever_the_zone_is_now():
    """A day fetched in Tokyo and repaired after the config moved to UTC: the stored
    window starts at Tokyo's midnight, and Hugging Face is asked for that day still."""
    snapshot = Snapshot(
        date="2026-08-20",
        taken_at="2026-08-21T08:00:00Z",
        papers=(),
        mentions=(),
        window=Window("2026-08-19T15:00:00Z", "2026-08-20T15:00:00Z"),
    )
    since, until = stored_window(snapshot)
    assert digest_day(since) == date(2026, 8, 20)
    assert (since, until) == (datetime(2026, 8, 19, 15, tzinfo=UTC), datetime(2026, 8, 20, 15, tzinfo=UTC))
