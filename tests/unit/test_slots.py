"""Ranking start times for one meeting, the find_slots use case and the slots command."""

from __future__ import annotations

import json
import time
from datetime import UTC, date, datetime, timedelta
from datetime import time as clock_time
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from asyncfirst.domain.calendars import DateRange, HolidayCalendar
from asyncfirst.domain.errors import InputError, UnknownEntityError
from asyncfirst.domain.hours import WorkingHours
from asyncfirst.domain.intervals import Interval
from asyncfirst.domain.model import AsyncBand, FocusBlock, Organisation, Person, Team
from asyncfirst.entrypoints.cli_common import new_app
from asyncfirst.entrypoints.cli_slots import next_monday, slots_command
from asyncfirst.scheduling.slots import grid_starts, rank_slots
from asyncfirst.services.slots import find_slots


def make(
    pid: str, zone: str, start: str, end: str, country: str, sub: str | None = None, **kw: object
) -> Person:
    return Person(
        id=pid,
        name=pid.title(),
        team_id=kw.pop("team_id", "t"),  # type: ignore[arg-type]
        zone=zone,
        hours=WorkingHours.office(start, end),
        holidays=HolidayCalendar(country, sub),
        **kw,  # type: ignore[arg-type]
    )


PARIS = make("amelie", "Europe/Paris", "09:00", "17:30", "FR")
TOKYO = make("kenji", "Asia/Tokyo", "09:30", "18:30", "JP")
NEW_YORK = make("sam", "America/New_York", "09:00", "17:00", "US", "NY")

NOV_16 = datetime(2026, 11, 16, tzinfo=UTC)  # an ordinary Monday, all on standard time
NOV_23 = datetime(2026, 11, 23, tzinfo=UTC)  # Thanksgiving week (Thu 26 in the US)
MAR_09 = datetime(2026, 3, 9, tzinfo=UTC)  # New York on summer time, Paris not yet


def week(monday: datetime, days: int = 5) -> tuple[datetime, datetime]:
    return monday, monday + timedelta(days=days)


def local_dates(search_candidates: object, person: Person) -> set[date]:
    return {
        a.local_start.date()
        for c in search_candidates  # type: ignore[attr-defined]
        for a in c.attendees
        if a.person_id == person.id
    }


def test_paris_and_new_york_meet_in_the_shared_afternoon() -> None:
    search = rank_slots([PARIS, NEW_YORK], 30, *week(NOV_16), limit=100)
    assert search.all_inside
    assert search.relay is None
    assert search.inside_count == 9 * 5  # 14:00..16:00 UTC starts, five days
    assert search.explanation.startswith("45 start times have both people inside")
    best = search.candidates[0]
    assert best.total_cost == 0 and best.all_inside
    assert best.start == datetime(2026, 11, 16, 14, tzinfo=UTC)
    for candidate in search.candidates[:45]:
        assert candidate.all_inside
        assert clock_time(14) <= candidate.start.time() <= clock_time(16)
        paris, new_york = candidate.attendees
        assert paris.local_start.hour >= 15 and new_york.local_start.hour >= 9


def test_paris_tokyo_new_york_has_no_common_hour_and_offers_a_relay() -> None:
    search = rank_slots([PARIS, TOKYO, NEW_YORK], 30, *week(NOV_16))
    assert not search.all_inside
    assert search.inside_count == 0
    assert "No time in this horizon has all 3 people inside their working hours" in (
        search.explanation
    )
    assert "Tokyo and New York share no working hour" in search.explanation
    assert "A relay of 2 sessions keeps everyone inside working hours." in search.explanation
    assert search.candidates, "least-bad options are still listed"
    assert all(c.total_cost > 0 for c in search.candidates)
    assert search.relay is not None
    assert search.relay.session_count == 2
    assert search.relay.out_of_hours_minutes == 0
    for session in search.relay.sessions:
        assert all(a.inside_hours for a in session.attendees)
    people = sorted(a.person_id for s in search.relay.sessions for a in s.attendees)
    assert people == ["amelie", "kenji", "sam"]


def test_least_bad_options_spare_the_night() -> None:
    search = rank_slots([PARIS, TOKYO, NEW_YORK], 30, *week(NOV_16))
    best = search.candidates[0]
    assert all(a.category.value in ("inside", "early-late") for a in best.attendees)
    assert best.max_cost < 30 * 10


def test_thanksgiving_excludes_that_new_york_day() -> None:
    search = rank_slots([PARIS, NEW_YORK], 30, *week(NOV_23), limit=1000)
    assert date(2026, 11, 26) not in local_dates(search.candidates, NEW_YORK)
    assert date(2026, 11, 25) in local_dates(search.candidates, NEW_YORK)
    assert any("Thanksgiving" in e and "Sam" in e for e in search.exclusions)
    assert "Thanksgiving" in search.explanation


def test_meeting_free_wednesday_excludes_wednesday() -> None:
    calm = make("zoe", "Europe/Paris", "09:00", "17:30", "FR", meeting_free_days=frozenset({2}))
    search = rank_slots([calm, NEW_YORK], 30, *week(NOV_16), limit=1000)
    days = local_dates(search.candidates, calm)
    assert date(2026, 11, 18) not in days
    assert {date(2026, 11, 17), date(2026, 11, 19)} <= days
    assert "Zoe: meeting-free day (Wednesday)" in search.exclusions


def test_daily_sync_cap_excludes_a_day() -> None:
    capped = make("ren", "Europe/Paris", "09:00", "17:30", "FR", daily_sync_cap_minutes=120)
    tuesday = date(2026, 11, 17)
    full = rank_slots(
        [capped, NEW_YORK],
        30,
        *week(NOV_16),
        already_sync_minutes={("ren", tuesday): 110},
        limit=1000,
    )
    assert tuesday not in local_dates(full.candidates, capped)
    assert "Ren: daily sync cap of 120 min reached on Tue 17 Nov" in full.exclusions
    room = rank_slots(
        [capped, NEW_YORK],
        30,
        *week(NOV_16),
        already_sync_minutes={("ren", tuesday): 90},
        limit=1000,
    )
    assert tuesday in local_dates(room.candidates, capped)


def test_busy_time_is_avoided() -> None:
    busy = Interval(datetime(2026, 11, 16, 14, tzinfo=UTC), datetime(2026, 11, 16, 15, tzinfo=UTC))
    search = rank_slots([PARIS, NEW_YORK], 30, *week(NOV_16), busy={"sam": [busy]}, limit=1000)
    assert all(not c.interval.overlaps(busy) for c in search.candidates)
    assert search.candidates[0].start == datetime(2026, 11, 16, 15, tzinfo=UTC)


def test_focus_block_raises_the_cost_and_pushes_the_slot_later() -> None:
    deep = make(
        "chloe", "Europe/Paris", "09:00", "17:30", "FR",
        focus_blocks=tuple(FocusBlock(d, 15 * 60, 16 * 60 + 30, True) for d in range(5)),
    )  # fmt: skip
    search = rank_slots([deep, NEW_YORK], 30, *week(NOV_16), limit=1000)
    best = search.candidates[0]
    assert best.total_cost == 0
    assert best.start == datetime(2026, 11, 16, 15, 30, tzinfo=UTC)  # 16:30 Paris, after focus
    in_focus = next(
        c for c in search.candidates if c.start == datetime(2026, 11, 16, 14, tzinfo=UTC)
    )
    assert in_focus.all_inside and in_focus.total_cost > 0


def test_dst_week_gives_paris_and_new_york_an_extra_hour() -> None:
    normal = rank_slots([PARIS, NEW_YORK], 30, *week(NOV_16))
    dst = rank_slots([PARIS, NEW_YORK], 30, *week(MAR_09))
    assert (normal.inside_count, dst.inside_count) == (45, 65)  # 2 h 30 vs 3 h 30 a day
    assert dst.candidates[0].start == datetime(2026, 3, 9, 13, tzinfo=UTC)
    assert dst.candidates[0].attendees[1].local_start.isoformat() == "2026-03-09T09:00:00-04:00"


def test_odd_offset_kathmandu_on_the_grid() -> None:
    asha = make("asha", "Asia/Kathmandu", "10:00", "17:00", "NP")
    search = rank_slots([asha, PARIS], 45, *week(NOV_16), limit=1000)
    assert search.all_inside
    for candidate in search.candidates:
        kathmandu = candidate.attendees[0]
        assert kathmandu.local_start.minute in (0, 15, 30, 45)
        assert kathmandu.local_start.utcoffset() == timedelta(hours=5, minutes=45)
    inside = [c for c in search.candidates if c.all_inside]
    starts = sorted(c.attendees[0].local_start.time() for c in inside)
    assert (starts[0], starts[-1]) == (clock_time(13, 45), clock_time(16, 15))  # Paris 09:00 CET


def test_limit_and_grid_step() -> None:
    search = rank_slots([PARIS], 60, *week(NOV_16, 1), limit=3, step_minutes=30)
    assert len(search.candidates) == 3
    assert search.considered == 47  # 00:00..23:00 UTC every half hour
    assert all(c.start.minute in (0, 30) for c in search.candidates)
    assert grid_starts(NOV_16 + timedelta(minutes=7), NOV_16 + timedelta(hours=1), 15)[0] == (
        NOV_16 + timedelta(minutes=15)
    )


def test_ten_people_over_five_days_is_fast() -> None:
    people = [PARIS, TOKYO, NEW_YORK] * 3 + [make("asha", "Asia/Kathmandu", "10:00", "17:00", "NP")]
    people = [
        Person(f"{p.id}{n}", p.name, p.team_id, p.zone, p.hours, p.holidays)
        for n, p in enumerate(people)
    ]
    rank_slots(people[:3], 30, *week(NOV_16))  # warm the holiday tables
    begin = time.perf_counter()
    search = rank_slots(people, 30, *week(NOV_16))
    assert time.perf_counter() - begin < 1.0
    assert search.considered == 5 * 96 - 1


PEOPLE = [PARIS, TOKYO, NEW_YORK, make("asha", "Asia/Kathmandu", "10:00", "17:00", "NP")]


@settings(max_examples=40, deadline=None)
@given(
    offset=st.integers(0, 60 * 24 * 120),
    days=st.integers(1, 3),
    duration=st.sampled_from([15, 30, 45, 60, 90]),
    who=st.sets(st.integers(0, len(PEOPLE) - 1), min_size=1),
)
def test_candidates_on_grid_in_horizon_and_ranked(
    offset: int, days: int, duration: int, who: set[int]
) -> None:
    start = datetime(2026, 1, 1, tzinfo=UTC) + timedelta(minutes=offset)
    end = start + timedelta(days=days)
    search = rank_slots([PEOPLE[i] for i in sorted(who)], duration, start, end, limit=50)
    for c in search.candidates:
        assert c.start.minute % 15 == 0 and c.start.second == 0 and c.start.microsecond == 0
        assert start <= c.start and c.end <= end
        assert c.end - c.start == timedelta(minutes=duration)
        assert all(a.blocked is None for a in c.attendees)
    keys = [(c.total_cost, c.max_cost, c.start) for c in search.candidates]
    assert keys == sorted(keys)
    assert search.all_inside == (search.inside_count > 0)
    if search.all_inside:  # nobody has focus blocks here, so inside hours costs nothing
        assert search.candidates[0].all_inside and search.candidates[0].total_cost == 0


def org() -> Organisation:
    band = AsyncBand(0.7, 0.95)
    teams = (
        Team("design", "Design", "Europe/Paris", PARIS.hours, PARIS.holidays, band),
        Team("qa", "QA", "America/New_York", NEW_YORK.hours, NEW_YORK.holidays, band),
    )
    people = (
        make("amelie", "Europe/Paris", "09:00", "17:30", "FR", team_id="design"),
        make("bastien", "Europe/Paris", "09:00", "17:30", "FR", team_id="design"),
        make("sam", "America/New_York", "09:00", "17:00", "US", "NY", team_id="qa"),
    )
    return Organisation("Test", teams, people)


def test_find_slots_resolves_teams_and_people_once_each() -> None:
    report = find_slots(org(), ["design", "amelie", "qa"], 30, date(2026, 11, 16), 5)
    assert [p.id for p in report.attendees] == ["amelie", "bastien", "sam"]
    assert report.horizon == Interval(NOV_16, NOV_16 + timedelta(days=5))
    data = json.loads(json.dumps(report.to_dict()))
    assert data["all_inside"] is True
    assert data["horizon"]["start"] == "2026-11-16T00:00:00+00:00"
    first = data["candidates"][0]
    assert first["attendees"][2]["local_start"] == "2026-11-16T09:00:00-05:00"
    assert first["attendees"][2]["inside_hours"] is True


def test_find_slots_refuses_unknown_ids_and_bad_input() -> None:
    with pytest.raises(UnknownEntityError, match='unknown person or team "desing"'):
        find_slots(org(), ["desing"], 30, date(2026, 11, 16), 5)
    for duration, days, message in [
        (0, 5, "--duration must be between 1 and 480"),
        (600, 5, "--duration must be between 1 and 480"),
        (30, 0, "--days must be between 1 and 31"),
        (30, 400, "--days must be between 1 and 31"),
    ]:
        with pytest.raises(InputError, match=message):
            find_slots(org(), ["qa"], duration, date(2026, 11, 16), days)
    with pytest.raises(InputError, match="at least one attendee"):
        find_slots(org(), [], 30, date(2026, 11, 16), 5)


def test_next_monday() -> None:
    assert next_monday(date(2026, 11, 18)) == date(2026, 11, 23)
    assert next_monday(date(2026, 11, 23)) == date(2026, 11, 30)


def test_slots_command_json_and_table_on_the_demo() -> None:
    app = new_app("test", "test")
    app.command("slots")(slots_command)
    app.command("noop")(lambda: None)
    runner = CliRunner()
    args = ["slots", "demo", "--with", "design", "--with", "coding", "--with", "qa"]
    result = runner.invoke(app, [*args, "--from", "2026-11-16", "--json", "--limit", "2"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["all_inside"] is False
    assert data["relay"]["session_count"] == 2
    assert len(data["candidates"]) == 2
    table = runner.invoke(app, [*args, "--from", "2026-11-16"], env={"COLUMNS": "200"})
    assert table.exit_code == 0, table.output
    assert "Tokyo and New York share no working hour" in table.output
    assert "Relay: 2 sessions" in table.output
    bad = runner.invoke(app, ["slots", "demo", "--with", "nobody"])
    assert bad.exit_code == 3
    assert 'unknown person or team "nobody"' in bad.output


def test_local_times_are_in_the_attendees_zone() -> None:
    search = rank_slots([TOKYO, PARIS], 30, *week(NOV_16, 1), limit=200)
    for c in search.candidates:
        assert c.attendees[0].local_start.tzinfo == ZoneInfo("Asia/Tokyo")
        assert c.attendees[1].local_start.tzinfo == ZoneInfo("Europe/Paris")
        assert c.attendees[0].local_start == c.start == c.attendees[1].local_start


def test_no_possible_time_says_so() -> None:
    away = make(
        "ines", "Europe/Paris", "09:00", "17:30", "FR",
        time_off=(DateRange(date(2026, 11, 9), date(2026, 11, 29), "sabbatical"),),
    )  # fmt: skip
    search = rank_slots([away, NEW_YORK], 30, *week(NOV_16))
    assert search.candidates == ()
    assert not search.all_inside
    assert search.explanation.startswith("No time in this horizon is possible for both people.")
    assert "Ines: sabbatical on Mon 16 Nov" in search.explanation
    assert search.relay is not None and search.relay.unplaced == ("Ines",)
