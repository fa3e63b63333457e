"""Alembic's environment: runs on the connection the caller passes, or on sqlalchemy.url.

Run through ``asyncfirst db upgrade`` (``adapters.db.migrate``); SQLite uses batch mode so
that later ALTERs work, and types are compared so that ``alembic check`` catches drift.
"""

from __future__ import annotations

from alembic import context
from sqlalchemy import Connection

from asyncfirst.adapters.db.engine import create_engine
from asyncfirst.adapters.db.tables import metadata


def _run(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations() -> None:
    connection = context.config.attributes.get("connection")
    if isinstance(connection, Connection):
        _run(connection)
        return
    url = context.config.get_main_option("sqlalchemy.url")
    if not url:
        raise RuntimeError("migrations need a connection or sqlalchemy.url")
    engine = create_engine(url)
    try:
        with engine.begin() as own:
            _run(own)
    finally:
        engine.dispose()


if context.is_offline_mode():
    raise RuntimeError("asyncfirst migrations run online only (asyncfirst db upgrade)")
run_migrations()
