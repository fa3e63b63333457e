"""Working time on known daylight-saving days, odd offsets and holidays, with exact answers."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from asyncfirst.domain.calendars import DateRange, HolidayCalendar
from asyncfirst.domain.errors import InputError
from asyncfirst.domain.hours import Shift, WorkingHours
from asyncfirst.domain.schedule import WorkSchedule
from asyncfirst.domain.worktime import (
    add_working_minutes,
    local_day_bounds,
    local_week,
    overlap,
    to_utc,
    working_minutes_between,
    working_time,
)


def every_day(start: int, end: int) -> WorkingHours:
    return WorkingHours.weekly({d: (Shift(start, end),) for d in range(7)})


def minutes_on(zone: str, day: date, hours: WorkingHours) -> float:
    schedule = WorkSchedule(zone, hours)
    bounds = local_day_bounds(day, ZoneInfo(zone))
    # all shifts starting that day, including a night shift's tail after midnight
    return working_minutes_between(schedule, bounds.start, bounds.end + timedelta(hours=12))


@pytest.mark.parametrize(
    ("zone", "day", "start", "end", "expected"),
    [
        # Paris springs forward 02:00 -> 03:00: the hour that does not exist is skipped
        ("Europe/Paris", date(2026, 3, 29), 60, 240, 120),
        # Paris falls back 03:00 -> 02:00: the repeated hour is counted once
        ("Europe/Paris", date(2026, 10, 25), 60, 240, 180),
        # an ordinary day for comparison
        ("Europe/Paris", date(2026, 10, 26), 60, 240, 180),
        # Sydney (southern hemisphere) springs forward 02:00 -> 03:00 in October
        ("Australia/Sydney", date(2026, 10, 4), 0, 360, 300),
        # ... and falls back 03:00 -> 02:00 in April
        ("Australia/Sydney", date(2026, 4, 5), 0, 360, 360),
        # Lord Howe's half-hour daylight saving: 02:00 -> 02:30
        ("Australia/Lord_Howe", date(2026, 10, 4), 60, 240, 150),
        # Santiago changes at midnight: local 00:00-01:00 of 6 Sep 2026 does not exist
        ("America/Santiago", date(2026, 9, 6), 0, 480, 420),
        # New York: a night shift across the spring-forward gap loses an hour
        ("America/New_York", date(2026, 3, 7), 22 * 60, 30 * 60, 420),
        # ... and across the fall-back repeat counts the repeated hour once
        ("America/New_York", date(2026, 10, 31), 22 * 60, 30 * 60, 480),
    ],
)
def test_daylight_saving_days(zone: str, day: date, start: int, end: int, expected: int) -> None:
    hours = WorkingHours.weekly({day.weekday(): (Shift(start, end),)})
    assert minutes_on(zone, day, hours) == expected


@pytest.mark.parametrize(
    ("zone", "utc_start", "utc_end"),
    [
        ("Asia/Kathmandu", "03:15", "11:15"),  # +05:45
        ("Asia/Kolkata", "03:30", "11:30"),  # +05:30
        ("America/St_Johns", "11:30", "19:30"),  # -02:30 in (northern) summer
        ("Pacific/Chatham", "20:15", "04:15"),  # +12:45 in its (southern) winter
    ],
)
def test_odd_offsets(zone: str, utc_start: str, utc_end: str) -> None:
    schedule = WorkSchedule(zone, WorkingHours.office("09:00", "17:00"))
    day = date(2026, 7, 8)  # a Wednesday
    bounds = local_day_bounds(day, ZoneInfo(zone))
    (iv,) = working_time(schedule, bounds.start, bounds.end)
    assert iv.minutes == 480
    assert f"{iv.start:%H:%M}" == utc_start
    assert f"{iv.end:%H:%M}" == utc_end


def test_split_day_and_holiday_and_time_off() -> None:
    hours = WorkingHours.weekly({d: (Shift(480, 720), Shift(780, 1020)) for d in range(5)})
    schedule = WorkSchedule(
        "Europe/Paris",
        hours,
        HolidayCalendar("FR"),
        (DateRange(date(2026, 5, 4), date(2026, 5, 5), "leave"),),
    )
    week = local_week(date(2026, 5, 4), ZoneInfo("Europe/Paris"))
    # 1 May is a Friday in 2026 (outside), 8 May (Victoire 1945) is the Friday of this week;
    # 4-5 May are time off: Wed and Thu remain, 8 h each.
    assert working_minutes_between(schedule, week.start, week.end) == 2 * 480
    assert schedule.day_off(date(2026, 5, 8)) == "public holiday: Victory Day"
    assert schedule.day_off(date(2026, 5, 4)) == "leave"


def test_overlap_of_three_zones_is_empty_but_pairs_are_not() -> None:
    paris = WorkSchedule("Europe/Paris", WorkingHours.office("09:00", "17:30"))
    tokyo = WorkSchedule("Asia/Tokyo", WorkingHours.office("09:30", "18:30"))
    new_york = WorkSchedule("America/New_York", WorkingHours.office("09:00", "17:00"))
    start = datetime(2026, 6, 15, tzinfo=UTC)
    end = start + timedelta(days=7)
    minutes = lambda *s: sum(iv.minutes for iv in overlap(s, start, end))  # noqa: E731
    assert minutes(paris, tokyo) == 5 * 150
    assert minutes(paris, new_york) == 5 * 150
    assert minutes(tokyo, new_york) == 0
    assert minutes(paris, tokyo, new_york) == 0


def test_respond_by_skips_weekend_and_japanese_holiday() -> None:
    coding = WorkSchedule(
        "Asia/Tokyo", WorkingHours.office("09:30", "18:30"), HolidayCalendar("JP")
    )
    sent = datetime(2026, 11, 20, 18, 0, tzinfo=ZoneInfo("Europe/Paris"))
    due = add_working_minutes(coding, sent, 8 * 60)
    assert due == datetime(2026, 11, 24, 17, 30, tzinfo=ZoneInfo("Asia/Tokyo"))


def test_add_working_minutes_inside_a_shift_and_at_its_end() -> None:
    schedule = WorkSchedule("UTC", WorkingHours.office("09:00", "17:00"))
    monday_ten = datetime(2026, 11, 23, 10, tzinfo=UTC)
    assert add_working_minutes(schedule, monday_ten, 60) == monday_ten + timedelta(hours=1)
    assert add_working_minutes(schedule, monday_ten, 7 * 60) == datetime(
        2026, 11, 23, 17, tzinfo=UTC
    )
    assert add_working_minutes(schedule, monday_ten, 0) == monday_ten
    friday_late = datetime(2026, 11, 27, 16, 30, tzinfo=UTC)
    assert add_working_minutes(schedule, friday_late, 60) == datetime(
        2026, 11, 30, 9, 30, tzinfo=UTC
    )


def test_add_working_minutes_refuses_a_schedule_without_hours() -> None:
    schedule = WorkSchedule("UTC", WorkingHours())
    with pytest.raises(InputError, match="no working time"):
        add_working_minutes(schedule, datetime(2026, 1, 1, tzinfo=UTC), 60)
    with pytest.raises(InputError, match="negative"):
        add_working_minutes(schedule, datetime(2026, 1, 1, tzinfo=UTC), -1)


def test_to_utc_maps_gap_times_to_the_jump_and_repeats_to_the_first_pass() -> None:
    paris = ZoneInfo("Europe/Paris")
    assert to_utc(datetime(2026, 3, 29, 2, 30), paris) == datetime(2026, 3, 29, 1, 0, tzinfo=UTC)
    assert to_utc(datetime(2026, 10, 25, 2, 30), paris) == datetime(2026, 10, 25, 0, 30, tzinfo=UTC)


def test_local_week_must_start_on_monday() -> None:
    with pytest.raises(InputError, match="Tuesday"):
        local_week(date(2026, 11, 24), ZoneInfo("UTC"))
