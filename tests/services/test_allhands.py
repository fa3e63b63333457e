"""The all-hands options on the demo: no common hour, so rotate, relay or go async."""

from __future__ import annotations

from datetime import date, timedelta

from asyncfirst.domain.model import Organisation
from asyncfirst.domain.worktime import working_time
from asyncfirst.services.allhands import all_hands_options


def test_demo_all_hands_has_no_common_hour_and_three_honest_options(demo_org: Organisation) -> None:
    options = all_hands_options(demo_org, date(2026, 11, 30), 60)
    assert options.people == 15
    assert options.all_inside is False

    # relay: regional sessions each inside hours
    assert options.relay is not None
    assert options.relay.session_count == 2
    assert options.relay.out_of_hours_minutes == 0

    # rotation: six weekly slots, and no team carries the largest burden every week
    assert len(options.rotation) == 6
    carriers = [max(s.burden, key=s.burden.__getitem__) for s in options.rotation]
    assert len(set(carriers)) >= 2
    # ... and the worst-off team over a rotation is better off than always at the cheapest slot
    assert max(options.rotation_burden.values()) < max(options.fixed_burden.values())
    series = options.series
    assert series.rotation.worst_zone.cost_per_member < series.baseline.worst_zone.cost_per_member
    assert series.rotation.coefficient_of_variation < series.baseline.coefficient_of_variation

    # async: every team's answers are due inside its own working time
    for due in options.async_dues:
        schedule = demo_org.team(due.team).schedule
        minute_before = due.due - timedelta(minutes=1)
        assert working_time(schedule, minute_before, due.due), f"{due.team} due outside hours"
