"""Back up and restore the whole database: SQLite's online backup, PostgreSQL's pg_dump.

SQLite: ``sqlite3.Connection.backup`` copies a consistent snapshot while the server keeps
running (WAL mode: readers and the one writer go on). A backup is written to a temporary
file beside the target and renamed into place, so a half-written file never carries the
target's name. A restore checks the file (a SQLite database, intact, holding asyncfirst
tables at a schema revision this version knows), copies it into a temporary file beside
the database, checks that copy again and only then renames it over the database.

PostgreSQL: ``pg_dump --format=custom`` and ``pg_restore --clean --if-exists
--single-transaction`` (all or nothing) from the package postgresql-client, found on PATH.
The password travels in the environment (``PGPASSWORD``), never on a command line.

Both refuse to overwrite (a backup file, or a database that already holds asyncfirst
tables) unless told to with ``force``.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import sqlite3
import subprocess
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from alembic.script import ScriptDirectory
from sqlalchemy import URL, Engine

from asyncfirst.adapters.db.engine import display_url
from asyncfirst.adapters.db.errors import BackupError
from asyncfirst.adapters.db.migrate import alembic_config, current_revision, head_revision

__all__ = ["BackupError", "BackupResult", "backup", "known_revisions", "restore"]

PG_PACKAGE = "postgresql-client"
_PG_TIMEOUT_S = 3600
_MARKER_TABLES = ("alembic_version", "organisations", "teams", "people")


@dataclass(frozen=True, slots=True)
class BackupResult:
    """What a backup or restore did: the file, the database (no password), its schema."""

    file: Path
    database: str
    backend: str
    revision: str | None
    head: str
    size_bytes: int

    @property
    def needs_upgrade(self) -> bool:
        return self.revision != self.head

    def to_dict(self) -> dict[str, Any]:
        return {"file": str(self.file), "database": self.database, "backend": self.backend,
                "revision": self.revision, "head": self.head, "size_bytes": self.size_bytes,
                "needs_upgrade": self.needs_upgrade}  # fmt: skip


def known_revisions() -> set[str]:
    """Every schema revision the migrations shipped with this version define."""
    script = ScriptDirectory.from_config(alembic_config())
    return {rev.revision for rev in script.walk_revisions()}


def backup(engine: Engine, target: Path, *, force: bool = False) -> BackupResult:
    """Write the whole database to ``target`` (refused if it exists, unless ``force``)."""
    target = target.expanduser().resolve()
    if target.is_dir():
        raise BackupError(f"{target} is a folder; give the backup file's name", file=str(target))
    if target.exists() and not force:
        raise BackupError(
            f"{target} already exists; choose another name or pass --force to overwrite it",
            file=str(target),
        )
    if not target.parent.is_dir():
        raise BackupError(f"the folder {target.parent} does not exist", file=str(target))
    revision = current_revision(engine)
    if revision is None:
        raise BackupError(
            f"the database at {display_url(engine.url)} has no asyncfirst tables; nothing to back up",
            url=display_url(engine.url),
        )
    with _temporary_beside(target) as temp:
        if _is_sqlite(engine):
            _sqlite_copy(_sqlite_path(engine), temp)
        else:
            _pg_dump(engine.url, temp)
        _fsync(temp)
        os.replace(temp, target)
    _fsync_dir(target.parent)
    return _result(engine, target, revision)


def restore(engine: Engine, source: Path, *, force: bool = False) -> BackupResult:
    """Replace the database with the backup in ``source``, whole or not at all."""
    source = source.expanduser().resolve()
    if not source.is_file():
        raise BackupError(f"{source}: no such backup file", file=str(source))
    revision = _sqlite_check(source) if _is_sqlite(engine) else _pg_check(source)
    present = current_revision(engine)
    if present is not None and not force:
        raise BackupError(
            f"the database at {display_url(engine.url)} already holds asyncfirst data (schema "
            f"{present}); restoring replaces all of it: pass --force to do so",
            url=display_url(engine.url),
            revision=present,
        )
    engine.dispose()  # the engine's pooled connections must not outlive the old file
    if _is_sqlite(engine):
        _sqlite_restore(source, _sqlite_path(engine))
    else:
        _pg_restore(engine.url, source)
    return _result(engine, source, revision)


def _result(engine: Engine, file: Path, revision: str | None) -> BackupResult:
    return BackupResult(file, display_url(engine.url), engine.dialect.name, revision,
                        head_revision(), file.stat().st_size)  # fmt: skip


def _is_sqlite(engine: Engine) -> bool:
    return engine.url.get_backend_name() == "sqlite"


def _sqlite_path(engine: Engine) -> Path:
    database = engine.url.database
    if not database or database == ":memory:" or database.startswith("file:"):
        raise BackupError(
            f"{display_url(engine.url)} is not a SQLite file; only a database on disk is backed up",
            url=display_url(engine.url),
        )
    return Path(database).expanduser().resolve()


@contextlib.contextmanager
def _temporary_beside(target: Path) -> Iterator[Path]:
    """A temporary file name in ``target``'s folder (so the rename is atomic); removed on failure."""
    fd, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".partial", dir=target.parent)
    os.close(fd)
    temp = Path(name)
    try:
        yield temp
    finally:
        temp.unlink(missing_ok=True)


def _fsync(path: Path) -> None:
    with path.open("rb+") as handle:
        os.fsync(handle.fileno())


def _fsync_dir(folder: Path) -> None:
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _sqlite_copy(source: Path, target: Path) -> None:
    """A consistent copy of ``source`` by SQLite's online backup (safe while others write)."""
    src = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
    try:
        dst = sqlite3.connect(target)
        try:
            with dst:
                src.backup(dst)
        finally:
            dst.close()
    except sqlite3.Error as error:
        raise BackupError(f"cannot copy the SQLite database {source}: {error}") from None
    finally:
        src.close()


def _sqlite_check(path: Path) -> str:
    """The schema revision of the asyncfirst SQLite database in ``path``; else a clear error."""
    what = f"{path} is not an asyncfirst SQLite backup"
    try:
        connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    except sqlite3.Error as error:
        raise BackupError(f"{what} ({error})", file=str(path)) from None
    try:
        names = {row[0] for row in connection.execute("SELECT name FROM sqlite_master")}
        missing = [table for table in _MARKER_TABLES if table not in names]
        if missing:
            raise BackupError(f"{what}: it has no table {missing[0]}", file=str(path))
        check = [row[0] for row in connection.execute("PRAGMA integrity_check")]
        if check != ["ok"]:
            raise BackupError(f"{what}: it is damaged ({check[0]})", file=str(path))
        rows = connection.execute("SELECT version_num FROM alembic_version").fetchall()
    except sqlite3.Error as error:
        raise BackupError(f"{what} ({error})", file=str(path)) from None
    finally:
        connection.close()
    return _known(path, [str(row[0]) for row in rows])


def _known(path: Path, revisions: list[str]) -> str:
    if len(revisions) != 1:
        raise BackupError(f"{path} records no single schema revision", file=str(path))
    revision = revisions[0]
    if revision not in known_revisions():
        raise BackupError(
            f"{path} is at schema {revision}, which this version of asyncfirst does not know "
            f"(it knows up to {head_revision()}); restore it with the asyncfirst that made it",
            file=str(path),
            revision=revision,
        )
    return revision


def _sqlite_restore(source: Path, database: Path) -> None:
    """Copy ``source`` beside ``database``, check the copy, then rename it over the database."""
    if not database.parent.is_dir():
        raise BackupError(f"the folder {database.parent} does not exist", file=str(database))
    with _temporary_beside(database) as temp:
        _sqlite_copy(source, temp)
        _sqlite_check(temp)
        _fsync(temp)
        if database.exists():
            # Fold the old database's write-ahead log into it and drop the log, so that no
            # stale -wal file is ever replayed over the restored pages.
            with contextlib.closing(sqlite3.connect(database)) as old:
                old.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        for suffix in ("-wal", "-shm", "-journal"):
            Path(f"{database}{suffix}").unlink(missing_ok=True)
        os.replace(temp, database)
    _fsync_dir(database.parent)


def _pg_tool(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        raise BackupError(
            f"{name} was not found on PATH; install the PostgreSQL client tools (Debian/Ubuntu: "
            f"apt-get install {PG_PACKAGE}), ideally the same major version as the server",
            tool=name,
            package=PG_PACKAGE,
        )
    return found


def _pg_environment(url: URL) -> tuple[str, dict[str, str]]:
    """A libpq connection URI without the password, and an environment that carries it."""
    bare = URL.create("postgresql", url.username, None, url.host, url.port, url.database, url.query)
    env = dict(os.environ)
    if url.password is not None:
        env["PGPASSWORD"] = str(url.password)
    return bare.render_as_string(hide_password=False), env


def _run(command: list[str], env: dict[str, str], what: str) -> str:
    try:
        done = subprocess.run(  # noqa: S603 - fixed tools, arguments are not shell-parsed
            command, env=env, capture_output=True, text=True, timeout=_PG_TIMEOUT_S, check=False
        )
    except (OSError, subprocess.TimeoutExpired) as error:
        raise BackupError(f"{what} failed: {error}") from None
    if done.returncode != 0:
        lines = [line for line in done.stderr.splitlines() if line.strip()]
        detail = "; ".join(lines[-3:]) or f"exit status {done.returncode}"
        raise BackupError(f"{what} failed: {detail}")
    return done.stdout


def _pg_dump(url: URL, target: Path) -> None:
    conninfo, env = _pg_environment(url)
    command = [_pg_tool("pg_dump"), "--format=custom", "--no-owner", "--no-privileges",
               f"--file={target}", f"--dbname={conninfo}"]  # fmt: skip
    _run(command, env, f"pg_dump of {display_url(url)}")


_COPY_ROWS = re.compile(r"^COPY \S*alembic_version .*FROM stdin;\n(.*?)^\\\.$", re.M | re.S)


def _pg_check(path: Path) -> str:
    """The schema revision inside a pg_dump custom-format archive; else a clear error."""
    restore_tool = _pg_tool("pg_restore")
    what = f"{path} is not an asyncfirst PostgreSQL backup (pg_dump --format=custom)"
    try:
        listing = _run([restore_tool, "--list", str(path)], dict(os.environ), "pg_restore --list")
    except BackupError as error:
        raise BackupError(f"{what}: {error.message}", file=str(path)) from None
    for table in _MARKER_TABLES:
        if not re.search(rf"\bTABLE DATA \S+ {table}\b", listing):
            raise BackupError(f"{what}: it has no table {table}", file=str(path))
    data = _run([restore_tool, "--data-only", "--table=alembic_version", "--file=-", str(path)],
                dict(os.environ), "pg_restore")  # fmt: skip
    match = _COPY_ROWS.search(data)
    rows = [line for line in match.group(1).splitlines() if line] if match else []
    return _known(path, rows)


def _pg_restore(url: URL, source: Path) -> None:
    conninfo, env = _pg_environment(url)
    command = [_pg_tool("pg_restore"), "--clean", "--if-exists", "--single-transaction",
               "--exit-on-error", "--no-owner", "--no-privileges", f"--dbname={conninfo}",
               str(source)]  # fmt: skip
    _run(command, env, f"pg_restore into {display_url(url)} (nothing was changed)")
