"""The composition root for the database (to merge into ``bootstrap``): URL, engine, unit of work.

Adapters are imported inside the functions, so commands that never touch the database do
not pay for importing SQLAlchemy and Alembic.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TYPE_CHECKING

from asyncfirst.config import Settings, settings
from asyncfirst.services.charter_records import CharterUnitOfWork

if TYPE_CHECKING:
    from pathlib import Path

    from asyncfirst.adapters.db.backup import BackupResult
    from asyncfirst.adapters.db.migrate import DatabaseInfo

__all__ = [
    "backup_database",
    "charter_unit_of_work",
    "database_info",
    "database_url",
    "restore_database",
    "upgrade_database",
    "wait_for_database",
]


def database_url(config: Settings | None = None) -> str:
    """The configured URL; the default SQLite file's folder is created on first use."""
    config = config or settings()
    path = config.sqlite_path
    if path is not None and path.parent == config.data_dir:
        path.parent.mkdir(parents=True, exist_ok=True)
    return config.database_url


def charter_unit_of_work(url: str | None = None) -> CharterUnitOfWork:
    """A unit of work on a reachable database whose schema is current (else a clear error)."""
    from asyncfirst.adapters.db.engine import create_engine
    from asyncfirst.adapters.db.migrate import require_current
    from asyncfirst.adapters.db.repository import SqlCharterUnitOfWork

    engine = create_engine(url or database_url())
    try:
        require_current(engine)
    except BaseException:
        engine.dispose()
        raise
    return SqlCharterUnitOfWork(engine, owns_engine=True)


def wait_for_database(
    url: str | None = None,
    *,
    attempts: int = 5,
    first_delay: float = 0.5,
    on_retry: Callable[[str, float, int], None] | None = None,
    sleep: Callable[[float], None] = time.sleep,
) -> None:
    """Connect once; a PostgreSQL server that cannot be reached is tried ``attempts`` times,
    the delay doubling from ``first_delay`` (``on_retry(message, delay, next attempt)``
    before each wait). The last failure raises ``DatabaseUnavailable`` (one line, no
    password). SQLite is tried once: a missing folder does not appear by waiting."""
    from asyncfirst.adapters.db.engine import check_reachable, create_engine
    from asyncfirst.adapters.db.errors import DatabaseUnavailable

    engine = create_engine(url or database_url())
    tries = attempts if engine.url.get_backend_name() == "postgresql" else 1
    delay = first_delay
    try:
        for attempt in range(1, tries + 1):
            try:
                check_reachable(engine)
                return
            except DatabaseUnavailable as error:
                if attempt == tries:
                    raise
                if on_retry is not None:
                    on_retry(error.message, delay, attempt + 1)
                sleep(delay)
                delay *= 2
    finally:
        engine.dispose()


def upgrade_database(url: str | None = None) -> tuple[str, str | None, str]:
    """Run the migrations: (URL without password, revision before, revision after)."""
    from asyncfirst.adapters.db.engine import create_engine, display_url
    from asyncfirst.adapters.db.migrate import upgrade

    engine = create_engine(url or database_url())
    try:
        before, after = upgrade(engine)
        return display_url(engine.url), before, after
    finally:
        engine.dispose()


def database_info(url: str | None = None) -> DatabaseInfo:
    """Where the database is, its schema revision and what it holds."""
    from asyncfirst.adapters.db.engine import create_engine
    from asyncfirst.adapters.db.migrate import database_info as info

    engine = create_engine(url or database_url())
    try:
        return info(engine)
    finally:
        engine.dispose()


def backup_database(file: Path, *, force: bool = False, url: str | None = None) -> BackupResult:
    """Copy the whole database to ``file`` (SQLite online backup, or pg_dump)."""
    from asyncfirst.adapters.db.backup import backup
    from asyncfirst.adapters.db.engine import create_engine

    engine = create_engine(url or database_url())
    try:
        return backup(engine, file, force=force)
    finally:
        engine.dispose()


def restore_database(file: Path, *, force: bool = False, url: str | None = None) -> BackupResult:
    """Replace the database with the backup in ``file``, whole or not at all."""
    from asyncfirst.adapters.db.backup import restore
    from asyncfirst.adapters.db.engine import create_engine

    engine = create_engine(url or database_url())
    try:
        return restore(engine, file, force=force)
    finally:
        engine.dispose()
