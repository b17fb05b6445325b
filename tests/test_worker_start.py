"""How a range build starts its worker processes beside a library caller's threads, and
what it says when one dies."""

import multiprocessing
import os
import signal
import subprocess
import sys
import threading
from datetime import date, timedelta

import pytest

import hotpapers
from conftest import stored_days


def test_a_range_build_forks_no_worker_while_the_caller_runs_other_threads(site, monkeypatch):
    """A library caller with a thread of its own got forked workers, which inherit whatever
    lock that thread held at the fork (Python 3.12+ warns: "use of fork() may lead to
    deadlocks in the child")."""
    days = stored_days(site, date(2020, 8, 1), 40)
    monkeypatch.setattr(os, "cpu_count", lambda: 2)  # two workers, whatever the machine
    stop = threading.Event()
    caller_thread = threading.Thread(target=stop.wait)
    caller_thread.start()
    try:
        reports = hotpapers.build_days(days, hotpapers.load_config(), hotpapers.BuildOptions(offline=True))
        first = next(reports)
        workers = {type(child).__name__ for child in multiprocessing.active_children()}
        rest = list(reports)
    finally:
        stop.set()
        caller_thread.join()
    assert workers and "ForkProcess" not in workers
    assert [report.day for report in [first, *rest]] == days
    assert len(list((site / "content/posts").iterdir())) == 40


def test_workers_are_started_the_platforms_way_when_no_other_thread_runs():
    """Only threads make fork unsafe: a single-threaded caller (the CLI) keeps the platform's
    start method, fork on Linux up to Python 3.13, and its quick start."""
    code = (
        "import multiprocessing, threading\n"
        "from hotpapers.worker_life import worker_context\n"
        "fork = multiprocessing.get_context('fork')\n"
        "print(worker_context(fork).get_start_method())\n"
        "stop = threading.Event()\n"
        "threading.Thread(target=stop.wait).start()\n"
        "print(worker_context(fork).get_start_method())\n"
        "print(worker_context(multiprocessing.get_context('spawn')).get_start_method())\n"
        "stop.set()\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=True)
    assert done.stdout.split() == ["fork", "forkserver", "spawn"]


def range_build_with_a_worker_that(
    site, action: str, then: str = "pass"
) -> tuple[list[str], subprocess.CompletedProcess]:
    """40 stored days built by two forked workers (in chunks of 2 days), the one building
    the 20th day doing `action` (a line of Python) first, and the one building the 21st
    `then`; the days, and the finished build's process."""
    days = stored_days(site, date(2020, 8, 1), 40)
    code = (
        "import multiprocessing, os, sys, time\n"
        "import hotpapers.pipeline as pipeline\n"
        "multiprocessing.set_start_method('fork')\n"
        "os.cpu_count = lambda: 2\n"
        "build_day = pipeline.build_day\n"
        "def failing(day, *args, **kwargs):\n"
        f"    if day == {days[19]!r}:\n"
        f"        {action}\n"
        f"    if day == {days[20]!r}:\n"
        f"        {then}\n"
        "    return build_day(day, *args, **kwargs)\n"
        "pipeline.build_day = failing\n"
        "from hotpapers.cli import cli\n"
        f"cli.main(['build', '--offline', '--since', {days[0]!r}, '--until', {days[-1]!r}])\n"
    )
    return days, subprocess.run([sys.executable, "-c", code], cwd=site, capture_output=True, text=True, timeout=120)


def named_unbuilt(error_line: str) -> set[str]:
    """The days an error line names as not built ("...: 3 of 40 days not built: 2020-08-19,
    2020-08-21 to 2020-08-22"), each span read back as its days."""
    named = set()
    for span in error_line.split(" days not built: ")[1].split(", "):
        first, _, last = span.partition(" to ")
        day = date.fromisoformat(first)
        while day <= date.fromisoformat(last or first):
            named.add(day.isoformat())
            day += timedelta(days=1)
    return named


def unwritten(site, days: list[str]) -> set[str]:
    written = {path.name[:10] for path in (site / "content" / "posts").iterdir()}
    return {day for day in days if day not in written}


@pytest.mark.skipif(sys.platform != "linux", reason="workers forked with the build's code patched")
def test_a_worker_killed_mid_range_is_one_line_naming_the_days_not_built(site):
    """A worker the system kills (its out-of-memory killer, a signal) made the build end with
    "internal error: BrokenProcessPool: A process in the process pool was terminated
    abruptly...", which blamed hotpapers and named no day. What a killed worker wrote before
    it died is not known, so its days are named too."""
    days, done = range_build_with_a_worker_that(site, f"os.kill(os.getpid(), {int(signal.SIGKILL)})")
    last = done.stderr.splitlines()[-1]
    assert done.returncode == 1, done.stderr[-500:]
    assert last.startswith(
        "Error: a worker process building the days was killed (by a signal, or by the system when memory ran out); "
        "stopped at 2020-08-"
    )
    assert days[19] in named_unbuilt(last) and named_unbuilt(last) >= unwritten(site, days)
    assert "Traceback" not in done.stderr


@pytest.mark.skipif(sys.platform != "linux", reason="workers forked with the build's code patched")
def test_a_worker_out_of_memory_mid_range_names_exactly_the_days_not_built(site):
    """A worker's MemoryError reached the CLI as `out of memory` alone: the range's error did
    not say where it stopped, nor which days were left. Then it named the days from the
    start of the failing worker's chunk of days to the last day, among them days that
    worker had written before the failing one, and days the other worker had written."""
    days, done = range_build_with_a_worker_that(site, "raise MemoryError")
    assert done.returncode == 1, done.stderr[-500:]
    last = done.stderr.splitlines()[-1]
    assert last.startswith(
        "Error: out of memory: the system, or a limit such as `ulimit -v`, gave no more; stopped at 2020-08-20: "
    )
    assert days[19] == "2020-08-20" and days[18] not in unwritten(site, days)
    assert named_unbuilt(last) == unwritten(site, days)
    assert f"{len(unwritten(site, days))} of 40 days not built: 2020-08-20" in last


@pytest.mark.skipif(sys.platform != "linux", reason="workers forked with the build's code patched")
def test_a_later_chunks_unexpected_error_does_not_hide_the_first_failure(site):
    """The 20th day's MemoryError (its worker slow to raise it) was replaced by the error of
    a later chunk that the other worker raised meanwhile, an unexpected one: the build
    ended with `internal error: RuntimeError: ...`, naming no day. A build of the days in
    turn stops at the first failure, and says it."""
    days, done = range_build_with_a_worker_that(
        site, "time.sleep(1); raise MemoryError", then="raise RuntimeError('a later bug')"
    )
    assert done.returncode == 1, done.stderr[-500:]
    last = done.stderr.splitlines()[-1]
    assert last.startswith(
        "Error: out of memory: the system, or a limit such as `ulimit -v`, gave no more; stopped at 2020-08-20: "
    )
    # the 21st day raised, so its chunk's 22nd was never built
    assert {"2020-08-20", "2020-08-21", "2020-08-22"} <= named_unbuilt(last) == unwritten(site, days)
    assert "a later bug" not in done.stderr and "Traceback" not in done.stderr
