"""The demo plan exported as iCalendar: parsed back with icalendar, and imported with our
own importer as a calendar client would (no warnings, no skipped series)."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from icalendar import Calendar, Event

from asyncfirst.adapters.ics import import_calendar
from asyncfirst.adapters.ics_export import plan_to_ics
from asyncfirst.bootstrap import plan_ics_writer
from asyncfirst.domain.calendar import normalise_email
from asyncfirst.domain.errors import InputError
from asyncfirst.domain.model import Organisation
from asyncfirst.domain.requests import MeetingRequest
from asyncfirst.scheduling.plan import Placement, Plan
from asyncfirst.services.planning import WeeksPlan, load_requests, plan_weeks

WEEK = date(2026, 11, 23)


@pytest.fixture(scope="module")
def demo_requests(demo_org: Organisation) -> tuple[MeetingRequest, ...]:
    return load_requests("demo", demo_org)


@pytest.fixture(scope="module")
def planned(demo_org: Organisation, demo_requests: tuple[MeetingRequest, ...]) -> WeeksPlan:
    return plan_weeks(demo_org, demo_requests, WEEK, 2, time_limit_s=3.0)


@pytest.fixture(scope="module")
def plans(planned: WeeksPlan) -> list[Plan]:
    return [report.plan for report in planned.reports]


@pytest.fixture(scope="module")
def data(
    plans: list[Plan], demo_org: Organisation, demo_requests: tuple[MeetingRequest, ...]
) -> bytes:
    return plan_to_ics(plans, demo_org, demo_requests)


def placements(plans: list[Plan]) -> list[tuple[date, Placement]]:
    return [(plan.week, p) for plan in plans for p in plan.placements]


def required_people(org: Organisation, request: MeetingRequest) -> set[str]:
    return {p.id for ident in request.required for p in org.resolve(ident)}


def test_the_bootstrap_hands_out_the_adapter() -> None:
    assert plan_ics_writer() is plan_to_ics


def test_the_calendar_is_valid_and_deterministic(
    data: bytes,
    plans: list[Plan],
    demo_org: Organisation,
    demo_requests: tuple[MeetingRequest, ...],
) -> None:
    assert plan_to_ics(plans, demo_org, demo_requests) == data
    calendar = Calendar.from_ical(data)
    calendar.validate()  # type: ignore[no-untyped-call]  # icalendar leaves it unannotated
    assert calendar["PRODID"] == "-//asyncfirst//week planner//EN"
    assert calendar["VERSION"] == "2.0"
    assert calendar["CALSCALE"] == "GREGORIAN"
    assert calendar["METHOD"] == "PUBLISH"
    assert calendar.errors == []
    assert all(event.errors == [] for event in calendar.events)
    # the parsed calendar serialises back to the very same bytes
    assert calendar.to_ical() == data
    assert data.startswith(b"BEGIN:VCALENDAR\r\n") and data.endswith(b"END:VCALENDAR\r\n")
    assert all(len(line) <= 75 for line in data.split(b"\r\n")), "lines must be folded"


def test_one_event_per_placement_with_utc_times_people_and_reason(
    data: bytes,
    plans: list[Plan],
    demo_org: Organisation,
    demo_requests: tuple[MeetingRequest, ...],
) -> None:
    events: dict[str, Event] = {str(e["UID"]): e for e in Calendar.from_ical(data).events}
    expected = placements(plans)
    assert len(events) == len(expected) == len(Calendar.from_ical(data).events)
    requests = {r.id: r for r in demo_requests}
    for week, placement in expected:
        uid = f"{placement.request_id}.{placement.occurrence_index}.{week:%Y%m%d}@asyncfirst"
        event = events[uid]
        request = requests[placement.request_id]
        assert event.start == placement.start and event.end == placement.end
        assert isinstance(event.start, datetime) and event.start.utcoffset() == timedelta(0)
        raw = event.to_ical()
        assert f"DTSTART:{placement.start.astimezone(UTC):%Y%m%dT%H%M%SZ}\r\n".encode() in raw
        assert f"DTEND:{placement.end.astimezone(UTC):%Y%m%dT%H%M%SZ}\r\n".encode() in raw
        sunday_before = week - timedelta(days=1)
        assert f"DTSTAMP:{sunday_before:%Y%m%d}T000000Z\r\n".encode() in raw
        assert str(event["SUMMARY"]) == request.title
        assert str(event["STATUS"]) == "CONFIRMED"

        required = required_people(demo_org, request)
        organizer = next(demo_org.person(p) for p in placement.attendees if p in required)
        assert str(event["ORGANIZER"]) == f"mailto:{organizer.emails[0]}"
        assert event["ORGANIZER"].params["CN"] == organizer.name

        attendees = {str(a): a.params for a in event.attendees}
        assert set(attendees) == {
            f"mailto:{demo_org.person(p).emails[0]}" for p in placement.attendees
        }
        for person_id in placement.attendees:
            person = demo_org.person(person_id)
            params = attendees[f"mailto:{person.emails[0]}"]
            assert params["CN"] == person.name
            role = "REQ-PARTICIPANT" if person_id in required else "OPT-PARTICIPANT"
            assert params["ROLE"] == role
            assert params["PARTSTAT"] == "NEEDS-ACTION"
            assert params["RSVP"] == "TRUE"

        description = str(event["DESCRIPTION"])
        assert f"Why sync: {request.reason}" in description
        assert f"Agenda: {request.agenda}" in description
        for person_id in placement.attendees:
            person = demo_org.person(person_id)
            local = placement.start.astimezone(ZoneInfo(person.zone))
            assert f"- {person.name}: {local:%a %d %b %H:%M}" in description
        for person_id in placement.missing_optional:
            assert demo_org.person(person_id).name in description.split("not free")[-1]


def test_the_all_hands_description_shows_the_late_hour_in_tokyo(
    data: bytes, plans: list[Plan], demo_org: Organisation
) -> None:
    allhands = plans[0].placement("all-hands")
    assert allhands is not None
    event = next(
        e for e in Calendar.from_ical(data).events if str(e["UID"]).startswith("all-hands.0.")
    )
    tokyo = allhands.start.astimezone(ZoneInfo("Asia/Tokyo"))
    paris = allhands.start.astimezone(ZoneInfo("Europe/Paris"))
    description = str(event["DESCRIPTION"])
    assert re.search(rf"Kenji Sato: {tokyo:%a %d %b %H:%M}–\S+ JST \(Tokyo\)", description)
    assert re.search(rf"Amélie Laurent: {paris:%a %d %b %H:%M}–\S+ CET \(Paris\)", description)


def test_our_importer_reads_it_without_warnings(
    data: bytes, plans: list[Plan], demo_org: Organisation
) -> None:
    """The "calendar client" check: every placement comes back, at its time, with nobody
    skipped and nothing to warn about."""
    kenji = demo_org.person("kenji")
    tokyo = ZoneInfo(kenji.zone)
    start = datetime(2026, 11, 16, tzinfo=tokyo)
    result = import_calendar(
        data,
        start,
        start + timedelta(weeks=4),
        frozenset(normalise_email(e) for e in kenji.emails),
        name="plan.ics",
    )
    assert result.warnings == ()
    assert result.skipped == ()
    expected = sorted(
        (
            (f"{p.request_id}.{p.occurrence_index}.{week:%Y%m%d}@asyncfirst", p)
            for week, p in placements(plans)
        ),
        key=lambda item: (item[1].start, item[1].end, item[0]),
    )
    assert [(o.uid, o.start, o.end) for o in result.occurrences] == [
        (uid, p.start, p.end) for uid, p in expected
    ]
    for occurrence, (_, placement) in zip(result.occurrences, expected, strict=True):
        assert occurrence.is_busy and occurrence.status == "CONFIRMED"
        assert not occurrence.all_day and occurrence.recurrence_id is None
        others = len(placement.attendees) - (kenji.id in placement.attendees)
        assert occurrence.attendee_count_besides_owner == others
        assert occurrence.is_sync


def test_people_without_an_email_are_named_in_the_description_only(
    plans: list[Plan], demo_org: Organisation, demo_requests: tuple[MeetingRequest, ...]
) -> None:
    people = tuple(replace(p, emails=()) if p.id == "amelie" else p for p in demo_org.people)
    org = Organisation(demo_org.name, demo_org.teams, people)
    calendar = Calendar.from_ical(plan_to_ics(plans, org, demo_requests))
    allhands = next(e for e in calendar.events if str(e["UID"]).startswith("all-hands.0."))
    addresses = [str(a) for a in allhands.attendees]
    assert "mailto:amelie@demo.asyncfirst.example" not in addresses
    assert len(addresses) == 14
    # the organiser is the next required attendee who has an address
    assert str(allhands["ORGANIZER"]) == "mailto:bastien@demo.asyncfirst.example"
    lines = str(allhands["DESCRIPTION"]).splitlines()
    amelie = [line for line in lines if line.startswith("- Amélie Laurent: ")]
    assert len(amelie) == 1 and amelie[0].endswith("[no e-mail address, not invited by this file]")
    assert not any("no e-mail" in line for line in lines if line not in amelie)


def test_nothing_placed_means_no_calendar(
    demo_org: Organisation, demo_requests: tuple[MeetingRequest, ...]
) -> None:
    with pytest.raises(InputError, match="nothing was placed"):
        plan_to_ics([Plan(WEEK, ())], demo_org, demo_requests)
