"""Each rule of the week planner on its own tiny instance, where only that rule decides."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from ortools.sat.python import cp_model

from asyncfirst.domain.calendars import DateRange
from asyncfirst.domain.hours import WorkingHours
from asyncfirst.domain.intervals import Interval
from asyncfirst.domain.model import AsyncBand, FocusBlock, Organisation, Person, Team
from asyncfirst.domain.requests import MeetingRequest
from asyncfirst.scheduling.constraints import (
    Seat,
    fairness_terms,
    focus_minutes_destroyed,
    inconvenience_term,
    missing_optional_term,
    no_double_booking,
    on_allowed_day,
    one_start_or_unplaced,
    under_daily_cap,
    under_weekly_cap,
    within_hours_or_stretch,
)
from asyncfirst.scheduling.inconvenience import inconvenience
from asyncfirst.scheduling.plan import Plan
from asyncfirst.scheduling.validator import validate
from asyncfirst.scheduling.week_model import solve_week
from asyncfirst.scheduling.week_table import build_week

MONDAY = date(2026, 11, 16)  # no holiday in FR, JP or US that week
PARIS, TOKYO, NEW_YORK = "Europe/Paris", "Asia/Tokyo", "America/New_York"


def person(pid: str, zone: str = PARIS, hours: str = "09:00-17:00", **kw: Any) -> Person:
    start, end = hours.split("-")
    return Person(pid, pid.title(), "team", zone, WorkingHours.office(start, end), None, **kw)


def org_of(*people: Person) -> Organisation:
    team = Team(
        "team", "Team", PARIS, WorkingHours.office("09:00", "17:00"), None, AsyncBand(0.7, 0.95)
    )
    return Organisation("Tiny", (team,), people)


def request(
    rid: str, *required: str, minutes: int = 60, days: str = "01234", **kw: Any
) -> MeetingRequest:
    return MeetingRequest(
        rid,
        "review",
        rid,
        minutes,
        required,
        days=frozenset(int(d) for d in days),
        reason="r",
        **kw,
    )


def plan(org: Organisation, *requests: MeetingRequest, busy: Any = None) -> Plan:
    week = build_week(org, requests, MONDAY, busy=busy)
    result = solve_week(week, time_limit_s=2)
    assert validate(result, org, requests, busy, MONDAY).violations == []
    return result


def local(result: Plan, rid: str, zone: str = PARIS) -> str:
    placement = result.placement(rid)
    assert placement is not None
    from zoneinfo import ZoneInfo

    return f"{placement.start.astimezone(ZoneInfo(zone)):%a %H:%M}"


def test_on_allowed_day() -> None:
    org = org_of(person("ana"))
    assert local(plan(org, request("m", "ana", days="2")), "m").startswith("Wed")
    cost = inconvenience(
        org.person("ana"),
        Interval.of(datetime(2026, 11, 17, 9, tzinfo=UTC), datetime(2026, 11, 17, 10, tzinfo=UTC)),
    )
    assert (
        on_allowed_day(request("m", "ana", days="2"), cost, MONDAY)
        == "Ana: Tuesday is not one of Wed"
    )


def test_never_on_day_off() -> None:
    off = (DateRange(date(2026, 11, 16), date(2026, 11, 16), "dentist"),)
    org = org_of(person("ana", time_off=off), person("ben", meeting_free_days=frozenset({1})))
    assert local(plan(org, request("m", "ana", "ben", days="012")), "m").startswith("Wed")
    result = plan(org, request("m", "ana", "ben", days="01"))
    assert result.placements == ()
    assert "dentist" in result.unplaced[0].reason
    assert "meeting-free day" in result.unplaced[0].reason


def test_free_in_calendar() -> None:
    org = org_of(person("ana"))
    busy = {
        "ana": [
            Interval.of(
                datetime(2026, 11, 16, 8, tzinfo=UTC), datetime(2026, 11, 16, 15, tzinfo=UTC)
            )
        ]
    }
    assert local(plan(org, request("m", "ana", days="0"), busy=busy), "m") == "Mon 16:00"


def test_protected_focus() -> None:
    blocks = (FocusBlock(0, 9 * 60, 16 * 60, protected=True),)
    org = org_of(person("ana", focus_blocks=blocks))
    assert local(plan(org, request("m", "ana", days="0")), "m") == "Mon 16:00"


def test_unprotected_focus_is_only_a_cost() -> None:
    blocks = (FocusBlock(0, 9 * 60, 17 * 60, protected=False),)
    org = org_of(person("ana", focus_blocks=blocks))
    assert plan(org, request("m", "ana", days="0")).placement("m") is not None


def test_within_hours_or_stretch() -> None:
    org = org_of(person("kenji", TOKYO, "09:30-18:30"), person("maria", NEW_YORK))
    result = plan(org, request("m", "kenji", "maria"))
    assert result.placements == ()
    reason = result.unplaced[0].reason
    assert "Tokyo and New York share no working hour" in reason
    assert "relay" in reason and "allow_out_of_hours" in reason
    placed = plan(org, request("m", "kenji", "maria", allow_out_of_hours=True))
    assert placed.placement("m") is not None
    cost = inconvenience(
        org.person("kenji"),
        Interval.of(datetime(2026, 11, 17, 13, tzinfo=UTC), datetime(2026, 11, 17, 14, tzinfo=UTC)),
    )
    assert "beyond working time and stretch" in (
        within_hours_or_stretch(request("m", "kenji"), cost) or ""
    )


def test_stretch_allowance_makes_a_meeting_possible() -> None:
    org = org_of(
        person("kenji", TOKYO, "09:30-18:30", stretch_minutes=90),
        person("chloe", PARIS, "09:00-17:30", stretch_minutes=60),
    )
    assert plan(org, request("m", "kenji", "chloe", minutes=60)).placement("m") is not None


def test_no_double_booking() -> None:
    org = org_of(person("ana"))
    result = plan(org, *(request(f"m{i}", "ana", minutes=240, days="0") for i in range(3)))
    assert sorted(local(result, p.request_id) for p in result.placements) == [
        "Mon 09:00",
        "Mon 13:00",
    ]
    assert len(result.unplaced) == 1


def test_under_daily_cap() -> None:
    org = org_of(person("ana", daily_sync_cap_minutes=60))
    result = plan(org, request("a", "ana", days="01"), request("b", "ana", days="01"))
    assert {local(result, "a")[:3], local(result, "b")[:3]} == {"Mon", "Tue"}


def test_under_weekly_cap() -> None:
    org = org_of(person("ana", weekly_sync_cap_minutes=90))
    result = plan(org, request("a", "ana"), request("b", "ana"))
    assert len(result.placements) == 1 and len(result.unplaced) == 1


def seats_model(costs: list[int]) -> tuple[Any, list[Any], list[Seat]]:
    model = cp_model.CpModel()
    xs = [model.new_bool_var(f"x{i}") for i in range(len(costs))]
    one_start_or_unplaced(model, xs, model.new_bool_var("unplaced"))
    start, end = datetime(2026, 11, 16, 9, tzinfo=UTC), datetime(2026, 11, 16, 10, tzinfo=UTC)
    seats = [Seat(x, start, end, ((MONDAY, 60),), cost=c) for x, c in zip(xs, costs, strict=True)]
    return model, xs, seats


def solve(model: Any) -> Any:
    solver = cp_model.CpSolver()
    assert solver.solve(model) == cp_model.OPTIMAL
    return solver


def test_inconvenience_term_is_named_and_priced() -> None:
    model, xs, seats = seats_model([40, 0, 400])
    term = inconvenience_term(model, "ana", seats)
    model.add(sum(xs) == 1)
    model.minimize(term)
    solver = solve(model)
    assert term.name == "inconvenience[ana]"
    assert [solver.value(x) for x in xs] == [0, 1, 0]


def test_missing_optional_term() -> None:
    model = cp_model.CpModel()
    placed, attends = model.new_bool_var("placed"), model.new_bool_var("attends")
    model.add(placed == 1)
    model.add(attends == 0)
    missing = missing_optional_term(model, "m", "ben", placed, [attends])
    model.minimize(missing)
    assert solve(model).value(missing) == 1
    assert missing.name == "missing_optional[m,ben]"


def test_focus_destroyed() -> None:
    def at(h: int, m: int = 0) -> datetime:
        return datetime(2026, 11, 16, h, m, tzinfo=UTC)

    free = [Interval(at(9), at(17))]
    assert focus_minutes_destroyed(free, Interval(at(9), at(10))) == 60
    assert focus_minutes_destroyed(free, Interval(at(11), at(12))) == 60
    assert focus_minutes_destroyed(free, Interval(at(10), at(11))) == 120  # 9–10 no longer focus
    assert focus_minutes_destroyed([Interval(at(9), at(10, 30))], Interval(at(9), at(10))) == 0


def test_no_double_booking_and_caps_as_model_rules() -> None:
    model, xs, seats = seats_model([0, 0])
    no_double_booking(model, "ana", seats)
    model.add(sum(xs) == 2)
    assert cp_model.CpSolver().solve(model) == cp_model.INFEASIBLE
    model, xs, seats = seats_model([0, 0])
    under_daily_cap(
        model,
        "ana",
        60,
        [
            seats[0],
            Seat(
                seats[1].var,
                seats[1].start.replace(hour=11),
                seats[1].end.replace(hour=12),
                ((MONDAY, 60),),
            ),
        ],
    )
    model.add(sum(xs) == 2)
    assert cp_model.CpSolver().solve(model) == cp_model.INFEASIBLE
    model, xs, seats = seats_model([0])
    under_weekly_cap(model, "ana", 30, seats)
    model.add(xs[0] == 1)
    assert cp_model.CpSolver().solve(model) == cp_model.INFEASIBLE


def test_fairness_terms_prefer_who_carried_less() -> None:
    model = cp_model.CpModel()
    to_ana = model.new_bool_var("to_ana")
    ana = model.new_int_var(0, 100, "inconvenience[ana]")
    ben = model.new_int_var(0, 100, "inconvenience[ben]")
    model.add(ana == 40 * to_ana)
    model.add(ben == 40 - 40 * to_ana)
    worst_person, worst_zone = fairness_terms(
        model,
        {"ana": ana, "ben": ben},
        {"ana": PARIS, "ben": TOKYO},
        {"ana": 100},
        {PARIS: 100},
        {PARIS: 1, TOKYO: 1},
        upper=80,
    )
    model.minimize(worst_person + worst_zone)
    solver = solve(model)
    assert solver.value(to_ana) == 0
    assert (worst_person.name, worst_zone.name) == ("worst_person", "worst_zone")
