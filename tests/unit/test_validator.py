"""The validator on hand-written bad plans: each broken rule said in words."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from asyncfirst.domain.intervals import Interval
from asyncfirst.domain.model import Organisation
from asyncfirst.domain.requests import MeetingRequest
from asyncfirst.scheduling.ledger import BurdenLedger, WeekRecord
from asyncfirst.scheduling.plan import Placement, Plan
from asyncfirst.scheduling.validator import validate

WEEK = date(2026, 11, 30)


def at(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 11, 30, hour, minute, tzinfo=UTC) + timedelta(days=day)


def meeting(rid: str, *required: str, minutes: int = 60, **kw: object) -> MeetingRequest:
    return MeetingRequest(rid, "review", rid.title(), minutes, required, reason="r", **kw)  # type: ignore[arg-type]


def place(rid: str, start: datetime, *people: str, minutes: int = 60) -> Placement:
    return Placement(rid, 0, start, start + timedelta(minutes=minutes), people)


def check(org: Organisation, requests: list[MeetingRequest], *placements: Placement, **kw: object):  # type: ignore[no-untyped-def]
    return validate(Plan(WEEK, placements), org, requests, **kw)  # type: ignore[arg-type]


def test_a_good_plan_has_no_violation_and_local_lines(demo_org: Organisation) -> None:
    report = check(
        demo_org, [meeting("sync", "amelie", "maria")], place("sync", at(1, 15), "amelie", "maria")
    )
    assert report.ok
    assert "Amélie Laurent: Tue 16:00–17:00 Paris, inside working hours (Sync)" in report.lines
    assert "Maria Garcia: Tue 10:00–11:00 New York, inside working hours (Sync)" in report.lines


def test_double_booking(demo_org: Organisation) -> None:
    requests = [meeting("a", "amelie"), meeting("b", "amelie")]
    report = check(
        demo_org, requests, place("a", at(1, 9), "amelie"), place("b", at(1, 9, 30), "amelie")
    )
    assert [v.rule for v in report.violations] == ["double_booking"]
    assert report.violations[0].text == "Amélie Laurent: double-booked, a and b overlap"


def test_busy_in_calendar(demo_org: Organisation) -> None:
    busy = {"amelie": [Interval(at(1, 9), at(1, 12))]}
    report = check(demo_org, [meeting("a", "amelie")], place("a", at(1, 10), "amelie"), busy=busy)
    assert [v.rule for v in report.violations] == ["calendar"]
    assert "Amélie Laurent: already busy in their calendar" in report.violations[0].text


def test_holiday(demo_org: Organisation) -> None:
    christmas = datetime(2026, 12, 25, 10, tzinfo=UTC)
    plan = Plan(date(2026, 12, 21), (place("a", christmas, "amelie"),))
    report = validate(plan, demo_org, [meeting("a", "amelie")])
    assert [v.rule for v in report.violations] == ["day_off"]
    assert report.violations[0].text.startswith("Amélie Laurent: public holiday: ")


def test_meeting_free_day_and_time_off(demo_org: Organisation) -> None:
    report = check(demo_org, [meeting("a", "sakura")], place("a", at(2, 2), "sakura"))
    assert "Sakura Ito: meeting-free day (Wednesday)" in report.violations[0].text
    plan = Plan(date(2026, 12, 28), (place("a", datetime(2026, 12, 29, 2, tzinfo=UTC), "ren"),))
    report = validate(plan, demo_org, [meeting("a", "ren")])
    assert "year-end leave" in report.violations[0].text


def test_out_of_hours_in_local_time(demo_org: Organisation) -> None:
    report = check(
        demo_org, [meeting("late", "yuki", "amelie")], place("late", at(1, 13), "yuki", "amelie")
    )
    (violation,) = report.violations
    assert violation.rule == "hours"
    assert violation.text.startswith("Yuki Tanaka: Tue 22:00 Tokyo, 3 h 30 after working hours")
    assert "beyond working time and stretch allowance" in violation.text


def test_out_of_hours_is_fine_when_the_request_allows_it(demo_org: Organisation) -> None:
    request = meeting("late", "yuki", "amelie", allow_out_of_hours=True)
    report = check(demo_org, [request], place("late", at(1, 13), "yuki", "amelie"))
    assert report.ok
    assert report.inconvenience["yuki"] == pytest.approx(600.0)  # an hour of night


def test_over_the_daily_and_weekly_caps(demo_org: Organisation) -> None:
    requests = [meeting("a", "yuki"), meeting("b", "yuki", minutes=30)]
    report = check(
        demo_org, requests, place("a", at(1, 1), "yuki"), place("b", at(1, 3), "yuki", minutes=30)
    )
    assert [v.rule for v in report.violations] == ["daily_cap"]
    assert (
        report.violations[0].text
        == "Yuki Tanaka: 90 min of meetings on Tue 01 Dec, over the daily cap of 60"
    )
    requests = [meeting(f"m{d}", "yuki") for d in range(5)]
    report = check(demo_org, requests, *(place(f"m{d}", at(d, 1), "yuki") for d in range(5)))
    assert [v.rule for v in report.violations] == ["weekly_cap"]
    assert "300 min of meetings this week, over the weekly cap of 240" in report.violations[0].text


def test_protected_focus(demo_org: Organisation) -> None:
    report = check(demo_org, [meeting("a", "haruto")], place("a", at(1, 6), "haruto"))
    assert [v.rule for v in report.violations] == ["protected_focus"]
    assert "Haruto Suzuki: overlaps a protected focus block by 1 h" in report.violations[0].text


def test_days_duration_absent_and_uninvited(demo_org: Organisation) -> None:
    request = meeting("a", "amelie", "bastien", days=frozenset({0}))
    report = check(demo_org, [request], place("a", at(1, 9), "amelie", "noah", minutes=45))
    rules = sorted(v.rule for v in report.violations)
    assert rules == ["days", "duration", "invited", "required_present"]
    texts = " / ".join(v.text for v in report.violations)
    assert "Bastien Moreau: required but absent" in texts
    assert "Amélie Laurent: Tuesday is not one of Mon" in texts


def test_streak_from_the_ledger(demo_org: Organisation) -> None:
    history = {
        "allhands": (WeekRecord("2026-11-16", ("coding",)), WeekRecord("2026-11-23", ("coding",)))
    }
    ledger = BurdenLedger(
        person={"kenji": 300.0}, weeks=("2026-11-16", "2026-11-23"), history=history
    )
    request = meeting("allhands", "kenji", "amelie", allow_out_of_hours=True)
    report = check(
        demo_org, [request], place("allhands", at(1, 13), "kenji", "amelie"), ledger=ledger
    )
    line = next(x for x in report.lines if x.startswith("Kenji Sato: Tue 22:00"))
    assert line.endswith("third late meeting in a row for Coding")
    assert any("carried from earlier weeks: 300" in x for x in report.lines)
