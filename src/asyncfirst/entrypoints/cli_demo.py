"""``asyncfirst demo``: the tour of the demo organisation."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.panel import Panel
from rich.table import Table

from asyncfirst.bootstrap import clock
from asyncfirst.entrypoints.cli_common import JsonOpt, console, emit_json, parse_day
from asyncfirst.entrypoints.cli_time import overlap_table
from asyncfirst.services.charter import load_organisation
from asyncfirst.services.overlap import monday_of
from asyncfirst.services.tour import Tour, build_tour


def _teams_table(tour: Tour) -> Table:
    table = Table(title=f"{tour.organisation}: teams and their working agreement")
    for column in ("team", "zone", "working hours", "holidays", "async band"):
        table.add_column(column)
    for team in tour.teams:
        table.add_row(
            f"{team.name} ({team.id})",
            team.zone,
            team.hours.describe(),
            team.holidays.label() if team.holidays else "—",
            team.band.label(),
        )
    return table


def _clock_table(tour: Tour) -> Table:
    table = Table(
        title=f"Each team's hours on every team's clock ({tour.reference_day:%a %d %b %Y})"
    )
    table.add_column("team works")
    for team in tour.teams:
        table.add_column(f"in {team.zone}")
    for team in tour.teams:
        cells = []
        for other in tour.teams:
            text = tour.cell(team.id, other.id)
            cells.append(f"[bold]{text}[/]" if team.id == other.id else text)
        table.add_row(team.name, *cells)
    return table


def demo_command(
    week: Annotated[
        str | None,
        typer.Option("--week", help="Monday of the week to show, YYYY-MM-DD (default: this week)."),
    ] = None,
    charter: Annotated[
        str, typer.Option("--charter", help='Charter to tour instead of the shipped "demo".')
    ] = "demo",
    as_json: JsonOpt = False,
) -> None:
    """A one-minute tour: the teams, their hours in every zone, overlaps, and the all-hands."""
    org = load_organisation(charter)
    monday = parse_day(week, "--week") if week else monday_of(clock().now().date())
    tour = build_tour(org, monday)
    if as_json:
        emit_json(tour.to_dict())
        return
    out = console()
    out.print(_teams_table(tour))
    out.print(_clock_table(tour))
    out.print(overlap_table(tour.overlap))
    out.print(Panel("\n".join(f"• {line}" for line in tour.findings), title="What this means"))
