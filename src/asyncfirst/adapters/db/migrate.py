"""Schema migrations and a summary of the database, run through Alembic's Python API.

The migration scripts ship inside the package (``migrations/``), so an installed wheel
can upgrade its database without an ``alembic.ini`` or the source tree.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Engine, func, select
from sqlalchemy.exc import DBAPIError

from asyncfirst.adapters.db import tables
from asyncfirst.adapters.db.engine import display_url, unavailable
from asyncfirst.adapters.db.errors import SchemaOutOfDate

__all__ = [
    "MIGRATIONS",
    "DatabaseInfo",
    "alembic_config",
    "current_revision",
    "database_info",
    "head_revision",
    "require_current",
    "upgrade",
]

MIGRATIONS = Path(__file__).resolve().parent / "migrations"


def alembic_config(connection: Connection | None = None) -> Config:
    """An Alembic configuration without an ini file, pointing at the packaged scripts."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    if connection is not None:
        config.attributes["connection"] = connection
    return config


def head_revision() -> str:
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    if head is None:  # pragma: no cover - the package always ships a migration
        raise RuntimeError("no migrations shipped")
    return head


def current_revision(engine: Engine) -> str | None:
    """The schema revision the database is at; ``None`` for an empty database."""
    try:
        with engine.connect() as connection:
            return MigrationContext.configure(connection).get_current_revision()
    except DBAPIError as error:
        raise unavailable(engine, error) from None


def upgrade(engine: Engine) -> tuple[str | None, str]:
    """Run every migration not yet applied; (revision before, revision after)."""
    before = current_revision(engine)
    with engine.begin() as connection:
        command.upgrade(alembic_config(connection), "head")
    return before, head_revision()


def require_current(engine: Engine) -> None:
    """Refuse to work on a database whose schema is behind (or ahead of) this code."""
    current, head = current_revision(engine), head_revision()
    if current == head:
        return
    shown = display_url(engine.url)
    state = "has no asyncfirst tables yet" if current is None else f"is at schema {current}"
    raise SchemaOutOfDate(
        f"the database at {shown} {state}, this asyncfirst needs {head}; "
        "run: asyncfirst db upgrade",
        url=shown,
        revision=current,
        head=head,
    )


@dataclass(frozen=True)
class DatabaseInfo:
    url: str
    backend: str
    revision: str | None
    head: str
    counts: dict[str, int] = field(default_factory=dict)
    last_apply: dict[str, Any] | None = None

    @property
    def up_to_date(self) -> bool:
        return self.revision == self.head

    def to_dict(self) -> dict[str, Any]:
        return {"url": self.url, "backend": self.backend, "revision": self.revision,
                "head": self.head, "up_to_date": self.up_to_date, "counts": self.counts,
                "last_apply": self.last_apply}  # fmt: skip


def _count(connection: Connection, table: Any, *where: Any) -> int:
    return int(connection.scalar(select(func.count()).select_from(table).where(*where)) or 0)


def database_info(engine: Engine) -> DatabaseInfo:
    """Where the database is, its schema revision and how many of each thing it holds."""
    revision, head = current_revision(engine), head_revision()
    info = DatabaseInfo(display_url(engine.url), engine.dialect.name, revision, head)
    if revision != head:
        return info
    t, p, a = tables.teams, tables.people, tables.charter_applies
    with engine.connect() as connection:
        counts = {
            "organisations": _count(connection, tables.organisations),
            "teams": _count(connection, t, t.c.active.is_(True)),
            "teams_inactive": _count(connection, t, t.c.active.is_(False)),
            "people": _count(connection, p, p.c.active.is_(True)),
            "people_inactive": _count(connection, p, p.c.active.is_(False)),
            "policy_changes": _count(connection, tables.team_policy_history),
            "charter_applies": _count(connection, a),
        }
        last = connection.execute(select(a).order_by(a.c.id.desc()).limit(1)).mappings().first()
    last_apply = None
    if last is not None:
        last_apply = {"source": last["source"], "applied_at": last["applied_at"].isoformat(),
                      "applied_by": last["applied_by"], "digest": last["digest"]}  # fmt: skip
    return DatabaseInfo(info.url, info.backend, revision, head, counts, last_apply)
