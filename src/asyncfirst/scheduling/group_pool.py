"""Independent groups solved side by side: fixed bins of groups, one forked process each.

Groups of attendees that share nobody never interact, so their models can be solved at
the same time on different cores. Which bin holds which group, and each bin's
deterministic budget, are fixed before any solve from the groups' sizes alone, and a bin
solves its groups in the same order whether it runs in a child process or here: the plan
depends on the seed, the settings and the number of bins, never on which process ran
first or how busy the machine was.

Children are forked (they inherit the week's tables instead of unpickling hundreds of MB);
only their answers travel back, pickled. Where ``fork`` is missing, bins run one after the
other here, with the same result.
"""

from __future__ import annotations

import gc
import multiprocessing
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from typing import Any, TypeVar

__all__ = ["bins_of", "run_bins"]

T = TypeVar("T")

_JOB: Callable[[int], Any] | None = None
"""The job of the pool being run, inherited by its forked children."""


def bins_of(sizes: Sequence[int], count: int) -> list[list[int]]:
    """Indices of ``sizes`` in ``count`` bins of near-equal total, largest first into the
    lightest bin (ties to the first); each bin's indices in ascending order; no empty bin."""
    count = max(1, min(count, len(sizes)))
    bins: list[list[int]] = [[] for _ in range(count)]
    totals = [0] * count
    for i in sorted(range(len(sizes)), key=lambda i: (-sizes[i], i)):
        lightest = min(range(count), key=lambda b: (totals[b], b))
        bins[lightest].append(i)
        totals[lightest] += sizes[i]
    return [sorted(b) for b in bins if b]


def _call(index: int) -> Any:
    if _JOB is None:  # only a child forked by ``run_bins`` calls this
        raise RuntimeError("no job: _call outside run_bins")
    return _JOB(index)


def run_bins(job: Callable[[int], T], count: int, processes: int) -> list[T]:
    """``[job(0), …, job(count - 1)]``, in up to ``processes`` forked children at once
    (here, one after the other, with one process or without ``fork``)."""
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
            return list(pool.map(_call, range(count)))
    finally:
        gc.unfreeze()
        _JOB = None
