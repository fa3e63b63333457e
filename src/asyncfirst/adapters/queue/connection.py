"""The queue's PostgreSQL: the connection string, and procrastinate's schema applied once.

The queue lives in the hub's own PostgreSQL database (procrastinate's tables and functions
beside asyncfirst's, in the default schema). ``ensure_schema`` applies procrastinate's
schema when its jobs table is missing, under an advisory lock so workers starting together
apply it once; a database that has it already is left alone.
"""

from __future__ import annotations

import psycopg
from procrastinate.schema import SchemaManager

from asyncfirst.adapters.db.engine import display_url, parse_url
from asyncfirst.adapters.db.errors import DatabaseUnavailable, StorageError

__all__ = ["SCHEMA_LOCK", "conninfo", "ensure_schema", "is_postgresql"]

SCHEMA_LOCK = 0x617379_6E6366  # "asyncf": the advisory lock taken while applying the schema
CONNECT_TIMEOUT_S = 5


def is_postgresql(url: str) -> bool:
    return parse_url(url).get_backend_name() == "postgresql"


def conninfo(url: str) -> str:
    """The libpq connection string of a SQLAlchemy PostgreSQL URL (``+psycopg`` dropped)."""
    parsed = parse_url(url)
    if parsed.get_backend_name() != "postgresql":
        raise StorageError(
            f"{display_url(parsed)}: the job queue needs PostgreSQL; "
            "with SQLite the jobs run inside `asyncfirst serve`"
        )
    return parsed.set(drivername="postgresql").render_as_string(hide_password=False)


def ensure_schema(dsn: str) -> bool:
    """Apply procrastinate's schema unless it is there; True when this call applied it."""
    try:
        connection = psycopg.connect(dsn, autocommit=True, connect_timeout=CONNECT_TIMEOUT_S)
    except psycopg.OperationalError as error:
        shown = display_url(dsn)
        detail = next(iter(str(error).strip().splitlines()), "")
        raise DatabaseUnavailable(
            f"cannot open the database at {shown} ({detail}); check that the server is running "
            "and that ASYNCFIRST_DATABASE_URL names the right host, port, user and database",
            url=shown,
        ) from None
    with connection:
        connection.execute("SELECT pg_advisory_lock(%s)", (SCHEMA_LOCK,))
        try:
            row = connection.execute("SELECT to_regclass('procrastinate_jobs')").fetchone()
            if row is not None and row[0] is not None:
                return False
            with connection.transaction():
                connection.execute(SchemaManager.get_schema())
            return True
        finally:
            connection.execute("SELECT pg_advisory_unlock(%s)", (SCHEMA_LOCK,))
