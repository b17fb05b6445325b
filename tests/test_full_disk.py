"""A build fetches nothing onto a disk too full to keep the day: the snapshot was found
unwritable only after the fetch (a full disk still lets an empty probe file be made), so
every night of a full disk paid X for the posts read and lost them."""

from __future__ import annotations

import shutil
import subprocess

import pytest
from click.testing import CliRunner

from fakes import TOKEN, Recorder, example_scenario, live_config, serve_scenario
from hotpapers.cli import cli


def test_a_disk_without_room_for_the_largest_stored_snapshot_fetches_nothing(tmp_path, monkeypatch, httpserver):
    recorder = Recorder()
    serve_scenario(httpserver, example_scenario(), recorder)
    (tmp_path / "config.yaml").write_text(live_config(httpserver), encoding="utf-8")
    snapshots = tmp_path / "data" / "snapshots"
    snapshots.mkdir(parents=True)
    free = shutil.disk_usage(snapshots).free
    with open(snapshots / "2020-09-23.json", "wb") as stored:  # sparse: larger than the disk's free space
        stored.truncate(free + 2**32)  # by far more than other processes free on the disk meanwhile
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("X_BEARER_TOKEN", TOKEN)
    result = CliRunner().invoke(cli, ["-q", "build", "--date", "2020-09-24"])
    assert result.exit_code == 1, result.output
    assert result.stderr.startswith("Error: cannot write into data/snapshots: the disk has ")
    assert "free, less than the largest stored snapshot (data/snapshots/2020-09-23.json" in result.stderr
    assert result.stderr.endswith("; nothing was fetched\n") and result.stderr.count("\n") == 1
    assert recorder.calls == []
    assert sorted(p.name for p in tmp_path.rglob("*") if p.is_file()) == ["2020-09-23.json", "config.yaml"]


def test_a_link_to_a_snapshot_that_is_gone_does_not_stop_every_fetch(tmp_path, monkeypatch, httpserver):
    """The free space is weighed against the stored snapshots' sizes: a day's link to a
    collector's file that is gone (a lab's mount) stopped every build that fetched, with
    'Error: No such file or directory (…)', night after night; only that day's build
    names it (snapshot.stored_snapshot)."""
    serve_scenario(httpserver, example_scenario(), Recorder())
    (tmp_path / "config.yaml").write_text(live_config(httpserver), encoding="utf-8")
    snapshots = tmp_path / "data" / "snapshots"
    snapshots.mkdir(parents=True)
    (snapshots / "2020-09-20.json").symlink_to(tmp_path / "mnt" / "collector" / "2020-09-20.json")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("X_BEARER_TOKEN", TOKEN)
    result = CliRunner().invoke(cli, ["-q", "build", "--date", "2020-09-24"])
    assert result.exit_code == 0, result.output
    assert (snapshots / "2020-09-24.json").is_file()


def test_a_dry_run_warns_that_the_build_could_not_keep_what_it_fetches(tmp_path, monkeypatch, httpserver):
    """build --dry-run said 'would fetch the window ...' on a disk without room for the day,
    where the build then stops with 'cannot write into data/snapshots: ...; nothing was
    fetched': the dry run now says so too, and still asks no one and writes nothing."""
    recorder = Recorder()
    serve_scenario(httpserver, example_scenario(), recorder)
    (tmp_path / "config.yaml").write_text(live_config(httpserver), encoding="utf-8")
    snapshots = tmp_path / "data" / "snapshots"
    snapshots.mkdir(parents=True)
    with open(snapshots / "2020-09-23.json", "wb") as stored:  # sparse, as above
        stored.truncate(shutil.disk_usage(snapshots).free + 2**32)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("X_BEARER_TOKEN", TOKEN)
    result = CliRunner().invoke(cli, ["-q", "build", "--date", "2020-09-24", "--dry-run"])
    assert result.exit_code == 0, result.output
    warning = result.stderr.splitlines()[0]
    assert warning.startswith("cannot write into data/snapshots: the disk has ")
    assert warning.endswith("; the build would stop there and fetch nothing")
    assert recorder.calls == []
    assert sorted(p.name for p in tmp_path.rglob("*") if p.is_file()) == ["2020-09-23.json", "config.yaml"]


def test_a_dry_run_warns_of_a_snapshots_folder_it_cannot_write_into(tmp_path, monkeypatch, httpserver):
    """The same for a folder no file can be made in (made immutable: root may write into a
    folder whatever its mode, so chmod proves nothing when the tests run as root)."""
    serve_scenario(httpserver, example_scenario(), Recorder())
    (tmp_path / "config.yaml").write_text(live_config(httpserver), encoding="utf-8")
    snapshots = tmp_path / "data" / "snapshots"
    snapshots.mkdir(parents=True)
    chattr = shutil.which("chattr")
    if chattr is None or subprocess.run([chattr, "+i", snapshots], capture_output=True).returncode != 0:
        pytest.skip("chattr +i is not available here (not Linux, a file system without it, or no CAP_LINUX_IMMUTABLE)")
    try:
        monkeypatch.chdir(tmp_path)
        monkeypatch.setenv("X_BEARER_TOKEN", TOKEN)
        dry = CliRunner().invoke(cli, ["build", "--date", "2020-09-24", "--dry-run"])
        real = CliRunner().invoke(cli, ["build", "--date", "2020-09-24"])
    finally:
        subprocess.run([chattr, "-i", snapshots], check=True)
    assert dry.exit_code == 0, dry.output
    reason = "cannot write into data/snapshots: Operation not permitted"
    assert f"{reason}; the build would stop there and fetch nothing\n" in dry.stderr
    assert "2020-09-24: would fetch the window" in dry.stderr
    assert real.exit_code == 1 and real.stderr == f"Error: {reason}; nothing was fetched\n"


def test_a_dry_run_under_a_file_in_the_snapshots_folder_s_place_plans_what_the_build_stops_at(
    tmp_path, monkeypatch, httpserver
):
    """A file where the snapshots' folder goes stopped the dry run with 'Error:
    data/snapshots/2020-09-24.json: cannot read it (Not a directory)', exit 2, though no
    snapshot can be there (the build fetches the day, and stops at the claim, exit 1): the dry
    run warns, as for a folder it cannot write into, and plans the fetch."""
    serve_scenario(httpserver, example_scenario(), Recorder())
    (tmp_path / "config.yaml").write_text(live_config(httpserver), encoding="utf-8")
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "snapshots").write_text("x", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("X_BEARER_TOKEN", TOKEN)
    dry = CliRunner().invoke(cli, ["build", "--date", "2020-09-24", "--dry-run"])
    real = CliRunner().invoke(cli, ["build", "--date", "2020-09-24"])
    assert dry.exit_code == 0, dry.output
    reason = "cannot write into data/snapshots: data/snapshots is a file, not a folder"
    assert f"{reason}; the build would stop there and fetch nothing\n" in dry.stderr
    assert "2020-09-24: would fetch the window" in dry.stderr
    assert real.exit_code == 1 and real.stderr == f"Error: {reason}; nothing was fetched\n"
