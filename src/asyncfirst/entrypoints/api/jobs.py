"""The periodic jobs inside the API process, for SQLite (``asyncfirst serve``).

One asyncio task per job, each on its own interval (``Job.every_seconds``). A job runs in
a worker thread (it does blocking database work), one job at a time so SQLite's single
writer is never contended by the jobs themselves; a failure is logged and the job runs
again at its next tick, never fatal to the server. With several server processes on one
SQLite file, one of them runs the jobs (``run_jobs``'s ``leadership``). With PostgreSQL
the same catalogue runs on ``asyncfirst worker`` processes instead (docs/jobs.md).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Sequence

from asyncfirst.services.hub_ports import HubContext
from asyncfirst.services.jobs import Job

__all__ = ["job_loop", "run_jobs", "run_once"]

log = logging.getLogger("asyncfirst.jobs")

LEADERSHIP_RETRY_SECONDS = 15.0


def run_once(hub: HubContext, job: Job) -> int:
    """Run ``job`` once; how many effects it kept (logged when any)."""
    kept = job.run(hub)
    if kept:
        log.info("%s: %d", job.name, kept)
    return kept


async def _run_to_the_end(hub: HubContext, job: Job) -> None:
    """Run the job in a thread; when cancelled, wait for the thread before giving up, so the
    server never closes the database under a running job."""
    running = asyncio.ensure_future(asyncio.to_thread(run_once, hub, job))
    try:
        await asyncio.shield(running)
    except asyncio.CancelledError:
        await asyncio.wait([running])
        if running.exception() is not None:
            log.warning("job %s failed while the server stopped: %s", job.name, running.exception())
        raise


async def job_loop(hub: HubContext, job: Job, one_at_a_time: asyncio.Lock) -> None:
    """Run ``job`` every ``job.every_seconds`` until cancelled; failures are logged."""
    while True:
        try:
            async with one_at_a_time:
                await _run_to_the_end(hub, job)
        except Exception:
            log.exception("job %s failed; trying again in %ss", job.name, job.every_seconds)
        await asyncio.sleep(job.every_seconds)


async def run_jobs(
    hub: HubContext,
    jobs: Sequence[Job],
    leadership: Callable[[], bool] | None = None,
    retry_seconds: float = LEADERSHIP_RETRY_SECONDS,
) -> None:
    """Every job on its own interval, until cancelled.

    With ``leadership`` (several server processes on one SQLite file) the jobs start only
    once it answers true, asked every ``retry_seconds``: one process runs them, and when it
    ends another takes over.
    """
    if leadership is not None:
        while not await asyncio.to_thread(leadership):
            await asyncio.sleep(retry_seconds)
        log.info("this process runs the background jobs")
    lock = asyncio.Lock()
    loops = [asyncio.create_task(job_loop(hub, job, lock), name=job.name) for job in jobs]
    try:
        await asyncio.gather(*loops)
    finally:
        for task in loops:
            task.cancel()
        await asyncio.gather(*loops, return_exceptions=True)
