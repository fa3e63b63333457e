"""The app as ``asyncfirst serve`` runs it, built from the environment: uvicorn's app factory.

``asyncfirst serve`` migrates and seeds the database once, then either builds the app in
its own process (``build_app``) or, with ``--workers N``, lets uvicorn start N worker
processes that each import this module and call ``app_from_environment`` (uvicorn's
``factory=True``): each worker reads the database URL from the usual settings
(``ASYNCFIRST_DATABASE_URL``, ``ASYNCFIRST_DATA_DIR``) and the charter from
``ASYNCFIRST_SERVE_CHARTER`` and its route threads from ``ASYNCFIRST_SERVE_THREADS``
(both set by ``serve``), and opens its own engine. Run it by
hand with

    uvicorn --factory asyncfirst.entrypoints.api.factory:app_from_environment --workers 4

on a database that ``asyncfirst db upgrade`` (and a first ``serve``, or ``charter apply``)
has prepared.
"""

from __future__ import annotations

import os

from fastapi import FastAPI

from asyncfirst import bootstrap_api, bootstrap_db, bootstrap_jobs
from asyncfirst.entrypoints.api.app import SERVER_THREADS, create_app
from asyncfirst.services.charter import load_organisation
from asyncfirst.services.hub_demo import applied_source

__all__ = [
    "FACTORY", "SERVE_CHARTER_VARIABLE", "SERVE_THREADS_VARIABLE", "app_from_environment",
    "build_app",
]  # fmt: skip

FACTORY = "asyncfirst.entrypoints.api.factory:app_from_environment"
SERVE_CHARTER_VARIABLE = "ASYNCFIRST_SERVE_CHARTER"
SERVE_THREADS_VARIABLE = "ASYNCFIRST_SERVE_THREADS"


def build_app(source: str, url: str, threads: int | None = None) -> FastAPI:
    """The served app on ``url`` with the charter ``source``; background jobs run in it only
    with SQLite, in one of its processes (with PostgreSQL they run on ``asyncfirst worker``
    processes)."""
    org = load_organisation(source)
    hub = bootstrap_api.hub_context(org, url)
    try:
        app = create_app(
            hub, jobs=bootstrap_jobs.in_process_jobs(url),
            job_leadership=bootstrap_jobs.job_leadership(url), threads=threads or SERVER_THREADS,
        )  # fmt: skip
    except BaseException:
        hub.close()
        raise
    app.state.warm_page_caches = True  # Team and time-map numbers computed before a visit
    return app


def app_from_environment() -> FastAPI:
    """The app for one of uvicorn's worker processes (see the module's docstring)."""
    url = bootstrap_db.database_url()
    source = (
        os.environ.get(SERVE_CHARTER_VARIABLE, "").strip()
        or applied_source(bootstrap_db.charter_unit_of_work(url))
        or "demo"
    )
    threads = os.environ.get(SERVE_THREADS_VARIABLE, "").strip()
    return build_app(source, url, int(threads) if threads.isdigit() else None)
