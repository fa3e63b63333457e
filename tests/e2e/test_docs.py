"""Docs are tested: every command and option is documented, and the reference is current."""

from __future__ import annotations

import subprocess
import sys

import typer
from typer.core import TyperGroup

from asyncfirst.entrypoints.cli import app
from tests.conftest import REPO


def all_commands() -> list[tuple[str, object]]:
    found = []
    stack = [("asyncfirst", typer.main.get_command(app))]
    while stack:
        path, command = stack.pop()
        found.append((path, command))
        if isinstance(command, TyperGroup):
            stack.extend((f"{path} {n}", c) for n, c in command.commands.items())
    return found


def test_every_command_and_option_has_help() -> None:
    missing = []
    for path, command in all_commands():
        if not (command.help or "").strip():  # type: ignore[attr-defined]
            missing.append(path)
        for param in command.params:  # type: ignore[attr-defined]
            if param.name != "help" and not (getattr(param, "help", "") or "").strip():
                missing.append(f"{path} {param.name}")
    assert missing == []


def test_cli_reference_is_current() -> None:
    result = subprocess.run(
        [sys.executable, str(REPO / "scripts" / "cli_reference.py"), "--check"],
        check=False,
        cwd=REPO,
    )
    assert result.returncode == 0, "docs/cli-reference.md is stale: run `make docs`"


def test_every_command_appears_in_the_guide() -> None:
    guide = (REPO / "docs" / "cli.md").read_text("utf-8")
    undocumented = [path for path, _ in all_commands() if f"`{path}" not in guide]
    assert undocumented == []


def test_readme_has_the_two_commands() -> None:
    readme = (REPO / "README.md").read_text("utf-8")
    assert "make demo" in readme
    assert "make test" in readme
    ci = (REPO / ".ci" / "run").read_text("utf-8")
    assert "make test" in ci
