"""The week planner split into groups of attendees: the objective and bound add up, the
greedy start is always kept as a fallback, and double booking needs only maximal cliques."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from ortools.sat.python import cp_model

from asyncfirst.domain.hours import WorkingHours
from asyncfirst.domain.model import AsyncBand, Organisation, Person, Team
from asyncfirst.domain.requests import MeetingRequest
from asyncfirst.scheduling.constraints import Seat, no_double_booking
from asyncfirst.scheduling.greedy import greedy_choices, objective_of
from asyncfirst.scheduling.ledger import BurdenLedger
from asyncfirst.scheduling.validator import validate
from asyncfirst.scheduling.week_model import choices_of, solve_week
from asyncfirst.scheduling.week_table import WeekInput, build_week

MONDAY = date(2026, 11, 16)
ZONES = {
    "ana": "Europe/Paris",
    "ben": "America/New_York",
    "kai": "Asia/Tokyo",
    "lea": "Europe/Paris",
}


def org() -> Organisation:
    team = Team("t", "T", "Europe/Paris", WorkingHours.office("09:00", "17:00"), None,
                AsyncBand(0.7, 0.95))  # fmt: skip
    people = tuple(
        Person(p, p.title(), "t", zone, WorkingHours.office("09:00", "17:00"), None)
        for p, zone in ZONES.items()
    )
    return Organisation("Two groups", (team,), people)


def requests() -> tuple[MeetingRequest, ...]:
    def meeting(rid: str, *people: str, out: bool = False) -> MeetingRequest:
        return MeetingRequest(rid, "review", rid, 60, people, reason="r", allow_out_of_hours=out)

    return (
        meeting("ana-ben", "ana", "ben"),
        meeting("ana-ben-2", "ana", "ben"),
        meeting("kai-lea", "kai", "lea", out=True),
        meeting("kai-lea-2", "kai", "lea", out=True),
    )


def week_input() -> WeekInput:
    ledger = BurdenLedger(person={"kai": 300.0, "lea": 20.0}, zone={"Asia/Tokyo": 300.0})
    return build_week(org(), requests(), MONDAY, ledger=ledger)


def test_objective_and_bound_add_up_over_the_groups() -> None:
    week = week_input()
    hint, _ = greedy_choices(week)
    plan = solve_week(week, hint, time_limit_s=2)
    assert plan.components == 2
    assert plan.status == "OPTIMAL"
    assert objective_of(week, choices_of(plan, week)) == pytest.approx(plan.objective)
    assert plan.bound <= plan.objective <= objective_of(week, hint)
    assert validate(plan, org(), requests(), week=MONDAY).violations == []


def test_a_group_without_time_keeps_its_greedy_start() -> None:
    week = week_input()
    hint, _ = greedy_choices(week)
    plan = solve_week(week, hint, time_limit_s=1e-9)
    assert len(plan.placements) == 4
    assert plan.objective <= objective_of(week, hint)
    assert validate(plan, org(), requests(), week=MONDAY).violations == []


def seats(model: Any, spans: list[tuple[int, int]]) -> list[Seat]:
    monday = datetime(2026, 11, 16, 9, tzinfo=UTC)
    return [
        Seat(
            model.new_bool_var(f"s{i}"),
            monday + timedelta(minutes=a),
            monday + timedelta(minutes=b),
            ((MONDAY, b - a),),
        )
        for i, (a, b) in enumerate(spans)
    ]


def test_no_double_booking_adds_one_constraint_per_maximal_clique() -> None:
    model = cp_model.CpModel()
    # 0–60 overlaps 30–90 (clique {0,1}); 30–90 overlaps 75–135 (clique {1,2}); 150–165 alone
    mine = seats(model, [(0, 60), (30, 90), (75, 135), (150, 165)])
    no_double_booking(model, "ana", mine)
    cliques = sorted(
        sorted(model.proto.constraints[i].at_most_one.literals)
        for i in range(len(model.proto.constraints))
    )
    assert cliques == [[0, 1], [1, 2]]
    for a, b in ((0, 1), (1, 2)):
        solver = cp_model.CpSolver()
        check = model.clone()
        check.add(check.get_bool_var_from_proto_index(a) == 1)
        check.add(check.get_bool_var_from_proto_index(b) == 1)
        assert solver.solve(check) == cp_model.INFEASIBLE
