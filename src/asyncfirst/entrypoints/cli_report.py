"""``asyncfirst report``: the balance and reflection report in the terminal, JSON, Markdown or HTML."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import timedelta
from pathlib import Path
from typing import Annotated

import typer
from rich.progress import Progress
from rich.table import Table

from asyncfirst.analytics.privacy import PrivacyPolicy
from asyncfirst.bootstrap import clock, person_calendars
from asyncfirst.domain.errors import InputError
from asyncfirst.entrypoints.cli_common import CharterArg, JsonOpt, console, emit_json, parse_day
from asyncfirst.entrypoints.report.html import to_html
from asyncfirst.entrypoints.report.markdown import to_markdown
from asyncfirst.entrypoints.report.view import headline, pct, pulse_rows, team_rows
from asyncfirst.services.balance import BalanceReport, balance_report, report_weeks
from asyncfirst.services.charter import DEMO, load_organisation
from asyncfirst.services.overlap import monday_of
from asyncfirst.services.pulse_views import PulseResults

_PROGRESS_FROM = 50  # people; smaller reports finish before a bar would help


def _print(report: BalanceReport, pulses: Mapping[str, PulseResults]) -> None:
    out = console()
    out.print(headline(report))
    for section in report.teams:
        table = Table(title=f"{section.team.name} ({section.team.zone})", show_header=False)
        table.add_column("")
        table.add_column("")
        for label, value in team_rows(section):
            table.add_row(label, value)
        weekly = ", ".join(
            f"{m:%d %b} {pct(w.value) if w.released else 'withheld'}"
            for m, w in zip(report.mondays, section.weekly, strict=True)
        )
        table.add_row("weekly async share", weekly)
        for label, value in pulse_rows(pulses.get(section.team.id)):
            table.add_row(label, value)
        out.print(table)
        for rec in section.recommendations:
            out.print(f"  → {rec.text}")
    if report.person:
        own = report.person
        table = Table(title=f"Your own numbers — {own.person.name} (only you see this)")
        for column in (
            "week",
            "async",
            "sync h",
            "after-hours h",
            "focus h",
            "fragmented h",
            "meetings",
        ):
            table.add_column(column, justify="right")
        for w in own.weeks:
            table.add_row(
                f"{w.monday:%d %b}",
                pct(w.async_share),
                f"{w.sync_minutes / 60:.1f}",
                f"{w.after_hours_sync_minutes / 60:.1f}",
                f"{w.focus_minutes / 60:.1f}",
                f"{w.fragmented_minutes / 60:.1f}",
                str(w.meeting_count),
            )
        out.print(table)
        for signal in own.signals:
            out.print(f"  ! {signal.message}")
        for rec in own.recommendations:
            out.print(f"  → {rec.text}")


def report_command(
    charter: CharterArg,
    calendars: Annotated[
        Path | None,
        typer.Option(
            "--calendars",
            help='Folder of <person id>.ics (or <email>.ics) files; for "demo", generated ones when omitted.',
        ),
    ] = None,
    start: Annotated[
        str | None,
        typer.Option("--from", help="First day, YYYY-MM-DD (default: four weeks ago)."),
    ] = None,
    end: Annotated[
        str | None,
        typer.Option("--to", help="Day after the last, YYYY-MM-DD (default: this week's Monday)."),
    ] = None,
    person: Annotated[
        str | None,
        typer.Option("--person", help="Your person id: adds your own numbers (only yours)."),
    ] = None,
    min_group: Annotated[
        int,
        typer.Option("--min-group", help="Show team numbers only over this many people (≥ 3)."),
    ] = 5,
    focus_minutes: Annotated[
        int,
        typer.Option("--focus-minutes", help="Shortest free stretch that counts as focus time."),
    ] = 120,
    workers: Annotated[
        int | None,
        typer.Option(
            "--workers",
            help="Processes reading calendars (default: one per CPU from 100 people on; 1 = in-process).",
        ),
    ] = None,
    with_pulses: Annotated[
        bool,
        typer.Option(
            "--with-pulses",
            help="Add each team's latest reflection pulse (counts over enough people) from the "
            "hub's database (ASYNCFIRST_DATABASE_URL, else the local one).",
        ),
    ] = False,
    as_json: JsonOpt = False,
    markdown: Annotated[bool, typer.Option("--markdown", help="Print Markdown.")] = False,
    html: Annotated[
        Path | None,
        typer.Option("--html", help="Write a self-contained HTML report with charts to this file."),
    ] = None,
) -> None:
    """The balance report: async share against the band, focus, after-hours, signals, advice."""
    policy = PrivacyPolicy(min_group)
    if not 30 <= focus_minutes <= 480:
        raise InputError(f"--focus-minutes must be between 30 and 480, got {focus_minutes}")
    org = load_organisation(charter)
    this_monday = monday_of(clock().now().date())
    first = parse_day(start, "--from") if start else this_monday - timedelta(weeks=4)
    last = parse_day(end, "--to") if end else this_monday
    monday, weeks = report_weeks(first, last)
    source = person_calendars(
        org, calendars, synthetic_allowed=charter == DEMO, start_monday=monday, weeks=weeks
    )
    with Progress(
        console=console(), transient=True, disable=len(org.people) < _PROGRESS_FROM
    ) as bar:
        task = bar.add_task("reading calendars", total=len(org.people))
        report = balance_report(
            org,
            source,
            first,
            last,
            person_id=person,
            policy=policy,
            focus_min=focus_minutes,
            workers=workers,
            progress=lambda done, _total: bar.update(task, completed=done),
        )
    pulses: Mapping[str, PulseResults] = {}
    if with_pulses:
        from asyncfirst.bootstrap_api import report_pulses

        pulses = report_pulses(org, policy)
    if html is not None:
        html.write_text(to_html(report, pulses), encoding="utf-8")
        typer.echo(f"wrote {html}")
    if as_json:
        data = report.to_dict()
        if with_pulses:
            data["pulses"] = {team: p.to_dict() for team, p in pulses.items()}
        emit_json(data)
    elif markdown:
        typer.echo(to_markdown(report, pulses), nl=False)
    elif html is None:
        _print(report, pulses)
