"""The ``asyncfirst`` command line: parse, call a use case, format. No business rules here."""

from __future__ import annotations

import sys

import typer

from asyncfirst.domain.errors import AsyncfirstError

app = typer.Typer(
    name="asyncfirst",
    help="Async-first work across time zones: working time, fair slots, routing, balance.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

EXIT_OK = 0
EXIT_USAGE = 2
EXIT_INVALID = 3


def main() -> None:
    """Console-script entry: run the app and map domain errors to a message and exit code 3."""
    try:
        app(standalone_mode=True)
    except AsyncfirstError as error:
        typer.echo(f"error: {error.message}", err=True)
        sys.exit(EXIT_INVALID)
