"""A weekly all-hands with no common hour: the burden rotates fairly, never onto a holiday."""

from __future__ import annotations

import itertools
from datetime import date, timedelta

import pytest

from asyncfirst.domain.calendars import DateRange, HolidayCalendar
from asyncfirst.domain.errors import InputError
from asyncfirst.domain.hours import WorkingHours
from asyncfirst.domain.model import Organisation, Person
from asyncfirst.scheduling.rotation import (
    Rotation,
    SeriesSlot,
    objective,
    out_of_hours_cost,
    plan_rotation,
    week_grids,
)
from asyncfirst.scheduling.series_totals import SeriesTotals

# Six weeks from 9 Nov 2026: Armistice (FR, Wed 11), Labor Thanksgiving Day (JP, Mon 23),
# Thanksgiving (US, Thu 26).
WEEKS = [date(2026, 11, 9) + timedelta(weeks=n) for n in range(6)]


def make(pid: str, zone: str, start: str, end: str, country: str, **kw: object) -> Person:
    return Person(
        id=pid,
        name=pid.title(),
        team_id="t",
        zone=zone,
        hours=WorkingHours.office(start, end),
        holidays=HolidayCalendar(country),
        **kw,  # type: ignore[arg-type]
    )


PARIS = make("amelie", "Europe/Paris", "09:00", "17:30", "FR")
TOKYO = make("kenji", "Asia/Tokyo", "09:30", "18:30", "JP")
NEW_YORK = make("sam", "America/New_York", "09:00", "17:00", "US")


@pytest.fixture(scope="module")
def demo_rotation(demo_org: Organisation) -> Rotation:
    return plan_rotation(demo_org.people, 60, WEEKS)


def _zone_cost(totals: SeriesTotals) -> dict[str, float]:
    return {z.zone: z.cost_per_member for z in totals.zones}


def _carrier(slot: SeriesSlot) -> str:
    """The zone whose members carry the most out-of-hours cost per member in ``slot``."""
    per_zone: dict[str, list[float]] = {}
    for cost in slot.attendees:
        per_zone.setdefault(cost.zone, []).append(out_of_hours_cost(cost))
    return max(per_zone, key=lambda z: sum(per_zone[z]) / len(per_zone[z]))


def test_every_zone_stays_under_the_baselines_worst_zone(demo_rotation: Rotation) -> None:
    fair, naive = _zone_cost(demo_rotation.rotation), _zone_cost(demo_rotation.baseline)
    assert set(fair) == {"Europe/Paris", "Asia/Tokyo", "America/New_York"}
    assert all(cost <= max(naive.values()) for cost in fair.values())
    assert max(fair.values()) < max(naive.values())
    assert demo_rotation.objective < demo_rotation.baseline_objective
    assert demo_rotation.optimal and not demo_rotation.all_inside
    assert (
        demo_rotation.rotation.coefficient_of_variation
        < demo_rotation.baseline.coefficient_of_variation
    )


def test_no_single_zone_carries_every_occurrence(demo_rotation: Rotation) -> None:
    assert len(demo_rotation.rotation.slots) == len(WEEKS)
    assert len({_carrier(s) for s in demo_rotation.rotation.slots}) >= 2
    # the naive series leaves the same zone with the heaviest turn every week
    assert len({_carrier(s) for s in demo_rotation.baseline.slots}) == 1


def test_totals_add_up_per_person_and_per_zone(demo_rotation: Rotation) -> None:
    totals = demo_rotation.rotation
    for zone in totals.zones:
        members = [p for p in totals.people if p.zone == zone.zone]
        assert zone.members == len(members) == 5
        assert zone.out_of_hours_minutes == pytest.approx(
            sum(p.out_of_hours_minutes for p in members)
        )
    minutes = sum(c.outside_minutes for s in totals.slots for c in s.out_of_hours)
    assert totals.out_of_hours_minutes == pytest.approx(minutes) and minutes > 0
    assert totals.worst_person.cost == max(p.cost for p in totals.people)
    per_member = [z.cost_per_member for z in totals.zones]
    assert totals.spread == pytest.approx(max(per_member) - min(per_member))


def test_no_occurrence_lands_on_a_public_holiday(
    demo_org: Organisation, demo_rotation: Rotation
) -> None:
    grid = week_grids([PARIS, TOKYO, NEW_YORK], 60, [date(2026, 11, 23)])[0]
    reasons = {c.blocked for _, costs in grid.rows for c in costs if c.blocked}
    assert "public holiday: Thanksgiving Day on Thu 26 Nov" in reasons  # in the horizon
    assert "public holiday: Labor Thanksgiving Day on Mon 23 Nov" in reasons
    for slot in demo_rotation.rotation.slots:
        assert not slot.missing
        for cost in slot.attendees:
            schedule = demo_org.person(cost.person_id).schedule
            for day in {cost.local_start.date(), cost.local_end.date()}:
                assert schedule.day_off(day) is None, cost.describe()


def test_the_same_input_gives_the_same_series(demo_org: Organisation) -> None:
    first = plan_rotation(demo_org.people, 60, WEEKS)
    again = plan_rotation(demo_org.people, 60, WEEKS)
    assert [s.interval for s in first.rotation.slots] == [s.interval for s in again.rotation.slots]
    assert first.objective == again.objective
    assert first.to_dict() == again.to_dict()


@pytest.mark.parametrize("same_weekday", [False, True])
def test_small_instance_matches_brute_force(same_weekday: bool) -> None:
    people = [PARIS, TOKYO, NEW_YORK]
    weeks = [date(2026, 11, 16), date(2026, 11, 23), date(2026, 11, 30)]
    grids = week_grids(people, 60, weeks, days=frozenset({0, 3}), step_minutes=120)
    # Mon 23 (JP) and Thu 26 (US) rule out most of the holiday week's times
    assert [len(g.candidates) for g in grids] == [24, 7, 24]
    choices = [
        combo
        for combo in itertools.product(*(g.candidates for g in grids))
        if not same_weekday or len({s.interval.start.weekday() for s in combo}) == 1
    ]
    best = min(objective(people, combo) for combo in choices)
    rotation = plan_rotation(people, 60, weeks, grids=grids, same_weekday=same_weekday)
    assert rotation.objective == best
    assert objective(people, rotation.rotation.slots) == best
    if same_weekday:
        assert len({s.interval.start.weekday() for s in rotation.rotation.slots}) == 1


def test_someone_away_all_week_is_listed_as_missing_not_costed() -> None:
    away = make(
        "ren",
        "Asia/Tokyo",
        "09:30",
        "18:30",
        "JP",
        time_off=(DateRange(date(2026, 11, 30), date(2026, 12, 6), "year-end leave"),),
    )
    rotation = plan_rotation([PARIS, away, NEW_YORK], 60, [date(2026, 11, 30)])
    (slot,) = rotation.rotation.slots
    assert [c.person_id for c in slot.missing] == ["ren"]
    assert (slot.missing[0].blocked or "").startswith("year-end leave")
    ren = next(p for p in rotation.rotation.people if p.person_id == "ren")
    assert (ren.missed, ren.cost, ren.out_of_hours_minutes) == (1, 0.0, 0.0)


def test_refuses_weeks_that_do_not_start_on_a_monday() -> None:
    with pytest.raises(InputError, match="Mondays"):
        plan_rotation([PARIS], 60, [date(2026, 11, 17)])


def test_greedy_rotation_is_never_better_than_the_exact_one_and_says_so() -> None:
    from datetime import date, timedelta

    from asyncfirst.scheduling.rotation import plan_rotation, week_grids
    from asyncfirst.services.charter import load_organisation

    people = load_organisation("demo").people
    weeks = [date(2026, 11, 9) + timedelta(weeks=i) for i in range(4)]
    grids = week_grids(people, 60, weeks)
    exact = plan_rotation(people, 60, weeks, grids=grids)
    greedy = plan_rotation(people, 60, weeks, grids=grids, exact=False)
    assert exact.optimal and not greedy.optimal
    assert exact.objective <= greedy.objective
    assert greedy.rotation.worst_zone.cost_per_member <= greedy.baseline.worst_zone.cost_per_member
