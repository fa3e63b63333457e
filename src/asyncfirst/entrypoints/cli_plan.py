"""``asyncfirst plan``: a week of meetings planned jointly, explained in local time."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from asyncfirst.bootstrap import clock, person_calendars
from asyncfirst.domain.errors import InputError
from asyncfirst.entrypoints.cli_common import CharterArg, JsonOpt, console, emit_json, parse_day
from asyncfirst.scheduling.relay import city
from asyncfirst.services.charter import load_organisation
from asyncfirst.services.planning import (
    PlanReport,
    busy_from_calendars,
    load_requests,
    plan_week,
    read_ledger,
    write_ledger,
)

__all__ = ["plan_command", "plan_tables"]


def plan_tables(report: PlanReport) -> list[Table]:
    """One table per placed request: each attendee's local time and what it costs them."""
    tables = []
    by_id = {t.request.id: t for t in report.week.tables}
    for placement in report.plan.placements:
        table_data = by_id[placement.request_id]
        request = table_data.request
        option = next(o for o in table_data.options if o.start == placement.start)
        title = f"{request.title} ({request.kind}, {request.duration_minutes} min) — "
        title += f"{placement.start:%a %d %b %H:%M} UTC"
        table = Table(title=title, caption=f"Why sync: {request.reason}  Agenda: {request.agenda}")
        table.add_column("attendee")
        table.add_column("local time")
        table.add_column("")
        burden = dict(placement.burden)
        for person_id in placement.attendees:
            cost = option.costs[person_id]
            mark = "[green]✓[/]" if cost.inside_hours else f"[yellow]{cost.reason}[/]"
            if burden.get(person_id, 0) >= 100:
                mark = f"[red]{cost.reason}[/]"
            local = f"{cost.local_start:%a %H:%M}–{cost.local_end:%H:%M} {city(cost.zone)}"
            table.add_row(cost.name, local, mark)
        for person_id in placement.missing_optional:
            table.add_row(report.week.org.person(person_id).name, "—", "optional, not free")
        tables.append(table)
    return tables


def plan_command(
    charter: CharterArg,
    requests: Annotated[
        str,
        typer.Argument(help='Meeting requests file (TOML), or "demo" for the shipped demo ones.'),
    ],
    week: Annotated[
        str | None,
        typer.Option(
            "--week", help="Monday of the week to plan, YYYY-MM-DD (default: next Monday)."
        ),
    ] = None,
    calendars: Annotated[
        Path | None,
        typer.Option(
            "--calendars", help="Folder of <person id>.ics files whose busy time is respected."
        ),
    ] = None,
    ledger: Annotated[
        Path | None,
        typer.Option(
            "--ledger", help="Burden ledger (JSON) of earlier weeks, read when the file exists."
        ),
    ] = None,
    save_ledger: Annotated[
        bool,
        typer.Option("--save-ledger", help="Write the ledger back with this week added."),
    ] = False,
    time_limit: Annotated[
        float,
        typer.Option(
            "--time-limit", help="Solver budget in deterministic seconds (about seconds)."
        ),
    ] = 10.0,
    seed: Annotated[
        int, typer.Option("--seed", help="Solver random seed (same seed, same plan).")
    ] = 0,
    workers: Annotated[
        int, typer.Option("--workers", help="Solver worker threads (fixed count, same plan).")
    ] = 1,
    as_json: JsonOpt = False,
) -> None:
    """Plan a week of meetings on CP-SAT: hard rules kept, inconvenience shared fairly."""
    if save_ledger and ledger is None:
        raise InputError("--save-ledger needs --ledger FILE")
    org = load_organisation(charter)
    meeting_requests = load_requests(requests, org)
    today = clock().now().date()
    monday = parse_day(week, "--week") if week else today + timedelta(days=7 - today.weekday())
    busy = None
    if calendars is not None:
        source = person_calendars(
            org, calendars, synthetic_allowed=False, start_monday=monday, weeks=1
        )
        busy = busy_from_calendars(org, source, monday)
    earlier = read_ledger(ledger) if ledger is not None else None
    report = plan_week(
        org,
        meeting_requests,
        monday,
        busy=busy,
        ledger=earlier,
        time_limit_s=time_limit,
        seed=seed,
        workers=workers,
    )
    if save_ledger and ledger is not None:
        write_ledger(ledger, report.ledger_after)
    if as_json:
        emit_json(report.to_dict())
        return
    out = console()
    for table in plan_tables(report):
        out.print(table)
    if report.week.idle:
        out.print(f"No occurrence this week: {', '.join(report.week.idle)}", markup=False)
    for line in report.validation.lines:
        out.print(line, markup=False)
    if report.validation.violations:
        out.print("[red]Violations:[/]")
        for violation in report.validation.violations:
            out.print(f"  {violation.text}", markup=False)
    else:
        out.print("[green]Validator: no rule broken.[/]")
    plan = report.plan
    out.print(
        f"Solver {plan.solver}: {plan.status}, objective {plan.objective:.0f}, "
        f"bound {plan.bound:.0f}, gap {plan.gap:.1%}, {plan.wall_seconds:.2f} s, "
        f"{plan.components} group(s) of attendees; greedy start {report.greedy.objective:.0f}",
        markup=False,
    )
