"""``asyncfirst db backup|restore`` on the command line, on a SQLite file."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from asyncfirst.config import settings
from asyncfirst.entrypoints.cli_common import new_app
from asyncfirst.entrypoints.cli_db import charter_apply_command, db_app
from tests.integration.test_migrations import HEAD

app = new_app("asyncfirst", "Test assembly of the database commands.")
app.add_typer(db_app, name="db")
charter_app = new_app("charter", "Charter commands.")
charter_app.command("apply")(charter_apply_command)
app.add_typer(charter_app, name="charter")
runner = CliRunner()


@pytest.fixture
def database(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    path = tmp_path / "data" / "hub.db"
    path.parent.mkdir()
    monkeypatch.setenv("ASYNCFIRST_DATABASE_URL", f"sqlite:///{path}")
    monkeypatch.setenv("ASYNCFIRST_ENV", "development")
    monkeypatch.setenv("USER", "amelie")
    settings.cache_clear()
    yield path
    settings.cache_clear()


def run(*args: str) -> Result:
    return runner.invoke(app, list(args))


def error_line(result: Result) -> str:
    assert result.exit_code == 3, result.output
    assert "Traceback" not in result.output
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, result.stderr
    return lines[0]


def test_backup_then_restore(database: Path, tmp_path: Path) -> None:
    assert run("db", "upgrade").exit_code == 0
    assert run("charter", "apply", "demo").exit_code == 0
    file = tmp_path / "hub-backup.db"

    made = run("db", "backup", str(file))
    assert made.exit_code == 0, made.output
    assert f"(schema {HEAD}) to {file}" in made.output
    assert "already exists" in error_line(run("db", "backup", str(file)))

    refused = error_line(run("db", "restore", str(file)))
    assert "already holds asyncfirst data" in refused and refused.endswith("--force to do so")

    done = run("db", "restore", str(file), "--force", "--json")
    assert done.exit_code == 0, done.output
    body = json.loads(done.output)
    assert body["revision"] == HEAD and body["needs_upgrade"] is False
    assert "15 people" in run("db", "info").output


def test_restoring_something_else_is_one_clear_line(database: Path, tmp_path: Path) -> None:
    notes = tmp_path / "notes.txt"
    notes.write_text("not a database", "utf-8")
    line = error_line(run("db", "restore", str(notes)))
    assert line == f"error: {notes} is not an asyncfirst SQLite backup (file is not a database)"
