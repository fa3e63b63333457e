"""The balance report as a use case: numbers from real ICS, privacy enforced, own detail only."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta

import pytest
from icalendar import Calendar, Event, vCalAddress

from asyncfirst.adapters.person_calendars import InMemoryCalendars
from asyncfirst.analytics.privacy import PrivacyPolicy
from asyncfirst.domain.errors import InputError
from asyncfirst.domain.model import Organisation
from asyncfirst.services.balance import balance_report, report_weeks
from asyncfirst.services.charter import load_organisation

MONDAY = date(2026, 11, 2)


def calendar_with_standup(owner: str, others: list[str], minutes: int = 30) -> bytes:
    """Mon-Fri 10:00 New York stand-up with the team, for two weeks, as a real ICS file."""
    cal = Calendar()
    cal.add("prodid", "-//asyncfirst tests//EN")
    cal.add("version", "2.0")
    event = Event()
    event.add("uid", "standup-qa")
    event.add("summary", "QA stand-up")
    event.add("dtstart", datetime(2026, 11, 2, 15, 0, tzinfo=UTC))  # 10:00 New York
    event.add("dtend", datetime(2026, 11, 2, 15, 0, tzinfo=UTC) + timedelta(minutes=minutes))
    event.add("rrule", {"freq": "daily", "byday": ["MO", "TU", "WE", "TH", "FR"], "count": 10})
    event.add("organizer", vCalAddress(f"mailto:{owner}"))
    for email in [owner, *others]:
        event.add("attendee", vCalAddress(f"mailto:{email}"))
    cal.add_component(event)
    return cal.to_ical()


@pytest.fixture(scope="module")
def qa_calendars(demo_org: Organisation) -> InMemoryCalendars:
    qa = demo_org.members("qa")
    emails = [p.emails[0] for p in qa]
    return InMemoryCalendars(
        {
            p.id: calendar_with_standup(p.emails[0], [e for e in emails if e != p.emails[0]])
            for p in qa
        }
    )


def test_report_weeks_cover_the_period() -> None:
    assert report_weeks(date(2026, 11, 4), date(2026, 11, 16)) == (MONDAY, 2)
    with pytest.raises(InputError, match="must be after"):
        report_weeks(MONDAY, MONDAY)


def test_team_numbers_come_from_the_calendars(
    demo_org: Organisation, qa_calendars: InMemoryCalendars
) -> None:
    report = balance_report(demo_org, qa_calendars, MONDAY, MONDAY + timedelta(weeks=2))
    qa = next(t for t in report.teams if t.team.id == "qa")
    assert qa.with_calendar == 5
    # 2.5 h of stand-up a week, but New York keeps Election Day (3 Nov) and Veterans Day
    # (11 Nov): those stand-ups fall outside working time, so 2 h of sync inside it
    sync = qa.aggregate.sync_hours.get()
    assert sync.median == pytest.approx(2.0)
    assert qa.aggregate.after_hours_sync_hours.get().median == pytest.approx(0.5)
    hours = qa.hours_of_day.get()
    assert hours[10] == sum(hours) == 5 * 10  # every stand-up at 10:00 local, all five members
    # the other teams have no calendars: nothing to show, and nothing invented
    design = next(t for t in report.teams if t.team.id == "design")
    assert design.with_calendar == 0
    assert not design.aggregate.team_async_share.released


def test_a_team_below_the_threshold_gets_no_numbers(
    demo_org: Organisation, qa_calendars: InMemoryCalendars
) -> None:
    report = balance_report(
        demo_org, qa_calendars, MONDAY, MONDAY + timedelta(weeks=2), policy=PrivacyPolicy(6)
    )
    data = report.to_dict()
    qa = next(t for t in data["teams"] if t["id"] == "qa")
    for key in (
        "async_share",
        "inside_band",
        "sync_hours_per_week",
        "meetings_by_local_hour",
        "members_with_signals",
    ):
        assert qa[key] == {"withheld": "withheld: 5 people, fewer than 6"}, key
    assert all(
        week == {"withheld": "withheld: 5 people, fewer than 6"}
        for week in qa["weekly_async_share"]
    )
    assert qa["recommendations"] == []
    assert data["person"] is None


def test_personal_detail_only_in_the_persons_own_report(
    demo_org: Organisation, qa_calendars: InMemoryCalendars
) -> None:
    team_report = balance_report(demo_org, qa_calendars, MONDAY, MONDAY + timedelta(weeks=2))
    text = json.dumps(team_report.to_dict())
    assert "maria" not in text and "Maria" not in text
    own = balance_report(
        demo_org, qa_calendars, MONDAY, MONDAY + timedelta(weeks=2), person_id="maria"
    ).to_dict()
    assert own["person"]["id"] == "maria"
    assert [w["sync_minutes"] for w in own["person"]["weeks"]] == [120, 120]
    assert [w["after_hours_sync_minutes"] for w in own["person"]["weeks"]] == [30, 30]
    assert [t["id"] for t in own["teams"]] == ["qa"]  # only the person's own team


def test_privacy_threshold_can_never_go_below_three() -> None:
    with pytest.raises(InputError, match="never be below 3"):
        PrivacyPolicy(2)


def test_report_on_a_person_without_calendar_is_a_clear_error(
    demo_org: Organisation, qa_calendars: InMemoryCalendars
) -> None:
    with pytest.raises(InputError, match='no calendar found for person "amelie"'):
        balance_report(
            demo_org, qa_calendars, MONDAY, MONDAY + timedelta(weeks=1), person_id="amelie"
        )


def test_demo_org_loads() -> None:
    assert len(load_organisation("demo").people) == 15


def test_parallel_reading_gives_the_same_report_in_charter_order(demo_org: Organisation) -> None:
    from asyncfirst.adapters.person_calendars import synthetic_calendars

    calendars = synthetic_calendars(demo_org, MONDAY, 2)
    seen: list[int] = []
    one = balance_report(demo_org, calendars, MONDAY, MONDAY + timedelta(weeks=2), workers=1)
    two = balance_report(
        demo_org,
        calendars,
        MONDAY,
        MONDAY + timedelta(weeks=2),
        workers=2,
        progress=lambda done, _total: seen.append(done),
    )
    assert one.to_dict() == two.to_dict()
    assert seen == list(range(1, 16))


def test_workers_must_be_positive(demo_org: Organisation, qa_calendars: InMemoryCalendars) -> None:
    with pytest.raises(InputError, match="workers"):
        balance_report(demo_org, qa_calendars, MONDAY, MONDAY + timedelta(weeks=1), workers=0)
