"""The candidate table from the people's grids (``week_grid``) is the table that
evaluating every start one by one gives: same starts, points, focus, optional attendees,
local days and reasons, on the demo week, on busy time off the 15-minute grid, on a
daylight-saving week, and with a meeting off the grid (which falls back)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from asyncfirst.domain.hours import WorkingHours
from asyncfirst.domain.intervals import Interval
from asyncfirst.domain.model import AsyncBand, FocusBlock, Organisation, Person, Team
from asyncfirst.domain.requests import MeetingRequest
from asyncfirst.scheduling.week_table import WeekInput, build_week
from asyncfirst.services.planning import load_requests

DEMO_WEEK = date(2026, 11, 23)  # Japan's Labour Thanksgiving on Monday, US Thanksgiving Thu
DST_WEEK = date(2026, 3, 9)  # the US on summer time since Sunday, Europe not yet


def same_tables(fast: WeekInput, exact: WeekInput) -> int:
    """Assert the two tables agree; the number of starts compared."""
    compared = 0
    assert [t.request.id for t in fast.tables] == [t.request.id for t in exact.tables]
    for a, b in zip(fast.tables, exact.tables, strict=True):
        assert a.reason == b.reason
        assert len(a.options) == len(b.options), a.request.id
        for x, y in zip(a.options, b.options, strict=True):
            assert (x.start, x.end, x.optional_ok) == (y.start, y.end, y.optional_ok)
            assert dict(x.points) == dict(y.points)
            assert dict(x.focus) == dict(y.focus)
            assert dict(x.local_days) == dict(y.local_days)
            assert set(x.costs) == set(y.costs)
            compared += 1
    return compared


def test_the_demo_week_from_the_grid_equals_the_exact_table(demo_org: Organisation) -> None:
    requests = load_requests("demo", demo_org)
    fast = build_week(demo_org, requests, DEMO_WEEK)
    exact = build_week(demo_org, requests, DEMO_WEEK, exact=True)
    assert same_tables(fast, exact) > 100


def org() -> Organisation:
    hours = WorkingHours.office("09:00", "17:30")
    team = Team("t", "T", "Europe/London", hours, None, AsyncBand(0.7, 0.95))
    people = (
        Person("ana", "Ana", "t", "Europe/London", hours, None, stretch_minutes=30,
               focus_blocks=(FocusBlock(1, 9 * 60, 11 * 60, protected=True),
                             FocusBlock(3, 14 * 60, 16 * 60, protected=False)),
               daily_sync_cap_minutes=60),
        Person("ben", "Ben", "t", "America/New_York", hours, None, stretch_minutes=60,
               meeting_free_days=frozenset({2})),
        Person("kai", "Kai", "t", "Asia/Kolkata", hours, None),
        Person("zoe", "Zoe", "t", "Australia/Sydney", hours, None),
    )  # fmt: skip
    return Organisation("Grid", (team,), people)


def meeting(rid: str, minutes: int, required: tuple[str, ...], optional: tuple[str, ...] = (),
            *, late: bool = False) -> MeetingRequest:  # fmt: skip
    return MeetingRequest(rid, "review", rid, minutes, required, optional, reason="r",
                          allow_out_of_hours=late)  # fmt: skip


@pytest.mark.parametrize("week", [DEMO_WEEK, DST_WEEK])
def test_odd_busy_time_focus_caps_and_out_of_hours_agree(week: date) -> None:
    monday = datetime(week.year, week.month, week.day, tzinfo=UTC)
    busy = {  # 7 and 50 minutes past the quarter: partial grid slots
        "ana": [Interval(monday + timedelta(hours=10, minutes=7),
                         monday + timedelta(hours=10, minutes=50))],
        "ben": [Interval(monday + timedelta(days=1, hours=15, minutes=20),
                         monday + timedelta(days=1, hours=16, minutes=5))],
    }  # fmt: skip
    requests = (
        meeting("pair", 60, ("ana", "ben"), ("kai",)),
        meeting("long", 90, ("ana", "kai")),  # over Ana's daily cap: no start
        meeting("late", 45, ("ben", "zoe"), ("ana",), late=True),
        meeting("apart", 60, ("ben", "kai")),  # no shared hour: a reason in words
    )
    fast = build_week(org(), requests, week, busy=busy)
    exact = build_week(org(), requests, week, busy=busy, exact=True)
    assert same_tables(fast, exact) > 50
    tables = {t.request.id: t for t in fast.tables}
    assert not tables["long"].options and not tables["apart"].options
    assert "share" in (tables["apart"].reason or "")


def test_a_meeting_off_the_grid_falls_back_to_the_exact_table() -> None:
    requests = (meeting("odd", 50, ("ana", "ben")),)
    fast = build_week(org(), requests, DEMO_WEEK)
    exact = build_week(org(), requests, DEMO_WEEK, exact=True)
    assert same_tables(fast, exact) > 0


def test_costs_are_evaluated_on_demand_and_match(demo_org: Organisation) -> None:
    requests = load_requests("demo", demo_org)
    fast = build_week(demo_org, requests, DEMO_WEEK)
    exact = build_week(demo_org, requests, DEMO_WEEK, exact=True)
    table = next(t for t in fast.tables if t.options)
    twin = next(t for t in exact.tables if t.request.id == table.request.id)
    for person in table.people:
        assert table.options[0].costs[person] == twin.options[0].costs[person]
    with pytest.raises(KeyError):
        table.options[0].costs["nobody"]
