"""``db backup`` / ``db restore`` on a real database (SQLite and PostgreSQL): a full round trip.

The demo is seeded (charter, roles, threads, a token), backed up, then changed; the restore
brings back exactly the rows that were backed up, in every table. A restore refuses to
overwrite without ``force``, refuses what is not an asyncfirst backup at a known schema, and
never leaves the database half-restored.
"""

from __future__ import annotations

import sqlite3
import threading
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, delete, select

from asyncfirst import bootstrap_db
from asyncfirst.adapters.db import tables
from asyncfirst.adapters.db.backup import backup, restore
from asyncfirst.adapters.db.errors import BackupError
from asyncfirst.adapters.db.migrate import head_revision


def snapshot(engine: Engine) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every asyncfirst table, in a stable order."""
    with engine.connect() as connection:
        return {
            table.name: sorted((tuple(row) for row in connection.execute(select(table))), key=repr)
            for table in tables.metadata.sorted_tables
        }


def test_round_trip_brings_back_every_row(seeded: Engine, tmp_path: Path) -> None:
    before = snapshot(seeded)
    assert len(before["threads"]) == 4 and len(before["people"]) == 15
    file = tmp_path / "backup.bin"

    made = backup(seeded, file)
    assert made.revision == head_revision() and not made.needs_upgrade
    assert made.size_bytes == file.stat().st_size > 0

    with seeded.begin() as connection:  # lose data after the backup
        connection.execute(delete(tables.replies))
        connection.execute(delete(tables.thread_recipients))
        connection.execute(delete(tables.threads))
    assert snapshot(seeded)["threads"] == []

    with pytest.raises(BackupError, match="pass --force"):
        restore(seeded, file)
    assert snapshot(seeded)["threads"] == []  # refused: nothing touched

    restored = restore(seeded, file, force=True)
    assert restored.revision == head_revision()
    assert snapshot(seeded) == before


def test_restore_into_an_empty_database_needs_no_force(
    seeded: Engine, database_url: str, tmp_path: Path
) -> None:
    file = tmp_path / "backup.bin"
    backup(seeded, file)
    before = snapshot(seeded)
    if seeded.url.get_backend_name() == "sqlite":
        empty_url = f"sqlite:///{tmp_path / 'fresh' / 'new.db'}"
        (tmp_path / "fresh").mkdir()
    else:
        with seeded.begin() as connection:  # an empty database: drop everything
            tables.metadata.drop_all(connection)
            connection.exec_driver_sql("DROP TABLE alembic_version")
        empty_url = database_url
    result = bootstrap_db.restore_database(file, url=empty_url)
    assert result.revision == head_revision()
    from asyncfirst.adapters.db.engine import create_engine

    fresh = create_engine(empty_url)
    try:
        assert snapshot(fresh) == before
    finally:
        fresh.dispose()


def test_backup_refuses_to_overwrite_a_file_without_force(seeded: Engine, tmp_path: Path) -> None:
    file = tmp_path / "backup.bin"
    file.write_text("keep me", "utf-8")
    with pytest.raises(BackupError, match=r"already exists; .* --force"):
        backup(seeded, file)
    assert file.read_text("utf-8") == "keep me"
    backup(seeded, file, force=True)
    assert file.stat().st_size > len("keep me")
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".partial")] == []


def test_an_empty_database_is_not_backed_up(engine: Engine, tmp_path: Path) -> None:
    with pytest.raises(BackupError, match="has no asyncfirst tables; nothing to back up"):
        backup(engine, tmp_path / "backup.bin")
    assert not (tmp_path / "backup.bin").exists()


def test_a_file_that_is_not_a_backup_is_refused_and_nothing_changes(
    seeded: Engine, tmp_path: Path
) -> None:
    before = snapshot(seeded)
    junk = tmp_path / "notes.txt"
    junk.write_bytes(b"these are my notes, not a database\n" * 100)
    with pytest.raises(BackupError, match="is not an asyncfirst"):
        restore(seeded, junk, force=True)
    with pytest.raises(BackupError, match="no such backup file"):
        restore(seeded, tmp_path / "missing.bin", force=True)
    assert snapshot(seeded) == before


def test_a_truncated_backup_leaves_the_database_whole(seeded: Engine, tmp_path: Path) -> None:
    """The restore fails part-way (PostgreSQL: inside its one transaction; SQLite: the copy
    is checked before it replaces anything), and the database is as it was."""
    file = tmp_path / "backup.bin"
    backup(seeded, file)
    with seeded.begin() as connection:
        connection.execute(delete(tables.replies))
    before = snapshot(seeded)
    data = file.read_bytes()
    file.write_bytes(data[: int(len(data) * 0.6)])
    with pytest.raises(BackupError):
        restore(seeded, file, force=True)
    assert snapshot(seeded) == before


def test_missing_postgresql_tools_name_the_package(
    seeded: Engine, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    if seeded.url.get_backend_name() == "sqlite":
        pytest.skip("SQLite needs no external tool")
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(BackupError, match=r"pg_dump was not found on PATH.*postgresql-client"):
        backup(seeded, tmp_path / "backup.bin")


# SQLite only: the backup's own checks and the online backup under a running writer.


@pytest.fixture
def sqlite_seeded(seeded: Engine) -> Engine:
    if seeded.url.get_backend_name() != "sqlite":
        pytest.skip("SQLite's file checks")
    return seeded


def _sqlite_copy_with(source: Path, target: Path, sql: str) -> None:
    with sqlite3.connect(source) as src, sqlite3.connect(target) as dst:
        src.backup(dst)
        dst.execute(sql)
    sqlite3.connect(target).close()


def test_a_backup_from_an_unknown_schema_is_refused(sqlite_seeded: Engine, tmp_path: Path) -> None:
    file = tmp_path / "future.db"
    _sqlite_copy_with(
        Path(str(sqlite_seeded.url.database)), file,
        "UPDATE alembic_version SET version_num = '9999_from_the_future'",
    )  # fmt: skip
    with pytest.raises(BackupError, match="schema 9999_from_the_future, which this version"):
        restore(sqlite_seeded, file, force=True)


def test_a_sqlite_database_of_another_program_is_refused(
    sqlite_seeded: Engine, tmp_path: Path
) -> None:
    other = tmp_path / "other.db"
    with sqlite3.connect(other) as connection:
        connection.execute("CREATE TABLE recipes (name TEXT)")
    connection.close()
    with pytest.raises(BackupError, match="has no table alembic_version"):
        restore(sqlite_seeded, other, force=True)


def test_an_older_schema_restores_and_asks_for_an_upgrade(
    sqlite_seeded: Engine, tmp_path: Path
) -> None:
    file = tmp_path / "older.db"
    _sqlite_copy_with(Path(str(sqlite_seeded.url.database)), file,
                      "UPDATE alembic_version SET version_num = '0001'")  # fmt: skip
    result = restore(sqlite_seeded, file, force=True)
    assert result.revision == "0001" and result.needs_upgrade


def test_online_backup_while_a_writer_is_busy(sqlite_seeded: Engine, tmp_path: Path) -> None:
    """WAL mode: the backup is a consistent snapshot while another connection keeps writing."""
    path = Path(str(sqlite_seeded.url.database))
    stop = threading.Event()
    written = 0

    def writer() -> None:
        nonlocal written
        connection = sqlite3.connect(path, timeout=5)
        try:
            while not stop.is_set():
                with connection:
                    connection.execute(
                        "UPDATE threads SET title = ? WHERE id = 1", (f"edit {written}",)
                    )
                written += 1
        finally:
            connection.close()

    thread = threading.Thread(target=writer)
    thread.start()
    try:
        for n in range(5):
            backup(sqlite_seeded, tmp_path / f"b{n}.db")
    finally:
        stop.set()
        thread.join()
    assert written > 0
    for n in range(5):
        with sqlite3.connect(tmp_path / f"b{n}.db") as copy:
            assert copy.execute("PRAGMA integrity_check").fetchone() == ("ok",)
            assert copy.execute("SELECT count(*) FROM threads").fetchone() == (4,)
        copy.close()


def test_a_postgresql_restore_that_fails_midway_changes_nothing(
    seeded: Engine, tmp_path: Path
) -> None:
    """pg_restore runs in one transaction: a failure after some tables were dropped and
    reloaded rolls all of it back."""
    if seeded.url.get_backend_name() != "postgresql":
        pytest.skip("PostgreSQL's single-transaction restore")
    file = tmp_path / "backup.bin"
    backup(seeded, file)
    with seeded.begin() as connection:
        connection.execute(delete(tables.replies))
        # Something outside the backup that depends on a table: its DROP fails part-way.
        connection.exec_driver_sql("CREATE VIEW thread_titles AS SELECT title FROM threads")
    before = snapshot(seeded)
    with pytest.raises(BackupError, match=r"pg_restore into .* failed.*thread_titles"):
        restore(seeded, file, force=True)
    assert snapshot(seeded) == before
