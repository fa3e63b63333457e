"""``create_app``: the hub's FastAPI application over a ``HubContext`` (OpenAPI at /docs).

Nothing is connected at import time: the context, built by ``bootstrap_api``, holds the
engine, and the app closes it when the server shuts down.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator, Callable, Sequence
from contextlib import asynccontextmanager

from anyio import to_thread
from fastapi import FastAPI

from asyncfirst import __version__
from asyncfirst.entrypoints.api.checkin_routes import checkins
from asyncfirst.entrypoints.api.decision_routes import decisions
from asyncfirst.entrypoints.api.errors import install_error_handlers
from asyncfirst.entrypoints.api.handoff_routes import handoffs
from asyncfirst.entrypoints.api.jobs import run_jobs
from asyncfirst.entrypoints.api.limits import DEFAULT_MAX_BODY_BYTES, BodyLimitMiddleware
from asyncfirst.entrypoints.api.log_redaction import install_log_redaction
from asyncfirst.entrypoints.api.meeting_routes import feeds, meetings
from asyncfirst.entrypoints.api.pulse_routes import pulses
from asyncfirst.entrypoints.api.ratelimit import TokenLimits
from asyncfirst.entrypoints.api.routes import api, public
from asyncfirst.entrypoints.api.security import SecurityHeadersMiddleware
from asyncfirst.entrypoints.api.webhook_routes import webhooks
from asyncfirst.entrypoints.web import install_web
from asyncfirst.services.hub_ports import HubContext
from asyncfirst.services.jobs import Job
from asyncfirst.services.tokens import AuthCache

__all__ = ["SERVER_THREADS", "create_app"]

DESCRIPTION = """The async hub: updates and questions with a respond-by counted in each
recipient's own working time, decisions with a decide-by in the deciders' working time that
escalate to a short sync meeting when they stall, async check-ins whose mood and day mode
only their author reads (team mood only as an aggregate over enough people), follow-the-sun
hand-offs routed to the team whose day starts next, a reflection pulse every few weeks
whose results a team reads only as counts (and whose lead may then recalibrate the async
band), and the router (async, sync or hybrid,
with reasons).

Authenticate with a personal API token: `Authorization: Bearer afk_…`. Every error has
the shape `{"error": {"code", "message", "fields"}}` with a stable `code`."""


# Routes that touch the database run on a thread pool (anyio's default: 40 threads). One
# process computes on one core at a time (the GIL), so more threads add no throughput,
# only contention: with 40, a writer holding SQLite's write turn waited behind dozens of
# readers for the GIL at every statement, and writes queued for seconds. Measured under
# the load mix on an idle 2-core machine (docs/reliability.md, 2026-11-29), 24 users:
# PostgreSQL with 2 processes 1 thread 413-499 req/s, 2 threads 467-474, 4: 396-419, 8:
# 368-376 (p99 130-150 / 140-190 / 180-190 / 270 ms); SQLite 1 process: 360-380 / 344-357
# / - / 255-261. Two keep a lane free beside one slow request (a password check, the
# planner page) at about the throughput of one.
SERVER_THREADS = 2


def create_app(
    hub: HubContext,
    *,
    max_body_bytes: int = DEFAULT_MAX_BODY_BYTES,
    jobs: Sequence[Job] = (),
    token_limits: TokenLimits | None = None,
    threads: int = SERVER_THREADS,
    job_leadership: Callable[[], bool] | None = None,
) -> FastAPI:
    """The app; with ``jobs`` it also runs those periodic jobs in process (SQLite's way).

    ``threads``: how many requests run their (blocking) route at once in this process.
    ``job_leadership``: with several processes on one SQLite file, whether this one may
    run the jobs now (``jobs.run_jobs``).
    """

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        to_thread.current_default_thread_limiter().total_tokens = threads
        # uvicorn's own logger: the line lands in serve's output beside "Started server process"
        logging.getLogger("uvicorn.error").info(
            "asyncfirst: this process runs up to %d requests at once", threads
        )
        job = None
        if jobs:
            job = asyncio.create_task(run_jobs(hub, jobs, job_leadership))
        try:
            yield
        finally:
            if job is not None:
                job.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await job
            hub.close()

    app = FastAPI(
        title="asyncfirst hub",
        version=__version__,
        description=DESCRIPTION,
        lifespan=lifespan,
        docs_url="/docs",
        redoc_url=None,
        openapi_url="/openapi.json",
    )
    app.state.hub = hub
    install_error_handlers(app)
    app.add_middleware(BodyLimitMiddleware, limit=max_body_bytes)
    app.add_middleware(SecurityHeadersMiddleware)  # outermost: also on 413s and redirects
    app.state.token_limits = token_limits or TokenLimits()
    app.state.auth_cache = AuthCache()
    install_log_redaction()
    app.include_router(public)
    app.include_router(api)
    app.include_router(decisions)
    app.include_router(checkins)
    app.include_router(handoffs)
    app.include_router(pulses)
    app.include_router(meetings)
    app.include_router(feeds)
    app.include_router(webhooks)
    install_web(app, hub)  # the web pages, /static and HTML error pages (after the API's)
    return app
