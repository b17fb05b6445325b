"""Worker processes: started safely beside a caller's threads, ended with the process that
started them, and a worker's death said in words."""

from __future__ import annotations

import ctypes
import multiprocessing
import os
import signal
import sys
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import Future, wait
from concurrent.futures.process import BrokenProcessPool
from multiprocessing.context import BaseContext
from typing import TypeVar

from hotpapers.atomic import process_runs
from hotpapers.errors import OUT_OF_MEMORY, HotpapersError

T = TypeVar("T")
R = TypeVar("R")


def worker_context(default: BaseContext | None = None) -> BaseContext:
    """How to start workers: the platform's way (`default`), but forkserver instead of fork
    while other threads run in this process (a library caller's): a forked child inherits
    the locks they hold, and may wait on one forever (Python 3.12+ warns of it)."""
    default = default or multiprocessing.get_context()
    if default.get_start_method() == "fork" and threading.active_count() > 1:
        return multiprocessing.get_context("forkserver")
    return default


def die_with(parent: int) -> None:
    """End this process when `parent` ends, even by SIGKILL: Linux signals it
    (PR_SET_PDEATHSIG) when `parent` forked it; elsewhere, and when a forkserver started it
    (Linux's default since Python 3.14), a thread watches. The signal comes when the
    forkserver ends, and it waits for the workers, which hold its pipe."""
    if sys.platform == "linux" and os.getppid() == parent:
        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)  # 1 = PR_SET_PDEATHSIG
    else:
        threading.Thread(target=_exit_when_gone, args=(parent,), daemon=True).start()
    if not process_runs(parent):  # it ended before the signal was asked for
        os._exit(1)


def _exit_when_gone(parent: int) -> None:
    while process_runs(parent):
        time.sleep(1)
    os._exit(1)


def until_failure(work: Callable[[T], R], items: list[T]) -> tuple[list[R], Exception | None]:
    """`work` done on each of `items` in turn (a worker's chunk) until one raises a
    HotpapersError or a MemoryError: the results before it, and that error (passed back
    as a value, so that the results done before it are not lost with it)."""
    results: list[R] = []
    for item in items:
        try:
            results.append(work(item))
        except (HotpapersError, MemoryError) as error:
            return results, error
    return results, None


def results_of_workers(chunks: list[Future[tuple[list[R], Exception | None]]]) -> Iterator[R]:
    """The results of the chunks (each `until_failure`'s) in order. At the first error, or
    a worker's death, the chunks not started are cancelled, those started finish and their
    results are passed on too, so that only the days really left out go unreported; then
    that error is raised, the first by day order, as a build of the days in turn would stop
    there: a later chunk's error is not (one it raised, unexpected or a worker's death,
    leaves it no results to pass on). A worker that dies without a word (a signal, or the
    system's out-of-memory killer, which no Python code sees) is a HotpapersError saying so,
    where the pool says its own internals ("BrokenProcessPool"), and so is a worker's MemoryError."""
    for index, chunk in enumerate(chunks):
        results, error = _outcome(chunk)
        yield from results
        if error is not None:
            later = chunks[index + 1 :]
            for waiting in later:
                waiting.cancel()  # those a worker has started run on
            wait(later)
            for finished in later:
                if not finished.cancelled() and finished.exception() is None:
                    yield from _outcome(finished)[0]
            raise error


def _outcome(chunk: Future[tuple[list[R], Exception | None]]) -> tuple[list[R], Exception | None]:
    try:
        results, error = chunk.result()
    except BrokenProcessPool:
        return [], HotpapersError(
            "a worker process building the days was killed (by a signal, or by the system when memory ran out)"
        )
    return results, HotpapersError(OUT_OF_MEMORY) if isinstance(error, MemoryError) else error
