"""``asyncfirst worker``: run the background jobs from the PostgreSQL queue (docs/jobs.md).

Start one or more on any machines that reach the database; each job runs once per tick
across all of them. With SQLite it refuses (exit 3): the jobs run inside ``serve``.
Stops cleanly on SIGINT (Ctrl-C) or SIGTERM, after the job it is running.

Also runnable as ``python -m asyncfirst.entrypoints.cli_worker`` (tests use this).
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Annotated

import typer

from asyncfirst.domain.errors import AsyncfirstError
from asyncfirst.entrypoints.cli_common import EXIT_INVALID

if TYPE_CHECKING:
    from asyncfirst.bootstrap_jobs import WorkerPlan

__all__ = ["worker_command"]

CharterOpt = Annotated[
    str | None,
    typer.Option(
        "--charter",
        help='Charter for working times (file or "demo"); default: the one last applied.',
        show_default=False,
    ),
]
NameOpt = Annotated[
    str | None,
    typer.Option("--name", help="Worker name in logs and the queue; default: host:pid.",
                 show_default=False),
]  # fmt: skip
HeartbeatOpt = Annotated[
    float,
    typer.Option("--heartbeat", min=0.1, help="Seconds between this worker's heartbeats."),
]
StalledOpt = Annotated[
    float,
    typer.Option(
        "--stalled-after",
        min=0.2,
        help="Seconds without a heartbeat after which a worker counts as dead and its "
        "running job is retried elsewhere (at least twice --heartbeat; same on all workers).",
    ),
]
RecoverOpt = Annotated[
    int,
    typer.Option(
        "--recover-every",
        min=1,
        max=30,
        help="Seconds between checks for jobs of dead workers (a divisor of 60).",
    ),
]
ImportOpt = Annotated[
    list[str] | None,
    typer.Option("--import", hidden=True, help="Also run the tasks of MODULE.blueprint."),
]


def worker_command(
    charter: CharterOpt = None,
    name: NameOpt = None,
    heartbeat: HeartbeatOpt = 10.0,
    stalled_after: StalledOpt = 30.0,
    recover_every: RecoverOpt = 15,
    imports: ImportOpt = None,
) -> None:
    """Run background jobs from the PostgreSQL queue (reminders, escalations, prompts, ...)."""
    from asyncfirst import bootstrap_jobs  # the queue and the jobs load only here

    options = bootstrap_jobs.WorkerOptions(
        charter, name, heartbeat, stalled_after, recover_every, tuple(imports or ())
    )

    def ready(plan: WorkerPlan) -> None:
        schema = "applied the queue schema" if plan.schema_applied else "queue schema present"
        typer.echo(f"asyncfirst worker {plan.name} on {plan.database} ({schema})")
        typer.echo(f"charter {plan.charter} ({plan.organisation})")
        for job in plan.jobs:
            typer.echo(f"  every {job.every_seconds:>4g} s  {job.name}: {job.summary}")
        typer.echo(
            f"heartbeat every {plan.heartbeat_seconds:g} s; jobs of a worker silent for "
            f"{plan.stalled_after_seconds:g} s are retried (checked every "
            f"{plan.recover_every_seconds} s)"
        )
        typer.echo("stop with Ctrl-C or SIGTERM; the running job finishes first")

    logging.basicConfig(format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    logging.getLogger("asyncfirst").setLevel(logging.INFO)  # what the jobs did; others warn
    bootstrap_jobs.start_worker(options, ready)
    typer.echo("worker stopped")


def main() -> None:
    """``python -m asyncfirst.entrypoints.cli_worker [OPTIONS]``, errors mapped as in the CLI."""
    app = typer.Typer(add_completion=False, pretty_exceptions_enable=False)
    app.command()(worker_command)
    try:
        app()
    except AsyncfirstError as error:
        typer.echo(f"error: {error.message}", err=True)
        raise SystemExit(EXIT_INVALID) from None


if __name__ == "__main__":
    main()
