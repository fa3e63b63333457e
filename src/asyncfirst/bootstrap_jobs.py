"""The composition root of the background jobs: the catalogue and where it runs.

With SQLite the jobs run inside ``asyncfirst serve`` (``in_process_jobs``); with
PostgreSQL they run on ``asyncfirst worker`` processes over a procrastinate queue in the
same database (``start_worker``), and ``serve`` runs none. See docs/jobs.md. Adapters are
imported inside the functions, so SQLite installations never load the queue.
"""

from __future__ import annotations

import asyncio
import os
import socket
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from asyncfirst import bootstrap_api, bootstrap_db
from asyncfirst.domain.errors import AsyncfirstError
from asyncfirst.services.charter import load_organisation
from asyncfirst.services.hub_demo import applied_source
from asyncfirst.services.hub_ports import HubContext
from asyncfirst.services.jobs import Job, JobRun, catalogue

__all__ = [
    "JobsRunInServe",
    "NoCharterApplied",
    "WorkerOptions",
    "WorkerPlan",
    "deliver",
    "in_process_jobs",
    "job_leadership",
    "jobs",
    "runs_in_process",
    "start_worker",
]

SQLITE_REFUSAL = "jobs run inside `asyncfirst serve` with SQLite"


class JobsRunInServe(AsyncfirstError):
    """``asyncfirst worker`` on SQLite: the jobs already run in the server process."""

    code = "jobs_run_in_serve"


class NoCharterApplied(AsyncfirstError):
    code = "no_charter_applied"


def deliver() -> JobRun:
    """The delivery use case for ``deliver_notifications``: the outbox to webhooks and SMTP.

    Transports are opened per run and closed after it (a run every 30 s; the HTTP pool
    would otherwise outlive a worker's database connection on shutdown).
    """
    from asyncfirst.config import settings
    from asyncfirst.services.notifications import deliver_due

    def run(hub: HubContext) -> int:
        transports = bootstrap_api.notify_transports()
        try:
            report = deliver_due(
                hub.unit_of_work, hub.clock, transports, base_url=settings().public_url
            )
        finally:
            transports.close()
        return report.attempted

    return run


def job_leadership(url: str | None = None) -> Callable[[], bool] | None:
    """For ``serve`` on a SQLite file: asks whether this process may run the jobs now (one
    server process does; when it ends another takes over). ``None`` when there is nothing
    to share (no file: PostgreSQL, an in-memory database)."""
    from asyncfirst.adapters.db.job_leader import sqlite_job_leader

    leader = sqlite_job_leader(url or bootstrap_db.database_url())
    return None if leader is None else leader.try_lead


def jobs() -> tuple[Job, ...]:
    """The whole catalogue, delivering through the real webhooks and SMTP."""
    return catalogue(deliver())


def runs_in_process(url: str | None = None) -> bool:
    """Whether the jobs run inside ``serve`` (SQLite) rather than on workers (PostgreSQL)."""
    from asyncfirst.adapters.db.engine import parse_url

    return parse_url(url or bootstrap_db.database_url()).get_backend_name() != "postgresql"


def in_process_jobs(url: str | None = None) -> tuple[Job, ...]:
    """The jobs ``serve`` runs itself: all of them on SQLite, none on PostgreSQL."""
    return jobs() if runs_in_process(url) else ()


@dataclass(frozen=True, slots=True)
class WorkerOptions:
    charter: str | None = None
    name: str | None = None
    heartbeat_seconds: float = 10.0
    stalled_after_seconds: float = 30.0
    recover_every_seconds: int = 15
    extra_modules: Sequence[str] = ()


@dataclass(frozen=True, slots=True)
class WorkerPlan:
    """What a starting worker is about to do, for the command to show."""

    database: str
    charter: str
    organisation: str
    name: str
    schema_applied: bool
    jobs: tuple[Job, ...]
    heartbeat_seconds: float
    stalled_after_seconds: float
    recover_every_seconds: int


def start_worker(options: WorkerOptions, ready: Callable[[WorkerPlan], None]) -> None:
    """Run a worker on the configured PostgreSQL until SIGINT/SIGTERM (``ready`` first)."""
    url = bootstrap_db.database_url()
    if runs_in_process(url):
        raise JobsRunInServe(
            f"{SQLITE_REFUSAL}; a worker needs PostgreSQL "
            "(set ASYNCFIRST_DATABASE_URL=postgresql://user@host:5432/asyncfirst)"
        )
    from asyncfirst.adapters.db.engine import display_url
    from asyncfirst.adapters.queue import QueueSettings, build_app, conninfo, ensure_schema
    from asyncfirst.adapters.queue import run_worker as run_queue_worker

    settings = QueueSettings(
        options.heartbeat_seconds, options.stalled_after_seconds, options.recover_every_seconds
    )
    source = options.charter or applied_source(bootstrap_db.charter_unit_of_work(url))
    if source is None:
        raise NoCharterApplied(
            "no charter has been applied to this database; run `asyncfirst charter apply "
            "CHARTER` (or start `asyncfirst serve` once), or give --charter"
        )
    org = load_organisation(source)
    dsn = conninfo(url)
    applied = ensure_schema(dsn)
    catalogue_ = jobs()
    app = build_app(dsn, catalogue_, settings, options.extra_modules)
    name = options.name or f"{socket.gethostname()}:{os.getpid()}"
    hub = bootstrap_api.hub_context(org, url)
    try:
        ready(
            WorkerPlan(
                display_url(url), source, org.name, name, applied, catalogue_,
                settings.heartbeat_seconds, settings.stalled_after_seconds,
                settings.recover_every_seconds,
            )
        )  # fmt: skip
        asyncio.run(run_queue_worker(app, hub, settings, name))
    finally:
        hub.close()
