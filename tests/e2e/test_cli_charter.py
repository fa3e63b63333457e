"""The charter on the command line: the demo is valid, every broken charter gets one clear error."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from asyncfirst.entrypoints.cli import app

BROKEN = sorted((Path(__file__).parent.parent / "data" / "charters" / "broken").glob("*.toml"))
runner = CliRunner()


def expected_message(path: Path) -> str:
    first = path.read_text("utf-8").splitlines()[0]
    assert first.startswith("# expect: "), f"{path.name} must state its expected error"
    return first.removeprefix("# expect: ")


def test_there_is_a_folder_of_broken_charters() -> None:
    assert len(BROKEN) >= 20


@pytest.mark.parametrize("path", BROKEN, ids=[p.stem for p in BROKEN])
def test_broken_charter_gets_one_clear_message_and_exit_3(path: Path) -> None:
    result = runner.invoke(app, ["charter", "check", str(path)])
    assert result.exit_code == 3, result.output
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith(f"error: {path.name}: ")
    assert expected_message(path) in lines[0]
    assert "Traceback" not in result.output


def test_demo_charter_is_valid(tmp_path: Path) -> None:
    result = runner.invoke(app, ["charter", "check", "demo", "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["teams"] == {"design": 5, "coding": 5, "qa": 5}


def test_missing_file_is_exit_3() -> None:
    result = runner.invoke(app, ["charter", "check", "no/such/charter.toml"])
    assert result.exit_code == 3
    assert "no/such/charter.toml: no such file" in result.stderr


def test_init_writes_a_valid_starter_and_refuses_to_overwrite(tmp_path: Path) -> None:
    target = tmp_path / "charter.toml"
    assert runner.invoke(app, ["init", str(target)]).exit_code == 0
    checked = runner.invoke(app, ["charter", "check", str(target), "--json"])
    assert checked.exit_code == 0, checked.output
    assert json.loads(checked.stdout)["people"] == 1
    again = runner.invoke(app, ["init", str(target)])
    assert again.exit_code == 3
    assert "already exists" in again.stderr
    assert runner.invoke(app, ["init", str(target), "--force"]).exit_code == 0


def test_usage_error_is_exit_2() -> None:
    result = runner.invoke(app, ["overlap", "demo", "--no-such-option"])
    assert result.exit_code == 2
