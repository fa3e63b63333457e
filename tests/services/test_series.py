"""The demo's weekly all-hands as a series: rotation, relay and async, and which to prefer."""

from __future__ import annotations

import json
from datetime import date, timedelta

import pytest

from asyncfirst.domain.errors import InputError
from asyncfirst.domain.model import Organisation
from asyncfirst.domain.worktime import working_time
from asyncfirst.scheduling.series_options import Format
from asyncfirst.services.series import SeriesReport, plan_series

TEAMS = ["design", "coding", "qa"]
FIRST = date(2026, 11, 9)


@pytest.fixture(scope="module")
def report(demo_org: Organisation) -> SeriesReport:
    return plan_series(demo_org, TEAMS, 60, FIRST, 6, "alignment")


def test_relay_keeps_everyone_inside_hours(report: SeriesReport) -> None:
    relay = report.options.relay
    assert relay.cost_out_of_hours_minutes == 0
    assert relay.keeps_everyone_inside and not relay.unplaced
    assert [w for w, _ in relay.plans] == list(report.weeks)
    assert 2 <= relay.max_sessions <= 3
    assert relay.reason_to_prefer.startswith("Nobody joins out of hours (0 min)")


def test_async_answers_are_due_inside_each_zones_working_time(
    demo_org: Organisation, report: SeriesReport
) -> None:
    option = report.options.async_
    assert option.cost_out_of_hours_minutes == 0
    assert len(option.occurrences) == 6
    for occurrence in option.occurrences:
        assert {z.zone for z in occurrence.zones} == set(report.zones)
        for zone in occurrence.zones:
            assert zone.due == max(p.due for p in zone.people)
            assert str(zone.due.tzinfo) == zone.zone
            for due in zone.people:
                schedule = demo_org.person(due.person_id).schedule
                assert due.due > occurrence.briefing_at
                assert working_time(schedule, due.due - timedelta(minutes=1), due.due), due
    first = option.occurrences[0].zones
    assert {z.zone: z.people[0].hours for z in first} == {
        "Europe/Paris": 8,
        "Asia/Tokyo": 8,
        "America/New_York": 6,
    }


def test_rotation_costs_hours_and_shows_each_zones_total(report: SeriesReport) -> None:
    options = report.options
    costs = options.costs()
    assert costs[Format.ROTATION] > 0
    assert costs[Format.RELAY] == costs[Format.ASYNC] == 0
    zones = {z.zone: z for z in options.rotation.rotation.zones}
    assert set(zones) == {"Europe/Paris", "Asia/Tokyo", "America/New_York"}
    assert all(z.out_of_hours_minutes > 0 for z in zones.values())
    assert costs[Format.ROTATION] == pytest.approx(
        sum(z.out_of_hours_minutes for z in zones.values())
    )
    worst = options.rotation.rotation.worst_zone
    assert f"({worst.city}) carries {worst.minutes_per_member:.0f} min" in options.rotation_reason


def test_an_alignment_goes_async(report: SeriesReport) -> None:
    assert report.options.recommended is Format.ASYNC
    assert "no live interaction" in report.options.recommendation


@pytest.mark.parametrize(
    ("kind", "expected"),
    [("decision", Format.ROTATION), ("workshop", Format.ROTATION), ("discussion", Format.RELAY)],
)
def test_the_recommendation_follows_the_kind(
    demo_org: Organisation, kind: str, expected: Format
) -> None:
    report = plan_series(demo_org, TEAMS, 60, FIRST, 2, kind)
    assert report.options.recommended is expected
    assert f'"{kind}"' in report.options.recommendation


def test_to_dict_is_json_with_every_format(report: SeriesReport) -> None:
    data = json.loads(json.dumps(report.to_dict()))
    assert data["recommended"] == "async"
    assert set(data["options"]) == {"rotation", "relay", "async"}
    assert data["options"]["relay"]["cost_out_of_hours_minutes"] == 0
    assert len(data["rotation"]["rotation"]["occurrences"]) == 6
    zones = {z["zone"] for z in data["rotation"]["baseline"]["zones"]}
    assert zones == {"Europe/Paris", "Asia/Tokyo", "America/New_York"}


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ((60, FIRST, 0, "alignment"), "--occurrences"),
        ((60, FIRST, 27, "alignment"), "--occurrences"),
        ((241, FIRST, 6, "alignment"), "--duration"),
        ((60, date(2026, 11, 10), 6, "alignment"), "Monday, e.g. 2026-11-09"),
        ((60, FIRST, 6, "standup-ish"), '--kind "standup-ish" is unknown'),
    ],
)
def test_bad_input_is_refused_with_a_reason(
    demo_org: Organisation, args: tuple[int, date, int, str], message: str
) -> None:
    with pytest.raises(InputError, match=message):
        plan_series(demo_org, TEAMS, *args)
