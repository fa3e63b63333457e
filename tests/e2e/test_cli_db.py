"""``asyncfirst db`` and ``charter apply|history`` on the command line, on a SQLite file."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from asyncfirst.config import settings
from asyncfirst.entrypoints.cli_common import new_app
from asyncfirst.entrypoints.cli_db import charter_apply_command, charter_history_command, db_app
from asyncfirst.services.charter import starter_charter
from tests.integration.test_migrations import HEAD

app = new_app("asyncfirst", "Test assembly of the database commands.")
app.add_typer(db_app, name="db")
charter_app = new_app("charter", "Charter commands.")
charter_app.command("apply")(charter_apply_command)
charter_app.command("history")(charter_history_command)
app.add_typer(charter_app, name="charter")

runner = CliRunner()
DEMO = (Path(__file__).parents[2] / "src" / "asyncfirst" / "data" / "demo.toml").read_text("utf-8")


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


def one_error_line(result: Result) -> str:
    assert result.exit_code == 3, result.output
    assert "Traceback" not in result.output
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, result.stderr
    return lines[0]


def test_apply_before_upgrade_says_to_upgrade(database: Path) -> None:
    line = one_error_line(run("charter", "apply", "demo"))
    assert "has no asyncfirst tables yet" in line
    assert line.endswith("run: asyncfirst db upgrade")


def test_upgrade_then_apply_twice(database: Path) -> None:
    assert f"needs {HEAD}; run: asyncfirst db upgrade" in run("db", "info").output
    first = run("db", "upgrade")
    assert first.exit_code == 0, first.output
    assert f"database sqlite:///{database}: upgraded from empty to schema {HEAD}" in first.output
    assert f"already at schema {HEAD}; nothing to do" in run("db", "upgrade").output

    applied = run("charter", "apply", "demo")
    assert applied.exit_code == 0, applied.output
    assert applied.output.startswith("applied demo (Demo Org) by amelie: 18 change(s)\n")
    assert '  team "qa" added\n' in applied.output
    again = run("charter", "apply", "demo")
    assert again.exit_code == 0, again.output
    assert again.output == "demo (Demo Org): already applied; nothing changed\n"

    info = json.loads(run("db", "info", "--json").output)
    assert info["revision"] == info["head"] == HEAD
    assert info["counts"]["teams"] == 3
    assert info["counts"]["people"] == 15
    assert info["counts"]["charter_applies"] == 1
    assert info["last_apply"]["applied_by"] == "amelie"
    assert "3 team(s) (0 inactive), 15 people (0 inactive)" in run("db", "info").output


def test_a_changed_charter_prints_its_diff_and_keeps_the_reason(
    database: Path, tmp_path: Path
) -> None:
    run("db", "upgrade")
    run("charter", "apply", "demo")
    charter = tmp_path / "charter.toml"
    charter.write_text(DEMO.replace("async_band = [0.70, 0.90]", "async_band = [0.75, 0.90]"))
    result = run("charter", "apply", str(charter), "--by", "maria", "--reason", "fewer meetings")
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[1:] == ['  team "qa": async_band 0.70–0.90 → 0.75–0.90']

    history = run("charter", "history", "qa")
    assert history.exit_code == 0, history.output
    last = history.output.splitlines()[-1]
    assert 'team "qa": async_band 0.70–0.90 → 0.75–0.90  by maria — fewer meetings' in last
    changes = json.loads(run("charter", "history", "qa", "--json").output)
    assert changes[-1]["changed_by"] == "maria"
    assert changes[-1]["changed_at"].endswith("+00:00")


def test_apply_json_reports_unchanged(database: Path, tmp_path: Path) -> None:
    run("db", "upgrade")
    charter = tmp_path / "starter.toml"
    charter.write_text(starter_charter())
    first = json.loads(run("charter", "apply", str(charter), "--json").output)
    assert first["unchanged"] is False
    second = json.loads(run("charter", "apply", str(charter), "--json").output)
    assert second["unchanged"] is True
    assert second["lines"] == []
    assert second["digest"] == first["digest"]


def test_unreachable_postgresql_is_one_clear_line(
    database: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ASYNCFIRST_DATABASE_URL", "postgresql://hub:s3cret@127.0.0.1:1/asyncfirst")
    settings.cache_clear()
    for args in (("db", "info"), ("db", "upgrade"), ("charter", "apply", "demo")):
        line = one_error_line(run(*args))
        assert line.startswith(
            "error: cannot open the database at postgresql+psycopg://hub@127.0.0.1:1/asyncfirst ("
        )
        assert "check that the server is running" in line
        assert "s3cret" not in line


def test_sqlite_in_a_missing_folder_says_what_to_check(
    database: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("ASYNCFIRST_DATABASE_URL", f"sqlite:///{tmp_path}/missing/hub.db")
    settings.cache_clear()
    line = one_error_line(run("db", "upgrade"))
    assert f"check that the folder {tmp_path}/missing exists and is writable" in line


def test_production_refuses_a_database_under_tmp(
    database: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ASYNCFIRST_ENV", "production")
    monkeypatch.setenv("ASYNCFIRST_DATABASE_URL", "sqlite:////tmp/asyncfirst.db")
    settings.cache_clear()
    line = one_error_line(run("db", "info"))
    assert "temporary folder (/tmp/asyncfirst.db)" in line
    assert "in production choose a persistent folder" in line


def test_the_default_database_lives_in_the_data_dir_which_is_created(
    database: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.delenv("ASYNCFIRST_DATABASE_URL")
    monkeypatch.setenv("ASYNCFIRST_DATA_DIR", str(tmp_path / "nested" / "asyncfirst"))
    settings.cache_clear()
    result = run("db", "upgrade")
    assert result.exit_code == 0, result.output
    assert (tmp_path / "nested" / "asyncfirst" / "asyncfirst.db").is_file()
    assert f"sqlite:///{tmp_path}/nested/asyncfirst/asyncfirst.db" in result.output


def test_an_unknown_environment_is_refused(database: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ASYNCFIRST_ENV", "staging")
    settings.cache_clear()
    line = one_error_line(run("db", "info"))
    assert line == 'error: ASYNCFIRST_ENV="staging" is not one of: development, production'
