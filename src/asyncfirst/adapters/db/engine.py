"""Engines for a database URL: SQLite tuned for a small server, PostgreSQL through psycopg 3.

SQLite connections get WAL (readers do not block the writer), foreign keys on and a busy
timeout; ``postgresql://`` and ``postgres://`` URLs are given the psycopg 3 driver. A
database that cannot be reached becomes one ``DatabaseUnavailable`` naming the URL (never
its password) and what to check.
"""

from __future__ import annotations

import threading
import weakref
from pathlib import Path
from typing import Any

import sqlalchemy
from sqlalchemy import URL, Engine, event, make_url
from sqlalchemy.exc import ArgumentError, DBAPIError

from asyncfirst.adapters.db.errors import DatabaseUnavailable, StorageError

__all__ = [
    "BUSY_TIMEOUT_MS",
    "check_reachable",
    "create_engine",
    "display_url",
    "parse_url",
    "sqlite_write_turn",
]

BUSY_TIMEOUT_MS = 5000
CONNECT_TIMEOUT_S = 5
# PostgreSQL connections kept per process: a server process runs requests on up to 40
# threads, and with SQLAlchemy's default (5 kept) every request beyond the fifth opened
# and closed a connection of its own (a new server backend each time) under load.
POOL_SIZE = 20
POOL_OVERFLOW = 10


def parse_url(url: str) -> URL:
    """A SQLAlchemy URL, with psycopg 3 as the PostgreSQL driver unless one is named."""
    try:
        parsed = make_url(url)
    except ArgumentError:
        raise StorageError(
            f'"{url.split("@")[-1]}" is not a database URL; give e.g. sqlite:///path/asyncfirst.db '
            "or postgresql://user@host:5432/asyncfirst in ASYNCFIRST_DATABASE_URL"
        ) from None
    if parsed.drivername in ("postgres", "postgresql"):
        parsed = parsed.set(drivername="postgresql+psycopg")
    if parsed.get_backend_name() not in ("sqlite", "postgresql"):
        raise StorageError(
            f"{display_url(parsed)}: asyncfirst supports SQLite and PostgreSQL databases only"
        )
    return parsed


def display_url(url: URL | str) -> str:
    """The URL as it may be shown to a person: without the password."""
    u = make_url(url) if isinstance(url, str) else url
    bare = URL.create(u.drivername, u.username, None, u.host, u.port, u.database, u.query)
    return bare.render_as_string(hide_password=True)


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    try:
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
    finally:
        cursor.close()


_WRITE_TURNS: weakref.WeakKeyDictionary[Engine, threading.RLock] = weakref.WeakKeyDictionary()
_TURNS_LOCK = threading.Lock()


def sqlite_write_turn(engine: Engine) -> threading.RLock:
    """This process's turn at a SQLite engine's write lock: taken before ``BEGIN IMMEDIATE``.

    SQLite has one writer; a second ``BEGIN IMMEDIATE`` waits in SQLite's busy handler,
    which polls with sleeps of up to 100 ms, so under load a waiting transaction sleeps
    long after the lock came free (a tail of seconds) and may give up at the busy timeout
    ("database is locked"). Threads of one process queue on this lock instead and are
    handed the turn at once; other processes (the CLI) still wait in the busy handler.
    """
    with _TURNS_LOCK:
        turn = _WRITE_TURNS.get(engine)
        if turn is None:
            turn = _WRITE_TURNS[engine] = threading.RLock()
        return turn


def create_engine(url: str | URL) -> Engine:
    """An engine for ``url``; nothing is connected until first use."""
    parsed = parse_url(url) if isinstance(url, str) else url
    if parsed.get_backend_name() == "sqlite":
        engine = sqlalchemy.create_engine(parsed)
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    return sqlalchemy.create_engine(
        parsed, pool_pre_ping=True, pool_size=POOL_SIZE, max_overflow=POOL_OVERFLOW,
        connect_args={"connect_timeout": CONNECT_TIMEOUT_S},
    )  # fmt: skip


def unavailable(engine: Engine, error: DBAPIError) -> DatabaseUnavailable:
    """The one-line error for a database that cannot be connected to or opened."""
    shown = display_url(engine.url)
    detail = next((line.strip() for line in str(error.orig).splitlines() if line.strip()), "")
    if engine.url.get_backend_name() == "sqlite":
        folder = Path(engine.url.database or ".").parent
        hint = f"check that the folder {folder} exists and is writable"
    else:
        hint = (
            "check that the server is running and that ASYNCFIRST_DATABASE_URL names the "
            "right host, port, user and database"
        )
    return DatabaseUnavailable(f"cannot open the database at {shown} ({detail}); {hint}", url=shown)


def check_reachable(engine: Engine) -> None:
    """Connect once; raise ``DatabaseUnavailable`` when that fails."""
    try:
        with engine.connect():
            pass
    except DBAPIError as error:
        raise unavailable(engine, error) from None
