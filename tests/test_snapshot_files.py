"""Broken and hostile snapshot files through the real CLI: each is refused in one line,
exit 2, and none hangs a build or ends in "internal error"."""

import json
import os
import subprocess
import sys
from datetime import UTC, datetime, timedelta

import pytest
from click.testing import CliRunner
from msgspec.structs import replace

import hotpapers.snapshot
from conftest import example_data, make_mention, make_paper, make_snapshot
from fakes import live_config
from hotpapers.cli import cli
from hotpapers.errors import SnapshotError
from hotpapers.models import MAX_COUNT, Window
from hotpapers.snapshot import MAX_FILE_BYTES, parse_snapshot, save_snapshot

DAY = "2020-09-24"
REFRESH = f"fix the file, or replace it by fetching the day from the sources: `hotpapers build --date {DAY} --refresh`"


SHOWN = f"data/snapshots/{DAY}.json"
"""The stored snapshot as errors name it, from the site's folder."""


def stored(site):
    return site / "data" / "snapshots" / f"{DAY}.json"


def refused(args, ending):
    """The CLI's one line for a refused input, checked to end with `ending`."""
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 2, result.output
    assert result.stderr.count("\n") == 1 and result.stderr.startswith("Error: "), result.stderr
    assert "internal error" not in result.stderr
    assert result.stderr.endswith(ending + "\n"), result.stderr
    return result.stderr


def test_a_fifo_as_the_stored_snapshot_is_refused_at_once(site):
    """Reading a FIFO waits for a writer forever: the build hung."""
    stored(site).unlink()
    os.mkfifo(stored(site))
    command = [sys.executable, "-m", "hotpapers", "build", "--date", DAY, "--offline"]
    run = subprocess.run(command, cwd=site, capture_output=True, text=True, timeout=30)
    assert run.returncode == 2
    assert run.stderr == f"Error: {SHOWN}: not a snapshot file but a FIFO\n"


def test_a_fifo_as_a_stored_snapshot_hangs_no_build_that_may_fetch(site, httpserver):
    """A build that may fetch first looks for a failure recorded in each stored day's
    bytes (recorded_failures.may_record_failure), which read a FIFO as a file: `build
    --date D` and the nightly build, whose repair looks at the days before yesterday,
    waited for a writer for ever."""
    (site / "config.yaml").write_text(live_config(httpserver), encoding="utf-8")
    yesterday = datetime.now(UTC).date() - timedelta(days=1)  # the nightly build's day, in the config's UTC
    for back in range(4):  # the site's last four days, each stored, taken the morning after
        day = yesterday - timedelta(days=back)
        data = {**example_data(), "date": day.isoformat(), "taken_at": f"{day + timedelta(days=1)}T00:30:00Z"}
        (site / "data" / "snapshots" / f"{day}.json").write_text(json.dumps(data), encoding="utf-8")
    fifo = site / "data" / "snapshots" / f"{yesterday - timedelta(days=2)}.json"
    fifo.unlink()
    os.mkfifo(fifo)
    nightly = subprocess.run([sys.executable, "-m", "hotpapers", "build"], cwd=site, capture_output=True, timeout=30)
    assert nightly.returncode == 0, nightly.stderr  # yesterday built; the FIFO's day is left to check, which names it
    command = [sys.executable, "-m", "hotpapers", "build", "--date", fifo.stem]
    given = subprocess.run(command, cwd=site, capture_output=True, text=True, timeout=30)
    assert (given.returncode, given.stderr) == (
        2,
        f"Error: data/snapshots/{fifo.name}: not a snapshot file but a FIFO\n",
    )


def test_a_directory_as_the_stored_snapshot_is_named_as_such(site):
    stored(site).unlink()
    stored(site).mkdir()
    refused(["build", "--date", DAY, "--offline"], f"{SHOWN}: not a snapshot file but a directory")


@pytest.mark.parametrize("flag", ["--offline", "--dry-run"])
def test_a_stored_snapshot_linking_to_nothing_is_named_and_never_fetched_over(site, flag):
    """A lab's link to its collector's file on a mount that was gone read as no snapshot:
    the day was fetched from the sources (plain build, or planned with --dry-run) and the
    link replaced by that file, without the lab's mentions and without a word."""
    stored(site).unlink()
    stored(site).symlink_to(site / "gone" / f"{DAY}.json")
    refused(
        ["build", "--date", DAY, flag],
        f"{SHOWN}: a symbolic link to {site / 'gone' / f'{DAY}.json'}, which is not there; {REFRESH}",
    )
    assert stored(site).is_symlink()


def test_a_stored_snapshot_in_a_loop_of_links_is_named_as_unreadable(site):
    stored(site).unlink()
    stored(site).symlink_to(stored(site).name)
    refused(["build", "--date", DAY, "--offline"], f"{SHOWN}: cannot read it (Too many levels of symbolic links)")


def test_explain_and_check_name_a_link_to_nothing(site):
    stored(site).unlink()
    stored(site).symlink_to("gone.json")
    refused(["explain", DAY], f"gone.json, which is not there; {REFRESH}")
    result = CliRunner().invoke(cli, ["check", "--until", DAY, "--days", "1"])
    assert result.exit_code == 1
    assert "a symbolic link to gone.json, which is not there" in result.stderr


def test_a_snapshot_file_larger_than_the_limit_is_refused_unread(site):
    """A file of gigabytes was read whole, and its text decoded, until the memory ran out:
    the build was killed without a word. This one is sparse: it takes no disk, and reading
    it (without the limit) 512 MiB of memory, which the test does not run out of."""
    os.truncate(stored(site), MAX_FILE_BYTES + 1)
    too_large = f"{SHOWN}: larger than 512 MiB, the most a snapshot file may hold"
    refused(["render", str(stored(site))], too_large)
    refused(["build", "--date", DAY, "--offline"], f"{too_large}; {REFRESH}")
    refused(["build", "--date", DAY], f"{too_large}; {REFRESH}")


def test_a_snapshot_too_large_to_write_is_named_by_its_size_rounded_up(monkeypatch):
    """2.25 MiB (and its other fields) against a limit of 2 MiB was said to be '2 MiB, more than the 2 MiB': the
    size is rounded up to a tenth, never down to the limit."""
    monkeypatch.setattr(hotpapers.snapshot, "MAX_FILE_BYTES", 2 * 2**20)
    snapshot = make_snapshot([make_paper("2009.11278", title="x" * (2**21 + 2**18))], [])
    with pytest.raises(SnapshotError) as info:
        hotpapers.snapshot.dump_snapshot(snapshot)
    assert info.value.message.startswith(
        f"{snapshot.date}: refusing to write a snapshot of 2.3 MiB, more than the 2 MiB "
    )


def test_a_deeply_nested_snapshot_is_refused_in_one_line(site):
    stored(site).write_text('{"schema": "hotpapers/snapshot@1", "papers": ' + "[" * 100_000 + "]" * 100_000 + "}")
    refused(["render", str(stored(site))], "not a snapshot (arrays or objects nested too deeply)")


def test_a_value_nested_in_the_wrong_place_is_shown_cut_short(site):
    data = example_data()
    data["mentions"][3]["likes"] = json.loads("[" * 500 + "]" * 500)
    stored(site).write_text(json.dumps(data))
    refused(["render", str(stored(site))], "$.mentions[3].likes: [[[...]]] is not of type 'integer'")


def test_a_5000_digit_number_is_refused_in_one_line(site):
    text = stored(site).read_text(encoding="utf-8").replace('"reposts": 18348', '"reposts": 1' + "0" * 4999, 1)
    stored(site).write_text(text, encoding="utf-8")
    refused(["render", str(stored(site))], "not a snapshot (a number of 5000 digits, 100000000000...)")


@pytest.mark.parametrize(
    ("number", "ending"),
    [
        ("1" + "0" * 399, "is greater than the maximum of 1000000000000"),
        ("1" + "0" * 400, "not a snapshot (a number of 401 digits, 100000000000...)"),
        ("-" + "1" * 400, "is less than the minimum of 0"),
        ("-" + "1" * 401, "not a snapshot (a number of 401 digits, -11111111111...)"),
    ],
)
def test_numbers_of_up_to_400_digits_are_read_and_longer_ones_are_not(site, number, ending):
    """MAX_DIGITS (400) is the longest integer read (a minus sign is no digit); a longer one is
    refused before Python converts it, a shorter one with its JSON path."""
    text = stored(site).read_text(encoding="utf-8").replace('"reposts": 18348', f'"reposts": {number}', 1)
    stored(site).write_text(text, encoding="utf-8")
    line = refused(["render", str(stored(site))], ending)
    assert "digits" in ending or f"$.mentions[11].reposts: {number[:4]}" in line


def test_a_fractional_count_is_refused_not_cut_to_an_integer(site):
    data = example_data()
    data["mentions"][3]["likes"] = 3.5
    stored(site).write_text(json.dumps(data))
    refused(["render", str(stored(site))], "$.mentions[3].likes: 3.5 is not of type 'integer'")


@pytest.mark.parametrize(
    ("count", "shown"),
    [
        ("1e308", "100000000000000001...4885715430223118336"),
        (str(2**70), "1180591620717411303424"),
        ("1000000000001", "1000000000001"),
    ],
)
def test_an_absurd_count_is_refused_with_its_json_path(site, count, shown):
    """The schema's integers have no maximum: 1e308 was read as a 309-digit count."""
    text = stored(site).read_text(encoding="utf-8").replace('"reposts": 18348', f'"reposts": {count}', 1)
    stored(site).write_text(text, encoding="utf-8")
    refused(
        ["render", str(stored(site))], f"$.mentions[11].reposts: {shown} is greater than the maximum of 1000000000000"
    )


def test_the_largest_count_loads_and_one_above_it_is_refused_wherever_it_is():
    data = example_data()
    data["mentions"][0]["likes"] = MAX_COUNT
    assert parse_snapshot(json.dumps(data).encode(), "day.json").mentions[0].likes == 10**12
    data["sources"] = {"twitter": {"status": "ok", "requests": MAX_COUNT + 1}}
    data["papers"][1]["version"] = MAX_COUNT + 1
    with pytest.raises(SnapshotError) as info:
        parse_snapshot(json.dumps(data).encode(), "day.json")
    assert (
        info.value.message
        == "day.json: 2 problems: $.papers[1].version: 1000000000001 is greater than the maximum of 1000000000000; "
        "$.sources.twitter.requests: 1000000000001 is greater than the maximum of 1000000000000"
    )


@pytest.mark.parametrize(
    ("change", "path"),
    [
        (lambda data: data["mentions"][0].update(likes=MAX_COUNT + 1), "$.mentions[0].likes"),
        (lambda data: data["mentions"][0].update(replies=MAX_COUNT + 1), "$.mentions[0].replies"),
        (lambda data: data["mentions"][0].update(quotes=MAX_COUNT + 1), "$.mentions[0].quotes"),
        (
            lambda data: data.update(sources={"arxiv": {"status": "ok", "items": MAX_COUNT + 1}}),
            "$.sources.arxiv.items",
        ),
    ],
)
def test_every_count_above_the_largest_is_refused(change, path):
    data = example_data()
    change(data)
    with pytest.raises(SnapshotError) as info:
        parse_snapshot(json.dumps(data).encode(), "day.json")
    assert info.value.message == f"day.json: {path}: 1000000000001 is greater than the maximum of 1000000000000"


def test_a_wrong_value_of_ordinary_length_is_named_whole(site):
    """Only a value too long for one line is cut short: one a person wrote is shown as it
    is, to be found in the file."""
    day = "2020-09-24 (the Thursday the collector ran, in the lab's time zone, Europe/Berlin)"
    stored(site).write_text(json.dumps({**example_data(), "date": day}), encoding="utf-8")
    refused(["render", str(stored(site))], f"$.date: {day!r} is not a day written YYYY-MM-DD")


def test_a_truncated_stored_snapshot_names_the_place_and_suggests_refresh(site):
    text = stored(site).read_text(encoding="utf-8")
    cut = text.index('"Tasks, stability') + 5
    stored(site).write_text(text[:cut], encoding="utf-8")
    line = text[:cut].count("\n") + 1
    column = cut - text.rfind("\n", 0, cut) - 5
    refused(
        ["build", "--date", DAY],
        f"not valid JSON (Unterminated string starting at line {line}, column {column}); "
        f"fix the file, or replace it by fetching the day from the sources: `hotpapers build --date {DAY} --refresh`",
    )
    elsewhere = site / "import.json"
    elsewhere.write_text(text[:cut], encoding="utf-8")
    message = refused(["render", "import.json"], f"(Unterminated string starting at line {line}, column {column})")
    assert "--refresh" not in message


def with_times(taken_at, window=None):
    data = example_data()
    data["taken_at"] = taken_at
    if window:
        data["window"] = {"since": window[0], "until": window[1]}
    return json.dumps(data).encode()


def test_a_snapshot_taken_before_the_end_of_its_window_is_refused_through_build(site):
    stored(site).write_bytes(with_times("2020-09-25T03:59:59Z", ("2020-09-24T04:00:00Z", "2020-09-25T04:00:00Z")))
    refused(
        ["build", "--date", DAY],
        "$.taken_at: '2020-09-25T03:59:59Z' is before the end of the day 2020-09-24 "
        "(its window's end, 2020-09-25T04:00:00Z): the day was not over yet; "
        f"fix the file, or replace it by fetching the day from the sources: `hotpapers build --date {DAY} --refresh`",
    )
    assert not (site / "content").exists()


def test_a_snapshot_without_window_taken_before_the_day_ended_everywhere_is_refused(site):
    stored(site).write_bytes(with_times("2020-09-24T09:59:59Z"))
    refused(
        ["render", str(stored(site))],
        "$.taken_at: '2020-09-24T09:59:59Z' is before the end of the day 2020-09-24 "
        "(its earliest end in any time zone, 2020-09-25T00:00:00+14:00): the day was not over yet",
    )


@pytest.mark.parametrize(
    ("taken_at", "window"),
    [
        ("2020-09-25T04:00:00Z", ("2020-09-24T04:00:00Z", "2020-09-25T04:00:00Z")),  # the window's end is exclusive
        ("2020-09-25T00:00:00+14:00", None),
        ("2020-09-24T10:00:00Z", None),  # the same instant: the day is over at UTC+14
    ],
)
def test_a_snapshot_taken_once_its_day_ended_is_read(taken_at, window):
    assert parse_snapshot(with_times(taken_at, window), "day.json").taken_at == taken_at


def test_a_window_that_is_not_its_day_cannot_vouch_for_an_early_taken_at(site):
    """A window of the day before let a snapshot taken at 01:00 UTC on its own day through,
    and the post was written dated during the day it covers."""
    stored(site).write_bytes(with_times("2020-09-24T01:00:00Z", ("2020-09-23T00:00:00Z", "2020-09-24T00:00:00Z")))
    message = refused(
        ["build", "--date", DAY, "--offline"], f"from the sources: `hotpapers build --date {DAY} --refresh`"
    )
    assert message.startswith(
        f"Error: {SHOWN}: $.window: '2020-09-23T00:00:00Z' to '2020-09-24T00:00:00Z' is not the day "
        "2020-09-24 in any time zone: it must start between 2020-09-24T00:00:00+14:00 and 2020-09-24T00:00:00-12:00 "
        "and end between 2020-09-25T00:00:00+14:00 and 2020-09-25T00:00:00-12:00 (midnight at some UTC offset); "
    )
    assert not (site / "content").exists()


@pytest.mark.parametrize(
    "window",
    [
        ("2020-09-25T00:00:00Z", "2020-09-24T00:00:00Z"),
        ("2020-09-24T00:00:00Z", "2020-09-24T00:00:00+00:00"),
    ],
)
def test_a_window_that_ends_before_it_starts_is_refused(window):
    with pytest.raises(SnapshotError) as info:
        parse_snapshot(with_times("2020-09-26T00:00:00Z", window), "day.json")
    assert info.value.message == (
        f"day.json: $.window: its since, {window[0]!r}, is not before its until, {window[1]!r}"
    )


@pytest.mark.parametrize(
    "window",
    [
        ("2020-09-23T09:59:59Z", "2020-09-25T00:00:00Z"),  # starts before the date starts at UTC+14
        ("2020-09-24T12:00:01Z", "2020-09-25T00:00:00Z"),  # starts after it starts at UTC-12
        ("2020-09-24T00:00:00Z", "2020-09-24T09:59:59Z"),  # ends before the date ends at UTC+14
        ("2020-09-24T00:00:00Z", "2020-09-25T12:00:01Z"),  # ends after it ends at UTC-12
        ("2020-09-25T00:00:00Z", "2020-09-26T00:00:00Z"),  # the next day
    ],
)
def test_a_window_outside_every_time_zone_of_its_day_is_refused(window):
    with pytest.raises(SnapshotError, match=r"^day\.json: \$\.window: .* is not the day 2020-09-24 in any time zone"):
        parse_snapshot(with_times("2020-09-27T00:00:00Z", window), "day.json")


@pytest.mark.parametrize(
    "window",
    [
        ("2020-09-24T00:00:00+14:00", "2020-09-25T00:00:00+14:00"),  # Kiribati
        ("2020-09-24T00:00:00-12:00", "2020-09-25T00:00:00-12:00"),
        ("2020-09-24T00:00:00+14:00", "2020-09-25T00:00:00-12:00"),  # each bound at its extreme
        ("2020-09-23T22:00:00Z", "2020-09-24T23:00:00Z"),  # a 25-hour day: Berlin leaving summer time
        ("2020-09-24T05:00:00Z", "2020-09-25T04:00:00Z"),  # a 23-hour day: New York entering it
        ("2020-09-24T05:30:00+05:30", "2020-09-25T05:45:00+05:45"),  # midnight UTC, written at other offsets
    ],
)
def test_a_window_that_is_its_day_in_some_time_zone_is_read(window):
    snapshot = parse_snapshot(with_times("2020-09-26T00:00:00Z", window), "day.json")
    assert (snapshot.window.since, snapshot.window.until) == window


def test_a_snapshot_taken_before_its_day_ended_is_never_written(tmp_path):
    window = Window(since="2020-09-24T00:00:00Z", until="2020-09-25T00:00:00Z")
    early = replace(make_snapshot([make_paper()], [make_mention()], window=window), taken_at="2020-09-24T23:00:00Z")
    with pytest.raises(SnapshotError, match=r"refusing to write an invalid snapshot: \$\.taken_at: .* not over yet"):
        save_snapshot(early, tmp_path / "day.json")
    assert list(tmp_path.iterdir()) == []
