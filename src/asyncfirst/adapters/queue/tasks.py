"""The procrastinate app: one task per job of the catalogue, deferred periodically.

**Tasks.** Job ``send_reminders`` is the task ``asyncfirst.send_reminders`` on the queue
``asyncfirst``; it runs ``Job.run`` with the worker's ``HubContext`` (given to every job
as procrastinate's ``additional_context``) in a thread, since the use cases block.

**Periodic deferral.** Every worker runs procrastinate's periodic deferrer: each job is
deferred on a cron built from its period (``cron_for``); the database keeps one job per
task and tick however many workers try (procrastinate's periodic-defer table).

**Locks.** Each task has a *queueing lock* (its name): while one run of a job is waiting
in the queue, no second one is queued, so ticks do not pile up when workers are busy or
down; and an *execution lock* of the same name, so two runs of one job never overlap.

**Retries with backoff.** A run that fails defers a retry of itself after 2, 4, 8, ... s
(``RETRY_ATTEMPTS`` in all) under the same queueing lock; when a run is already queued
that run does the work instead. (procrastinate's own retry strategy is not used: putting
a failed job back to ``todo`` would collide with a queued tick on the queueing lock.)

**Killed workers.** Workers send a heartbeat every ``heartbeat_seconds``. The periodic
task ``asyncfirst.recover_stalled_jobs`` (once per tick over all workers) finds the jobs
still ``doing`` on a worker silent for ``stalled_after_seconds`` and puts them back in the
queue (``JobManager.get_stalled_jobs`` and ``retry_job``), where another worker runs
them again; their effects are keyed, so they happen once (docs/jobs.md).
"""

from __future__ import annotations

import asyncio
import importlib
import logging
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from procrastinate import App, JobContext, PsycopgConnector, exceptions
from procrastinate.jobs import Status

from asyncfirst.domain.errors import InputError
from asyncfirst.services.hub_ports import HubContext
from asyncfirst.services.jobs import Job

__all__ = [
    "QUEUE",
    "RECOVER_TASK",
    "RETRY_ATTEMPTS",
    "QueueSettings",
    "build_app",
    "cron_for",
    "task_name",
]

QUEUE = "asyncfirst"
RECOVER_TASK = "asyncfirst.recover_stalled_jobs"
RETRY_ATTEMPTS = 5
EXTRA_NAMESPACE = "extra"
log = logging.getLogger("asyncfirst.jobs")


@dataclass(frozen=True, slots=True)
class QueueSettings:
    """How workers watch each other; every worker of one database should use the same."""

    heartbeat_seconds: float = 10.0
    stalled_after_seconds: float = 30.0
    recover_every_seconds: int = 15

    def __post_init__(self) -> None:
        if not 0 < self.heartbeat_seconds * 2 <= self.stalled_after_seconds:
            raise InputError(
                f"a worker is stalled after {self.stalled_after_seconds:g} s without a heartbeat; "
                f"that must be at least twice the heartbeat ({self.heartbeat_seconds:g} s)"
            )


def task_name(job: Job | str) -> str:
    return f"asyncfirst.{job if isinstance(job, str) else job.name}"


def cron_for(seconds: float) -> str:
    """A procrastinate cron (a sixth column for seconds) firing every ``seconds``.

    Periods divide a minute (1-30 s) or an hour (1-60 min) so the ticks are evenly spaced.
    """
    whole = int(seconds)
    if whole == seconds and 0 < whole < 60 and 60 % whole == 0:
        return f"* * * * * */{whole}"
    minutes = whole // 60
    if whole == seconds and whole % 60 == 0 and 0 < minutes <= 60 and 60 % minutes == 0:
        return (
            "* * * * *"
            if minutes == 1
            else ("0 * * * *" if minutes == 60 else f"*/{minutes} * * * *")
        )
    raise ValueError(
        f"a period of {seconds:g} s cannot be a cron; use a divisor of 60 seconds or of 60 minutes"
    )


def _hub(context: JobContext) -> HubContext:
    hub = context.additional_context.get("hub")
    if not isinstance(hub, HubContext):  # pragma: no cover - the worker always passes it
        raise RuntimeError("the worker did not pass the hub to its jobs")
    return hub


def _add_job(app: App, job: Job) -> None:
    name = task_name(job)

    async def run(context: JobContext, timestamp: int, attempt: int = 0) -> int:
        try:
            kept = await asyncio.to_thread(job.run, _hub(context))
        except Exception:
            if attempt + 1 < RETRY_ATTEMPTS:
                delay = 2 ** (attempt + 1)
                try:
                    await app.configure_task(
                        name, schedule_in={"seconds": delay}, queueing_lock=name, lock=name,
                        queue=QUEUE,
                    ).defer_async(timestamp=timestamp, attempt=attempt + 1)  # fmt: skip
                    log.warning("job %s failed; retrying in %d s", job.name, delay)
                except exceptions.AlreadyEnqueued:
                    log.warning("job %s failed; a queued run will do its work", job.name)
            raise
        if kept:
            log.info("%s: %d", job.name, kept)
        return kept

    task = app.task(name=name, pass_context=True, queue=QUEUE, queueing_lock=name, lock=name)(run)
    app.periodic(cron=cron_for(job.every_seconds), periodic_id=job.name)(task)


async def _put_back(app: App, job: Any) -> str:
    """Queue a stalled job again; when a run of its task is queued already, close it instead."""
    try:
        await app.job_manager.retry_job(job)
        return "retried"
    except exceptions.ConnectorException:
        await app.job_manager.finish_job(job, status=Status.FAILED, delete_job=False)
        return "closed (a queued run of the same job does its work)"


def _add_recovery(app: App, settings: QueueSettings) -> None:
    async def recover_stalled_jobs(context: JobContext, timestamp: int) -> int:
        stalled = await app.job_manager.get_stalled_jobs(
            seconds_since_heartbeat=settings.stalled_after_seconds
        )
        recovered = 0
        for job in stalled:
            if context.job is not None and job.id == context.job.id:
                continue
            outcome = await _put_back(app, job)
            log.warning("job %s (%s) of a stalled worker: %s", job.id, job.task_name, outcome)
            recovered += 1
        return recovered

    # No execution lock here: a recovery run on a worker that dies would hold it for good.
    task = app.task(name=RECOVER_TASK, pass_context=True, queue=QUEUE, queueing_lock=RECOVER_TASK)(
        recover_stalled_jobs
    )
    app.periodic(cron=cron_for(settings.recover_every_seconds), periodic_id="recover")(task)


def build_app(
    dsn: str,
    jobs: Sequence[Job],
    settings: QueueSettings | None = None,
    extra_modules: Sequence[str] = (),
) -> App:
    """The procrastinate app on ``dsn`` with the jobs, the recovery task and, for tests and
    extensions, the tasks of each module's ``blueprint`` (named ``extra:<task>``)."""
    app = App(
        connector=PsycopgConnector(conninfo=dsn),
        periodic_defaults={"max_delay": timedelta(minutes=10).total_seconds()},
    )
    for job in jobs:
        _add_job(app, job)
    _add_recovery(app, settings or QueueSettings())
    for module in extra_modules:
        app.add_tasks_from(importlib.import_module(module).blueprint, namespace=EXTRA_NAMESPACE)
    return app
