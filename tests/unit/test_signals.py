"""Isolation and burnout signals: thresholds, runs and messages with their numbers."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from asyncfirst.analytics.metrics import WeekMetrics, person_metrics
from asyncfirst.analytics.signals import (
    SignalPolicy,
    burnout_signals,
    isolation_signals,
    person_signals,
)
from asyncfirst.domain.calendar import Occurrence
from asyncfirst.domain.errors import InputError
from asyncfirst.domain.hours import WorkingHours
from asyncfirst.domain.model import Person

MONDAY = date(2026, 3, 2)


def person(**kw: object) -> Person:
    base: dict[str, object] = {
        "id": "kenji",
        "name": "Kenji",
        "team_id": "coding",
        "zone": "Asia/Tokyo",
        "hours": WorkingHours.office("09:30", "18:30"),
        "holidays": None,
    }
    return Person(**{**base, **kw})  # type: ignore[arg-type]


def week(
    offset: int,
    meetings: int = 3,
    working: float = 2700.0,
    sync: float = 300.0,
    after_hours: float = 0.0,
    daily: tuple[float, ...] = (0.0,) * 7,
    after_hours_days: int = 0,
    chain: tuple[float, int] = (0.0, 0),
) -> WeekMetrics:
    return WeekMetrics(
        person_id="kenji",
        monday=MONDAY + timedelta(weeks=offset),
        zone="Asia/Tokyo",
        working_minutes=working,
        busy_minutes=sync + after_hours,
        sync_minutes=sync,
        after_hours_sync_minutes=after_hours,
        focus_minutes=working - sync,
        fragmented_minutes=0.0,
        longest_chain_minutes=chain[0],
        longest_chain_count=chain[1],
        meeting_count=meetings,
        sync_share=sync / working if working else None,
        async_share=1 - sync / working if working else None,
        daily_sync_minutes=daily,
        after_hours_days=after_hours_days,
    )


def test_isolation_runs_of_weeks_without_any_meeting() -> None:
    weeks = [week(i, meetings=m) for i, m in enumerate([0, 0, 3, 0, 0, 0, 1, 0])]
    found = isolation_signals(person(), weeks)
    assert [s.weeks for s in found] == [
        (MONDAY, MONDAY + timedelta(weeks=1)),
        tuple(MONDAY + timedelta(weeks=k) for k in (3, 4, 5)),
    ]
    assert {s.kind for s in found} == {"isolation"}
    assert found[1].numbers == {"weeks": 3, "threshold_weeks": 2}
    assert found[1].message.startswith(
        "No meeting with anyone for 3 working weeks in a row "
        "(the weeks of 2026-03-23 to 2026-04-06)"
    )
    assert "async-only" in found[1].message
    longer = isolation_signals(person(), weeks, SignalPolicy(isolation_weeks=3))
    assert [len(s.weeks) for s in longer] == [3]


def test_weeks_off_neither_count_nor_break_isolation() -> None:
    weeks = [week(0, meetings=0), week(1, meetings=0, working=0.0), week(2, meetings=0)]
    found = isolation_signals(person(), weeks)
    assert [len(s.weeks) for s in found] == [2]
    assert isolation_signals(person(), [week(0, 0), week(1, 0, working=0.0)]) == []


def test_weekly_cap_counts_after_hours_sync_too() -> None:
    over = week(0, sync=500.0, after_hours=200.0)
    [signal] = burnout_signals(person(weekly_sync_cap_minutes=600), [over])
    assert signal.rule == "weekly-sync-cap"
    assert signal.numbers == {"sync_minutes": 700.0, "cap_minutes": 600}
    assert signal.message == (
        "11.7 h of sync in the week of 2026-03-02, over the weekly cap of 10.0 h by 1.7 h."
    )
    assert burnout_signals(person(weekly_sync_cap_minutes=700), [over]) == []


def test_daily_cap_names_the_days() -> None:
    busy = week(0, daily=(120.0, 60.0, 100.0, 90.0, 0.0, 0.0, 0.0))
    [signal] = burnout_signals(person(daily_sync_cap_minutes=90), [busy])
    assert signal.rule == "daily-sync-cap"
    assert signal.numbers["days"] == 2
    assert signal.numbers["max_day_minutes"] == 120.0
    assert "on 2 days in the week of 2026-03-02: Mon 120 min, Wed 100 min." in signal.message


def test_caps_come_from_the_person_else_the_policy() -> None:
    busy = week(0, sync=900.0, daily=(200.0,) + (0.0,) * 6)
    assert burnout_signals(person(), [busy]) == []
    policy = SignalPolicy(default_daily_cap_minutes=120, default_weekly_cap_minutes=800)
    rules = [s.rule for s in burnout_signals(person(), [busy], policy)]
    assert rules == ["weekly-sync-cap", "daily-sync-cap"]
    own = person(daily_sync_cap_minutes=240, weekly_sync_cap_minutes=1000)
    assert burnout_signals(own, [busy], policy) == []


@pytest.mark.parametrize(("days", "fires"), [(2, False), (3, True), (5, True)])
def test_after_hours_on_three_days_of_a_week(days: int, fires: bool) -> None:
    late = week(0, after_hours=45.0 * days, after_hours_days=days)
    rules = [s.rule for s in burnout_signals(person(), [late])]
    assert ("after-hours-days" in rules) is fires


def test_after_hours_in_consecutive_weeks() -> None:
    weeks = [week(0, after_hours=30.0), week(1, after_hours=60.0), week(3, after_hours=30.0)]
    [streak] = [s for s in burnout_signals(person(), weeks) if s.rule == "after-hours-streak"]
    assert streak.weeks == (MONDAY, MONDAY + timedelta(weeks=1))
    assert streak.numbers == {"weeks": 2, "after_hours_minutes": 90.0}
    assert "2 weeks in a row" in streak.message
    gapped = [week(0, after_hours=30.0), week(2, after_hours=30.0)]
    assert burnout_signals(person(), gapped) == []


@pytest.mark.parametrize(("minutes", "fires"), [(179.0, False), (180.0, True)])
def test_back_to_back_chain_threshold(minutes: float, fires: bool) -> None:
    found = burnout_signals(person(), [week(0, chain=(minutes, 4))])
    assert bool(found) is fires
    if fires:
        assert found[0].message == (
            "4 meetings back to back for 3.0 h in the week of 2026-03-02 "
            "(with gaps under 5 minutes)."
        )


def test_policy_is_validated() -> None:
    with pytest.raises(InputError, match="isolation_weeks"):
        SignalPolicy(isolation_weeks=0)
    with pytest.raises(InputError, match="chain_minutes"):
        SignalPolicy(chain_minutes=0)


def test_signals_from_a_real_calendar() -> None:
    tokyo_22 = datetime(2026, 3, 2, 13, 0, tzinfo=UTC)  # 22:00 in Tokyo
    late = [
        Occurrence(
            uid="sync-with-ny",
            recurrence_id=None,
            start=tokyo_22 + timedelta(days=d),
            end=tokyo_22 + timedelta(days=d, hours=1),
            attendee_count_besides_owner=4,
            summary="Sync with New York",
        )
        for d in (0, 1, 2, 7, 8)
    ]
    kenji = person(daily_sync_cap_minutes=45)
    metrics = person_metrics(kenji, late, MONDAY, 3)
    rules = [(s.rule, s.weeks[0]) for s in person_signals(kenji, metrics)]
    assert rules == [
        ("daily-sync-cap", MONDAY),
        ("after-hours-days", MONDAY),
        ("daily-sync-cap", MONDAY + timedelta(weeks=1)),
        ("after-hours-streak", MONDAY),
    ]
    assert metrics[2].meeting_count == 0  # one quiet week is under the isolation threshold
