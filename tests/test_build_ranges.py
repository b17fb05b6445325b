"""A range of days (a backfill): a day whose snapshot is unusable is reported and the
others are still built; a failure that stops the range names every day not built."""

from __future__ import annotations

import json
import shutil
from datetime import date

import pytest
from click.testing import CliRunner
from werkzeug import Response

from conftest import EXAMPLE_SNAPSHOT, example_data, stored_days
from fakes import TOKEN, Recorder, example_scenario, fake_time, live_config, serve_scenario
from hotpapers.cli import cli


def posts(site):
    return sorted(path.name.split("---")[0] for path in (site / "content" / "posts").iterdir())


@pytest.mark.parametrize("count", [10, 40])  # 40 days: the worker processes build them
def test_a_range_builds_every_day_but_those_with_an_unusable_snapshot_and_names_them(site, count):
    days = stored_days(site, date(2020, 8, 1), count)
    (site / "data" / "snapshots" / f"{days[5]}.json").write_text("{bad", encoding="utf-8")
    other = example_data()
    other["date"] = "2020-07-01"
    (site / "data" / "snapshots" / f"{days[7]}.json").write_text(json.dumps(other), encoding="utf-8")
    result = CliRunner().invoke(cli, ["-q", "build", "--since", days[0], "--until", days[-1], "--offline"])
    assert result.exit_code == 2
    assert posts(site) == [day for day in days if day not in (days[5], days[7])]
    assert result.stderr.splitlines() == [
        f"{days[5]}: not built: data/snapshots/{days[5]}.json: not valid JSON (Expecting property name enclosed in "
        f"double quotes at line 1, column 2); fix the file, or replace it by fetching the day from the sources: "
        f"`hotpapers build --date {days[5]} --refresh`",
        f"{days[7]}: not built: data/snapshots/{days[7]}.json: holds the day 2020-07-01, not {days[7]} as its name says"
        f"; fix the file, or replace it by fetching the day from the sources: `hotpapers build --date {days[7]} --refresh`",
        f"Error: 2 of {count} days not built, for the reasons given above: {days[5]}, {days[7]}",
    ]


def test_a_range_names_consecutive_days_not_built_as_a_span(site):
    days = stored_days(site, date(2020, 8, 1), 10)
    for day in days[5:8]:
        (site / "data" / "snapshots" / f"{day}.json").write_text("{bad", encoding="utf-8")
    result = CliRunner().invoke(cli, ["build", "--since", days[0], "--until", days[-1], "--offline"])
    assert result.exit_code == 2
    assert result.stderr.splitlines()[-1] == (
        "Error: 3 of 10 days not built, for the reasons given above: 2020-08-06 to 2020-08-08"
    )
    assert "summary" not in result.stderr and len(posts(site)) == 7


def test_one_day_with_an_unusable_snapshot_is_one_line(site):
    (site / "data" / "snapshots" / "2020-09-24.json").write_text("{bad", encoding="utf-8")
    result = CliRunner().invoke(cli, ["build", "2020-09-24"])
    assert result.exit_code == 2 and result.stderr.count("\n") == 1
    assert result.stderr.startswith("Error: data/snapshots/2020-09-24.json: not valid JSON")


def test_a_range_stopped_by_a_failed_fetch_names_the_days_it_did_not_build(tmp_path, monkeypatch, httpserver):
    fake_time(monkeypatch)
    httpserver.expect_request("/2/tweets/search/all").respond_with_handler(lambda request: Response("", 503))
    serve_scenario(httpserver, example_scenario(), Recorder())
    (tmp_path / "config.yaml").write_text(live_config(httpserver, http={"retries": 0}))
    (tmp_path / "data" / "snapshots").mkdir(parents=True)
    stored_days(tmp_path, date(2020, 9, 21), 2)  # 09-21 and 09-22; 09-23 is fetched; 09-24 is stored too
    shutil.copy(EXAMPLE_SNAPSHOT, tmp_path / "data" / "snapshots" / "2020-09-24.json")
    (tmp_path / "data" / "snapshots" / "2020-09-22.json").write_text("{bad", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("X_BEARER_TOKEN", TOKEN)
    result = CliRunner().invoke(cli, ["-q", "build", "--since", "2020-09-21", "--until", "2020-09-24"])
    assert result.exit_code == 1, result.stderr
    assert posts(tmp_path) == ["2020-09-21"]
    last = result.stderr.splitlines()[-1]
    assert last.startswith("Error: twitter: HTTP 503 from ")
    assert last.endswith("; stopped at 2020-09-23: 3 of 4 days not built: 2020-09-22 to 2020-09-24")
    assert result.stderr.splitlines()[0].startswith("2020-09-22: not built: data/snapshots/2020-09-22.json: not valid")
