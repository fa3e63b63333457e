"""Inconvenience of one interval for one person: bands, weights, blocks and words."""

from __future__ import annotations

import math
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from asyncfirst.domain.calendars import DateRange, HolidayCalendar
from asyncfirst.domain.hours import WorkingHours
from asyncfirst.domain.intervals import Interval
from asyncfirst.domain.model import FocusBlock, Person
from asyncfirst.scheduling.inconvenience import (
    EARLY_LATE_WEIGHT,
    FOCUS_WEIGHT,
    NIGHT_WEIGHT,
    PROTECTED_FOCUS_WEIGHT,
    STRETCH_WEIGHT,
    Category,
    evaluate,
    format_minutes,
    inconvenience,
    person_profile,
)


def make(
    pid: str, zone: str, start: str, end: str, country: str, sub: str | None = None, **kw: object
) -> Person:
    return Person(
        id=pid,
        name=pid.title(),
        team_id="t",
        zone=zone,
        hours=WorkingHours.office(start, end),
        holidays=HolidayCalendar(country, sub),
        **kw,  # type: ignore[arg-type]
    )


AMELIE = make("amelie", "Europe/Paris", "09:00", "17:30", "FR")
KENJI = make("kenji", "Asia/Tokyo", "09:30", "18:30", "JP")
SAM = make("sam", "America/New_York", "09:00", "17:00", "US", "NY")


def local(zone: str, y: int, mo: int, d: int, h: int, mi: int = 0, minutes: int = 30) -> Interval:
    start = datetime(y, mo, d, h, mi, tzinfo=ZoneInfo(zone))
    return Interval.of(start, start + timedelta(minutes=minutes))


def test_inside_working_hours_costs_nothing() -> None:
    cost = inconvenience(AMELIE, local("Europe/Paris", 2026, 11, 17, 10))
    assert cost.inside_hours
    assert cost.category is Category.INSIDE
    assert cost.cost == 0
    assert cost.bands.inside == 30
    assert cost.describe() == "Amelie: Tue 10:00–10:30 Europe/Paris, inside working hours"


def test_night_in_tokyo_counts_most_and_says_how_far_out() -> None:
    cost = inconvenience(KENJI, local("Asia/Tokyo", 2026, 11, 17, 22))
    assert cost.category is Category.NIGHT
    assert cost.bands.night == 30
    assert cost.cost == 30 * NIGHT_WEIGHT
    assert not cost.inside_hours
    assert cost.describe() == "Kenji: Tue 22:00–22:30 Asia/Tokyo, 3 h 30 after working hours"


def test_early_morning_in_new_york_is_early_late() -> None:
    cost = inconvenience(SAM, local("America/New_York", 2026, 11, 17, 8))
    assert cost.category is Category.EARLY_LATE
    assert cost.cost == 30 * EARLY_LATE_WEIGHT
    assert cost.reason == "1 h before working hours"


def test_a_meeting_running_past_the_end_of_the_day_pays_only_for_the_overrun() -> None:
    cost = inconvenience(AMELIE, local("Europe/Paris", 2026, 11, 17, 17, 15))
    assert (cost.bands.inside, cost.bands.early_late) == (15, 15)
    assert cost.cost == 15 * EARLY_LATE_WEIGHT
    assert cost.reason == "15 min outside working hours"


def test_stretch_allowance_is_cheaper_than_early_late() -> None:
    stretchy = make("lea", "Europe/Paris", "09:00", "17:30", "FR", stretch_minutes=60)
    interval = local("Europe/Paris", 2026, 11, 17, 17, 45)
    cost = inconvenience(stretchy, interval)
    assert cost.category is Category.STRETCH
    assert cost.cost == 30 * STRETCH_WEIGHT
    assert cost.cost < inconvenience(AMELIE, interval).cost


def test_bands_are_ordered_stretch_early_late_night() -> None:
    stretchy = make("lea", "Europe/Paris", "09:00", "17:30", "FR", stretch_minutes=60)
    costs = [
        inconvenience(stretchy, local("Europe/Paris", 2026, 11, 17, h, m)).cost
        for h, m in ((10, 0), (17, 45), (19, 0), (23, 0))
    ]
    assert costs == sorted(costs)
    assert len(set(costs)) == 4


def test_a_weekend_is_a_day_off_not_a_cheap_early_slot() -> None:
    cost = inconvenience(AMELIE, local("Europe/Paris", 2026, 11, 21, 11))  # Saturday
    assert cost.category is Category.DAY_OFF
    assert cost.cost == inconvenience(AMELIE, local("Europe/Paris", 2026, 11, 17, 23)).cost
    assert cost.reason == "on a day off (Saturday)"


def test_public_holiday_blocks() -> None:
    cost = inconvenience(SAM, local("America/New_York", 2026, 11, 26, 10))  # Thanksgiving
    assert math.isinf(cost.cost)
    assert not cost.inside_hours
    assert cost.blocked is not None
    assert "Thanksgiving" in cost.blocked


def test_time_off_blocks_with_its_reason() -> None:
    away = make(
        "ines", "Europe/Paris", "09:00", "17:30", "FR",
        time_off=(DateRange(date(2026, 11, 16), date(2026, 11, 18), "parental leave"),),
    )  # fmt: skip
    assert inconvenience(away, local("Europe/Paris", 2026, 11, 17, 10)).blocked == (
        "parental leave on Tue 17 Nov"
    )
    assert inconvenience(away, local("Europe/Paris", 2026, 11, 19, 10)).blocked is None


def test_meeting_free_day_blocks() -> None:
    calm = make("zoe", "Europe/Paris", "09:00", "17:30", "FR", meeting_free_days=frozenset({2}))
    assert inconvenience(calm, local("Europe/Paris", 2026, 11, 18, 10)).blocked == (
        "meeting-free day (Wednesday)"
    )
    assert inconvenience(calm, local("Europe/Paris", 2026, 11, 17, 10)).blocked is None


def test_meeting_free_day_is_judged_on_the_local_date() -> None:
    calm = make("yuki", "Asia/Tokyo", "09:30", "18:30", "JP", meeting_free_days=frozenset({2}))
    # Tue 16:00 UTC is already Wednesday 01:00 in Tokyo
    interval = Interval(
        datetime(2026, 11, 17, 16, tzinfo=UTC), datetime(2026, 11, 17, 16, 30, tzinfo=UTC)
    )
    assert inconvenience(calm, interval).blocked == "meeting-free day (Wednesday)"


def test_protected_focus_costs_more_than_unprotected() -> None:
    deep = make(
        "chloe", "Europe/Paris", "09:00", "17:30", "FR",
        focus_blocks=(FocusBlock(1, 9 * 60, 12 * 60, True), FocusBlock(3, 9 * 60, 12 * 60, False)),
    )  # fmt: skip
    tuesday = inconvenience(deep, local("Europe/Paris", 2026, 11, 17, 10))
    thursday = inconvenience(deep, local("Europe/Paris", 2026, 11, 19, 10))
    assert tuesday.inside_hours and thursday.inside_hours
    assert tuesday.cost == 30 * PROTECTED_FOCUS_WEIGHT
    assert thursday.cost == 30 * FOCUS_WEIGHT
    assert "protected focus block by 30 min" in tuesday.reason
    assert inconvenience(deep, local("Europe/Paris", 2026, 11, 17, 14)).cost == 0


def test_busy_time_blocks() -> None:
    meeting = local("Europe/Paris", 2026, 11, 17, 10, minutes=60)
    clash = inconvenience(AMELIE, local("Europe/Paris", 2026, 11, 17, 10, 30), busy=[meeting])
    assert clash.blocked == "already busy at that time"
    free = inconvenience(AMELIE, local("Europe/Paris", 2026, 11, 17, 11), busy=[meeting])
    assert free.blocked is None


def test_daily_sync_cap_counts_minutes_already_booked_that_local_day() -> None:
    capped = make("ren", "Europe/Paris", "09:00", "17:30", "FR", daily_sync_cap_minutes=60)
    interval = local("Europe/Paris", 2026, 11, 17, 10)
    tuesday = date(2026, 11, 17)
    assert inconvenience(capped, interval, already_sync={tuesday: 30}).blocked is None
    over = inconvenience(capped, interval, already_sync={tuesday: 45})
    assert over.blocked == "daily sync cap of 60 min reached on Tue 17 Nov"
    assert inconvenience(capped, interval, already_sync={date(2026, 11, 16): 60}).blocked is None


def test_daily_cap_splits_a_meeting_across_local_midnight() -> None:
    capped = make("ren", "Europe/Paris", "09:00", "17:30", "FR", daily_sync_cap_minutes=120)
    late = local("Europe/Paris", 2026, 11, 17, 23, 45)  # 15 min on Tuesday, 15 on Wednesday
    tuesday, wednesday = date(2026, 11, 17), date(2026, 11, 18)
    assert inconvenience(capped, late, already_sync={tuesday: 105}).blocked is None
    assert inconvenience(capped, late, already_sync={tuesday: 110}).blocked is not None
    over = inconvenience(capped, late, already_sync={wednesday: 110})
    assert over.blocked == "daily sync cap of 120 min reached on Wed 18 Nov"


def test_daylight_saving_moves_the_hours_in_utc() -> None:
    # New York is on EDT from 2026-03-08, Paris still on CET: 13:00 UTC is 09:00 in NY.
    at_13_utc = [
        Interval(datetime(2026, 3, d, 13, tzinfo=UTC), datetime(2026, 3, d, 13, 30, tzinfo=UTC))
        for d in (6, 9)
    ]
    before, after = (inconvenience(SAM, iv) for iv in at_13_utc)
    assert before.category is Category.EARLY_LATE
    assert before.local_start.hour == 8
    assert after.inside_hours
    assert after.local_start.hour == 9
    assert after.local_start.utcoffset() == timedelta(hours=-4)


def test_odd_offset_zone_kathmandu() -> None:
    asha = make("asha", "Asia/Kathmandu", "10:00", "17:00", "NP")
    start = datetime(2026, 11, 17, 4, 15, tzinfo=UTC)  # 10:00 +05:45
    inside = inconvenience(asha, Interval(start, start + timedelta(minutes=30)))
    assert inside.inside_hours
    assert inside.local_start.isoformat() == "2026-11-17T10:00:00+05:45"
    early = inconvenience(
        asha, Interval(start - timedelta(minutes=15), start + timedelta(minutes=15))
    )
    assert (early.bands.inside, early.bands.early_late) == (15, 15)


def test_profile_evaluates_many_intervals_and_refuses_outside_its_window() -> None:
    start = datetime(2026, 11, 16, tzinfo=UTC)
    profile = person_profile(KENJI, start, start + timedelta(days=5))
    hours = [
        evaluate(
            profile, Interval(start + timedelta(hours=h), start + timedelta(hours=h, minutes=30))
        )
        for h in range(24)
    ]
    inside = [c.local_start.hour for c in hours if c.inside_hours]
    assert inside == list(range(10, 19))  # 09:30–18:30 JST: 10:00 to 18:00 starts fit
    far = start + timedelta(days=30)
    with pytest.raises(ValueError, match="outside the profile's window"):
        evaluate(profile, Interval(far, far + timedelta(minutes=30)))


def test_to_dict_has_local_times_with_zone_and_no_infinity() -> None:
    blocked = inconvenience(SAM, local("America/New_York", 2026, 11, 26, 10)).to_dict()
    assert blocked["cost"] is None
    assert blocked["local_start"] == "2026-11-26T10:00:00-05:00"
    assert blocked["zone"] == "America/New_York"
    assert blocked["inside_hours"] is False


@pytest.mark.parametrize(
    ("minutes", "text"), [(45, "45 min"), (60, "1 h"), (210, "3 h 30"), (65, "1 h 05")]
)
def test_format_minutes(minutes: float, text: str) -> None:
    assert format_minutes(minutes) == text
