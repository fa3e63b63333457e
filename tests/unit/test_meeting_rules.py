"""The rules of a meeting's times, and focus blocks turned into instants across DST changes."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from asyncfirst.domain.calendars import DateRange
from asyncfirst.domain.errors import InputError
from asyncfirst.domain.hours import WorkingHours
from asyncfirst.domain.meetings import check_meeting_times, focus_occurrences, meeting_kind
from asyncfirst.domain.model import FocusBlock, Person

NOW = datetime(2027, 3, 1, 9, 0, tzinfo=UTC)


def person(zone: str, *blocks: FocusBlock, time_off: tuple[DateRange, ...] = ()) -> Person:
    return Person(
        "p", "P", "t", zone, WorkingHours.office("09:00", "17:30"), None,
        time_off=time_off, focus_blocks=blocks,
    )  # fmt: skip


def test_times_must_be_aware_ordered_short_and_ahead() -> None:
    start = NOW + timedelta(days=1)
    assert check_meeting_times(start, start + timedelta(minutes=30), NOW).start == start
    naive = start.replace(tzinfo=None)
    with pytest.raises(InputError, match="starts_at 2027-03-02T09:00:00 has no time zone"):
        check_meeting_times(naive, start, NOW)
    with pytest.raises(InputError, match="is not after starts_at"):
        check_meeting_times(start, start, NOW)
    with pytest.raises(InputError, match="lasts 540 minutes; at most 480"):
        check_meeting_times(start, start + timedelta(hours=9), NOW)
    with pytest.raises(InputError, match="is in the past"):
        check_meeting_times(NOW - timedelta(minutes=1), NOW + timedelta(minutes=29), NOW)


def test_kinds_are_named_and_unknown_ones_list_the_known() -> None:
    assert meeting_kind(" Workshop ") == "workshop"
    with pytest.raises(InputError, match="not one of: alignment, workshop, kickoff"):
        meeting_kind("party")


def test_focus_at_nine_paris_moves_an_hour_in_utc_across_the_march_change() -> None:
    """Tue 23 and Tue 30 March 2027 around Europe's change on Sunday 28 March."""
    chloe = person("Europe/Paris", FocusBlock(1, 9 * 60, 12 * 60))
    found = list(focus_occurrences(chloe, date(2027, 3, 22), 14))
    assert [b.day for b in found] == [date(2027, 3, 23), date(2027, 3, 30)]
    assert [b.start.astimezone(UTC).hour for b in found] == [8, 7]
    assert [f"{b.start:%H:%M %Z}" for b in found] == ["09:00 CET", "09:00 CEST"]
    assert all(b.end - b.start == timedelta(hours=3) for b in found)


def test_lord_howe_half_hour_change_and_days_off() -> None:
    """Lord Howe falls back 30 minutes on Sun 4 April 2027; a day of time off has no focus."""
    howe = person(
        "Australia/Lord_Howe",
        FocusBlock(0, 10 * 60, 11 * 60),
        FocusBlock(5, 10 * 60, 11 * 60),  # a Saturday: not a working day
        time_off=(DateRange(date(2027, 4, 12), date(2027, 4, 12), "dentist"),),
    )
    found = list(focus_occurrences(howe, date(2027, 3, 29), 21))
    assert [b.day for b in found] == [date(2027, 3, 29), date(2027, 4, 5)]
    before, after = (b.start.astimezone(UTC) for b in found)
    assert (before.hour, before.minute) == (23, 0)  # 10:00 +11:00, the day before in UTC
    assert (after.hour, after.minute) == (23, 30)  # 10:00 +10:30
    assert {b.start.astimezone(ZoneInfo("Australia/Lord_Howe")).hour for b in found} == {10}
