"""Test-only tasks a real ``asyncfirst worker --import tests.integration.worker_probe`` runs.

Each task records what it did in tables of the test's own database, with the worker's pid:
``probe_effects`` (the effect, written in one transaction at the end) and ``probe_starts``
(a start, committed at once). ``block_then_record`` waits for a flag file before its
effect, so a test can kill the worker in the middle of it.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

import psycopg
from procrastinate import Blueprint

blueprint = Blueprint()

TABLES = (
    "CREATE TABLE IF NOT EXISTS probe_effects (key text NOT NULL, pid integer NOT NULL)",
    "CREATE TABLE IF NOT EXISTS probe_starts (key text NOT NULL, pid integer NOT NULL)",
)
BLOCK_LIMIT_SECONDS = 120


def _dsn() -> str:
    return os.environ["ASYNCFIRST_DATABASE_URL"].replace("postgresql+psycopg://", "postgresql://")


def _insert(table: str, key: str) -> None:
    with psycopg.connect(_dsn()) as connection:
        connection.execute(
            f"INSERT INTO {table} (key, pid) VALUES (%s, %s)",  # noqa: S608 - two fixed names
            (key, os.getpid()),
        )


@blueprint.task(name="probe_record")
def probe_record(key: str) -> None:
    time.sleep(0.05)  # long enough for the other worker to take the next job
    _insert("probe_effects", key)


@blueprint.task(name="probe_block_then_record")
def probe_block_then_record(key: str, flag: str) -> None:
    _insert("probe_starts", key)
    deadline = time.monotonic() + BLOCK_LIMIT_SECONDS
    while not Path(flag).exists():
        if time.monotonic() > deadline:
            raise TimeoutError(f"no flag {flag}")
        time.sleep(0.1)
    _insert("probe_effects", key)
