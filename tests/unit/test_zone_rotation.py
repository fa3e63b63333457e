"""The ``zone_rotation`` term: the zone that has carried the least takes the next
unavoidable late slot, counted the same by the model, ``objective_of`` and the validator."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from ortools.sat.python import cp_model

from asyncfirst.domain.hours import WorkingHours
from asyncfirst.domain.model import AsyncBand, Organisation, Person, Team
from asyncfirst.domain.requests import MeetingRequest
from asyncfirst.scheduling import constraints, week_table
from asyncfirst.scheduling.constraints import (
    ROTATION_WEIGHT,
    Seat,
    rotation_prices,
    zone_rotation_term,
)
from asyncfirst.scheduling.greedy import greedy_plan, objective_of, zone_rotation_of
from asyncfirst.scheduling.ledger import BurdenLedger
from asyncfirst.scheduling.plan import Plan
from asyncfirst.scheduling.validator import validate
from asyncfirst.scheduling.week_model import build_group, components, placement_of, solve_week
from asyncfirst.scheduling.week_table import Option, WeekInput, build_week

TUESDAY_WEEK = date(2026, 11, 16)
TOKYO, NEW_YORK, PARIS = "Asia/Tokyo", "America/New_York", "Europe/Paris"


def test_prices_go_from_nothing_for_the_least_to_the_weight_for_the_most() -> None:
    zone_of = {"a": TOKYO, "b": PARIS, "c": NEW_YORK}
    prices = rotation_prices(zone_of, {TOKYO: 400, PARIS: 200, NEW_YORK: 0}, {})
    assert prices == {"a": ROTATION_WEIGHT, "b": round(ROTATION_WEIGHT / 2), "c": 0}


def test_prices_compare_zones_per_member_and_ties_pay_the_same() -> None:
    zone_of = {"a": TOKYO, "b": PARIS}
    # Tokyo carried more in total but less per member (10 people against 2)
    prices = rotation_prices(zone_of, {TOKYO: 1000, PARIS: 400}, {TOKYO: 10, PARIS: 2})
    assert prices == {"a": 0, "b": ROTATION_WEIGHT}
    assert rotation_prices(zone_of, {TOKYO: 50, PARIS: 50}, {}) == {"a": 0, "b": 0}
    assert rotation_prices({"a": TOKYO, "b": TOKYO}, {TOKYO: 9}, {}) == {"a": 0, "b": 0}


def _two_seats(prices: dict[str, int]) -> tuple[cp_model.CpModel, cp_model.IntVar, Any]:
    """One late slot that either Ana (Tokyo) or Ben (New York) takes, 40 points each."""
    model = cp_model.CpModel()
    to_ana = model.new_bool_var("to_ana")
    to_ben = model.new_bool_var("to_ben")
    model.add_exactly_one([to_ana, to_ben])
    start = end = None
    seats = [
        Seat(to_ana, start, end, (), 40, 0, 40 * prices["ana"]),  # type: ignore[arg-type]
        Seat(to_ben, start, end, (), 40, 0, 40 * prices["ben"]),  # type: ignore[arg-type]
    ]
    rotation = zone_rotation_term(model, seats)
    model.minimize(40 * to_ana + 40 * to_ben + rotation)
    return model, to_ana, rotation


def test_the_term_sends_the_late_slot_to_the_zone_that_carried_less() -> None:
    prices = rotation_prices({"ana": TOKYO, "ben": NEW_YORK}, {TOKYO: 400, NEW_YORK: 0}, {})
    model, to_ana, rotation = _two_seats(prices)
    solver = cp_model.CpSolver()
    assert solver.solve(model) == cp_model.OPTIMAL
    assert solver.value(to_ana) == 0
    assert solver.value(rotation) == 0
    assert rotation.name == "zone_rotation"


def test_the_term_charges_a_plan_that_loads_the_zone_that_carried_more() -> None:
    prices = rotation_prices({"ana": TOKYO, "ben": NEW_YORK}, {TOKYO: 400, NEW_YORK: 0}, {})
    model, to_ana, rotation = _two_seats(prices)
    model.add(to_ana == 1)  # the plan that breaks the turn-taking
    solver = cp_model.CpSolver()
    assert solver.solve(model) == cp_model.OPTIMAL
    assert solver.value(rotation) == 40 * ROTATION_WEIGHT
    assert solver.objective_value == 40 * (1 + ROTATION_WEIGHT)


# --- end to end: Tokyo and New York share no hour --------------------------------------


def _org() -> Organisation:
    """Kenji (Tokyo) and Maria (New York) meet; four colleagues in each office do not."""
    hours = WorkingHours.office("09:00", "17:00")
    team = Team("t", "T", TOKYO, hours, None, AsyncBand(0.7, 0.95))
    people = [Person("kenji", "Kenji", "t", TOKYO, hours, None)]
    people.append(Person("maria", "Maria", "t", NEW_YORK, hours, None))
    for zone, tag in ((TOKYO, "tyo"), (NEW_YORK, "nyc")):
        people += [Person(f"{tag}{i}", f"{tag}{i}", "t", zone, hours, None) for i in range(4)]
    return Organisation("Two offices", (team,), tuple(people))


SYNC = MeetingRequest(
    "sync",
    "alignment",
    "Sync",
    60,
    ("kenji", "maria"),
    days=frozenset({1}),
    reason="weekly alignment",
    allow_out_of_hours=True,
)


def _week(carried_by: str) -> WeekInput:
    """Five people per office; ``carried_by``'s office carried 1,000 per member before."""
    ledger = BurdenLedger(zone={carried_by: 5000.0})
    return build_week(_org(), (SYNC,), TUESDAY_WEEK, ledger=ledger)


def _burden(plan: Plan) -> dict[str, float]:
    placement = plan.placement("sync")
    assert placement is not None
    return dict(placement.burden)


@pytest.mark.parametrize(("carried_by", "takes_it"), [(TOKYO, "maria"), (NEW_YORK, "kenji")])
def test_the_office_that_carried_less_takes_the_late_slot(carried_by: str, takes_it: str) -> None:
    week = _week(carried_by)
    plan = solve_week(week, time_limit_s=5)
    burden = _burden(plan)
    other = "kenji" if takes_it == "maria" else "maria"
    assert burden[other] == 0
    assert burden[takes_it] > 0
    # the validator counts the term as the objective does, and explains it in words
    report = validate(plan, week.org, (SYNC,), ledger=week.ledger)
    assert report.ok
    choices = [(week.tables[0], _option(week, plan), ())]
    assert report.zone_rotation == zone_rotation_of(week, choices) == 0
    assert objective_of(week, choices) == plan.objective
    assert any(line.startswith("Turn-taking in Sync: ") for line in report.lines)
    assert any(line.startswith("Zone burden per member") for line in report.lines)


def test_without_the_term_the_cheapest_shared_slot_loads_both(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The test above fails without the term: the planner keeps the cheapest start, which
    puts Kenji out of hours too although Tokyo carried far more."""
    monkeypatch.setattr(constraints, "ROTATION_WEIGHT", 0)
    burden = _burden(solve_week(_week(TOKYO), time_limit_s=5))
    assert burden["kenji"] > 0
    assert burden["maria"] > 0


def test_a_plan_that_loads_the_office_that_carried_more_costs_the_term() -> None:
    week = _week(TOKYO)
    table = week.tables[0]
    worst = max(table.options, key=lambda o: o.points["kenji"] - o.points["maria"])
    choices = [(table, worst, ())]
    expected = ROTATION_WEIGHT * worst.points["kenji"]
    assert zone_rotation_of(week, choices) == expected > 0
    plan = Plan(TUESDAY_WEEK, (placement_of(choices[0]),), status="MANUAL", solver="manual")
    report = validate(plan, week.org, (SYNC,), ledger=week.ledger)
    assert report.zone_rotation == expected


def test_the_cost_floor_stays_below_every_plan() -> None:
    week = _week(TOKYO)
    (group,) = components(list(week.tables))
    floor = build_group(week, group, []).cost_floor(0)
    greedy = greedy_plan(week)
    assert floor <= solve_week(week, time_limit_s=5).objective <= greedy.objective
    for option in group[0].options:  # every single start, the dearest included
        assert floor <= objective_of(week, [(group[0], option, ())])


def _option(week: WeekInput, plan: Plan) -> Option:
    placement = plan.placement("sync")
    assert placement is not None
    return next(o for o in week.tables[0].options if o.start == placement.start)


# --- per-start prices: a zone that would overshoot by taking the start pays for it ------


def test_prices_rank_zones_where_the_start_would_leave_them() -> None:
    zone_of = {"kenji": TOKYO, "maria": NEW_YORK}
    carried = {TOKYO: 100, NEW_YORK: 110}
    top, half = ROTATION_WEIGHT, ROTATION_WEIGHT // 2
    # by the ledger alone Tokyo carried less: Kenji's points would be free of the term
    assert rotation_prices(zone_of, carried, {}) == {"kenji": 0, "maria": top}
    # a start that puts 50 on Kenji leaves Tokyo above New York: Tokyo pays half the top
    overshoot = rotation_prices(zone_of, carried, {}, {"kenji": 50, "maria": 0})
    assert overshoot == {"kenji": half, "maria": half}
    # a start that keeps Tokyo below New York keeps Kenji's price at nothing
    assert rotation_prices(zone_of, carried, {}, {"kenji": 5}) == {"kenji": 0, "maria": top}
    assert rotation_prices(zone_of, carried, {}, {"maria": 30}) == {"kenji": 0, "maria": top}


def test_a_zone_already_ahead_pays_more_than_one_that_just_overtakes() -> None:
    zone_of = {"a": TOKYO, "b": PARIS, "c": NEW_YORK}
    carried = {TOKYO: 0, PARIS: 5, NEW_YORK: 10}
    least_takes = rotation_prices(zone_of, carried, {}, {"a": 30})
    most_takes = rotation_prices(zone_of, carried, {}, {"c": 30})
    assert least_takes["a"] == ROTATION_WEIGHT // 2  # least before, most after
    assert most_takes["c"] == ROTATION_WEIGHT  # most before and after
    assert all(price >= 0 for price in (*least_takes.values(), *most_takes.values()))


OFFICE = 20  # colleagues per office besides Kenji and Maria: a zone moves slowly per member

WIDE_SYNC = MeetingRequest(
    "sync",
    "alignment",
    "Sync",
    60,
    ("kenji", "maria"),
    days=frozenset({1, 2}),
    reason="weekly alignment",
    allow_out_of_hours=True,
)


def _level_week() -> WeekInput:
    """Tokyo carried a hair less per member than New York (200 against 201). Kenji's only
    hours alone out of hours are at night (600 a meeting, Tokyo +28.6 per member), Maria's
    are an evening hour (180, New York +8.6); Maria carries the most of anyone already.
    Kenji's night costs half the top price (Tokyo would overtake New York), Maria's
    evening the top (New York stays ahead): 600 × 3 against 180 × 5."""
    hours = WorkingHours.office("09:00", "17:00")
    team = Team("t", "T", TOKYO, hours, None, AsyncBand(0.7, 0.95))
    people = [Person("kenji", "Kenji", "t", TOKYO, hours, None)]
    people.append(Person("maria", "Maria", "t", NEW_YORK, hours, None))
    for zone, tag in ((TOKYO, "tyo"), (NEW_YORK, "nyc")):
        people += [Person(f"{tag}{i}", f"{tag}{i}", "t", zone, hours, None) for i in range(OFFICE)]
    org = Organisation("Two offices", (team,), tuple(people))
    members = OFFICE + 1
    ledger = BurdenLedger(
        person={"maria": 3000.0}, zone={TOKYO: 200.0 * members, NEW_YORK: 201.0 * members}
    )
    return build_week(org, (WIDE_SYNC,), TUESDAY_WEEK, ledger=ledger)


def _zone_gap_after(week: WeekInput, plan: Plan) -> float:
    added = {TOKYO: 0.0, NEW_YORK: 0.0}
    for person, burden in _burden(plan).items():
        added[week.org.person(person).zone] += burden
    members = OFFICE + 1
    tokyo = week.ledger.zone[TOKYO] + added[TOKYO]
    new_york = week.ledger.zone[NEW_YORK] + added[NEW_YORK]
    return abs(tokyo - new_york) / members


def test_the_zone_that_would_overshoot_does_not_take_the_late_slot() -> None:
    week = _level_week()
    plan = solve_week(week, time_limit_s=5)
    burden = _burden(plan)
    assert burden["kenji"] == 0  # Tokyo would end far above New York with a night hour
    assert 0 < burden["maria"] < 600  # New York takes an evening hour instead
    assert _zone_gap_after(week, plan) < 10
    report = validate(plan, week.org, (WIDE_SYNC,), ledger=week.ledger)
    assert report.ok
    table = week.tables[0]
    option = next(o for o in table.options if o.start == plan.placement("sync").start)  # type: ignore[union-attr]
    assert report.zone_rotation == zone_rotation_of(week, [(table, option, ())]) > 0
    assert objective_of(week, [(table, option, ())]) == plan.objective


def test_with_prices_from_the_ledger_alone_the_night_overshoots(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The test above fails with per-meeting prices (zones ranked by the ledger before the
    week): Tokyo looks like the zone whose turn it is, takes a night hour and ends 28 per
    member above New York, at more than three times the burden of Maria's evening hour."""
    ledger_only = constraints.rotation_prices
    monkeypatch.setattr(
        week_table,
        "rotation_prices",
        lambda zone_of, carried, size, taking=None: ledger_only(zone_of, carried, size),
    )
    week = _level_week()
    plan = solve_week(week, time_limit_s=5)
    burden = _burden(plan)
    assert burden["kenji"] == 600
    assert burden["maria"] == 0
    assert _zone_gap_after(week, plan) > 25
