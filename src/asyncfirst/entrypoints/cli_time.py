"""``asyncfirst overlap`` and ``asyncfirst respond-by``: the time engine on the command line."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.table import Table

from asyncfirst.bootstrap import clock
from asyncfirst.entrypoints.cli_common import (
    CharterArg,
    JsonOpt,
    console,
    emit_json,
    parse_day,
    parse_instant,
)
from asyncfirst.services.charter import load_organisation
from asyncfirst.services.overlap import OverlapReport, monday_of, team_overlap
from asyncfirst.services.respond_by import respond_by


def overlap_table(report: OverlapReport) -> Table:
    names = {t.id: t.name for t in report.teams}
    table = Table(title=f"Shared working time, week of {report.week:%a %d %b %Y} (h:mm)")
    table.add_column("")
    for team in report.teams:
        table.add_column(team.name, justify="right")
    lookup = {frozenset(p.teams): p.minutes for p in report.pairs}
    for row in report.teams:
        cells = []
        for col in report.teams:
            if row.id == col.id:
                cells.append(
                    f"[dim]{sum(round(iv.minutes) for iv in report.working[row.id]) // 60}h[/]"
                )
            else:
                minutes = lookup[frozenset((row.id, col.id))]
                cells.append(f"{minutes // 60}:{minutes % 60:02d}" if minutes else "[red]none[/]")
        table.add_row(names[row.id], *cells)
    return table


def overlap_command(
    charter: CharterArg,
    week: Annotated[
        str | None,
        typer.Option("--week", help="Monday of the week, YYYY-MM-DD (default: this week)."),
    ] = None,
    teams: Annotated[
        list[str] | None,
        typer.Option("--team", help="Only these teams (repeat the option); default: all."),
    ] = None,
    as_json: JsonOpt = False,
) -> None:
    """Working time shared by every pair of teams, and by all, over one week."""
    org = load_organisation(charter)
    monday = parse_day(week, "--week") if week else monday_of(clock().now().date())
    report = team_overlap(org, monday, teams or ())
    if as_json:
        emit_json(report.to_dict())
        return
    out = console()
    out.print(overlap_table(report))
    all_minutes = report.everyone.minutes
    out.print(
        f"All {len(report.teams)} teams together: "
        + (
            f"{all_minutes // 60}:{all_minutes % 60:02d}"
            if all_minutes
            else "[red]no shared hour[/]"
        )
    )
    for team_id, days in report.to_dict()["days_off"].items():
        for day in days:
            out.print(f"[dim]{org.team(team_id).name}: {day['date']} off ({day['reason']})[/]")


def respond_by_command(
    charter: CharterArg,
    to: Annotated[str, typer.Option("--to", help="Recipient: a person id or a team id.")],
    sent: Annotated[
        str | None,
        typer.Option(
            "--sent", help="When the message is sent, ISO 8601 with an offset (default: now)."
        ),
    ] = None,
    hours: Annotated[
        float | None,
        typer.Option("--hours", help="Working hours to respond (default: the team's charter)."),
    ] = None,
    as_json: JsonOpt = False,
) -> None:
    """When a message is due, counted in the recipient's own working time."""
    org = load_organisation(charter)
    instant = parse_instant(sent, "--sent") if sent else clock().now()
    result = respond_by(org, to, instant, hours)
    if as_json:
        emit_json(result.to_dict())
        return
    data = result.to_dict()
    out = console()
    out.print(
        f"Sent {data['sent']} — that is {data['sent_local']} for {to} ({data['zone']}).\n"
        f"Due after {result.hours:g} working hours ({data['working_hours']}): "
        f"[bold]{data['due']}[/] ({data['due_utc']})."
    )
    for day in data["skipped_days"]:
        out.print(f"  skipped {day['date']}: {day['reason']}")
