"""When the nightly workflow `hotpapers init` writes runs: after midnight in the site's zone."""

import os
import threading
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import yaml
from click.testing import CliRunner

from hotpapers.cli import cli
from hotpapers.site_workflow import nightly_schedule

TODAY = date(2026, 12, 2)


@pytest.mark.parametrize(
    ("zone", "cron"),
    [
        ("UTC", "17 6 * * *"),
        ("Europe/Berlin", "17 6 * * *"),
        ("Pacific/Kiritimati", "17 6 * * *"),  # UTC+14: 20:17 there, yesterday is over
        ("America/Chicago", "17 6 * * *"),  # UTC-6 in winter: 00:17
        ("America/Denver", "17 7 * * *"),  # UTC-7 in winter: midnight is 07:00 UTC
        ("America/Los_Angeles", "17 8 * * *"),  # UTC-8 in winter
        ("Pacific/Honolulu", "17 10 * * *"),  # UTC-10 all year
        ("Pacific/Marquesas", "47 9 * * *"),  # UTC-9:30: midnight is 09:30 UTC
    ],
)
def test_the_nightly_run_is_after_midnight_in_the_sites_zone(zone, cron):
    assert nightly_schedule(ZoneInfo(zone), TODAY).startswith(f'cron: "{cron}"')


@pytest.mark.parametrize("zone", ["America/Los_Angeles", "America/Santiago", "America/Anchorage", "Etc/GMT+12"])
def test_on_every_day_of_a_year_the_run_finds_yesterday_one_day_back(zone):
    """At the run's moment the zone's date is the UTC date, so `build`'s yesterday there is the
    day that ended last, never two days back."""
    minute, hour = map(int, nightly_schedule(ZoneInfo(zone), TODAY).split('"')[1].split()[:2])
    for n in range(366):
        run = datetime(2026, 12, 2, hour, minute, tzinfo=UTC) + timedelta(days=n)
        assert run.astimezone(ZoneInfo(zone)).date() == run.date(), (zone, run)


def test_init_writes_the_run_time_of_the_sites_zone(tmp_path):
    (tmp_path / "hotpapers.yaml").write_text("timezone: America/Los_Angeles\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["init", str(tmp_path)])
    assert result.exit_code == 0, result.output
    written = (tmp_path / ".github" / "workflows" / "hotpapers.yml").read_text(encoding="utf-8")
    assert yaml.safe_load(written)[True]["schedule"] == [{"cron": "17 8 * * *"}]
    assert "08:17 UTC, just after midnight in America/Los_Angeles" in written


DEPLOY_ON_PUSH = "name: Deploy\non:\n  push:\n    branches: [main]\njobs: {}\n"


@pytest.mark.parametrize(
    ("name", "text"),
    [("deploy.yml", DEPLOY_ON_PUSH), ("pages.yaml", "on: [push, workflow_dispatch]\njobs: {}\n")],
)
def test_init_says_a_deploy_workflow_run_on_push_misses_the_nightly_commit(tmp_path, name, text):
    """The nightly pushes with GITHUB_TOKEN, whose pushes start no workflow: a site deployed by a
    workflow run `on: push` committed each post and published none, unattended, night after night."""
    (tmp_path / ".github" / "workflows").mkdir(parents=True)
    (tmp_path / ".github" / "workflows" / name).write_text(text, encoding="utf-8")
    result = CliRunner().invoke(cli, ["init", str(tmp_path), "--profile", "hugo"])
    assert result.exit_code == 0, result.output
    words = " ".join(result.output.split())
    assert f".github/workflows/{name} runs on push" in words
    assert "workflow_run: {workflows: [Hot Papers nightly], types: [completed]}" in words
    written = yaml.safe_load((tmp_path / ".github" / "workflows" / "hotpapers.yml").read_text(encoding="utf-8"))
    assert written["name"] == "Hot Papers nightly"  # the name the step tells to wait for


@pytest.mark.parametrize(
    "text",
    [
        "on: {schedule: [{cron: '0 0 * * *'}]}\njobs: {}\n",
        "on: [push\n",
        "- not a workflow\n",
        "",
        "on: {push: {}, workflow_run: {workflows: [Hot Papers nightly], types: [completed]}}\njobs: {}\n",
        "on: " + "[" * 100_000 + "]" * 100_000 + "\n",  # nested past the recursion limit: init said 'internal error'
    ],
)
def test_init_says_nothing_of_workflows_not_run_on_push(tmp_path, text):
    (tmp_path / ".github" / "workflows").mkdir(parents=True)
    (tmp_path / ".github" / "workflows" / "other.yml").write_text(text, encoding="utf-8")
    result = CliRunner().invoke(cli, ["init", str(tmp_path), "--profile", "hugo"])
    assert result.exit_code == 0, result.output
    assert "workflow_run" not in result.output


def test_init_does_not_wait_on_a_fifo_among_the_workflows(tmp_path):
    """Each workflow is read to see whether it runs on push: a FIFO there kept init waiting for a
    writer for ever."""
    (tmp_path / ".github" / "workflows").mkdir(parents=True)
    os.mkfifo(tmp_path / ".github" / "workflows" / "deploy.yml")
    outcome: dict = {}
    running = threading.Thread(
        target=lambda: outcome.update(result=CliRunner().invoke(cli, ["init", str(tmp_path), "--profile", "hugo"])),
        daemon=True,
    )
    running.start()
    running.join(5)
    assert not running.is_alive(), "init waits for a writer of the FIFO"
    assert outcome["result"].exit_code == 0, outcome["result"].output
    assert (tmp_path / ".github" / "workflows" / "hotpapers.yml").is_file()


NODE24_MAJOR = {"actions/checkout": 5, "actions/setup-python": 6}
"""The first major of each action run on Node 24: GitHub removed Node 20 from its runners on
2026-09-16, and forces the actions written for it onto Node 24, warning that they may not work."""


@pytest.mark.parametrize("written", [True, False], ids=["init", "repo"])
def test_the_workflows_actions_are_majors_made_for_node_24(tmp_path, written):
    if written:
        CliRunner().invoke(cli, ["init", str(tmp_path), "--profile", "hugo"])
        path = tmp_path / ".github" / "workflows" / "hotpapers.yml"
    else:
        path = Path(__file__).parent.parent / ".github" / "workflows" / "nightly.yml"
    steps = yaml.safe_load(path.read_text(encoding="utf-8"))["jobs"]["build"]["steps"]
    uses = [step["uses"].split("@v") for step in steps if "uses" in step]
    assert [action for action, _ in uses] == list(NODE24_MAJOR)
    assert all(int(major) >= NODE24_MAJOR[action] for action, major in uses), uses


@pytest.mark.parametrize("written", [True, False], ids=["init", "repo"])
def test_a_build_that_hangs_fails_its_step_so_the_saved_snapshot_is_still_committed(tmp_path, written):
    """At the job's timeout GitHub cancels the job, and the commit step (`!cancelled()`) did not
    run: the snapshot a hung build had saved was lost. A step's own timeout fails the step alone."""
    if written:
        CliRunner().invoke(cli, ["init", str(tmp_path), "--profile", "hugo"])
        path = tmp_path / ".github" / "workflows" / "hotpapers.yml"
    else:
        path = Path(__file__).parent.parent / ".github" / "workflows" / "nightly.yml"
    job = yaml.safe_load(path.read_text(encoding="utf-8"))["jobs"]["build"]
    build = next(step for step in job["steps"] if "hotpapers build" in step.get("run", ""))
    assert build["timeout-minutes"] + 5 <= job["timeout-minutes"]
