"""The time engine against a brute-force, minute-by-minute oracle, in many zones.

The oracle reads the definition literally: a UTC minute is working time when its local
wall-clock time lies in a shift of its local day (or in the overnight tail of the previous
day's shift), that day is not off, and the minute is not the second pass through a
repeated hour (``fold == 1``).
"""

from __future__ import annotations

import itertools
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from asyncfirst.domain.calendars import DateRange, HolidayCalendar
from asyncfirst.domain.hours import Shift, WorkingHours
from asyncfirst.domain.intervals import total_minutes
from asyncfirst.domain.schedule import WorkSchedule
from asyncfirst.domain.worktime import (
    add_working_minutes,
    working_minutes_between,
    working_time,
)

ZONES = [
    "Europe/Paris",
    "America/New_York",
    "Asia/Tokyo",
    "Asia/Kolkata",  # +05:30
    "Asia/Kathmandu",  # +05:45
    "America/St_Johns",  # -03:30 with DST
    "Australia/Lord_Howe",  # 30-minute DST
    "Pacific/Chatham",  # +12:45 / +13:45
    "Australia/Sydney",  # southern-hemisphere DST
    "America/Santiago",  # southern-hemisphere DST, transitions at midnight
    "Europe/London",
    "America/Sao_Paulo",
    "UTC",
]
HOLIDAY_COUNTRY = {"Europe/Paris": "FR", "America/New_York": "US", "Asia/Tokyo": "JP",
                   "Australia/Sydney": "AU", "Asia/Kolkata": "IN", "Europe/London": "GB"}  # fmt: skip

# Windows that straddle daylight-saving changes in both hemispheres, and the weeks when the
# US and Europe are out of step (US changes second Sunday of March, EU last Sunday).
EDGES = [
    date(2026, 3, 8), date(2026, 3, 29), date(2026, 10, 25), date(2026, 11, 1),
    date(2026, 4, 5), date(2026, 10, 4), date(2026, 9, 6), date(2026, 4, 4),
    date(2025, 3, 30), date(2027, 3, 14), date(2026, 6, 15), date(2026, 1, 12),
]  # fmt: skip


def oracle_minutes(schedule: WorkSchedule, start: datetime, end: datetime) -> set[datetime]:
    tz = ZoneInfo(schedule.zone_name)
    result = set()
    t = start
    while t < end:
        local = t.astimezone(tz)
        if not local.fold:
            wall = local.hour * 60 + local.minute
            today = local.date()
            yesterday = today - timedelta(days=1)
            for day, offset in ((today, 0), (yesterday, 1440)):
                if schedule.day_off(day) is not None:
                    continue
                if any(s.start <= wall + offset < s.end for s in schedule.hours.on(day.weekday())):
                    result.add(t)
                    break
        t += timedelta(minutes=1)
    return result


def engine_minutes(schedule: WorkSchedule, start: datetime, end: datetime) -> set[datetime]:
    result = set()
    for iv in working_time(schedule, start, end):
        t = iv.start
        while t < iv.end:
            result.add(t)
            t += timedelta(minutes=1)
    return result


@st.composite
def shifts(draw: st.DrawFn) -> tuple[Shift, ...]:
    start = draw(st.integers(0, 1439 // 15)) * 15
    length = draw(st.integers(1, 14 * 4)) * 15
    first = Shift(start, start + length)
    if draw(st.booleans()) and first.end + 30 < 1440:  # a split day
        second_start = draw(st.integers(first.end // 15 + 1, 1439 // 15)) * 15
        second_len = draw(st.integers(1, 8 * 4)) * 15
        return (first, Shift(second_start, min(second_start + second_len, 1440 + 60)))
    return (first,)


@st.composite
def schedules(draw: st.DrawFn) -> WorkSchedule:
    zone_name = draw(st.sampled_from(ZONES))
    day_shifts = draw(shifts())
    weekdays = draw(st.sets(st.integers(0, 6), min_size=1))
    hours = WorkingHours.weekly({d: day_shifts for d in weekdays})
    country = HOLIDAY_COUNTRY.get(zone_name)
    holidays = HolidayCalendar(country) if country and draw(st.booleans()) else None
    time_off: tuple[DateRange, ...] = ()
    if draw(st.booleans()):
        first = draw(st.sampled_from(EDGES)) + timedelta(days=draw(st.integers(-2, 2)))
        time_off = (DateRange(first, first + timedelta(days=draw(st.integers(0, 2)))),)
    return WorkSchedule(zone_name, hours, holidays, time_off)


@st.composite
def windows(draw: st.DrawFn) -> tuple[datetime, datetime]:
    day = draw(st.sampled_from(EDGES)) + timedelta(days=draw(st.integers(-2, 1)))
    start = datetime(day.year, day.month, day.day, tzinfo=UTC) + timedelta(
        minutes=draw(st.integers(0, 48 * 4)) * 15
    )
    return start, start + timedelta(minutes=draw(st.integers(0, 4 * 24 * 4)) * 15)


SLOW = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SLOW
@given(schedules(), windows())
def test_working_time_matches_the_minute_oracle(
    schedule: WorkSchedule, window: tuple[datetime, datetime]
) -> None:
    start, end = window
    assert engine_minutes(schedule, start, end) == oracle_minutes(schedule, start, end)


@SLOW
@given(schedules(), windows())
def test_intervals_are_normalised_and_inside_the_window(
    schedule: WorkSchedule, window: tuple[datetime, datetime]
) -> None:
    start, end = window
    intervals = working_time(schedule, start, end)
    for iv in intervals:
        assert start <= iv.start < iv.end <= end
        assert iv.start.tzinfo is not None
    for a, b in itertools.pairwise(intervals):
        assert a.end < b.start


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(schedules(), windows(), st.integers(1, 16 * 4))
def test_add_working_minutes_is_the_first_instant_with_that_much_work(
    schedule: WorkSchedule, window: tuple[datetime, datetime], quarter_hours: int
) -> None:
    start, _ = window
    minutes = quarter_hours * 15
    due = add_working_minutes(schedule, start, minutes)
    assert working_minutes_between(schedule, start, due) == minutes
    # one minute earlier there was not yet enough working time
    assert working_minutes_between(schedule, start, due - timedelta(minutes=1)) < minutes


@SLOW
@given(schedules(), windows(), st.integers(0, 4 * 24 * 4))
def test_working_minutes_add_up_over_a_split(
    schedule: WorkSchedule, window: tuple[datetime, datetime], cut_quarters: int
) -> None:
    start, end = window
    cut = min(end, start + timedelta(minutes=15 * cut_quarters))
    whole = working_minutes_between(schedule, start, end)
    parts = working_minutes_between(schedule, start, cut) + working_minutes_between(
        schedule, cut, end
    )
    assert whole == parts == total_minutes(working_time(schedule, start, end))
