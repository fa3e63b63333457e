"""Reminder instants: 60 working minutes before the deadline, counted backwards in the
recipient's working time, across daylight-saving edges in both hemispheres and holidays."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from asyncfirst.domain.calendars import HolidayCalendar
from asyncfirst.domain.hours import WorkingHours
from asyncfirst.domain.model import Organisation
from asyncfirst.domain.reminders import (
    is_working_instant,
    reminder_at,
    reminder_due,
    subtract_working_minutes,
)
from asyncfirst.domain.schedule import WorkSchedule
from asyncfirst.domain.worktime import working_minutes_between

PARIS = ZoneInfo("Europe/Paris")
SYDNEY = ZoneInfo("Australia/Sydney")
TOKYO = ZoneInfo("Asia/Tokyo")


def office(zone: str, start: str = "09:00", end: str = "17:30") -> WorkSchedule:
    return WorkSchedule(zone, WorkingHours.office(start, end))


def test_a_monday_morning_deadline_is_reminded_on_friday_afternoon() -> None:
    due = datetime(2026, 11, 30, 9, 30, tzinfo=PARIS)
    sent = datetime(2026, 11, 26, 12, 0, tzinfo=PARIS)
    at = reminder_at(office("Europe/Paris"), sent, due)
    assert at == datetime(2026, 11, 27, 17, 0, tzinfo=PARIS)  # 30 min Friday + 30 min Monday


@pytest.mark.parametrize(
    ("due", "expected_utc"),
    [
        # autumn: Paris leaves summer time on Sunday 2026-10-25 (CEST +2 -> CET +1)
        (datetime(2026, 10, 26, 9, 30, tzinfo=PARIS), datetime(2026, 10, 23, 15, 0, tzinfo=UTC)),
        # spring: Paris enters summer time on Sunday 2026-03-29 (CET +1 -> CEST +2)
        (datetime(2026, 3, 30, 9, 30, tzinfo=PARIS), datetime(2026, 3, 27, 16, 0, tzinfo=UTC)),
    ],
)
def test_northern_dst_weekends_are_crossed_exactly(due: datetime, expected_utc: datetime) -> None:
    at = reminder_at(office("Europe/Paris"), due - timedelta(days=5), due)
    assert at == expected_utc
    assert at is not None and at.astimezone(PARIS).strftime("%a %H:%M") == "Fri 17:00"


@pytest.mark.parametrize(
    ("due", "expected_local"),
    [
        # Sydney enters summer time on Sunday 2026-10-04 (AEST +10 -> AEDT +11)
        (datetime(2026, 10, 5, 9, 30, tzinfo=SYDNEY), datetime(2026, 10, 2, 16, 30, tzinfo=SYDNEY)),
        # and leaves it on Sunday 2026-04-05 (AEDT +11 -> AEST +10)
        (datetime(2026, 4, 6, 9, 30, tzinfo=SYDNEY), datetime(2026, 4, 3, 16, 30, tzinfo=SYDNEY)),
    ],
)
def test_southern_dst_weekends_are_crossed_exactly(due: datetime, expected_local: datetime) -> None:
    schedule = office("Australia/Sydney", "09:00", "17:00")
    assert reminder_at(schedule, due - timedelta(days=5), due) == expected_local


def test_a_repeated_hour_in_a_night_shift_counts_once() -> None:
    """Sat 22:00-Sun 06:00 in Paris over the fall-back night: 02:00-03:00 happens twice,
    and only its first pass is working time, so 60 working minutes before 03:30 CET
    (02:30 UTC) reach back past the second pass to 02:30 CEST (00:30 UTC)."""
    schedule = WorkSchedule("Europe/Paris", WorkingHours.office("22:00", "06:00", [5]))
    due = datetime(2026, 10, 25, 2, 30, tzinfo=UTC)
    at = reminder_at(schedule, datetime(2026, 10, 24, 20, 0, tzinfo=UTC), due)
    assert at == datetime(2026, 10, 25, 0, 30, tzinfo=UTC)
    assert working_minutes_between(schedule, at, due) == 60


def test_a_holiday_is_skipped_backwards(demo_org: Organisation) -> None:
    """Kenji (Tokyo, 09:30-18:30): Monday 2026-11-23 is Labour Thanksgiving Day, so 60
    working minutes before Tuesday 10:00 start on Friday at 18:00."""
    kenji = demo_org.person("kenji").schedule
    due = datetime(2026, 11, 24, 10, 0, tzinfo=TOKYO)
    at = reminder_at(kenji, datetime(2026, 11, 19, 12, 0, tzinfo=TOKYO), due)
    assert at == datetime(2026, 11, 20, 18, 0, tzinfo=TOKYO)


def test_a_deadline_too_close_to_the_message_gets_no_reminder() -> None:
    schedule = office("Europe/Paris")
    sent = datetime(2026, 11, 26, 10, 0, tzinfo=PARIS)
    assert reminder_at(schedule, sent, sent + timedelta(minutes=45)) is None
    assert reminder_at(schedule, sent, sent + timedelta(minutes=61)) == sent + timedelta(minutes=1)


def test_a_reminder_never_goes_out_at_night() -> None:
    """Due Monday 09:30 Paris, reminded from Friday 17:00; a job that missed Friday's half
    hour waits through the weekend night and reminds on Monday at 09:00."""
    schedule = office("Europe/Paris")
    sent = datetime(2026, 11, 26, 12, 0, tzinfo=PARIS)
    due = datetime(2026, 11, 30, 9, 30, tzinfo=PARIS)
    at = lambda *args: datetime(*args, tzinfo=PARIS)  # noqa: E731
    assert not reminder_due(schedule, sent, due, at(2026, 11, 27, 16, 59))
    assert reminder_due(schedule, sent, due, at(2026, 11, 27, 17, 0))
    assert not reminder_due(schedule, sent, due, at(2026, 11, 27, 23, 0))  # night
    assert not reminder_due(schedule, sent, due, at(2026, 11, 29, 12, 0))  # Sunday
    assert not reminder_due(schedule, sent, due, at(2026, 11, 30, 8, 59))
    assert reminder_due(schedule, sent, due, at(2026, 11, 30, 9, 0))
    assert not reminder_due(schedule, sent, due, at(2026, 11, 30, 9, 30))  # due: too late


ZONES = (
    "Europe/Paris", "Asia/Tokyo", "America/New_York", "Australia/Sydney", "Australia/Lord_Howe",
    "Asia/Kolkata", "Asia/Kathmandu", "America/Santiago", "Pacific/Auckland",
)  # fmt: skip


def test_reminders_lie_in_working_time_exactly_an_hour_before(demo_org: Organisation) -> None:
    """An oracle over 300 random deadlines in nine zones (odd offsets, both hemispheres,
    30-minute DST): the reminder is working time and exactly 60 working minutes before."""
    rng = random.Random(20261127)  # noqa: S311 - reproducible test data, not secrets
    hours = WorkingHours.office("08:30", "16:45")
    holidays = HolidayCalendar("FR", None)
    start = datetime(2026, 1, 1, tzinfo=UTC)
    for _ in range(300):
        schedule = WorkSchedule(rng.choice(ZONES), hours, holidays)
        instant = start + timedelta(minutes=rng.randrange(365 * 24 * 60))
        at = subtract_working_minutes(schedule, instant, 60)
        assert at is not None
        assert working_minutes_between(schedule, at, instant) == pytest.approx(60)
        assert is_working_instant(schedule, at), (schedule.zone_name, instant, at)
