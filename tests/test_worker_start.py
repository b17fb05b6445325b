"""How a range build starts its worker processes beside a library caller's threads."""

import multiprocessing
import os
import subprocess
import sys
import threading
from datetime import date

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
