"""``asyncfirst plan``: weeks of meetings planned jointly, explained in local time.

Human tables by default (each meeting in every attendee's local time), ``--person ID`` for
one person's agenda in their zone, ``--json`` for scripts (``WeeksPlan.to_dict``: an object
whose ``"weeks"`` list holds one plan per week, also for a single week), ``--ics FILE`` for
calendar clients.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from asyncfirst.bootstrap import clock, person_calendars, plan_ics_writer
from asyncfirst.domain.errors import InputError
from asyncfirst.entrypoints.cli_common import CharterArg, JsonOpt, console, emit_json, parse_day
from asyncfirst.scheduling.relay import city
from asyncfirst.services.charter import load_organisation
from asyncfirst.services.plan_agenda import PersonAgenda, person_agenda
from asyncfirst.services.planning import (
    DEMO,
    MAX_WEEKS,
    PlanReport,
    WeeksPlan,
    load_requests,
    plan_weeks,
    read_ledger,
    write_ledger,
)

__all__ = ["agenda_table", "plan_command", "plan_tables"]


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


def agenda_table(agenda: PersonAgenda) -> Table:
    """One row per meeting of the person, in their local time, with what it costs them."""
    person = agenda.person
    table = Table(title=f"{person.name}: meetings in {city(person.zone)} time ({person.zone})")
    table.add_column("day")
    table.add_column("local time")
    table.add_column("meeting")
    table.add_column("role")
    table.add_column("hours")
    table.add_column("with")
    for entry in agenda.entries:
        if entry.role == "optional, not free":
            hours = "[dim]not attending[/]"
        elif entry.inside_hours:
            hours = "[green]inside ✓[/]"
        else:
            hours = f"[yellow]{entry.note}[/]"
        table.add_row(
            f"{entry.local_start:%a %d %b}",
            f"{entry.local_start:%H:%M}–{entry.local_end:%H:%M} {entry.local_start:%Z}",
            entry.request.title,
            entry.role,
            hours,
            ", ".join(entry.with_people),
        )
    return table


def _print_week(out: Console, report: PlanReport, heading: bool) -> None:
    if heading:
        out.rule(f"Week of {report.week.week:%a %d %b %Y}")
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


def _print_plan(out: Console, weeks: WeeksPlan) -> None:
    several = len(weeks.reports) > 1
    for report in weeks.reports:
        _print_week(out, report, several)
    if several:
        shares = ", ".join(
            f"{city(zone)} {cost:.0f}" for zone, cost in sorted(weeks.zone_burden().items())
        )
        out.print(f"Inconvenience taken on over the {len(weeks.reports)} weeks: {shares}")


def _write_ics(path: Path, weeks: WeeksPlan) -> int:
    org = weeks.reports[0].week.org
    data = plan_ics_writer()([r.plan for r in weeks.reports], org, weeks.requests)
    try:
        path.write_bytes(data)
    except OSError as exc:
        raise InputError(f"{path}: cannot write the calendar ({exc.strerror})") from None
    return sum(len(r.plan.placements) for r in weeks.reports)


def plan_command(
    charter: CharterArg,
    requests: Annotated[
        str | None,
        typer.Option(
            "--requests",
            help='Meeting requests file (TOML); "demo" for the shipped demo ones, the default '
            'for the "demo" charter.',
        ),
    ] = None,
    week: Annotated[
        str | None,
        typer.Option(
            "--week", help="Monday of the first week to plan, YYYY-MM-DD (default: next Monday)."
        ),
    ] = None,
    weeks: Annotated[
        int,
        typer.Option(
            "--weeks",
            help=f"Consecutive weeks to plan (1–{MAX_WEEKS}); each sees the burden the "
            "earlier ones left.",
        ),
    ] = 1,
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
        typer.Option("--save-ledger", help="Write the ledger back with the planned weeks added."),
    ] = False,
    time_limit: Annotated[
        float,
        typer.Option(
            "--time-limit", help="Solver budget per week in deterministic seconds (about seconds)."
        ),
    ] = 10.0,
    seed: Annotated[
        int, typer.Option("--seed", help="Solver random seed (same seed, same plan).")
    ] = 0,
    workers: Annotated[
        int, typer.Option("--workers", help="Solver worker threads (fixed count, same plan).")
    ] = 1,
    processes: Annotated[
        int,
        typer.Option(
            "--processes",
            help="Processes for the week's independent groups of people (faster on several "
            "cores for a large organisation; fixed count, same plan).",
        ),
    ] = 1,
    person: Annotated[
        str | None,
        typer.Option("--person", help="Show only this person's meetings, in their local time."),
    ] = None,
    ics: Annotated[
        Path | None,
        typer.Option(
            "--ics", help="Also write the plan as an iCalendar file, one event per meeting."
        ),
    ] = None,
    as_json: JsonOpt = False,
) -> None:
    """Plan weeks of meetings on CP-SAT: hard rules kept, inconvenience shared fairly."""
    if save_ledger and ledger is None:
        raise InputError("--save-ledger needs --ledger FILE")
    if requests is None:
        if charter != DEMO:
            raise InputError(
                "--requests FILE is required: a TOML file of [meetings.<id>] tables "
                '(only the "demo" charter has default requests)'
            )
        requests = DEMO
    org = load_organisation(charter)
    meeting_requests = load_requests(requests, org)
    today = clock().now().date()
    monday = parse_day(week, "--week") if week else today + timedelta(days=7 - today.weekday())
    source = None
    if calendars is not None:
        source = person_calendars(
            org, calendars, synthetic_allowed=False, start_monday=monday, weeks=weeks
        )
    result = plan_weeks(
        org,
        meeting_requests,
        monday,
        weeks,
        calendars=source,
        ledger=read_ledger(ledger) if ledger is not None else None,
        time_limit_s=time_limit,
        seed=seed,
        workers=workers,
        processes=processes,
    )
    agenda = person_agenda(result, person) if person is not None else None
    written = _write_ics(ics, result) if ics is not None else None
    if save_ledger and ledger is not None:  # last, so a failed step above saves nothing
        write_ledger(ledger, result.ledger_after)
    if as_json:
        emit_json(agenda.to_dict() if agenda is not None else result.to_dict())
        return
    out = console()
    if agenda is not None:
        out.print(agenda_table(agenda))
        out.print(f"{agenda.person.name}'s inconvenience over these weeks: {agenda.burden:.0f}")
    else:
        _print_plan(out, result)
    if ics is not None:
        out.print(f"Wrote {written} meeting(s) to {ics}.", markup=False)
    if save_ledger:
        out.print(f"Saved the burden ledger to {ledger}.", markup=False)
