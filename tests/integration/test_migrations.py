"""Migrations: build the schema from empty on both backends, and match the tables exactly."""

from __future__ import annotations

from pathlib import Path

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Engine, inspect, text

import asyncfirst
from asyncfirst.adapters.db.engine import create_engine
from asyncfirst.adapters.db.errors import SchemaOutOfDate
from asyncfirst.adapters.db.migrate import (
    MIGRATIONS,
    alembic_config,
    current_revision,
    head_revision,
    require_current,
    upgrade,
)
from asyncfirst.adapters.db.tables import metadata

# The newest migration shipped in the package: each new one must become the head.
HEAD = max(
    p.name.split("_", 1)[0]
    for p in (
        Path(asyncfirst.__file__).parent / "adapters" / "db" / "migrations" / "versions"
    ).glob("[0-9]*_*.py")
)

TABLES = {
    "organisations", "teams", "people", "team_policy_history", "charter_applies",
    "api_tokens", "roles", "threads", "thread_recipients", "replies",
    "decisions", "decision_deciders", "decision_responses", "checkins", "handoffs",
    "pulse_answers", "notifications", "webhooks", "deliveries", "meetings", "meeting_attendees",
    "feed_tokens", "web_passwords", "web_sessions", "coffee_preferences", "coffee_pairings",
}  # fmt: skip


def test_upgrade_from_empty_builds_every_table(engine: Engine) -> None:
    assert current_revision(engine) is None
    before, after = upgrade(engine)
    assert (before, after) == (None, head_revision())
    assert current_revision(engine) == head_revision() == HEAD
    assert set(inspect(engine).get_table_names()) == TABLES | {"alembic_version"}


def test_upgrade_twice_changes_nothing(migrated: Engine) -> None:
    assert upgrade(migrated) == (HEAD, HEAD)


def test_tables_match_the_migrations(migrated: Engine) -> None:
    """`alembic check`: autogenerate finds nothing between tables.py and the migrated schema."""
    with migrated.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        assert compare_metadata(context, metadata) == []


def test_downgrade_to_base_removes_every_table(migrated: Engine) -> None:
    with migrated.begin() as connection:
        command.downgrade(alembic_config(connection), "base")
    assert set(inspect(migrated).get_table_names()) <= {"alembic_version"}
    assert current_revision(migrated) is None


def test_work_on_an_unmigrated_database_is_refused_with_the_fix(engine: Engine) -> None:
    with pytest.raises(
        SchemaOutOfDate, match=r"has no asyncfirst tables yet.*run: asyncfirst db upgrade"
    ):
        require_current(engine)


def test_migrated_database_is_accepted(migrated: Engine) -> None:
    require_current(migrated)


def test_migration_scripts_ship_inside_the_package() -> None:
    package = Path(asyncfirst.__file__).resolve().parent
    assert MIGRATIONS.is_relative_to(package)
    assert (MIGRATIONS / "env.py").is_file()
    assert (MIGRATIONS / "script.py.mako").is_file()


def test_the_comparison_sees_drift(migrated: Engine) -> None:
    with migrated.begin() as connection:
        connection.execute(text("DROP INDEX ix_people_team_id"))
    with migrated.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        diff = compare_metadata(context, metadata)
    assert [(d[0], d[1].name) for d in diff] == [("add_index", "ix_people_team_id")]


def test_sqlite_connections_use_wal_foreign_keys_and_a_busy_timeout(tmp_path: Path) -> None:
    engine = create_engine(f"sqlite:///{tmp_path / 'pragmas.db'}")
    try:
        with engine.connect() as connection:
            assert connection.execute(text("PRAGMA journal_mode")).scalar_one() == "wal"
            assert connection.execute(text("PRAGMA foreign_keys")).scalar_one() == 1
            assert connection.execute(text("PRAGMA busy_timeout")).scalar_one() == 5000
    finally:
        engine.dispose()
