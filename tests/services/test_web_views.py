"""The view models behind the Team, Org time map, Planner and Coffee pages (no web, no DB)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from asyncfirst.analytics.privacy import Gated
from asyncfirst.domain.errors import InputError
from asyncfirst.domain.model import AsyncBand, Organisation
from asyncfirst.services.balance import PersonCalendars
from asyncfirst.services.coffee_ports import CoffeePreference
from asyncfirst.services.coffee_view import CoffeeStatus, draw_round, participants
from asyncfirst.services.planner_view import MeetingProposal, plan_meeting
from asyncfirst.services.team_view import BalanceCache, band_chart
from asyncfirst.services.time_map_view import TimeMapCache, parse_week, time_map

BAND = AsyncBand(0.7, 0.9)
NOW = datetime(2026, 11, 25, 9, 30, tzinfo=UTC)


def _g(value: float | None, people: int = 5) -> Gated[float]:
    return Gated(people=people, min_group=5, value=value)


def test_band_chart_places_share_and_band_in_percent_and_words() -> None:
    chart = band_chart(BAND, _g(0.62))
    assert (chart.low_pct, chart.high_pct, chart.share_pct) == (70.0, 90.0, 62.0)
    assert chart.band_width_pct == 20.0
    assert chart.inside is False
    assert chart.text == "async share 62 % (below the band 70–90 %)"
    assert band_chart(BAND, _g(0.95)).text.endswith("(above the band 70–90 %)")
    assert band_chart(BAND, _g(0.8)).inside is True


def test_band_chart_withheld_shows_no_share() -> None:
    chart = band_chart(BAND, _g(None, people=3))
    assert chart.share_pct is None and chart.inside is None
    assert "withheld: 3 people, fewer than 5" in chart.text


def test_balance_cache_computes_once_per_week(demo_org: Organisation) -> None:
    asked: list[tuple[date, int]] = []

    def calendars(first: date, weeks: int) -> PersonCalendars | None:
        asked.append((first, weeks))
        return None

    cache = BalanceCache(demo_org, calendars)
    monday = date(2026, 11, 23)
    first = cache.team(demo_org.team("qa"), monday)
    again = cache.team(demo_org.team("qa"), monday)
    assert asked == [(date(2026, 10, 26), 5)]
    assert cache.computed == 1
    assert first == again and not first.available
    assert first.chart.text == "no calendars to measure; band 70–90 %"
    assert first.weeks[-1] == monday


def test_balance_cache_on_synthetic_calendars_gates_and_trends(demo_org: Organisation) -> None:
    from asyncfirst.bootstrap import person_calendars

    def calendars(first: date, weeks: int) -> PersonCalendars | None:
        return person_calendars(
            demo_org, None, synthetic_allowed=True, start_monday=first, weeks=weeks
        )

    balance = BalanceCache(demo_org, calendars).team(demo_org.team("coding"), date(2026, 11, 23))
    assert balance.available and balance.with_calendar == 5
    assert len(balance.trend) == 5
    assert all(p.share_pct is not None and 50 < p.share_pct < 100 for p in balance.trend)
    assert balance.chart.share_pct is not None


def test_parse_week_takes_any_day_and_refuses_nonsense() -> None:
    assert parse_week("2026-10-29", date(2026, 1, 1)) == date(2026, 10, 26)
    assert parse_week(None, date(2026, 11, 25)) == date(2026, 11, 23)
    with pytest.raises(InputError, match="YYYY-MM-DD"):
        parse_week("soon", date(2026, 11, 25))


def test_time_map_shows_dst_weeks_and_holidays(demo_org: Organisation) -> None:
    october = time_map(demo_org, date(2026, 10, 26), "Europe/Paris")
    ids = [t.id for t in october.teams]
    design, qa = ids.index("design"), ids.index("qa")
    # Europe has changed clocks, the US not yet: Paris and New York share three hours a day
    assert october.matrix[design][qa].minutes == 5 * 3 * 60 + 150  # 17.5 h
    assert october.matrix[design][qa].change_minutes == 5 * 60
    assert [s.zone for s in october.shifts] == ["Europe/Paris", "America/New_York"]
    assert "changed clocks since last week: UTC+2 → UTC+1" in october.shifts[0].text
    assert october.matrix[ids.index("coding")][qa].minutes == 0
    november = time_map(demo_org, date(2026, 11, 23), "America/New_York")
    assert ("QA", date(2026, 11, 26), "public holiday: Thanksgiving Day") in november.days_off
    assert november.golden_hours == (3, 9, 10)
    assert november.meetings and len(november.meetings) == 6
    assert {name for name, _, _ in november.rotation_burden} == {"Design", "Coding", "QA"}


def _proposal(**changes: object) -> MeetingProposal:
    base: dict[str, object] = {
        "title": "Kick-off", "attendees": ("amelie", "kenji", "maria"), "duration_minutes": 30,
        "kind": "kickoff", "why_sync": "scope together", "start_day": date(2026, 11, 25),
    }  # fmt: skip
    base.update(changes)
    return MeetingProposal(**base)  # type: ignore[arg-type]  # the fields above


def test_planner_slots_are_future_distinct_and_local(demo_org: Organisation) -> None:
    result = plan_meeting(demo_org, _proposal(), NOW)
    assert len(result.slots) == 5
    assert all(s.start >= NOW for s in result.slots)
    for a, b in zip(result.slots, result.slots[1:], strict=False):
        assert not (a.start < b.end and b.start < a.end)
    first = result.slots[0]
    kenji = next(a for a in first.attendees if a.person_id == "kenji")
    assert kenji.city == "Tokyo"
    assert kenji.local.startswith(
        first.start.astimezone(ZoneInfo("Asia/Tokyo")).strftime("%a %d %b %H:%M")
    )
    assert result.relay and result.relay_recap
    assert result.async_option.briefing_at >= NOW
    assert "needs everyone live" in result.advice


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"title": " "}, "give the meeting a title"),
        ({"kind": "party"}, 'kind "party" is unknown'),
        ({"duration_minutes": 17}, "duration must be one of"),
        ({"why_sync": ""}, "say why this needs to be live"),
        ({"attendees": ("amelie",)}, "at least two attendees"),
    ],
)
def test_planner_refuses_a_bad_proposal_in_words(
    demo_org: Organisation, changes: dict[str, object], message: str
) -> None:
    with pytest.raises(InputError, match=message):
        plan_meeting(demo_org, _proposal(**changes), NOW)


def test_coffee_participants_follow_choice_then_charter(demo_org: Organisation) -> None:
    week = date(2026, 11, 30)
    prefs = {
        "noah": CoffeePreference("noah", True, None, NOW),  # charter says 0, opted in
        "sakura": CoffeePreference("sakura", False, None, NOW),  # keen in the charter, out
        "yuki": CoffeePreference("yuki", True, week + timedelta(weeks=1), NOW),  # paused
    }
    org = participants(demo_org, prefs, week)
    appetite = {p.id: p.social_appetite for p in org.people}
    assert appetite["noah"] > 0
    assert appetite["sakura"] == 0 and appetite["yuki"] == 0
    assert appetite["elise"] == 0  # no choice: the charter's 0
    assert appetite["amelie"] == 0.8  # no choice: the charter's appetite
    groups = draw_round(demo_org, week, prefs, [])
    members = {m for g in groups for m in g.members}
    assert "noah" in members and not {"sakura", "yuki", "elise"} & members
    assert all(g.starts_at is None or g.starts_at.tzinfo is not None for g in groups)


def test_coffee_status_words() -> None:
    assert CoffeeStatus(False, None, "chosen").text == "You are not taking part in coffee chats."
    paused = CoffeeStatus(True, date(2026, 12, 14), "chosen")
    assert paused.text == "You are paused until the week of Mon 14 Dec 2026."
    assert not paused.taking_part(date(2026, 12, 7)) and paused.taking_part(date(2026, 12, 14))
    assert "from your team's charter" in CoffeeStatus(True, None, "charter").text


def test_time_map_cache_never_waits_for_a_new_week(demo_org: Organisation) -> None:
    import time

    cache = TimeMapCache(demo_org)
    week = date(2026, 10, 26)
    first = cache.time_map(week, "Europe/Paris")
    assert first.meetings_pending and first.meetings == ()
    assert first.matrix  # everything else is there at once
    deadline = time.monotonic() + 60
    while cache.ready(week) is None:
        assert time.monotonic() < deadline, "the rotation was never computed"
        time.sleep(0.05)
    later = cache.time_map(week, "Europe/Paris")
    assert not later.meetings_pending and len(later.meetings) == 6
