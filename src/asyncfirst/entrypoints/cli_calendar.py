"""``asyncfirst calendar ...``: parse the options, call the calendar use case, format."""

from __future__ import annotations

import json
from datetime import date
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from asyncfirst.bootstrap import calendar_source
from asyncfirst.domain.errors import InputError
from asyncfirst.services.calendars import InspectReport, inspect_calendar

__all__ = ["calendar_app"]

calendar_app = typer.Typer(
    help="Import and inspect calendars (ICS files, folders of them, or http(s) URLs).",
    no_args_is_help=True,
    add_completion=False,
)


@calendar_app.callback()
def calendar_group() -> None:
    """Import and inspect calendars (ICS files, folders of them, or http(s) URLs)."""


def _day(value: str, option: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise InputError(
            f"{option} {value!r} is not a date; write it as YYYY-MM-DD", option=option
        ) from None


@calendar_app.command("inspect")
def inspect(
    source: Annotated[
        str,
        typer.Argument(
            metavar="FILE_OR_URL",
            help="An .ics file, a folder of .ics files, or an http(s)/webcal URL.",
        ),
    ],
    from_: Annotated[
        str,
        typer.Option(
            "--from", metavar="DATE", help="First day of the window (YYYY-MM-DD), from 00:00."
        ),
    ],
    to: Annotated[
        str,
        typer.Option(
            "--to", metavar="DATE", help="Day after the window (YYYY-MM-DD), until 00:00."
        ),
    ],
    tz: Annotated[
        str,
        typer.Option(
            "--tz",
            metavar="ZONE",
            help="IANA zone of the window, of floating times and of all-day dates.",
        ),
    ] = "UTC",
    owner: Annotated[
        list[str] | None,
        typer.Option(
            "--owner",
            metavar="EMAIL",
            help="The calendar owner's email (repeatable): their declines are not busy, "
            "and other attendees make a meeting.",
        ),
    ] = None,
    as_json: Annotated[
        bool, typer.Option("--json", help="Print the report as JSON instead of a table.")
    ] = False,
) -> None:
    """Count a calendar's occurrences and measure busy and sync time in a window."""
    emails = frozenset(e.strip() for value in owner or () for e in value.split(","))
    report = inspect_calendar(
        source,
        _day(from_, "--from"),
        _day(to, "--to"),
        tz,
        emails,
        calendars=calendar_source(),
    )
    if as_json:
        typer.echo(json.dumps(report.to_dict(), indent=2, ensure_ascii=False))
    else:
        _print_report(report)


def _print_report(report: InspectReport) -> None:
    console = Console()
    table = Table(title=f"{report.source}: {report.start} to {report.end} ({report.zone})")
    table.add_column("measure")
    table.add_column("value", justify="right")
    rows = [
        ("occurrences", report.occurrences),
        ("timed", report.timed),
        ("all-day", report.all_day),
        ("cancelled", report.cancelled),
        ("transparent (free)", report.transparent),
        ("declined by owner", report.declined),
        ("busy hours", f"{report.busy_minutes / 60:.1f}"),
        ("sync hours", f"{report.sync_minutes / 60:.1f}"),
    ]
    for name, value in rows:
        table.add_row(name, str(value))
    console.print(table)
    for skipped in report.skipped:
        console.print(f"[yellow]skipped[/] {skipped.uid}: {skipped.reason}", highlight=False)
    for warning in report.warnings:
        if not warning.startswith("skipped series "):
            console.print(f"[yellow]warning[/] {warning}", highlight=False)
