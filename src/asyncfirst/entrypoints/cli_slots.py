"""``asyncfirst slots``: the fairest times for one meeting, in every attendee's local time."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta
from typing import Annotated

import typer
from rich.panel import Panel
from rich.table import Table

from asyncfirst.bootstrap import clock
from asyncfirst.entrypoints.cli_common import CharterArg, JsonOpt, console, emit_json, parse_day
from asyncfirst.scheduling.bands import PersonCost
from asyncfirst.scheduling.relay import RelayPlan, city
from asyncfirst.services.charter import load_organisation
from asyncfirst.services.slots import SlotReport, find_slots

__all__ = ["attendee_cell", "next_monday", "relay_panel", "slots_command", "slots_table"]


def next_monday(today: date) -> date:
    """The Monday after ``today`` (a week later when ``today`` is a Monday)."""
    return today + timedelta(days=7 - today.weekday())


_COMPACT_FROM = 6  # attendees; from here the city is only in the column header


def attendee_cell(cost: PersonCost, *, with_city: bool = True) -> str:
    """E.g. "Tue 17:00 Paris ✓" or "Wed 01:00 Tokyo ✗ night" (rich markup)."""
    text = f"{cost.local_start:%a %H:%M}" + (f" {city(cost.zone)}" if with_city else "")
    if cost.inside_hours:
        focus = " focus" if cost.bands.focus or cost.bands.protected_focus else ""
        return f"[green]{text} ✓[/]{focus}"
    colour = "yellow" if cost.category.value in ("stretch", "early-late") else "red"
    return f"[{colour}]{text} ✗ {cost.category.value}[/]"


def slots_table(report: SlotReport) -> Table:
    search = report.search
    title = f"{report.duration_minutes}-minute meeting, {report.horizon.start:%a %d %b %Y}"
    title += f" – {report.horizon.end - timedelta(days=1):%a %d %b %Y}: best start times"
    table = Table(title=title)
    table.add_column("#", justify="right")
    table.add_column("UTC")
    for person in report.attendees:
        table.add_column(f"{person.name} ({city(person.zone)})")
    table.add_column("cost", justify="right")
    with_city = len(report.attendees) < _COMPACT_FROM
    for rank, candidate in enumerate(search.candidates, start=1):
        table.add_row(
            str(rank),
            f"{candidate.start:%a %d %b %H:%M}",
            *(attendee_cell(a, with_city=with_city) for a in candidate.attendees),
            f"{candidate.total_cost:.0f}",
        )
    return table


def _session_lines(attendees: Sequence[PersonCost]) -> list[str]:
    """One line per zone when everyone there is inside hours, else one line per person."""
    by_zone: dict[str, list[PersonCost]] = {}
    for cost in attendees:
        by_zone.setdefault(cost.zone, []).append(cost)
    lines = []
    for costs in by_zone.values():
        if all(c.inside_hours for c in costs):
            names = ", ".join(c.name for c in costs)
            lines.append(f"{costs[0].local_label()} ✓ {names}")
        else:
            lines.extend(c.describe() for c in costs)
    return lines


def relay_panel(relay: RelayPlan) -> Panel:
    lines = []
    for n, session in enumerate(relay.sessions, start=1):
        start, end = session.interval.start, session.interval.end
        lines.append(f"{n}. [bold]{session.label}[/] — {start:%a %d %b %H:%M}–{end:%H:%M} UTC")
        lines.extend(f"   {line}" for line in _session_lines(session.attendees))
    if relay.unplaced:
        lines.append(f"No session possible for: {', '.join(relay.unplaced)}")
    lines.append(relay.recap)
    if relay.out_of_hours_minutes:
        lines.append(f"Out of hours in total: {relay.out_of_hours_minutes:.0f} attendee-minutes")
    title = f"Relay: {relay.session_count} sessions + an async recap"
    return Panel("\n".join(lines), title=title)


def slots_command(
    charter: CharterArg,
    with_: Annotated[
        list[str],
        typer.Option(
            "--with", help="An attendee: a person id or a team id (repeat the option for more)."
        ),
    ],
    duration: Annotated[
        int, typer.Option("--duration", help="Length of the meeting in minutes.")
    ] = 30,
    from_: Annotated[
        str | None,
        typer.Option(
            "--from",
            help="First day of the search, YYYY-MM-DD, from 00:00 UTC (default: next Monday).",
        ),
    ] = None,
    days: Annotated[int, typer.Option("--days", help="Number of days to search.")] = 5,
    limit: Annotated[int, typer.Option("--limit", help="How many start times to list.")] = 10,
    as_json: JsonOpt = False,
) -> None:
    """The fairest start times for one meeting, with every attendee's local time."""
    org = load_organisation(charter)
    first = parse_day(from_, "--from") if from_ else next_monday(clock().now().date())
    report = find_slots(org, with_, duration, first, days, limit=limit)
    if as_json:
        emit_json(report.to_dict())
        return
    out = console()
    out.print(slots_table(report))
    out.print(report.search.explanation)
    if report.search.relay is not None:
        out.print(relay_panel(report.search.relay))
