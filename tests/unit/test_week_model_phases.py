"""The two-phase solve: phase 1 places as many occurrences as the caps allow (and proves
it), phase 2 keeps that count and minimises the cost, whose gap no longer carries the
unplaced penalty."""

from __future__ import annotations

from datetime import date

import pytest

from asyncfirst.domain.hours import WorkingHours
from asyncfirst.domain.model import AsyncBand, Organisation, Person, Team
from asyncfirst.domain.requests import MeetingRequest
from asyncfirst.scheduling.constraints import UNPLACED_WEIGHT
from asyncfirst.scheduling.greedy import greedy_choices, objective_of
from asyncfirst.scheduling.validator import validate
from asyncfirst.scheduling.week_model import choices_of, solve_week_phases
from asyncfirst.scheduling.week_table import WeekInput, build_week

MONDAY = date(2026, 11, 16)


def org() -> Organisation:
    hours = WorkingHours.office("09:00", "17:00")
    team = Team("t", "T", "Europe/Paris", hours, None, AsyncBand(0.7, 0.95))
    ana = Person("ana", "Ana", "t", "Europe/Paris", hours, None, weekly_sync_cap_minutes=120)
    others = tuple(
        Person(p, p.title(), "t", "Europe/Paris", hours, None) for p in ("ben", "lea", "mia")
    )
    return Organisation("Capped", (team,), (ana, *others))


def requests() -> tuple[MeetingRequest, ...]:
    def meeting(rid: str, minutes: int, *people: str) -> MeetingRequest:
        return MeetingRequest(rid, "review", rid, minutes, people, reason="r")

    # greedy books the long one first (fewest starts) and Ana's weekly cap is gone
    return (
        meeting("long", 120, "ana", "ben"),
        meeting("ana-lea", 60, "ana", "lea"),
        meeting("ana-mia", 60, "ana", "mia"),
    )


def week_input() -> WeekInput:
    return build_week(org(), requests(), MONDAY)


def test_phase_one_places_more_than_greedy_and_proves_it() -> None:
    week = week_input()
    hint, greedy_unplaced = greedy_choices(week)
    assert len(greedy_unplaced) == 2
    plan, phases = solve_week_phases(week, hint, time_limit_s=5)
    assert phases.placed_status == "OPTIMAL"
    assert phases.unplaced == phases.unplaced_bound == 1
    assert [u.request_id for u in plan.unplaced] == ["long"]
    assert validate(plan, org(), requests(), week=MONDAY).violations == []


def test_phase_two_gap_is_on_the_cost_alone() -> None:
    week = week_input()
    hint, _ = greedy_choices(week)
    plan, phases = solve_week_phases(week, hint, time_limit_s=5)
    assert phases.cost_status == "OPTIMAL"
    assert phases.cost_gap == 0
    assert plan.status == "OPTIMAL"
    assert plan.objective == pytest.approx(UNPLACED_WEIGHT * phases.unplaced + phases.cost)
    assert plan.objective == pytest.approx(objective_of(week, choices_of(plan, week)))
    assert plan.bound == pytest.approx(plan.objective)


def test_the_two_phases_are_deterministic_for_a_seed() -> None:
    week = week_input()
    hint, _ = greedy_choices(week)
    runs = [solve_week_phases(week, hint, time_limit_s=2, seed=3, workers=2) for _ in range(2)]
    assert runs[0][0].placements == runs[1][0].placements
    assert runs[0][1] == runs[1][1]
