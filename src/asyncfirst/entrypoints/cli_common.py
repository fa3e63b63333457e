"""What every CLI command module shares: the error-mapping group, argument types, parsing."""

from __future__ import annotations

import json
from datetime import date, datetime
from typing import Annotated, Any

import typer
from rich.console import Console
from typer import _click  # Typer 0.29 vendors click; its Context is the one TyperGroup takes
from typer.core import TyperGroup

from asyncfirst.domain.errors import AsyncfirstError, InputError

__all__ = [
    "EXIT_INVALID",
    "CharterArg",
    "JsonOpt",
    "console",
    "emit_json",
    "new_app",
    "parse_day",
    "parse_instant",
]

EXIT_INVALID = 3

CharterArg = Annotated[
    str, typer.Argument(help='Charter file (TOML), or "demo" for the shipped demo organisation.')
]
JsonOpt = Annotated[bool, typer.Option("--json", help="Print JSON for scripts instead of tables.")]


class _Group(TyperGroup):
    """Maps every domain error to one line on stderr and exit code 3 (never a traceback)."""

    def invoke(self, ctx: _click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except AsyncfirstError as error:
            typer.echo(f"error: {error.message}", err=True)
            raise typer.Exit(EXIT_INVALID) from None


def new_app(name: str, help_text: str) -> typer.Typer:
    return typer.Typer(
        name=name,
        help=help_text,
        cls=_Group,
        no_args_is_help=True,
        add_completion=False,
        pretty_exceptions_enable=False,
    )


def console() -> Console:
    return Console(highlight=False)


def emit_json(data: Any) -> None:
    typer.echo(json.dumps(data, indent=2, ensure_ascii=False))


def parse_day(value: str, option: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise InputError(f'{option} "{value}" is not a date like 2026-11-23') from None


def parse_instant(value: str, option: str) -> datetime:
    try:
        instant = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        raise InputError(
            f'{option} "{value}" is not an instant like 2026-11-20T18:00:00+01:00'
        ) from None
    if instant.tzinfo is None:
        raise InputError(f'{option} "{value}" has no UTC offset; add one, e.g. +01:00 or Z')
    return instant
