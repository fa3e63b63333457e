"""``asyncfirst demo``: the tour of the demo organisation."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.console import Group
from rich.panel import Panel
from rich.table import Table

from asyncfirst.bootstrap import clock
from asyncfirst.domain.model import Organisation
from asyncfirst.entrypoints.cli_common import JsonOpt, console, emit_json, new_app, parse_day
from asyncfirst.entrypoints.cli_synthetic import calendars_command
from asyncfirst.entrypoints.cli_time import overlap_table
from asyncfirst.scheduling.relay import city
from asyncfirst.services.allhands import AllHands, all_hands_options
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


demo_app = new_app(
    "demo", "The demo organisation: the tour, and realistic calendars to try things on."
)
demo_app.info.no_args_is_help = False


@demo_app.callback(invoke_without_command=True)
def demo_command(
    ctx: typer.Context,
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
    if ctx.invoked_subcommand is not None:
        return
    org = load_organisation(charter)
    monday = parse_day(week, "--week") if week else monday_of(clock().now().date())
    tour = build_tour(org, monday)
    options = all_hands_options(org, monday)
    if as_json:
        emit_json({**tour.to_dict(), "all_hands": options.to_dict()})
        return
    out = console()
    out.print(_teams_table(tour))
    out.print(_clock_table(tour))
    out.print(overlap_table(tour.overlap))
    out.print(Panel("\n".join(f"• {line}" for line in tour.findings), title="What this means"))
    out.print(_all_hands_panel(org, options))


def _all_hands_panel(org: Organisation, options: AllHands) -> Panel:
    zones = [(t.id, t.name, t.schedule.tz) for t in org.teams]
    table = Table(
        title=f"Rotation over {len(options.rotation)} weeks: the out-of-hours turn spread "
        "fairly across zones"
    )
    table.add_column("week")
    for _, name, _ in zones:
        table.add_column(name)
    table.add_column("out of hours per member (min)")
    for week, slot in enumerate(options.rotation, start=1):
        cells = [f"{slot.candidate.start.astimezone(tz):%a %H:%M}" for _, _, tz in zones]
        burden = ", ".join(f"{org.team(t).name} {m:g}" for t, m in slot.burden.items() if m)
        table.add_row(str(week), *cells, burden)
    lines = [
        "Over one rotation, minutes out of hours per member: "
        + ", ".join(f"{org.team(t).name} {m:g}" for t, m in options.rotation_burden.items())
        + "; always at the cheapest slot instead: "
        + ", ".join(f"{org.team(t).name} {m:g}" for t, m in options.fixed_burden.items())
        + "."
    ]
    fair, naive = options.series.rotation, options.series.baseline
    lines.append(
        f"Worst-off zone: {fair.worst_zone.city}, weighted cost {fair.worst_zone.cost_per_member:.0f} "
        f"per member, against {naive.worst_zone.city} at {naive.worst_zone.cost_per_member:.0f} "
        f"at the cheapest slot; spread between zones {fair.spread:.0f} vs {naive.spread:.0f}."
    )
    if options.relay:
        sessions = "; ".join(
            f"{s.label} at "
            + " = ".join(sorted({f"{a.local_start:%a %H:%M} {city(a.zone)}" for a in s.attendees}))
            for s in options.relay.sessions
        )
        lines.append(
            f"Relay: {options.relay.session_count} regional sessions, "
            f"{options.relay.out_of_hours_minutes:g} min out of hours — {sessions}. "
            + options.relay.recap
        )
    dues = ", ".join(f"{org.team(d.team).name} by {d.due:%a %H:%M}" for d in options.async_dues)
    lines.append(
        f"Async: a recorded briefing posted {options.briefing_at:%a %H:%M} "
        f"({options.briefing_at.tzname()}) with written Q&A, 0 min out of hours; answers due "
        f"in each team's own working time: {dues}."
    )
    lines.append(
        "Go async when nothing needs a live conversation (updates, alignment); relay when a "
        "live conversation is needed but regional groups will do; rotate when everyone must "
        "be live together (decisions, kick-offs, workshops). This rotation is picked greedily "
        "week by week; asyncfirst series --kind solves it exactly with CP-SAT."
    )
    return Panel(
        Group(table, *lines),
        title=f"All-hands options ({options.duration_minutes} min, {options.people} people)",
    )


demo_app.command("calendars")(calendars_command)
