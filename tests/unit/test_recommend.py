"""Rule-based recommendations: the right advice, the right numbers, never dropping real-time work."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from asyncfirst.analytics.metrics import person_metrics
from asyncfirst.analytics.privacy import PrivacyPolicy
from asyncfirst.analytics.recommend import (
    KEEP_SYNC,
    meeting_kind,
    person_recommendations,
    team_recommendations,
)
from asyncfirst.analytics.signals import person_signals
from asyncfirst.domain.calendar import Occurrence
from asyncfirst.domain.hours import WorkingHours
from asyncfirst.domain.model import AsyncBand, Person, Team

NY = ZoneInfo("America/New_York")
MONDAY = date(2026, 3, 2)
WEEKS = 2


def team(band: tuple[float, float] = (0.70, 0.90), **kw: object) -> Team:
    return Team(
        id="qa",
        name="QA",
        zone="America/New_York",
        hours=WorkingHours.office("09:00", "17:00"),
        holidays=None,
        band=AsyncBand(*band),
        **kw,  # type: ignore[arg-type]
    )


def member(i: int, **kw: object) -> Person:
    base: dict[str, object] = {
        "id": f"q{i}",
        "name": f"Q{i}",
        "team_id": "qa",
        "zone": "America/New_York",
        "hours": WorkingHours.office("09:00", "17:00"),
        "holidays": None,
    }
    return Person(**{**base, **kw})  # type: ignore[arg-type]


def at(day: date, hh: int, mm: int = 0) -> datetime:
    return datetime(day.year, day.month, day.day, hh, mm, tzinfo=NY).astimezone(UTC)


def series(
    summary: str, weekdays: list[int], start: tuple[int, int], minutes: int
) -> list[Occurrence]:
    """A recurring meeting with the team over ``WEEKS`` weeks from ``MONDAY``."""
    result = []
    for w in range(WEEKS):
        for d in weekdays:
            day = MONDAY + timedelta(weeks=w, days=d)
            begin = at(day, *start)
            result.append(
                Occurrence(
                    uid=summary.lower().replace(" ", "-") + "@qa",
                    recurrence_id=begin,
                    start=begin,
                    end=begin + timedelta(minutes=minutes),
                    attendee_count_besides_owner=5,
                    summary=summary,
                )
            )
    return result


def weekly_statuses(count: int) -> list[Occurrence]:
    """``count`` different weekly two-hour meetings, none of them a stand-up."""
    slots = [(d, h) for d in range(4) for h in (10, 13)][:count]
    return [
        o for i, (d, h) in enumerate(slots) for o in series(f"Status sync {i}", [d], (h, 0), 120)
    ]


def calendars(
    size: int, calendar: list[Occurrence]
) -> tuple[list[Person], dict[str, list[Occurrence]]]:
    people = [member(i) for i in range(size)]
    return people, {p.id: calendar for p in people}


STANDUP = series("QA stand-up", [0, 1, 2, 3, 4], (9, 30), 30)


def test_daily_standup_under_the_floor_gets_the_async_check_in_advice() -> None:
    people, cals = calendars(6, STANDUP + weekly_statuses(7))
    [advice] = team_recommendations(team(), people, cals, MONDAY, WEEKS)
    # sync 150 + 7 × 120 = 990 of 2400 minutes a week: 0.5875 async; without the stand-up 0.65
    assert advice.scope == "team"
    assert advice.subject == "qa"
    assert advice.rule == "move-series-async"
    assert advice.series == "qa stand-up"
    assert advice.text == (
        "QA is at 0.59 async, under its 0.70 floor: the daily 30-minute stand-up costs each "
        "member 2.5 h a week; moving it to async check-ins would bring QA to 0.65."
    )
    assert advice.numbers["async_share"] == pytest.approx(1 - 990 / 2400)
    assert advice.numbers["cost_hours_per_member_week"] == pytest.approx(2.5)
    assert advice.numbers["projected_async_share"] == pytest.approx(1 - 840 / 2400)
    assert advice.numbers["attending"] == 6


def test_a_costly_workshop_is_never_advised_to_go() -> None:
    workshop = series("Test design workshop", [4], (9, 0), 240)
    people, cals = calendars(
        5, workshop + series("Weekly status", [0], (9, 0), 60) + weekly_statuses(6)
    )
    found = team_recommendations(team(), people, cals, MONDAY, WEEKS)
    by_series = {r.series: r for r in found}
    kept = by_series["test design workshop"]
    assert kept.rule == "shorten-with-pre-read"
    assert "keep it" in kept.text
    assert "moving it" not in kept.text
    # 240 + 60 + 720 = 1020 sync; a third of the workshop off: 940
    assert kept.numbers["projected_async_share"] == pytest.approx(1 - 940 / 2400)
    moved = [r for r in found if r.rule == "move-series-async"]
    assert [r.series for r in moved] == ["status sync 0"]  # the costliest that may go, 120 min
    for r in found:
        if r.series is not None and meeting_kind(r.series) in KEEP_SYNC:
            assert r.rule != "move-series-async"


@pytest.mark.parametrize("summary", ["Project kick-off", "Incident troubleshooting", "Brainstorm"])
def test_real_time_work_is_never_moved_async(summary: str) -> None:
    costly = series(summary, [0, 2, 4], (13, 0), 120)
    people, cals = calendars(5, costly + weekly_statuses(6))  # 360 + 720 of 2400: 0.55 async
    found = team_recommendations(team(), people, cals, MONDAY, WEEKS)
    assert [r.rule for r in found] == ["shorten-with-pre-read", "move-series-async"]
    assert found[0].series == summary.lower()
    assert found[1].series == "status sync 0"


def test_too_few_people_get_no_team_advice() -> None:
    people, cals = calendars(4, STANDUP + weekly_statuses(7))
    assert team_recommendations(team(), people, cals, MONDAY, WEEKS) == []
    assert team_recommendations(team(), people, cals, MONDAY, WEEKS, PrivacyPolicy(3))


def test_people_without_working_time_do_not_make_up_the_numbers() -> None:
    people, cals = calendars(5, STANDUP + weekly_statuses(7))
    nobody = member(9, hours=WorkingHours())  # no working hours at all
    assert team_recommendations(team(), [*people[:4], nobody], cals, MONDAY, WEEKS) == []


def test_async_only_team_is_advised_a_short_alignment() -> None:
    people, cals = calendars(5, [])
    [advice] = team_recommendations(team((0.70, 0.95)), people, cals, MONDAY, WEEKS)
    assert advice.rule == "add-alignment"
    assert advice.text == (
        "QA is at 1.00 async, over its 0.95 ceiling: a risk of async-only work. A 30-minute "
        "alignment every week, as the charter says, would bring QA to 0.99; pair people for "
        "coffee across zones too."
    )
    assert advice.numbers["projected_async_share"] == pytest.approx(1 - 30 / 2400)


def test_inside_the_band_no_balance_advice() -> None:
    people, cals = calendars(5, weekly_statuses(3))  # 360 of 2400: 0.85 async
    assert team_recommendations(team(), people, cals, MONDAY, WEEKS) == []


def test_late_series_is_advised_to_rotate() -> None:
    late = series("Sync with Tokyo", [1], (19, 0), 60)
    people, cals = calendars(5, weekly_statuses(3))
    cals["q0"] = cals["q1"] = [*weekly_statuses(3), *late]
    [advice] = team_recommendations(team(), people, cals, MONDAY, WEEKS)
    assert advice.rule == "rotate-after-hours"
    assert advice.series == "sync with tokyo"
    assert advice.numbers == {"affected": 2, "members": 5, "after_hours_hours": 4.0}
    assert advice.text.startswith("“Sync with Tokyo” fell outside working hours for 2 of 5 members")
    cals["q1"] = weekly_statuses(3)  # one person alone: only their own report says so
    assert team_recommendations(team(), people, cals, MONDAY, WEEKS) == []


@pytest.mark.parametrize(
    ("summary", "kind"),
    [
        ("QA stand-up", "stand-up"),
        ("Daily standup", "stand-up"),
        ("Release review", "review"),
        ("Ana / Ben 1:1", "1:1"),
        ("Project Kickoff", "kick-off"),
        ("Design workshop", "workshop"),
        ("Sprint retro", "retro"),
        ("Incident review: checkout outage", "troubleshooting"),
        ("Pairing on the parser", "pair-programming"),
        ("Weekly status", "meeting"),
    ],
)
def test_meeting_kinds(summary: str, kind: str) -> None:
    assert meeting_kind(summary) == kind


def test_person_advice_for_isolation_fragmentation_and_late_meetings() -> None:
    alone = member(0, social_appetite=0.7)
    metrics = person_metrics(alone, [], MONDAY, 3)
    [contact] = person_recommendations(alone, metrics, person_signals(alone, metrics))
    assert (contact.scope, contact.subject, contact.rule) == ("person", "q0", "add-contact")
    assert "3 working weeks" in contact.text
    assert "coffee pairing" in contact.text
    shy = member(1)
    assert "1:1" in person_recommendations(shy, metrics, person_signals(shy, metrics))[0].text

    # one 30-minute meeting every hour: free time only in 30-minute pieces
    choppy = [
        o
        for h in range(9, 17)
        for o in series(f"Chat {h}", [0, 1, 2, 3, 4], (h, 0), 30)
        if o.start.astimezone(NY).date() < MONDAY + timedelta(weeks=1)
    ]
    late = series("Late call", [0, 1, 2], (20, 0), 60)[:3]
    busy = person_metrics(member(2), [*choppy, *late], MONDAY, 1)
    rules = {
        r.rule: r for r in person_recommendations(member(2), busy, person_signals(member(2), busy))
    }
    assert set(rules) == {"protect-focus", "rotate-late-meetings"}
    assert rules["protect-focus"].numbers == {
        "fragmented_hours_per_week": 20.0,
        "focus_hours_per_week": 0.0,
    }
    assert rules["rotate-late-meetings"].numbers == {"after_hours_hours": 3.0}
