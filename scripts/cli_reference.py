"""Generate docs/cli-reference.md from the Typer app (run: make docs; a test checks it is current)."""

from __future__ import annotations

import sys
from pathlib import Path

import typer
from typer import _click
from typer.core import TyperArgument, TyperGroup, TyperOption

from asyncfirst.entrypoints.cli import app

TARGET = Path(__file__).resolve().parent.parent / "docs" / "cli-reference.md"


def _walk(command: _click.Command, path: list[str]) -> list[tuple[list[str], _click.Command]]:
    found = [(path, command)]
    if isinstance(command, TyperGroup):
        for name in sorted(command.commands):
            found.extend(_walk(command.commands[name], [*path, name]))
    return found


def _param_row(param: _click.Parameter) -> str:
    if isinstance(param, TyperOption):
        names = ", ".join(f"`{n}`" for n in [*param.opts, *param.secondary_opts])
        help_text = (param.help or "").replace("|", "\\|").replace("\n", " ")
        default = param.default
        shown = (
            "" if default in (None, False, (), []) or param.is_flag else f" (default: `{default}`)"
        )
        return f"| {names} | {help_text}{shown} |"
    assert isinstance(param, TyperArgument)
    help_text = (getattr(param, "help", "") or "").replace("|", "\\|")
    name = (param.metavar or param.name or "").upper()
    return f"| `{name}` (argument) | {help_text} |"


def _usage(path: list[str], command: _click.Command) -> str:
    words = [*path, "[OPTIONS]"]
    for param in command.params:
        if isinstance(param, TyperArgument):
            name = (param.metavar or param.name or "").upper()
            words.append(name if param.required else f"[{name}]")
    if isinstance(command, TyperGroup):
        words.append("COMMAND [ARGS]...")
    return " ".join(words)


def render() -> str:
    root = typer.main.get_command(app)
    lines = [
        "# CLI reference",
        "",
        "Generated from the code by `scripts/cli_reference.py`; do not edit by hand.",
        "Exit codes: 0 success, 2 usage error, 3 invalid charter or input.",
        "",
    ]
    for path, command in _walk(root, ["asyncfirst"]):
        lines += [f"## `{' '.join(path)}`", "", "```", _usage(path, command), "```", ""]
        lines += [(command.help or "").strip(), ""]
        params = [p for p in command.params if p.name != "help"]
        if params:
            lines += ["| option | meaning |", "|---|---|"]
            lines += [_param_row(p) for p in params]
            lines.append("")
    return "\n".join(lines).rstrip() + "\n"


if __name__ == "__main__":
    if "--check" in sys.argv:
        sys.exit(0 if TARGET.read_text("utf-8") == render() else 1)
    TARGET.write_text(render(), encoding="utf-8")
