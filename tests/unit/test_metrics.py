"""Weekly balance metrics on hand-built calendars with answers worked out by hand."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from asyncfirst.analytics.metrics import WeekMetrics, person_metrics, person_week_metrics
from asyncfirst.domain.calendar import Occurrence
from asyncfirst.domain.calendars import DateRange, HolidayCalendar
from asyncfirst.domain.errors import InputError
from asyncfirst.domain.hours import WorkingHours
from asyncfirst.domain.model import Person

PARIS = ZoneInfo("Europe/Paris")
DST_MONDAY = date(2026, 3, 23)  # Paris springs forward on Sunday 29 March 2026


def person(**kw: object) -> Person:
    defaults: dict[str, object] = {
        "id": "ana",
        "name": "Ana",
        "team_id": "design",
        "zone": "Europe/Paris",
        "hours": WorkingHours.office("09:00", "17:30"),
        "holidays": None,
    }
    return Person(**{**defaults, **kw})  # type: ignore[arg-type]


def local(day: date, hh: int, mm: int = 0, tz: ZoneInfo = PARIS) -> datetime:
    return datetime(day.year, day.month, day.day, hh, mm, tzinfo=tz).astimezone(UTC)


def occ(
    uid: str, day: date, start: tuple[int, int], end: tuple[int, int], others: int = 2, **kw: object
) -> Occurrence:
    end_day = day + timedelta(days=1) if end < start else day
    return Occurrence(
        uid=uid,
        recurrence_id=None,
        start=local(day, *start),
        end=local(end_day, *end),
        attendee_count_besides_owner=others,
        summary=uid,
        **kw,  # type: ignore[arg-type]
    )


def day(offset: int) -> date:
    return DST_MONDAY + timedelta(days=offset)


def dst_week_calendar() -> list[Occurrence]:
    off_site_start = local(day(2), 0)
    return [
        occ("a", day(0), (10, 0), (11, 0)),  # overlapping pair, counted once
        occ("b", day(0), (10, 30), (11, 30)),
        occ("c", day(0), (11, 32), (12, 0)),  # 2-minute gap: same back-to-back chain
        occ("declined", day(1), (14, 0), (15, 0), declined_by_owner=True),
        occ("hold", day(1), (15, 0), (16, 0), others=0, transparent=True),
        Occurrence(
            uid="off-site",
            recurrence_id=None,
            start=off_site_start,
            end=local(day(3), 0),
            all_day=True,
            attendee_count_besides_owner=8,
        ),
        occ("late", day(3), (23, 0), (23, 45)),  # a meeting at 23:00
        occ("focus", day(4), (9, 0), (12, 0), others=0),  # solo: busy, not sync
        occ("cancelled", day(4), (13, 0), (14, 0), status="CANCELLED"),
        occ("sunday-late", day(6), (23, 15), (23, 45)),  # after the clocks went forward
        occ("next-week", day(7), (0, 15), (0, 45)),  # Monday 00:15 CEST: the next week
    ]


def test_dst_week_with_every_kind_of_occurrence() -> None:
    m = person_week_metrics(person(), dst_week_calendar(), DST_MONDAY)
    assert m.monday == DST_MONDAY
    assert m.working_minutes == 5 * 510
    # Mon 10:00–11:30 + 11:32–12:00, Thu 23:00–23:45, Fri 09:00–12:00, Sun 23:15–23:45
    assert m.busy_minutes == 90 + 28 + 45 + 180 + 30
    assert m.sync_minutes == 118
    assert m.after_hours_sync_minutes == 45 + 30
    assert m.total_sync_minutes == 193
    # free: Mon 60 + 2 (fragmented) and 330; Tue, Wed, Thu 510 each; Fri 330
    assert m.focus_minutes == 330 + 3 * 510 + 330
    assert m.fragmented_minutes == 62
    assert m.working_minutes == 118 + 180 + m.focus_minutes + m.fragmented_minutes
    assert (m.longest_chain_minutes, m.longest_chain_count) == (120, 3)
    assert m.meeting_count == 5
    assert m.sync_share == pytest.approx(118 / 2550)
    assert m.async_share == pytest.approx(1 - 118 / 2550)
    assert m.daily_sync_minutes == (118, 0, 0, 45, 0, 0, 30)
    assert m.after_hours_days == 2


def test_dst_week_is_an_hour_short() -> None:
    bounds = local(day(7), 0) - local(DST_MONDAY, 0)
    assert bounds == timedelta(hours=167)
    ordinary = person_week_metrics(person(), [occ("x", day(13), (23, 30), (23, 59))], day(7))
    assert ordinary.after_hours_sync_minutes == 29  # Sunday 23:30 CEST is still that week


def test_meeting_across_midnight_counts_one_after_hours_day() -> None:
    m = person_week_metrics(person(), [occ("night", day(1), (23, 30), (0, 30))], DST_MONDAY)
    assert m.after_hours_sync_minutes == 60
    assert m.daily_sync_minutes == (0, 30, 30, 0, 0, 0, 0)
    assert m.after_hours_days == 1
    assert m.sync_minutes == 0
    assert m.async_share == 1.0


def test_public_holiday_is_not_working_time() -> None:
    easter_monday = date(2026, 4, 6)
    meeting = occ("on-holiday", easter_monday, (10, 0), (11, 0))
    m = person_week_metrics(person(holidays=HolidayCalendar("FR")), [meeting], easter_monday)
    assert m.working_minutes == 4 * 510
    assert m.sync_minutes == 0
    assert m.after_hours_sync_minutes == 60
    assert m.busy_minutes == 60


def test_a_week_without_working_time_has_no_share() -> None:
    away = person(time_off=(DateRange(day(0), day(6)),))
    m = person_week_metrics(away, [occ("x", day(1), (10, 0), (11, 0))], DST_MONDAY)
    assert m.working_minutes == 0
    assert m.sync_share is None
    assert m.async_share is None
    assert m.after_hours_sync_minutes == 60


def test_focus_threshold_is_configurable() -> None:
    m = person_week_metrics(person(), dst_week_calendar(), DST_MONDAY, focus_min=60)
    assert m.fragmented_minutes == 2
    assert m.focus_min == 60
    with pytest.raises(ValueError, match="positive"):
        person_week_metrics(person(), [], DST_MONDAY, focus_min=0)


@pytest.mark.parametrize(("gap", "count", "span"), [(4, 2, 124), (5, 0, 0)])
def test_back_to_back_gap_is_under_five_minutes(gap: int, count: int, span: int) -> None:
    first = occ("one", day(0), (9, 0), (10, 0))
    second = occ("two", day(0), (10, gap), (11, 0 + gap))
    m = person_week_metrics(person(), [first, second], DST_MONDAY)
    assert (m.longest_chain_count, m.longest_chain_minutes) == (count, span)


def test_chains_count_meetings_not_solo_blocks() -> None:
    # alternating solo blocks and calls, 09:00-13:00: the calls are never back to back
    blocks = [occ(f"m{i}", day(2), (9 + i, 0), (10 + i, 0), others=i % 2) for i in range(4)]
    m = person_week_metrics(person(), blocks, DST_MONDAY)
    assert (m.longest_chain_count, m.longest_chain_minutes) == (0, 0)
    # four calls in a row are a 4 h chain
    calls = [occ(f"c{i}", day(2), (9 + i, 0), (10 + i, 0), others=1) for i in range(4)]
    m = person_week_metrics(person(), calls, DST_MONDAY)
    assert (m.longest_chain_count, m.longest_chain_minutes) == (4, 240)


def test_not_a_monday_is_refused() -> None:
    with pytest.raises(InputError, match="Tuesday"):
        person_week_metrics(person(), [], day(1))


def test_long_event_from_an_earlier_week_is_found() -> None:
    conference = Occurrence(
        uid="conf",
        recurrence_id=None,
        start=local(day(-3), 9),
        end=local(day(1), 12),
        attendee_count_besides_owner=50,
    )
    weeks = person_metrics(person(), [conference], DST_MONDAY - timedelta(weeks=1), 3)
    assert [w.sync_minutes for w in weeks] == [510, 510 + 180, 0]
    assert [w.meeting_count for w in weeks] == [1, 0, 0]


def test_new_york_week_with_tokyo_zone_offsets() -> None:
    ny = person(zone="America/New_York", hours=WorkingHours.office("09:00", "17:00"))
    nyc = ZoneInfo("America/New_York")
    monday = date(2026, 3, 9)  # New York is already on summer time, Paris not yet
    meeting = Occurrence(
        uid="x",
        recurrence_id=None,
        start=local(monday, 9, 0, nyc),
        end=local(monday, 10, 0, nyc),
        attendee_count_besides_owner=1,
    )
    m = person_week_metrics(ny, [meeting], monday)
    assert m.working_minutes == 5 * 480
    assert m.sync_minutes == 60
    assert m.zone == "America/New_York"


@st.composite
def calendars(draw: st.DrawFn) -> list[Occurrence]:
    start = local(DST_MONDAY, 0) - timedelta(days=2)
    result = []
    for i in range(draw(st.integers(0, 25))):
        offset = draw(st.integers(0, 11 * 24 * 60))
        length = draw(st.integers(0, 8 * 60))
        result.append(
            Occurrence(
                uid=f"e{i}",
                recurrence_id=None,
                start=start + timedelta(minutes=offset),
                end=start + timedelta(minutes=offset + length),
                transparent=draw(st.booleans()),
                attendee_count_besides_owner=draw(st.integers(0, 2)),
            )
        )
    return result


@settings(max_examples=60, deadline=None)
@given(calendars(), st.sampled_from([30, 120, 240]))
def test_minutes_add_up(calendar: list[Occurrence], focus_min: int) -> None:
    weeks = person_metrics(person(), calendar, DST_MONDAY, 2, focus_min)
    for m in weeks:
        assert isinstance(m, WeekMetrics)
        busy_in_working = m.working_minutes - m.focus_minutes - m.fragmented_minutes
        assert m.sync_minutes <= busy_in_working + 1e-9
        assert busy_in_working <= m.busy_minutes + 1e-9
        assert sum(m.daily_sync_minutes) == pytest.approx(m.total_sync_minutes)
        assert m.total_sync_minutes <= m.busy_minutes + 1e-9
        assert m.after_hours_days <= 7
        single = person_week_metrics(person(), calendar, m.monday, focus_min)
        assert single == m
