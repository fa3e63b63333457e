"""``asyncfirst series``: a recurring meeting with no common hour — rotate, relay or go async."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.panel import Panel
from rich.table import Table

from asyncfirst.bootstrap import clock
from asyncfirst.entrypoints.cli_common import CharterArg, JsonOpt, console, emit_json, parse_day
from asyncfirst.entrypoints.cli_slots import next_monday, relay_panel
from asyncfirst.scheduling.relay import city
from asyncfirst.scheduling.series_options import KIND_NEEDS, Format
from asyncfirst.scheduling.series_totals import SeriesSlot, SeriesTotals
from asyncfirst.services.charter import load_organisation
from asyncfirst.services.series import SeriesReport, plan_series

__all__ = ["occurrence_table", "series_command", "zone_totals_table"]


def _first_name(name: str) -> str:
    return name.split()[0] if name.strip() else name


def _zone_cell(slot: SeriesSlot, zone: str) -> str:
    costs = [c for c in slot.attendees if c.zone == zone]
    text = f"{costs[0].local_start:%a %d %b %H:%M}"
    late = [_first_name(c.name) for c in slot.out_of_hours if c.zone == zone]
    missing = [f"{_first_name(c.name)} ({c.blocked})" for c in slot.missing if c.zone == zone]
    lines = [f"[red]{text} ✗ {', '.join(late)}[/]" if late else f"[green]{text} ✓[/]"]
    if missing:
        lines.append(f"[dim]missing: {', '.join(missing)}[/]")
    return "\n".join(lines)


def occurrence_table(report: SeriesReport) -> Table:
    """One row per occurrence: each zone's local time and who there is out of hours."""
    rotation = report.options.rotation.rotation
    table = Table(
        title=f"Rotation: {len(rotation.slots)} weekly occurrences of "
        f"{report.duration_minutes} min (✗ = out of hours)"
    )
    table.add_column("#", justify="right")
    table.add_column("UTC")
    for zone in report.zones:
        table.add_column(city(zone))
    for n, slot in enumerate(rotation.slots, start=1):
        cells = [_zone_cell(slot, zone) for zone in report.zones]
        table.add_row(str(n), f"{slot.interval.start:%a %d %b %H:%M}", *cells)
    return table


def _totals_cells(totals: SeriesTotals, zone: str) -> list[str]:
    z = next(t for t in totals.zones if t.zone == zone)
    return [f"{z.minutes_per_member:.0f}", f"{z.cost_per_member:.0f}", str(z.burdened)]


def zone_totals_table(report: SeriesReport) -> Table:
    """Per zone, out-of-hours minutes and cost per member: the rotation against the baseline."""
    rotation, baseline = report.options.rotation.rotation, report.options.rotation.baseline
    table = Table(title="Out of hours per zone over the series: fair rotation vs cheapest slot")
    table.add_column("zone")
    table.add_column("members", justify="right")
    for label in ("rotation", "baseline"):
        table.add_column(f"{label} min/member", justify="right")
        table.add_column(f"{label} cost/member", justify="right")
        table.add_column(f"{label} weeks hit", justify="right")
    for zone in report.zones:
        members = sum(p.zone == zone for p in report.attendees)
        table.add_row(
            zone,
            str(members),
            *_totals_cells(rotation, zone),
            *_totals_cells(baseline, zone),
        )
    return table


def _fairness_line(label: str, totals: SeriesTotals) -> str:
    worst = totals.worst_person
    return (
        f"{label}: worst-off person {worst.name} ({city(worst.zone)}) "
        f"{worst.out_of_hours_minutes:.0f} min, cost {worst.cost:.0f}; spread between zones "
        f"{totals.spread:.0f} (cost per member), coefficient of variation "
        f"{totals.coefficient_of_variation:.2f}."
    )


def _formats_panel(report: SeriesReport) -> Panel:
    options = report.options
    costs, reasons = options.costs(), options.reasons()
    lines = []
    for fmt in Format:
        star = "★ " if fmt is options.recommended else "  "
        lines.append(
            f"{star}[bold]{fmt.value}[/] — {costs[fmt]:.0f} attendee-minutes out of hours. "
            f"{reasons[fmt]}"
        )
    lines.append(f"Recommended: [bold]{options.recommended.value}[/]. {options.recommendation}")
    return Panel("\n".join(lines), title=f'Formats for a weekly "{options.kind}"')


def series_command(
    charter: CharterArg,
    with_: Annotated[
        list[str],
        typer.Option(
            "--with", help="An attendee: a person id or a team id (repeat the option for more)."
        ),
    ],
    duration: Annotated[
        int, typer.Option("--duration", help="Length of each occurrence in minutes (1–240).")
    ] = 60,
    from_: Annotated[
        str | None,
        typer.Option(
            "--from",
            help="Monday of the first occurrence's week, YYYY-MM-DD (default: next Monday).",
        ),
    ] = None,
    occurrences: Annotated[
        int, typer.Option("--occurrences", help="Number of weekly occurrences (1–26).")
    ] = 6,
    kind: Annotated[
        str,
        typer.Option(
            "--kind",
            help="What the meeting is for; decides the recommended format. One of: "
            + ", ".join(KIND_NEEDS)
            + ".",
        ),
    ] = "alignment",
    same_weekday: Annotated[
        bool,
        typer.Option("--same-weekday", help="Keep every occurrence on the same weekday (UTC)."),
    ] = False,
    as_json: JsonOpt = False,
) -> None:
    """A weekly meeting across zones: a fair rotation, a relay, or async — with their costs."""
    org = load_organisation(charter)
    first = parse_day(from_, "--from") if from_ else next_monday(clock().now().date())
    report = plan_series(org, with_, duration, first, occurrences, kind, same_weekday=same_weekday)
    if as_json:
        emit_json(report.to_dict())
        return
    out = console()
    rotation = report.options.rotation
    out.print(occurrence_table(report))
    out.print(zone_totals_table(report))
    out.print(_fairness_line("Rotation", rotation.rotation))
    out.print(_fairness_line("Baseline (cheapest slot every week)", rotation.baseline))
    first_relay = report.options.relay.plans[0][1]
    if first_relay.sessions:
        out.print(relay_panel(first_relay))
    out.print(_formats_panel(report))
