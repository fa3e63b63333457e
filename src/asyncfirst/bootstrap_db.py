"""The composition root for the database (to merge into ``bootstrap``): URL, engine, unit of work.

Adapters are imported inside the functions, so commands that never touch the database do
not pay for importing SQLAlchemy and Alembic.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from asyncfirst.config import Settings, settings
from asyncfirst.services.charter_records import CharterUnitOfWork

if TYPE_CHECKING:
    from asyncfirst.adapters.db.migrate import DatabaseInfo

__all__ = ["charter_unit_of_work", "database_info", "database_url", "upgrade_database"]


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
