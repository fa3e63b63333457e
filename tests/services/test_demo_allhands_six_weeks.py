"""Must show: the demo's weekly all-hands over six weeks.

No zone carries more than half of the rotation's out-of-hours attendee-minutes, and the
rotation, the relay and the async format are all shown with their cost and a reason.
The minutes are recounted here from the domain's working time, not read from the totals.
"""

from __future__ import annotations

import json
from collections import defaultdict
from datetime import date

import pytest

from asyncfirst.domain.model import Organisation
from asyncfirst.domain.worktime import working_minutes_between
from asyncfirst.scheduling.series_options import Format
from asyncfirst.scheduling.series_totals import SeriesTotals
from asyncfirst.services.series import SeriesReport, plan_series

TEAMS = ["design", "coding", "qa"]
FIRST_WEEK = date(2026, 11, 9)
WEEKS = 6
MINUTES = 60


@pytest.fixture(scope="module")
def report(demo_org: Organisation) -> SeriesReport:
    return plan_series(demo_org, TEAMS, MINUTES, FIRST_WEEK, WEEKS, "decision")


def out_of_hours_by_zone(org: Organisation, totals: SeriesTotals) -> dict[str, float]:
    """Attendee-minutes outside each attendee's working time, per zone, over the series."""
    minutes: defaultdict[str, float] = defaultdict(float)
    for slot in totals.slots:
        for cost in slot.attendees:
            if cost.blocked is not None:  # misses the occurrence: no burden
                continue
            person = org.person(cost.person_id)
            inside = working_minutes_between(
                person.schedule, slot.interval.start, slot.interval.end
            )
            minutes[person.zone] += MINUTES - inside
    return dict(minutes)


def test_no_zone_carries_more_than_half_of_the_rotations_out_of_hours_minutes(
    demo_org: Organisation, report: SeriesReport
) -> None:
    rotation = report.options.rotation.rotation
    assert len(rotation.slots) == WEEKS
    assert [s.week for s in rotation.slots] == list(report.weeks)
    by_zone = out_of_hours_by_zone(demo_org, rotation)
    assert set(by_zone) == {"Europe/Paris", "Asia/Tokyo", "America/New_York"}
    total = sum(by_zone.values())
    assert total == pytest.approx(rotation.out_of_hours_minutes)
    assert total > 0
    for zone, minutes in by_zone.items():
        assert minutes <= total / 2, f"{zone} carries {minutes:.0f} of {total:.0f} min"
    # every zone takes a turn: nobody is spared the late or early slot entirely
    assert all(minutes > 0 for minutes in by_zone.values())


def test_the_cheapest_slot_every_week_would_break_that_rule(
    demo_org: Organisation, report: SeriesReport
) -> None:
    """The rotation earns its keep: the naive baseline leaves Tokyo over half the burden."""
    baseline = out_of_hours_by_zone(demo_org, report.options.rotation.baseline)
    total = sum(baseline.values())
    assert max(baseline.values()) > total / 2
    assert max(baseline, key=baseline.__getitem__) == "Asia/Tokyo"


def test_rotation_relay_and_async_each_show_a_cost_and_a_reason(report: SeriesReport) -> None:
    options = report.options
    costs, reasons = options.costs(), options.reasons()
    assert set(costs) == set(reasons) == set(Format)
    assert costs[Format.ROTATION] > 0
    assert costs[Format.RELAY] == 0
    assert costs[Format.ASYNC] == 0
    assert "out of hours" in reasons[Format.ROTATION]
    assert reasons[Format.RELAY].startswith("Nobody joins out of hours (0 min)")
    assert reasons[Format.ASYNC].startswith("0 min out of hours")
    # a decision needs everyone live, so the fair rotation is the recommendation
    assert options.recommended is Format.ROTATION
    # what the CLI and API show: every format with its cost and reason
    shown = json.loads(json.dumps(report.to_dict()))["options"]
    assert {name: o["cost_out_of_hours_minutes"] for name, o in shown.items()} == {
        "rotation": pytest.approx(costs[Format.ROTATION]),
        "relay": 0,
        "async": 0,
    }
    assert all(o["reason_to_prefer"] for o in shown.values())
