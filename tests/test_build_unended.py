"""A build of days that have not ended: refused before anything is fetched or written,
unless each such day is built from its stored snapshot."""

import json
import shutil
from datetime import UTC, datetime

import pytest
from click.testing import CliRunner

from conftest import EXAMPLE_SNAPSHOT
from fakes import TOKEN, Recorder, example_scenario, fake_time, live_config, serve_scenario
from hotpapers.cli import cli

POST = "content/posts/2020-09-24---Hot-Papers.md"


@pytest.fixture
def live_site(tmp_path, monkeypatch, httpserver):
    fake_time(monkeypatch)
    recorder = Recorder()
    serve_scenario(httpserver, example_scenario(), recorder)
    (tmp_path / "config.yaml").write_text(live_config(httpserver))
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("X_BEARER_TOKEN", TOKEN)
    return tmp_path, recorder


def at(monkeypatch, moment: datetime) -> None:
    monkeypatch.setattr("hotpapers.cli.now", lambda config: moment.astimezone(config.timezone))


def files(site):
    return sorted(p.relative_to(site).as_posix() for p in site.rglob("*") if p.is_file())


@pytest.mark.parametrize("dry_run", [[], ["--dry-run"]])
def test_a_range_reaching_a_day_not_over_is_refused_before_any_day_is_fetched(live_site, monkeypatch, dry_run):
    site, recorder = live_site
    at(monkeypatch, datetime(2020, 9, 25, 8, 0, tzinfo=UTC))
    result = CliRunner().invoke(cli, ["build", "--since", "2020-09-23", "--until", "2020-09-27", *dry_run])
    assert result.exit_code == 2
    assert result.stderr == "Error: 2020-09-25 has not ended yet in UTC; its posts cannot all be fetched\n"
    assert result.stdout == "" and recorder.calls == [] and files(site) == ["config.yaml"]


def test_a_day_not_over_is_built_from_its_stored_snapshot_but_not_refreshed(live_site, monkeypatch):
    site, recorder = live_site
    (site / "data" / "snapshots").mkdir(parents=True)
    shutil.copy(EXAMPLE_SNAPSHOT, site / "data" / "snapshots" / "2020-09-24.json")
    at(monkeypatch, datetime(2020, 9, 24, 12, 0, tzinfo=UTC))
    for offline in [], ["--offline"]:
        result = CliRunner().invoke(cli, ["build", "--date", "2020-09-24", *offline])
        assert result.exit_code == 0, result.output
    assert (site / POST).exists()
    refresh = CliRunner().invoke(cli, ["build", "--date", "2020-09-24", "--refresh", "--dry-run"])
    assert refresh.exit_code == 2
    assert refresh.stderr == "Error: 2020-09-24 has not ended yet in UTC; its posts cannot all be fetched\n"
    assert recorder.calls == []


def test_the_day_refused_is_the_first_not_over_in_the_configured_time_zone(live_site, monkeypatch):
    site, recorder = live_site
    config = json.loads((site / "config.yaml").read_text())
    (site / "config.yaml").write_text(json.dumps({**config, "timezone": "America/Los_Angeles"}))
    at(monkeypatch, datetime(2020, 9, 25, 5, 0, tzinfo=UTC))  # 22:00 on the 24th in Los Angeles
    result = CliRunner().invoke(cli, ["build", "--since", "2020-09-22", "--until", "2020-09-24", "--dry-run"])
    assert result.exit_code == 2
    assert result.stderr == (
        "Error: 2020-09-24 has not ended yet in America/Los_Angeles; its posts cannot all be fetched\n"
    )
    assert recorder.calls == []
