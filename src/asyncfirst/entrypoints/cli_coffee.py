"""``asyncfirst coffee``: this week's opt-in coffee pairs, with a time in everyone's zone."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from asyncfirst.bootstrap import clock
from asyncfirst.domain.errors import InputError
from asyncfirst.entrypoints.cli_common import CharterArg, JsonOpt, console, emit_json, parse_day
from asyncfirst.scheduling.relay import city
from asyncfirst.services.charter import load_organisation
from asyncfirst.services.coffee import CoffeeGroup, CoffeeRound, coffee_round, load_history
from asyncfirst.services.coffee import save_history as write_history

__all__ = ["coffee_command", "coffee_table", "this_monday"]


def this_monday(today: date) -> date:
    """The Monday of ``today``'s week (``today`` itself on a Monday)."""
    return today - timedelta(days=today.weekday())


def _member_time(group: CoffeeGroup, person_id: str) -> str:
    if group.slot is None:
        return "[red]no time found[/]"
    cost = next(a for a in group.slot.attendees if a.person_id == person_id)
    text = f"{cost.local_start:%a %H:%M}–{cost.local_end:%H:%M} {city(cost.zone)}"
    return f"[green]{text} ✓[/]" if cost.inside_hours else f"[yellow]{text} (stretch)[/]"


def coffee_table(result: CoffeeRound) -> Table:
    """One row per member: their local time of the group's slot and why the group was made."""
    table = Table(title=f"Coffee pairs, week of {result.week_monday:%a %d %b %Y}")
    table.add_column("#", justify="right")
    table.add_column("member")
    table.add_column("team")
    table.add_column("local time")
    table.add_column("why together")
    for number, group in enumerate(result.groups, start=1):
        why = "\n".join(group.reasons + ((group.slot_note,) if group.slot_note else ()))
        for k, person in enumerate(group.members):
            table.add_row(
                str(number) if k == 0 else "",
                f"{person.name} ({city(person.zone)})",
                person.team_id,
                _member_time(group, person.id),
                why if k == 0 else "",
                end_section=k == len(group.members) - 1,
            )
    return table


def coffee_command(
    charter: CharterArg,
    week: Annotated[
        str | None,
        typer.Option(
            "--week", help="Monday of the week to pair, YYYY-MM-DD (default: this week's Monday)."
        ),
    ] = None,
    history: Annotated[
        Path | None,
        typer.Option(
            "--history",
            help="JSON file of past rounds; read if it exists, so recent pairs are avoided.",
        ),
    ] = None,
    save: Annotated[
        bool, typer.Option("--save", help="Append this round to the --history file.")
    ] = False,
    avoid_rounds: Annotated[
        int,
        typer.Option("--avoid-rounds", help="Do not repeat a pair from this many recent rounds."),
    ] = 4,
    isolated: Annotated[
        list[str] | None,
        typer.Option(
            "--isolated",
            help="A person id at risk of isolation, matched first (repeat for more).",
        ),
    ] = None,
    as_json: JsonOpt = False,
) -> None:
    """Pair the people who opted in to coffee, across teams, with a time in each one's zone."""
    if save and history is None:
        raise InputError("--save needs --history FILE to append the round to")
    org = load_organisation(charter)
    monday = parse_day(week, "--week") if week else this_monday(clock().now().date())
    rounds = load_history(history) if history is not None else []
    result = coffee_round(
        org,
        monday,
        history=rounds,
        isolated=frozenset(isolated or ()),
        avoid_rounds=avoid_rounds,
    )
    if save and history is not None:
        write_history(history, [*rounds, result.history_entry()])
    if as_json:
        emit_json(result.to_dict())
        return
    out = console()
    out.print(coffee_table(result))
    for person, reason in result.unpaired:
        out.print(f"[bold]Unpaired:[/] {person.name} ({city(person.zone)}): {reason}")
    if result.opted_out:
        out.print(f"Not opted in: {', '.join(p.name for p in result.opted_out)}")
    if save:
        out.print(f"Saved this round to {history}.")
