"""Independent groups solved side by side: one task per group, a pool of forked processes.

Groups of attendees that share nobody never interact, so their models can be solved at
the same time on different cores. Each task's inputs (its group and its share of the time
limit) are fixed before any solve, and a task solves the same way in a child process or
here: the plan depends on the seed and the settings, never on which process ran a task,
in what order they finished, or how busy the machine was. The tasks are handed out in
order to whichever process is free, so a caller that lists the largest first keeps the
cores busy to the end (longest-processing-time-first scheduling).

Children are forked (they inherit the week's tables instead of unpickling hundreds of MB);
only their answers travel back, pickled. Where ``fork`` is missing, the tasks run one after
the other here, with the same result.
"""

from __future__ import annotations

import gc
import multiprocessing
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from typing import Any, TypeVar

__all__ = ["run_jobs"]

T = TypeVar("T")

_JOB: Callable[[int], Any] | None = None
"""The job of the pool being run, inherited by its forked children."""


def _call(index: int) -> Any:
    if _JOB is None:  # only a child forked by ``run_jobs`` calls this
        raise RuntimeError("no job: _call outside run_jobs")
    return _JOB(index)


def run_jobs(job: Callable[[int], T], count: int, processes: int) -> list[T]:
    """``[job(0), …, job(count - 1)]``, in up to ``processes`` forked children at once
    (here, one after the other, with one process or without ``fork``); each child takes
    the next index when it is free."""
    global _JOB
    processes = min(processes, count)
    if processes <= 1 or "fork" not in multiprocessing.get_all_start_methods():
        return [job(i) for i in range(count)]
    _JOB = job
    gc.freeze()  # the children's collections then leave the shared tables' pages unwritten
    try:
        # an executor, not a Pool: a child that dies raises BrokenProcessPool here, where
        # a Pool would wait for its answer for ever
        context = multiprocessing.get_context("fork")
        with ProcessPoolExecutor(processes, mp_context=context) as pool:
            return list(pool.map(_call, range(count)))  # chunks of one: the next to the first free
    finally:
        gc.unfreeze()
        _JOB = None
