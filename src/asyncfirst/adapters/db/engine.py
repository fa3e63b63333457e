"""Engines for a database URL: SQLite tuned for a small server, PostgreSQL through psycopg 3.

SQLite connections get WAL (readers do not block the writer), foreign keys on and a busy
timeout; ``postgresql://`` and ``postgres://`` URLs are given the psycopg 3 driver. A
database that cannot be reached becomes one ``DatabaseUnavailable`` naming the URL (never
its password) and what to check.
"""

from __future__ import annotations

import fcntl
import os
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
    "WriteTurn",
    "check_reachable",
    "create_engine",
    "display_url",
    "parse_url",
    "sqlite_write_turn",
]

BUSY_TIMEOUT_MS = 5000
CONNECT_TIMEOUT_S = 5
# Connections kept per process (PostgreSQL, and a SQLite file): a server process runs
# requests on up to 40 threads, and with SQLAlchemy's default (5 kept) every request beyond
# the fifth opened and closed a connection of its own (a new server backend each time on
# PostgreSQL) under load.
POOL_SIZE = 20
POOL_OVERFLOW = 10
SQLITE_POOL_OVERFLOW = 20  # a SQLite connection is a file handle, not a server backend


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


class WriteTurn:
    """The turn at one SQLite file's write lock: threads queue on a lock in Python, and
    processes (several server workers, the CLI) on an exclusive ``flock`` of a file beside
    the database (``<database>-turn``), where the kernel hands it on at once.

    Re-entrant in a thread like ``threading.RLock``: only the outermost ``acquire`` takes
    the file lock, only the matching last ``release`` gives it back.
    """

    def __init__(self, lock_path: Path | None) -> None:
        self._threads = threading.RLock()
        self._depth = 0  # changed only by the thread that holds ``_threads``
        self._lock_path = lock_path
        self._fd: int | None = None

    def acquire(self, blocking: bool = True, timeout: float = -1) -> bool:
        if not self._threads.acquire(blocking, timeout):
            return False
        try:
            if self._depth == 0 and self._lock_path is not None:
                fcntl.flock(self._file(self._lock_path), fcntl.LOCK_EX)  # GIL released
        except BaseException:
            self._threads.release()
            raise
        self._depth += 1
        return True

    def release(self) -> None:
        self._depth -= 1
        try:
            if self._depth == 0 and self._fd is not None:
                fcntl.flock(self._fd, fcntl.LOCK_UN)
        finally:
            self._threads.release()

    def _file(self, lock_path: Path) -> int:
        if self._fd is None:
            self._fd = os.open(lock_path, os.O_RDWR | os.O_CREAT, 0o600)
            weakref.finalize(self, os.close, self._fd)  # with the last engine on the file
        return self._fd

    def __enter__(self) -> WriteTurn:
        self.acquire()
        return self

    def __exit__(self, *_exc: object) -> None:
        self.release()


# Each engine keeps its turn alive; engines on one file share it while any of them lives.
_TURN_OF_ENGINE: weakref.WeakKeyDictionary[Engine, WriteTurn] = weakref.WeakKeyDictionary()
_TURN_OF_FILE: weakref.WeakValueDictionary[str, WriteTurn] = weakref.WeakValueDictionary()
_TURNS_LOCK = threading.Lock()


def sqlite_write_turn(engine: Engine) -> WriteTurn:
    """The turn at a SQLite database's write lock: taken before ``BEGIN IMMEDIATE``.

    SQLite has one writer; a second ``BEGIN IMMEDIATE`` waits in SQLite's busy handler,
    which polls with sleeps of up to 100 ms, so under load a waiting transaction sleeps
    long after the lock came free (a tail of seconds) and may give up at the busy timeout
    ("database is locked"). Writers queue on the ``WriteTurn`` instead and are handed the
    turn at once: threads of a process, and processes on the same file. One turn per
    database file (per process), whichever engine asks.
    """
    with _TURNS_LOCK:
        turn = _TURN_OF_ENGINE.get(engine)
        if turn is not None:
            return turn
        name = engine.url.database or ""
        if name in ("", ":memory:") or name.startswith("file:"):
            turn = WriteTurn(None)  # a private database: no other process can see it
        else:
            path = str(Path(name).resolve())
            turn = _TURN_OF_FILE.get(path)
            if turn is None:
                turn = _TURN_OF_FILE[path] = WriteTurn(Path(path + "-turn"))
        _TURN_OF_ENGINE[engine] = turn
        return turn


def create_engine(url: str | URL) -> Engine:
    """An engine for ``url``; nothing is connected until first use."""
    parsed = parse_url(url) if isinstance(url, str) else url
    if parsed.get_backend_name() == "sqlite":
        in_memory = parsed.database in (None, "", ":memory:")
        # A file database is pooled like PostgreSQL's: with fewer kept connections than
        # server threads, every request beyond them opened (and set up) a connection.
        sizes = {} if in_memory else {"pool_size": POOL_SIZE, "max_overflow": SQLITE_POOL_OVERFLOW}
        engine = sqlalchemy.create_engine(parsed, **sizes)
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
