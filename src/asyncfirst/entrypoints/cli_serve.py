"""``asyncfirst serve``: the hub's REST API on the configured database (SQLite by default).

On first start with an empty database it loads the demo organisation, a few demo threads
and roles, and prints a token for the demo admin once. Later starts use the charter last
applied to the database (or ``--charter``) to count each recipient's working time. With
SQLite it runs the background jobs itself (reminders, escalations, check-in prompts,
hand-offs, digests, pulses, delivery); with PostgreSQL it runs none and leaves them to
``asyncfirst worker`` processes (docs/jobs.md). ``--workers N`` starts N server
processes (uvicorn's multi-process mode through the app factory in
``entrypoints/api/factory.py``), on PostgreSQL or a SQLite file: there writers queue on a
file lock and one process runs the jobs (``adapters/db/job_leader.py``). A PostgreSQL server that cannot be reached at start is
tried ``--connect-attempts`` times with a doubling wait, then one line says what to check.
"""

from __future__ import annotations

import os
from typing import Annotated

import typer

from asyncfirst import bootstrap_api, bootstrap_db
from asyncfirst.domain.errors import AsyncfirstError
from asyncfirst.services.charter import load_organisation
from asyncfirst.services.hub_demo import applied_source, seed_demo

__all__ = ["serve_command"]

HostOpt = Annotated[str, typer.Option("--host", help="Address to listen on.")]
PortOpt = Annotated[int, typer.Option("--port", min=1, max=65535, help="Port to listen on.")]
CharterOpt = Annotated[
    str | None,
    typer.Option(
        "--charter",
        help='Charter for working times (file or "demo"); default: the one last applied.',
        show_default=False,
    ),
]


WorkersOpt = Annotated[
    int,
    typer.Option(
        "--workers",
        min=1,
        max=64,
        help=(
            "Server processes (uvicorn's multi-process mode); with SQLite one of them runs "
            "the background jobs."
        ),
    ),
]
ThreadsOpt = Annotated[
    int | None,
    typer.Option(
        "--threads",
        min=1,
        max=64,
        help=(
            "Requests each server process runs at once; the rest wait their turn. More add "
            "no throughput (Python computes on one core at a time), only contention. "
            "[default: 2]"
        ),
        show_default=False,
    ),
]
ConnectAttemptsOpt = Annotated[
    int,
    typer.Option(
        "--connect-attempts",
        min=1,
        max=20,
        help="Tries to reach PostgreSQL at start, waiting 0.5 s, 1 s, 2 s … between them.",
    ),
]
AccessLogOpt = Annotated[
    bool, typer.Option("--access-log/--no-access-log", help="Log every request (uvicorn).")
]


class ServeOptionError(AsyncfirstError):
    """An option ``serve`` cannot honour with this database."""

    code = "invalid_option"


def _base_url(host: str, port: int) -> str:
    shown = f"[{host}]" if ":" in host else host
    return f"http://{shown}:{port}"


def _retrying(message: str, delay: float, attempt: int) -> None:
    typer.echo(f"waiting for the database: {message}; retry {attempt} in {delay:g} s", err=True)


def serve_command(
    host: HostOpt = "127.0.0.1",
    port: PortOpt = 8000,
    charter: CharterOpt = None,
    workers: WorkersOpt = 1,
    threads: ThreadsOpt = None,
    connect_attempts: ConnectAttemptsOpt = 5,
    access_log: AccessLogOpt = True,
) -> None:
    """Start the hub's REST API (OpenAPI at /docs); an empty database gets the demo."""
    import uvicorn

    from asyncfirst import bootstrap_jobs  # the job catalogue, only when serving
    from asyncfirst.entrypoints.api.factory import (
        FACTORY,
        SERVE_CHARTER_VARIABLE,
        SERVE_THREADS_VARIABLE,
        build_app,
    )  # fmt: skip

    url = bootstrap_db.database_url()
    in_process = bootstrap_jobs.runs_in_process(url)
    if workers > 1 and in_process and bootstrap_jobs.job_leadership(url) is None:
        # processes share a SQLite database only through its file (an in-memory one is theirs)
        raise ServeOptionError(
            f"--workers {workers} needs a database file or PostgreSQL (set "
            "ASYNCFIRST_DATABASE_URL=sqlite:///path/asyncfirst.db or postgresql://user@host:"
            "5432/asyncfirst); an in-memory SQLite database serves one process",
            option="--workers",
        )
    bootstrap_db.wait_for_database(url, attempts=connect_attempts, on_retry=_retrying)
    shown, _before, revision = bootstrap_db.upgrade_database(url)
    stored = applied_source(bootstrap_db.charter_unit_of_work(url))
    source = charter or stored or "demo"
    org = load_organisation(source)
    if stored is None:
        hub = bootstrap_api.hub_context(org, url)
        try:
            issued = seed_demo(bootstrap_db.charter_unit_of_work(url), hub, org)
        finally:
            hub.close()
    base = _base_url(host, port)
    typer.echo(f"asyncfirst hub on {base}  (web: {base}/  API docs: {base}/docs)")
    typer.echo(f"database {shown} at schema {revision}; charter {source} ({org.name})")
    if stored is None:
        typer.echo(
            "empty database: loaded the demo organisation with threads, check-ins, decisions "
            "(one close to escalation), a hand-off and a meeting"
        )
        typer.echo(f"demo admin token for {issued.person} (shown once, keep it): {issued.token}")
    if in_process:
        where = "one server process" if workers > 1 else "this process"
        typer.echo(f"running {len(bootstrap_jobs.jobs())} background jobs in {where} (SQLite)")
    else:
        typer.echo("background jobs run on `asyncfirst worker` processes (PostgreSQL)")
    if workers > 1:
        typer.echo(f"{workers} server processes")
        os.environ[SERVE_CHARTER_VARIABLE] = source  # read by each worker's app factory
        if threads is not None:
            os.environ[SERVE_THREADS_VARIABLE] = str(threads)
        uvicorn.run(
            FACTORY, factory=True, workers=workers, host=host, port=port, log_level="info",
            access_log=access_log,
        )  # fmt: skip
        return
    uvicorn.run(
        build_app(source, url, threads),
        host=host,
        port=port,
        log_level="info",
        access_log=access_log,
    )
