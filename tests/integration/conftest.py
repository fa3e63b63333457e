"""A database per test, on SQLite and on PostgreSQL: the same tests run on both.

PostgreSQL is the one at ASYNCFIRST_TEST_POSTGRES_URL (default: user postgres on
127.0.0.1:5432, trust auth). Each test gets a database of its own, dropped afterwards. If
the server cannot be reached the PostgreSQL half fails, unless ASYNCFIRST_SKIP_POSTGRES=1
says to skip it.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import psycopg
import pytest
from psycopg import sql
from sqlalchemy import Engine, make_url

from asyncfirst import bootstrap_api, bootstrap_db
from asyncfirst.adapters.db.engine import create_engine
from asyncfirst.adapters.db.migrate import upgrade
from asyncfirst.bootstrap import FixedClock
from asyncfirst.domain.model import Organisation
from asyncfirst.services.hub_demo import seed_demo

POSTGRES_ADMIN_URL = os.environ.get(
    "ASYNCFIRST_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/postgres"
)


def _admin_connection() -> psycopg.Connection[tuple[object, ...]]:
    try:
        return psycopg.connect(POSTGRES_ADMIN_URL, autocommit=True, connect_timeout=3)
    except psycopg.OperationalError as error:
        detail = next(iter(str(error).strip().splitlines()), "")
    reason = f"PostgreSQL at {POSTGRES_ADMIN_URL} is unreachable ({detail})"
    if os.environ.get("ASYNCFIRST_SKIP_POSTGRES") == "1":
        pytest.skip(f"{reason}; ASYNCFIRST_SKIP_POSTGRES=1")
    pytest.fail(
        f"{reason}. Start it, point ASYNCFIRST_TEST_POSTGRES_URL at one, or set "
        "ASYNCFIRST_SKIP_POSTGRES=1 to skip the PostgreSQL half of the suite.",
        pytrace=False,
    )


def _postgres_database() -> Iterator[str]:
    name = f"asyncfirst_test_{uuid.uuid4().hex[:12]}"
    with _admin_connection() as admin:
        admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    try:
        yield make_url(POSTGRES_ADMIN_URL).set(database=name).render_as_string(hide_password=False)
    finally:
        with _admin_connection() as admin:
            admin.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
            )


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """An empty database of the parametrised backend, gone after the test."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'asyncfirst.db'}"
    else:
        yield from _postgres_database()


@pytest.fixture
def engine(database_url: str) -> Iterator[Engine]:
    engine = create_engine(database_url)
    try:
        yield engine
    finally:
        engine.dispose()


@pytest.fixture
def migrated(engine: Engine) -> Engine:
    """The engine of a database upgraded to the current schema."""
    upgrade(engine)
    return engine


SEEDED_AT = datetime(2026, 11, 20, 9, 0, tzinfo=UTC)


@pytest.fixture
def seeded(migrated: Engine, database_url: str, demo_org: Organisation) -> Engine:
    """A migrated database with the demo seeded as ``serve`` seeds it, at ``SEEDED_AT``."""
    hub = bootstrap_api.hub_context(demo_org, database_url, FixedClock(SEEDED_AT))
    try:
        seed_demo(bootstrap_db.charter_unit_of_work(database_url), hub, demo_org)
    finally:
        hub.close()
    return migrated
