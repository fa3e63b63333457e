"""``asyncfirst route``: parse the options, call ``route_work``, show the recommendation.

Registered in ``cli.py`` with ``app.command("route")(route_command)``.
"""

from __future__ import annotations

import json
from typing import Annotated

import typer
from rich.console import Console
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from asyncfirst.domain.errors import InputError
from asyncfirst.domain.routing import Mode, RouterPolicy, Urgency, WorkKind
from asyncfirst.services.charter import load_organisation
from asyncfirst.services.routing import RouteResult, route_work

__all__ = ["render_route", "route_command", "run_route"]

_KINDS = ", ".join(kind.value for kind in WorkKind)
_MODE_STYLE = {Mode.ASYNC: "bold green", Mode.HYBRID: "bold yellow", Mode.SYNC: "bold magenta"}


def route_command(
    text: Annotated[
        str | None,
        typer.Argument(
            help="The work in your own words, e.g. 'can we hop on a call to debug the outage?'. "
            "Its kind, urgency and sensitivity are guessed, with the confidence shown.",
            metavar="TEXT",
            show_default=False,
        ),
    ] = None,
    kind: Annotated[
        str | None,
        typer.Option(
            "--kind",
            "-k",
            help=f"The kind of work, instead of or over the guess from TEXT: {_KINDS}.",
            show_default=False,
        ),
    ] = None,
    urgency: Annotated[
        Urgency | None,
        typer.Option(
            "--urgency",
            "-u",
            case_sensitive=False,
            help="How urgent it is; by default read from TEXT, else normal.",
            show_default=False,
        ),
    ] = None,
    people: Annotated[
        int,
        typer.Option("--people", "-p", min=1, help="How many people take part."),
    ] = 2,
    sensitive: Annotated[
        bool,
        typer.Option("--sensitive", help="The work is emotionally sensitive (escalates to sync)."),
    ] = False,
    critical: Annotated[
        bool,
        typer.Option("--critical", help="The work is business-critical (with high urgency: sync)."),
    ] = False,
    rounds: Annotated[
        int,
        typer.Option(
            "--rounds",
            "-r",
            min=0,
            help="How many async rounds it has already taken (too many escalates to sync).",
        ),
    ] = 0,
    charter: Annotated[
        str | None,
        typer.Option("--charter", help='Charter whose team rules apply (a path, or "demo").'),
    ] = None,
    team: Annotated[
        str | None,
        typer.Option("--team", help="The team (with --charter) whose router rules apply."),
    ] = None,
    as_json: Annotated[
        bool,
        typer.Option("--json", help="Print the recommendation as JSON instead of a panel."),
    ] = False,
) -> None:
    """Recommend async, sync or hybrid (async pre-read + short sync) for a piece of work."""
    result = run_route(
        text,
        kind=kind,
        urgency=urgency.value if urgency is not None else None,
        people=people,
        sensitive=sensitive,
        critical=critical,
        rounds=rounds,
        policy=team_policy(charter, team),
    )
    if as_json:
        typer.echo(json.dumps(result.to_dict(), indent=2, ensure_ascii=False))
    else:
        Console(highlight=False).print(render_route(result))


def team_policy(charter: str | None, team: str | None) -> RouterPolicy | None:
    """The router rules of ``team`` in ``charter``; the product defaults without them."""
    if charter is None and team is None:
        return None
    if charter is None or team is None:
        raise InputError("--charter and --team go together: give both, or neither")
    return load_organisation(charter).team(team).router


def run_route(
    text: str | None,
    *,
    kind: str | None,
    urgency: str | None,
    people: int,
    sensitive: bool,
    critical: bool,
    rounds: int,
    policy: RouterPolicy | None,
) -> RouteResult:
    """Call the use case; the seam where a policy loaded from a charter comes in."""
    return route_work(
        text,
        kind=kind,
        urgency=urgency,
        people=people,
        sensitive=sensitive,
        critical=critical,
        rounds=rounds,
        policy=policy,
    )


def render_route(result: RouteResult) -> Panel:
    """A panel with the mode, the deciding rule, the reasons and what the text gave."""
    rec, item = result.recommendation, result.item
    table = Table.grid(padding=(0, 2))
    table.add_column(style="bold", no_wrap=True)
    table.add_column()
    mode = Text(rec.mode.value.upper(), style=_MODE_STYLE[rec.mode])
    if rec.optional:
        mode.append(" (optional)", style="dim")
    table.add_row("mode", mode)
    table.add_row("rule", rec.rule)
    kind = rec.kind.value if rec.confidence is None else f"{rec.kind} ({rec.confidence:.0%} sure)"
    table.add_row("kind", kind)
    facts = (
        f"urgency {item.urgency}, {item.people} people, {item.sensitivity}, "
        f"{item.async_rounds} async rounds{', critical' if item.critical else ''}"
    )
    table.add_row("facts", facts)
    table.add_row("why", "\n".join(f"• {reason}" for reason in rec.reasons))
    guess = result.classification
    if guess is not None:
        matched = ", ".join(f'"{p}"' for p in guess.matched) or "nothing"
        table.add_row("matched", matched)
        table.add_row("method", guess.explanation)
    return Panel(table, title=f"route: {rec.mode}", expand=False)
