"""Use case: plan a week of meetings for the organisation, fairly across zones and weeks.

``plan_week`` builds the candidate table, a greedy plan, then the CP-SAT plan warm-started
from it, validates the result without the solver and returns the burden ledger with this
week added. ``plan_weeks`` plans consecutive weeks, each one seeing the burden the earlier
ones left, so the out-of-hours turns rotate. ``load_requests`` and
``read_ledger``/``write_ledger`` are the file edges.
"""

from __future__ import annotations

import json
import tomllib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from importlib import resources
from pathlib import Path
from typing import Any

from asyncfirst.domain.calendar import busy_intervals
from asyncfirst.domain.errors import InputError
from asyncfirst.domain.intervals import Interval
from asyncfirst.domain.model import Organisation
from asyncfirst.domain.requests import MeetingRequest, RequestsError, requests_from_mapping
from asyncfirst.scheduling.greedy import greedy_choices, greedy_plan
from asyncfirst.scheduling.ledger import BurdenLedger
from asyncfirst.scheduling.plan import Plan
from asyncfirst.scheduling.validator import ValidationReport, validate
from asyncfirst.scheduling.week_model import solve_week
from asyncfirst.scheduling.week_table import WeekInput, build_week
from asyncfirst.services.balance import PersonCalendars

__all__ = [
    "DEMO",
    "MAX_WEEKS",
    "PlanReport",
    "WeeksPlan",
    "busy_from_calendars",
    "load_requests",
    "plan_week",
    "plan_weeks",
    "read_ledger",
    "write_ledger",
]

DEMO = "demo"
MAX_TIME_LIMIT_S = 600.0
MAX_WORKERS = 64
MAX_WEEKS = 26


@dataclass(frozen=True)
class PlanReport:
    """The week's plan, its validation, the greedy plan it started from, and the ledger
    with this week added."""

    week: WeekInput
    plan: Plan
    greedy: Plan
    validation: ValidationReport
    ledger_after: BurdenLedger

    def to_dict(self) -> dict[str, Any]:
        titles = {t.request.id: t.request for t in self.week.tables}
        return {
            "week": self.week.week.isoformat(),
            "plan": self.plan.to_dict(),
            "requests": {
                rid: {"title": r.title, "kind": r.kind, "reason": r.reason, "agenda": r.agenda}
                for rid, r in titles.items()
            },
            "not_this_week": list(self.week.idle),
            "greedy": {"objective": self.greedy.objective, "unplaced": len(self.greedy.unplaced)},
            "validation": self.validation.to_dict(),
            "ledger": self.ledger_after.to_dict(),
        }


def load_requests(source: str | Path, org: Organisation) -> tuple[MeetingRequest, ...]:
    """The meeting requests of a TOML file, or the shipped demo ones for "demo"."""
    if str(source) == DEMO:
        name = "requests-demo.toml"
        text = resources.files("asyncfirst.data").joinpath(name).read_text("utf-8")
    else:
        path = Path(source)
        name = path.name
        try:
            text = path.read_text("utf-8")
        except FileNotFoundError:
            raise RequestsError(f"{source}: no such file", path=str(source)) from None
        except (OSError, UnicodeDecodeError) as exc:
            raise RequestsError(f"{source}: cannot be read ({exc})", path=str(source)) from exc
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise RequestsError(f"{name}: not valid TOML: {exc}") from exc
    return requests_from_mapping(data, name, org)


def read_ledger(path: Path) -> BurdenLedger:
    """The burden ledger in ``path``; an empty one when the file does not exist yet."""
    if not path.exists():
        return BurdenLedger()
    try:
        return BurdenLedger.from_dict(json.loads(path.read_text("utf-8")))
    except (ValueError, OSError) as exc:
        raise InputError(f"{path}: not a burden ledger ({exc})", path=str(path)) from exc


def write_ledger(path: Path, ledger: BurdenLedger) -> Path:
    path.write_text(json.dumps(ledger.to_dict(), indent=2, ensure_ascii=False) + "\n", "utf-8")
    return path


def busy_from_calendars(
    org: Organisation, calendars: PersonCalendars, week: date
) -> dict[str, list[Interval]]:
    """Each person's busy time around the week, from their imported calendar."""
    from asyncfirst.domain.worktime import local_week

    spans = [local_week(week, p.schedule.tz) for p in org.people]
    start = min(s.start for s in spans) - timedelta(days=1)
    end = max(s.end for s in spans) + timedelta(days=1)
    busy: dict[str, list[Interval]] = {}
    for person in org.people:
        found = calendars.for_person(person, start, end)
        if found is not None:
            busy[person.id] = busy_intervals(found.occurrences)
    return busy


def plan_week(
    org: Organisation,
    requests: Sequence[MeetingRequest],
    week_monday: date,
    *,
    busy: Mapping[str, Sequence[Interval]] | None = None,
    ledger: BurdenLedger | None = None,
    time_limit_s: float = 10.0,
    seed: int = 0,
    workers: int = 1,
    processes: int = 1,
) -> PlanReport:
    """Plan the week of ``week_monday`` (a Monday) for ``requests``.

    ``busy`` maps person ids to busy intervals from their calendars; ``ledger`` carries
    earlier weeks' inconvenience so that fairness is judged across weeks. The result is
    deterministic for fixed inputs, ``seed`` and ``workers`` (``time_limit_s`` is the
    solver's deterministic-time budget, roughly seconds). ``processes`` > 1 solves the
    week's independent groups of people in that many processes, each with a fixed share
    of the budget (``solve_week_phases``): faster on several cores when there are several
    groups, and deterministic for a fixed ``processes`` too.
    """
    if week_monday.weekday() != 0:
        raise InputError(f"{week_monday.isoformat()} is a {week_monday:%A}; give a Monday")
    if not 0 < time_limit_s <= MAX_TIME_LIMIT_S:
        raise InputError(f"the time limit must be between 0 and {MAX_TIME_LIMIT_S:g} s")
    if not 1 <= workers <= MAX_WORKERS:
        raise InputError(f"workers must be between 1 and {MAX_WORKERS}, got {workers}")
    if not 1 <= processes <= MAX_WORKERS:
        raise InputError(f"processes must be between 1 and {MAX_WORKERS}, got {processes}")
    ledger = ledger or BurdenLedger()
    if week_monday.isoformat() in ledger.weeks:
        raise InputError(f"the burden ledger already holds the week of {week_monday.isoformat()}")
    week = build_week(org, requests, week_monday, busy=busy, ledger=ledger)
    greedy = greedy_plan(week)
    hint, _ = greedy_choices(week)
    plan = solve_week(
        week, hint, time_limit_s=time_limit_s, seed=seed, workers=workers, processes=processes
    )
    validation = validate(plan, org, requests, busy, week_monday, ledger)
    return PlanReport(week, plan, greedy, validation, ledger.updated(plan, org))


@dataclass(frozen=True)
class WeeksPlan:
    """Consecutive weeks planned in order, and the ledger after the last of them."""

    reports: tuple[PlanReport, ...]
    ledger_before: BurdenLedger

    @property
    def ledger_after(self) -> BurdenLedger:
        return self.reports[-1].ledger_after

    @property
    def requests(self) -> tuple[MeetingRequest, ...]:
        """Every request with an occurrence in at least one of the weeks, once each."""
        found = {t.request.id: t.request for r in self.reports for t in r.week.tables}
        return tuple(found.values())

    def zone_burden(self) -> dict[str, float]:
        """Inconvenience each zone took on over these weeks (the ledger's growth)."""
        before, after = self.ledger_before.zone, self.ledger_after.zone
        return {z: round(after[z] - before.get(z, 0.0), 2) for z in after}

    def to_dict(self) -> dict[str, Any]:
        """The JSON shape of ``asyncfirst plan --json``: one ``PlanReport`` per week (each
        with the ledger after it) and the ledger after the last week."""
        return {
            "weeks": [report.to_dict() for report in self.reports],
            "zone_burden": self.zone_burden(),
            "ledger": self.ledger_after.to_dict(),
        }


def plan_weeks(
    org: Organisation,
    requests: Sequence[MeetingRequest],
    first_monday: date,
    weeks: int = 1,
    *,
    calendars: PersonCalendars | None = None,
    ledger: BurdenLedger | None = None,
    time_limit_s: float = 10.0,
    seed: int = 0,
    workers: int = 1,
    processes: int = 1,
) -> WeeksPlan:
    """Plan ``weeks`` consecutive weeks from Monday ``first_monday``, one after the other.

    Each week is planned with ``plan_week`` on the ledger the week before left, so who
    carried the late slot last week counts this week; the ledger is carried in memory
    (the caller decides whether to save ``ledger_after``). ``calendars`` gives each
    week's busy time; the solver settings apply to every week.
    """
    if not 1 <= weeks <= MAX_WEEKS:
        raise InputError(f"--weeks must be between 1 and {MAX_WEEKS}, got {weeks}", weeks=weeks)
    start = ledger or BurdenLedger()
    current = start
    reports: list[PlanReport] = []
    for n in range(weeks):
        monday = first_monday + timedelta(weeks=n)
        busy = busy_from_calendars(org, calendars, monday) if calendars is not None else None
        report = plan_week(
            org,
            requests,
            monday,
            busy=busy,
            ledger=current,
            time_limit_s=time_limit_s,
            seed=seed,
            workers=workers,
            processes=processes,
        )
        reports.append(report)
        current = report.ledger_after
    return WeeksPlan(tuple(reports), start)
