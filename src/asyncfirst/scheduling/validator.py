"""Check any week plan without a solver, and say in words what is wrong and who pays.

``validate`` takes a plan from anywhere (CP-SAT, greedy, a person's hand-written one) and
re-evaluates every placement from scratch with the start rules of ``constraints`` and the
inconvenience module: days, holidays and time off, calendars, protected focus, working
time and stretch, double booking, daily and weekly caps. Every attendee's meetings are
listed in their own local time, with a streak note when the same team has carried a
recurring meeting out of hours in earlier weeks ("third late meeting in a row for
Coding"). Fairness across zones is explained in words too: for each meeting with minutes
out of hours, whose turn it was (its zones ranked by the burden per member they carried
before this week) and what each zone took; and each zone's burden per member before and
after the week. ``zone_rotation`` counts the planner's ``zone_rotation`` term exactly as
the objective does (``constraints.rotation_prices`` with the zones standing where each
start leaves them), so the two can be compared. It
imports no solver.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any

from asyncfirst.domain.intervals import Interval
from asyncfirst.domain.model import Organisation
from asyncfirst.domain.requests import MeetingRequest
from asyncfirst.domain.worktime import local_week
from asyncfirst.scheduling.bands import PersonCost, format_minutes
from asyncfirst.scheduling.constraints import (
    COST_SCALE,
    free_in_calendar,
    never_on_day_off,
    on_allowed_day,
    out_of_hours_cost,
    protected_focus,
    rotation_prices,
    within_hours_or_stretch,
)
from asyncfirst.scheduling.inconvenience import PersonProfile, evaluate, person_profile
from asyncfirst.scheduling.ledger import BurdenLedger
from asyncfirst.scheduling.plan import Placement, Plan
from asyncfirst.scheduling.relay import city
from asyncfirst.scheduling.week_table import local_minutes

__all__ = ["ValidationReport", "Violation", "validate"]

_ORDINALS = ("first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth")


@dataclass(frozen=True, slots=True)
class Violation:
    """One broken hard rule: which rule, whose, in which meeting, in words."""

    rule: str
    person: str | None
    request: str
    text: str


@dataclass(frozen=True)
class ValidationReport:
    """Every violation, every person's meetings and inconvenience in local time, and the
    plan's ``zone_rotation`` in objective points (as the planner's objective counts it)."""

    violations: list[Violation]
    lines: list[str]
    inconvenience: dict[str, float] = field(default_factory=dict)
    zone_rotation: int = 0

    @property
    def ok(self) -> bool:
        return not self.violations

    def to_dict(self) -> dict[str, Any]:
        return {
            "ok": self.ok,
            "violations": [
                {"rule": v.rule, "person": v.person, "request": v.request, "text": v.text}
                for v in self.violations
            ],
            "lines": self.lines,
            "inconvenience": {p: round(c, 1) for p, c in self.inconvenience.items()},
            "zone_rotation": self.zone_rotation,
        }


def _ordinal(n: int) -> str:
    return _ORDINALS[n - 1] if n <= len(_ORDINALS) else f"{n}th"


class _Checker:
    def __init__(
        self,
        org: Organisation,
        requests: Mapping[str, MeetingRequest],
        week: date,
        busy: Mapping[str, Sequence[Interval]],
        ledger: BurdenLedger | None,
    ) -> None:
        self.org, self.requests, self.week, self.ledger = org, requests, week, ledger
        weeks = [local_week(week, p.schedule.tz) for p in org.people]
        self.window = Interval(min(w.start for w in weeks), max(w.end for w in weeks))
        self.busy = busy
        self.profiles: dict[str, PersonProfile] = {}
        self.violations: list[Violation] = []
        self.seen: dict[str, list[tuple[Placement, PersonCost]]] = {}
        self.zone_carried, self.zone_size = (ledger or BurdenLedger()).zone_points(org)
        self.zone_rotation = 0
        self.turns: list[str] = []

    def profile(self, person_id: str) -> PersonProfile:
        if person_id not in self.profiles:
            busy = self.busy.get(person_id, ())
            person = self.org.person(person_id)
            self.profiles[person_id] = person_profile(
                person, self.window.start, self.window.end, busy
            )
        return self.profiles[person_id]

    def fail(self, rule: str, person: str | None, request: str, text: str) -> None:
        self.violations.append(Violation(rule, person, request, text))

    def placement(self, p: Placement) -> None:
        request = self.requests.get(p.request_id)
        if request is None:
            self.fail("known_request", None, p.request_id, f'"{p.request_id}" is not a request')
            return
        if p.minutes != request.duration_minutes:
            text = f"{request.title}: lasts {p.minutes} min, not {request.duration_minutes}"
            self.fail("duration", None, request.id, text)
        required = {q.id for r in request.required for q in self.org.resolve(r)}
        optional = {q.id for r in request.optional for q in self.org.resolve(r)} - required
        for person_id in sorted(required - set(p.attendees)):
            name = self.org.person(person_id).name
            self.fail("required_present", person_id, request.id, f"{name}: required but absent")
        strict = replace(request, allow_out_of_hours=False)
        iv = Interval.of(p.start, p.end)
        seated: list[tuple[str, PersonCost]] = []
        for person_id in p.attendees:
            if person_id not in required | optional:
                self.fail("invited", person_id, request.id, f"{person_id}: not invited")
                continue
            cost = evaluate(self.profile(person_id), iv)
            is_required = person_id in required
            day_off = never_on_day_off(cost)
            rules = [
                ("days", on_allowed_day(request, cost, self.week) if is_required else None),
                ("day_off", day_off),
                ("calendar", free_in_calendar(cost)),
                ("protected_focus", protected_focus(cost)),
                # a day off already explains why the meeting is outside working time
                (
                    "hours",
                    None
                    if day_off
                    else within_hours_or_stretch(request if is_required else strict, cost),
                ),
            ]
            for rule, reason in rules:
                if reason is not None:
                    self.fail(rule, person_id, request.id, f"{reason} ({request.title})")
            self.seen.setdefault(person_id, []).append((p, cost))
            seated.append((person_id, cost))
        self.rotation(request, sorted(required | optional), required, seated)

    def rotation(
        self,
        request: MeetingRequest,
        invited: list[str],
        required: set[str],
        seated: list[tuple[str, PersonCost]],
    ) -> None:
        """Count the placement's ``zone_rotation`` (prices with each zone standing where
        this start leaves it) and say whose turn it was, in words."""
        zone_of = {person_id: self.org.person(person_id).zone for person_id in invited}
        points = {p: round(out_of_hours_cost(cost.bands) * COST_SCALE) for p, cost in seated}
        taking = {p: v for p, v in points.items() if p in required}
        price = rotation_prices(zone_of, self.zone_carried, self.zone_size, taking)
        taken: dict[str, float] = {}
        for person_id, cost in seated:
            self.zone_rotation += price[person_id] * points[person_id]
            if cost.outside_minutes:
                zone = zone_of[person_id]
                taken[zone] = taken.get(zone, 0.0) + cost.outside_minutes
        zones = sorted(set(zone_of.values()), key=lambda z: (self.per_member(z), z))
        if not taken or len(zones) < 2:
            return
        ranked = ", ".join(f"{city(z)} {self.per_member(z):.0f}" for z in zones)
        took = ", ".join(f"{city(z)} {format_minutes(m)}" for z, m in sorted(taken.items()))
        self.turns.append(
            f"Turn-taking in {request.title}: burden per member carried so far, least first "
            f"(whose turn it is): {ranked}; out of hours this week: {took}"
        )

    def per_member(self, zone: str) -> float:
        return self.zone_carried.get(zone, 0) / COST_SCALE / max(self.zone_size.get(zone, 1), 1)

    def person(self, person_id: str, meetings: list[tuple[Placement, PersonCost]]) -> None:
        who = self.org.person(person_id)
        meetings.sort(key=lambda m: m[0].start)
        for i, (a, _) in enumerate(meetings):
            for b, _ in meetings[i + 1 :]:
                if b.start >= a.end:
                    break
                text = f"{who.name}: double-booked, {a.request_id} and {b.request_id} overlap"
                self.fail("double_booking", person_id, b.request_id, text)
        per_day: dict[date, int] = {}
        for p, _ in meetings:
            for day, minutes in local_minutes(Interval.of(p.start, p.end), who.schedule.tz):
                per_day[day] = per_day.get(day, 0) + minutes
        cap = who.daily_sync_cap_minutes
        for day, minutes in sorted(per_day.items()):
            if cap is not None and minutes > cap:
                text = f"{who.name}: {minutes} min of meetings on {day:%a %d %b}, over the daily cap of {cap}"
                self.fail("daily_cap", person_id, meetings[-1][0].request_id, text)
        weekly, total = who.weekly_sync_cap_minutes, sum(per_day.values())
        if weekly is not None and total > weekly:
            text = f"{who.name}: {total} min of meetings this week, over the weekly cap of {weekly}"
            self.fail("weekly_cap", person_id, meetings[-1][0].request_id, text)

    def line(self, p: Placement, cost: PersonCost) -> str:
        who = self.org.person(cost.person_id)
        request = self.requests[p.request_id]
        end = f"{cost.local_end:%H:%M}"
        text = f"{who.name}: {cost.local_start:%a %H:%M}–{end} {city(who.zone)}, {cost.reason} ({request.title})"
        if out_of_hours_cost(cost.bands) > 0 and self.ledger is not None:
            run = self.ledger.streak(p.request_id, who.team_id) + 1
            if run >= 2:
                late = cost.gap_after is not None and (
                    cost.gap_before is None or cost.gap_after <= cost.gap_before
                )
                kind = "late" if late else "early"
                text += f"; {_ordinal(run)} {kind} meeting in a row for {self.org.team(who.team_id).name}"
        return text


def validate(
    plan: Plan,
    org: Organisation,
    requests: Sequence[MeetingRequest],
    busy: Mapping[str, Sequence[Interval]] | None = None,
    week: date | None = None,
    ledger: BurdenLedger | None = None,
) -> ValidationReport:
    """Every hard rule ``plan`` breaks, and every attendee's meetings in their local time.

    ``ledger`` holds earlier weeks (before this plan's) for the streak notes.
    """
    week = week or plan.week
    checker = _Checker(org, {r.id: r for r in requests}, week, busy or {}, ledger)
    counts: dict[str, int] = {}
    for p in plan.placements:
        counts[p.request_id] = counts.get(p.request_id, 0) + 1
        if counts[p.request_id] == 2:
            checker.fail("once_a_week", None, p.request_id, f"{p.request_id}: placed twice")
        checker.placement(p)
    lines, totals = [], {}
    for person in org.people:
        meetings = checker.seen.get(person.id, [])
        if not meetings:
            continue
        checker.person(person.id, meetings)
        lines += [checker.line(p, cost) for p, cost in meetings]
        totals[person.id] = sum(out_of_hours_cost(c.bands) for _, c in meetings)
        outside = sum(c.outside_minutes for _, c in meetings)
        if outside:
            carried = ledger.carried(person.id) if ledger else 0.0
            lines.append(
                f"  {person.name}: {format_minutes(outside)} out of hours this week, "
                f"inconvenience {totals[person.id]:.0f} (carried from earlier weeks: {carried:.0f})"
            )
    lines += checker.turns
    lines += _zone_lines(checker, org, totals)
    for u in plan.unplaced:
        lines.append(f"Not placed: {u.request_id}: {u.reason}")
    return ValidationReport(checker.violations, lines, totals, checker.zone_rotation)


def _zone_lines(checker: _Checker, org: Organisation, totals: Mapping[str, float]) -> list[str]:
    """Each zone with burden this week: its burden per member before and after it."""
    added: dict[str, float] = {}
    for person_id, total in totals.items():
        if total:
            zone = org.person(person_id).zone
            added[zone] = added.get(zone, 0.0) + total
    if not added:
        return []
    parts = []
    for zone in sorted(added, key=lambda z: (checker.per_member(z), z)):
        before = checker.per_member(zone)
        after = before + added[zone] / max(checker.zone_size.get(zone, 1), 1)
        parts.append(f"{city(zone)} {before:.0f} → {after:.0f}")
    return ["Zone burden per member (earlier weeks → with this week): " + ", ".join(parts)]
