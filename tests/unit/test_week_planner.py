"""The week planner on the demo organisation and requests, checked by the validator."""

from __future__ import annotations

from datetime import date

import pytest

from asyncfirst.domain.hours import WorkingHours
from asyncfirst.domain.model import AsyncBand, Organisation, Person, Team
from asyncfirst.domain.requests import MeetingRequest
from asyncfirst.scheduling.greedy import greedy_plan
from asyncfirst.scheduling.ledger import BurdenLedger
from asyncfirst.scheduling.validator import validate
from asyncfirst.scheduling.week_model import components
from asyncfirst.scheduling.week_table import build_week
from asyncfirst.services.planning import PlanReport, load_requests, plan_week

WEEK = date(2026, 11, 23)  # Japan's Labour Thanksgiving on Monday, US Thanksgiving on Thursday
LIMIT = 3.0


@pytest.fixture(scope="module")
def demo_requests(demo_org: Organisation) -> tuple[MeetingRequest, ...]:
    return load_requests("demo", demo_org)


@pytest.fixture(scope="module")
def report(demo_org: Organisation, demo_requests: tuple[MeetingRequest, ...]) -> PlanReport:
    return plan_week(demo_org, demo_requests, WEEK, time_limit_s=LIMIT)


def test_every_demo_request_is_placed_and_valid(report: PlanReport) -> None:
    plan = report.plan
    assert plan.unplaced == ()
    assert {p.request_id for p in plan.placements} == {t.request.id for t in report.week.tables}
    assert report.validation.violations == []


def test_solver_reports_status_objective_bound_and_gap(report: PlanReport) -> None:
    plan = report.plan
    assert plan.solver == "cp-sat"
    assert plan.status in ("OPTIMAL", "FEASIBLE")
    assert plan.bound <= plan.objective <= report.greedy.objective
    assert plan.gap == pytest.approx((plan.objective - plan.bound) / max(1.0, plan.objective))
    assert plan.wall_seconds > 0
    assert report.to_dict()["plan"]["status"] == plan.status


def test_holidays_are_respected_in_the_demo_week(report: PlanReport) -> None:
    qa = {"maria", "james", "olivia", "noah", "ava"}
    thanksgiving = [
        p
        for p in report.plan.placements
        if qa & set(p.attendees) and p.start.date() == date(2026, 11, 26)
    ]
    assert thanksgiving == []


def test_the_all_hands_goes_out_of_hours_only_because_it_is_allowed(report: PlanReport) -> None:
    allhands = report.plan.placement("all-hands")
    assert allhands is not None
    assert sum(c for _, c in allhands.burden) > 0
    for placement in report.plan.placements:
        if placement.request_id != "all-hands":
            assert all(c <= 90 for _, c in placement.burden)  # at most stretch minutes


def test_same_seed_and_workers_give_the_same_plan(
    demo_org: Organisation, demo_requests: tuple[MeetingRequest, ...], report: PlanReport
) -> None:
    again = plan_week(demo_org, demo_requests, WEEK, time_limit_s=LIMIT)
    assert again.plan.placements == report.plan.placements
    assert again.plan.objective == report.plan.objective
    parallel = [
        plan_week(demo_org, demo_requests, WEEK, time_limit_s=LIMIT, workers=4) for _ in range(2)
    ]
    assert parallel[0].plan.placements == parallel[1].plan.placements
    assert parallel[0].validation.violations == []


def test_the_greedy_plan_is_valid_too(
    demo_org: Organisation, demo_requests: tuple[MeetingRequest, ...], report: PlanReport
) -> None:
    greedy = greedy_plan(report.week)
    assert greedy.solver == "greedy"
    assert validate(greedy, demo_org, demo_requests, week=WEEK).violations == []


def test_requests_sharing_people_form_one_group(report: PlanReport) -> None:
    groups = components(report.week.tables)
    assert len(groups) == 1  # the all-hands joins everyone
    alone = [
        t for t in report.week.tables if t.request.id in ("qa-workshop", "one-on-one-kenji-yuki")
    ]
    assert len(components(alone)) == 2


def test_an_unplaceable_request_is_reported_with_its_reason(demo_org: Organisation) -> None:
    request = MeetingRequest(
        "tokyo-ny", "alignment", "Tokyo–NY sync", 60, ("coding", "qa"), reason="alignment"
    )
    report = plan_week(demo_org, (request,), WEEK, time_limit_s=LIMIT)
    assert report.plan.placements == ()
    (unplaced,) = report.plan.unplaced
    assert "Tokyo and New York share no working hour" in unplaced.reason
    assert "relay" in unplaced.reason
    assert "Not placed: tokyo-ny" in report.validation.lines[-1]


def test_the_ledger_rotates_the_night_slot_across_weeks() -> None:
    """London, Perth and Los Angeles tile the day: every slot puts one of them at night.
    Without the ledger the same zone would take it every week; with it, the night moves."""
    zones = {"lon": "Europe/London", "per": "Australia/Perth", "lax": "America/Los_Angeles"}
    hours = WorkingHours.office("09:00", "17:00")
    team = Team("t", "T", "Europe/London", hours, None, AsyncBand(0.7, 0.95))
    org = Organisation(
        "Round the world",
        (team,),
        tuple(Person(p, p.title(), "t", z, hours, None) for p, z in zones.items()),
    )
    series = MeetingRequest(
        "sync",
        "alignment",
        "Round-the-world sync",
        60,
        tuple(zones),
        reason="weekly alignment",
        allow_out_of_hours=True,
    )
    ledger = BurdenLedger()
    carriers = []
    for week in (date(2026, 11, 30), date(2026, 12, 7), date(2026, 12, 14)):
        report = plan_week(org, (series,), week, ledger=ledger, time_limit_s=LIMIT)
        assert report.validation.violations == []
        placement = report.plan.placement("sync")
        assert placement is not None
        carriers.append(max(placement.burden, key=lambda pc: pc[1])[0])
        ledger = report.ledger_after
    assert len(set(carriers)) == 3, carriers
    assert max(ledger.person.values()) < 2 * min(ledger.person.values())


def test_the_ledger_round_trips_and_refuses_a_week_twice(
    demo_org: Organisation, report: PlanReport
) -> None:
    ledger = report.ledger_after
    assert BurdenLedger.from_dict(ledger.to_dict()) == ledger
    assert ledger.held("all-hands") == 1
    with pytest.raises(ValueError, match="already"):
        ledger.updated(report.plan, demo_org)


def test_the_table_drops_starts_that_break_hard_rules(
    demo_org: Organisation, demo_requests: tuple[MeetingRequest, ...]
) -> None:
    week = build_week(demo_org, demo_requests, WEEK)
    pairing = next(t for t in week.tables if t.request.id == "pairing")
    for option in pairing.options:
        assert option.costs["chloe"].bands.protected_focus == 0
        assert all(c.blocked is None for p, c in option.costs.items() if p in pairing.required)
