"""``asyncfirst demo calendars``: write synthetic ICS calendars for the demo or a bigger org."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from asyncfirst.bootstrap import clock, synthetic_generator, synthetic_org
from asyncfirst.entrypoints.cli_common import JsonOpt, console, emit_json, parse_day
from asyncfirst.services.charter import load_organisation
from asyncfirst.services.overlap import monday_of
from asyncfirst.services.synthetic import MAX_WEEKS, CalendarsWritten, write_demo_calendars

__all__ = ["calendars_command"]

_PROGRESS_FROM = 100  # people; smaller runs finish before a bar would help


def _progress(people: int) -> Progress:
    err = Console(stderr=True)
    return Progress(
        TextColumn("calendars"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=err,
        transient=True,
        disable=people < _PROGRESS_FROM or not err.is_terminal,
    )


def _describe(written: CalendarsWritten, organisation: str) -> str:
    size = written.bytes / 1_000_000
    return (
        f"Wrote {written.files} calendars for {organisation} to {written.directory}: "
        f"{written.events:,} events, {size:.1f} MB, {written.start} to {written.end} "
        f"({written.weeks} weeks, seed {written.seed})."
    )


def calendars_command(
    out: Annotated[
        Path,
        typer.Option(
            "--out",
            metavar="DIR",
            help="Folder to write <person-id>.ics into; created if missing. "
            "Existing files of the same names are overwritten, others left alone.",
        ),
    ],
    people: Annotated[
        int | None,
        typer.Option(
            "--people",
            metavar="N",
            min=1,
            help="Generate a synthetic organisation of N people (teams of 5–9 across ten "
            "time zones) instead of the charter's people.",
        ),
    ] = None,
    weeks: Annotated[
        int,
        typer.Option(
            "--weeks",
            metavar="W",
            min=1,
            max=MAX_WEEKS,
            help="How many weeks of calendar to write.",
        ),
    ] = 4,
    from_: Annotated[
        str | None,
        typer.Option(
            "--from",
            metavar="MONDAY",
            help="First day, a Monday (YYYY-MM-DD). Default: the Monday of the current week.",
        ),
    ] = None,
    seed: Annotated[
        int,
        typer.Option("--seed", help="Random seed: the same seed writes byte-identical files."),
    ] = 1,
    charter: Annotated[
        str,
        typer.Option(
            "--charter",
            metavar="CHARTER",
            help='Charter file (TOML) whose people get calendars, or "demo". '
            "Ignored with --people.",
        ),
    ] = "demo",
    as_json: JsonOpt = False,
) -> None:
    """Write realistic, reproducible ICS calendars, one per person.

    Recurring stand-ups, reviews, retros and 1:1s, cross-zone syncs at awkward hours,
    focus blocks, cancellations, declines, moved occurrences and all-day events.
    """
    org = synthetic_org(people, seed) if people is not None else load_organisation(charter)
    start = parse_day(from_, "--from") if from_ is not None else monday_of(clock().now().date())
    with _progress(len(org.people)) as progress:
        task = progress.add_task("calendars", total=len(org.people))
        written = write_demo_calendars(
            org,
            out,
            start,
            weeks,
            seed,
            generate=synthetic_generator(),
            progress=lambda _: progress.advance(task),
        )
    if as_json:
        emit_json({"organisation": org.name, **written.to_dict()})
    else:
        console().print(_describe(written, org.name), soft_wrap=True)
