"""The distributed job queue on PostgreSQL (procrastinate): tasks, schema, workers.

Only ``bootstrap_jobs`` imports this package, lazily: SQLite installations never load it.
"""

from __future__ import annotations

from asyncfirst.adapters.queue.connection import conninfo, ensure_schema, is_postgresql
from asyncfirst.adapters.queue.tasks import QueueSettings, build_app, cron_for, task_name
from asyncfirst.adapters.queue.worker import run_worker

__all__ = [
    "QueueSettings",
    "build_app",
    "conninfo",
    "cron_for",
    "ensure_schema",
    "is_postgresql",
    "run_worker",
    "task_name",
]
