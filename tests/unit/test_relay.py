"""Relays: regional groups, one in-hours session each, and the recap that chains them."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from asyncfirst.domain.calendars import DateRange, HolidayCalendar
from asyncfirst.domain.hours import WorkingHours
from asyncfirst.domain.intervals import Interval
from asyncfirst.domain.model import Person
from asyncfirst.scheduling.inconvenience import evaluate, person_profile
from asyncfirst.scheduling.relay import GridRow, city, plan_relay, regional_groups
from asyncfirst.scheduling.slots import grid_starts, rank_slots


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
NEW_YORK_2 = make("maria", "America/New_York", "09:00", "17:00", "US")
START = datetime(2026, 11, 16, tzinfo=UTC)
END = START + timedelta(days=5)


def grid(people: list[Person], duration: int = 30) -> list[GridRow]:
    profiles = [person_profile(p, START, END) for p in people]
    rows: list[GridRow] = []
    for s in grid_starts(START, END, duration):
        iv = Interval(s, s + timedelta(minutes=duration))
        rows.append((iv, tuple(evaluate(pr, iv) for pr in profiles)))
    return rows


def test_three_zones_make_two_in_hours_sessions() -> None:
    people = [PARIS, TOKYO, NEW_YORK]
    plan = plan_relay(people, grid(people))
    assert plan.session_count == 2
    assert plan.out_of_hours_minutes == 0
    assert plan.unplaced == ()
    for session in plan.sessions:
        assert all(a.inside_hours for a in session.attendees)
        assert session.cost == 0
    covered = sorted(a.person_id for s in plan.sessions for a in s.attendees)
    assert covered == ["amelie", "kenji", "sam"]
    starts = [s.interval.start for s in plan.sessions]
    assert starts == sorted(starts)
    assert plan.handover == tuple(s.label for s in plan.sessions)
    assert plan.recap.startswith(f"Hand-over: {plan.handover[0]} (")
    assert plan.to_dict()["session_count"] == 2


def test_largest_group_wins_the_merge() -> None:
    people = [PARIS, TOKYO, NEW_YORK, NEW_YORK_2]
    groups = regional_groups(people, grid(people))
    # Paris+New York (3 people) beats Paris+Tokyo (2 people); Tokyo goes alone.
    assert groups == [(0, 2, 3), (1,)]
    plan = plan_relay(people, grid(people))
    assert [s.label for s in plan.sessions] in (
        ["Paris + New York", "Tokyo"],
        ["Tokyo", "Paris + New York"],
    )


def test_sessions_stay_close_to_the_main_session() -> None:
    people = [PARIS, TOKYO, NEW_YORK]
    plan = plan_relay(people, grid(people))
    first, second = (s.interval.start for s in plan.sessions)
    assert second - first < timedelta(hours=24)


def test_same_zone_people_who_never_overlap_are_split() -> None:
    early = Person(
        "night", "Night", "t", "America/New_York", WorkingHours.office("00:00", "03:00"), None
    )
    people = [NEW_YORK, early]
    groups = regional_groups(people, grid(people))
    assert sorted(groups) == [(0,), (1,)]
    assert plan_relay(people, grid(people)).session_count == 2


def test_someone_away_all_week_is_reported_not_scheduled() -> None:
    away = make(
        "ines", "Europe/Paris", "09:00", "17:30", "FR",
        time_off=(DateRange(date(2026, 11, 9), date(2026, 11, 29), "sabbatical"),),
    )  # fmt: skip
    people = [away, TOKYO]
    plan = plan_relay(people, grid(people))
    assert plan.unplaced == ("Ines",)
    assert [s.label for s in plan.sessions] == ["Tokyo"]


def test_rank_slots_offers_the_relay_only_without_a_common_hour() -> None:
    assert rank_slots([PARIS, NEW_YORK], 30, START, END).relay is None
    relay = rank_slots([PARIS, TOKYO, NEW_YORK], 30, START, END).relay
    assert relay is not None and relay.session_count == 2


def test_city_names() -> None:
    assert city("America/New_York") == "New York"
    assert city("America/Argentina/Buenos_Aires") == "Buenos Aires"
    assert city("UTC") == "UTC"
