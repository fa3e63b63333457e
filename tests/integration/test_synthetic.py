"""Synthetic calendars: reproducible, parseable, realistic, consistent across a team."""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from functools import cache
from pathlib import Path
from zoneinfo import ZoneInfo

import icalendar
import pytest
import recurring_ical_events
import typer
from typer.testing import CliRunner

from asyncfirst.adapters.ics import import_calendar
from asyncfirst.adapters.synthetic import (
    generate_calendars,
    iter_calendars,
    synthetic_organisation,
)
from asyncfirst.domain.errors import InputError
from asyncfirst.domain.model import Organisation, Person, Team
from asyncfirst.entrypoints.cli_synthetic import calendars_command
from asyncfirst.services.synthetic import write_demo_calendars

MONDAY = date(2026, 3, 23)  # Europe changes clocks on the 29th, inside the window
WEEKS = 4
WINDOW_START = datetime(2026, 3, 23, tzinfo=UTC) - timedelta(days=1)
WINDOW_END = datetime(2026, 4, 20, tzinfo=UTC) + timedelta(days=1)


@pytest.fixture(scope="module")
def demo(demo_org: Organisation) -> dict[str, bytes]:
    return generate_calendars(demo_org, MONDAY, WEEKS, seed=1)


@pytest.fixture(scope="module")
def big_org() -> Organisation:
    return synthetic_organisation(60, seed=7)


@pytest.fixture(scope="module")
def big(big_org: Organisation) -> dict[str, bytes]:
    return generate_calendars(big_org, MONDAY, WEEKS, seed=7)


@cache
def _events(data: bytes) -> list[icalendar.Event]:
    return list(icalendar.Calendar.from_ical(data).walk("VEVENT"))


@cache
def _occurrences(data: bytes) -> list[icalendar.Event]:
    calendar = icalendar.Calendar.from_ical(data)
    return list(recurring_ical_events.of(calendar).between(WINDOW_START, WINDOW_END))


def _email(person: Person) -> str:
    return f"mailto:{person.emails[0]}".lower()


def _partstat(event: icalendar.Event, person: Person) -> str | None:
    attendees = event.get("ATTENDEE", [])
    for attendee in attendees if isinstance(attendees, list) else [attendees]:
        if str(attendee).lower() == _email(person):
            return str(attendee.params.get("PARTSTAT"))
    return None


def _cases(demo_org: Organisation, demo: dict[str, bytes], big_org: Organisation,
           big: dict[str, bytes]) -> Iterator[tuple[Person, bytes]]:  # fmt: skip
    for org, calendars in ((demo_org, demo), (big_org, big)):
        for person in org.people:
            yield person, calendars[person.id]


def test_same_seed_gives_the_same_bytes_and_another_seed_does_not(
    demo_org: Organisation, demo: dict[str, bytes]
) -> None:
    again = generate_calendars(demo_org, MONDAY, WEEKS, seed=1)
    other = generate_calendars(demo_org, MONDAY, WEEKS, seed=2)

    assert again == demo
    assert list(demo) == [p.id for p in demo_org.people]
    assert all(other[pid] != demo[pid] for pid in demo)
    assert synthetic_organisation(40, 3) == synthetic_organisation(40, 3)
    assert synthetic_organisation(40, 3) != synthetic_organisation(40, 4)


def test_every_file_parses_expands_inside_the_window_and_defines_its_zones(
    demo_org: Organisation, demo: dict[str, bytes], big_org: Organisation, big: dict[str, bytes]
) -> None:
    for person, data in _cases(demo_org, demo, big_org, big):
        calendar = icalendar.Calendar.from_ical(data)
        defined = {str(tz["TZID"]) for tz in calendar.walk("VTIMEZONE")}
        used = {
            str(event[key].params["TZID"])
            for event in calendar.walk("VEVENT")
            for key in ("DTSTART", "DTEND", "RECURRENCE-ID", "EXDATE")
            if key in event and "TZID" in event[key].params
        }
        occurrences = _occurrences(data)

        assert used <= defined, person.id
        assert person.zone in defined
        assert len(occurrences) > 4 * WEEKS, person.id
        for occurrence in occurrences:
            start = occurrence.start
            day = start.date() if isinstance(start, datetime) else start
            assert MONDAY - timedelta(days=1) <= day < MONDAY + timedelta(weeks=WEEKS), person.id


def test_every_file_holds_every_promised_feature(
    demo_org: Organisation, demo: dict[str, bytes], big_org: Organisation, big: dict[str, bytes]
) -> None:
    for person, data in _cases(demo_org, demo, big_org, big):
        events = _events(data)
        rules = [str(e["RRULE"].to_ical(), "ascii") for e in events if "RRULE" in e]
        features = {
            "weekly RRULE": any("FREQ=WEEKLY" in r for r in rules),
            "RRULE with UNTIL": any("UNTIL=" in r for r in rules),
            "RRULE with COUNT": any("COUNT=" in r for r in rules),
            "EXDATE": any("EXDATE" in e for e in events),
            "RECURRENCE-ID": any("RECURRENCE-ID" in e for e in events),
            "CANCELLED": any(e.get("STATUS") == "CANCELLED" for e in events),
            "declined by the owner": any(_partstat(e, person) == "DECLINED" for e in events),
            "TRANSPARENT": any(e.get("TRANSP") == "TRANSPARENT" for e in events),
            "all-day": any(type(e.start) is date for e in events),
            "ORGANIZER": any("ORGANIZER" in e for e in events),
        }
        missing = [name for name, present in features.items() if not present]
        assert not missing, f"{person.id} lacks {missing}"


_TEAM_SERIES = ("stand-up", "weekly review", "sprint planning", "retro", "off-site")


def test_team_meetings_are_the_same_events_in_every_members_calendar(
    demo_org: Organisation, demo: dict[str, bytes], big_org: Organisation, big: dict[str, bytes]
) -> None:
    for org, calendars in ((demo_org, demo), (big_org, big)):
        for team in org.teams:
            names = {f"{team.name} {k}" for k in _TEAM_SERIES}
            seen = []
            for member in org.members(team.id):
                events = [e for e in _events(calendars[member.id]) if e["SUMMARY"] in names]
                seen.append(sorted(e.to_ical() for e in events))

            assert all(s == seen[0] for s in seen), team.id
            assert {e["SUMMARY"] for e in events} == names, team.id
            assert len({e["UID"] for e in events}) == len(names)


def _inside_hours(team: Team, start: datetime, end: datetime) -> bool:
    local_start = start.astimezone(ZoneInfo(team.zone))
    local_end = end.astimezone(ZoneInfo(team.zone))
    first = local_start.hour * 60 + local_start.minute
    last = first + int((local_end - local_start).total_seconds() // 60)
    shifts = team.hours.on(local_start.weekday())
    return any(s.start <= first and last <= s.end for s in shifts)


def test_stand_ups_fall_inside_the_teams_hours_and_skip_holidays_and_the_off_site(
    demo_org: Organisation, demo: dict[str, bytes], big_org: Organisation, big: dict[str, bytes]
) -> None:
    for org, calendars in ((demo_org, demo), (big_org, big)):
        for team in org.teams:
            lead = org.members(team.id)[0]
            occurrences = _occurrences(calendars[lead.id])
            standups = [o for o in occurrences if o["SUMMARY"] == f"{team.name} stand-up"]
            offsite = next(o for o in occurrences if o["SUMMARY"] == f"{team.name} off-site")
            days = {o.start.astimezone(ZoneInfo(team.zone)).date() for o in standups}
            holidays = team.holidays

            assert standups, team.id
            assert all(_inside_hours(team, o.start, o.end) for o in standups), team.id
            assert offsite.start not in days
            assert not any(holidays and holidays.holiday(day) for day in days), team.id
            assert len(days) == len(standups)  # the moved one is not doubled


def test_demo_stand_ups_are_the_expected_count_and_one_is_moved(
    demo_org: Organisation, demo: dict[str, bytes]
) -> None:
    events = _events(demo["amelie"])
    master = next(e for e in events if e["SUMMARY"] == "Design stand-up" and "RRULE" in e)
    moved = [e for e in events if e["UID"] == master["UID"] and "RECURRENCE-ID" in e]
    exdate = master["EXDATE"]
    skipped = [d for prop in (exdate if isinstance(exdate, list) else [exdate]) for d in prop.dts]
    standups = [o for o in _occurrences(demo["amelie"]) if o["UID"] == master["UID"]]

    assert len(moved) == 1
    assert moved[0].start != moved[0]["RECURRENCE-ID"].dt
    assert date(2026, 4, 6) in {d.dt.date() for d in skipped}  # Easter Monday in France
    assert len(standups) == 5 * WEEKS - len(skipped)


def test_cross_team_meetings_exist_and_some_land_outside_an_attendees_hours(
    big_org: Organisation, big: dict[str, bytes]
) -> None:
    by_email = {_email(p): p for p in big_org.people}
    zones_per_meeting: list[int] = []
    awkward = 0
    seen: set[tuple[str, str]] = set()
    for person in big_org.people:
        for occurrence in _occurrences(big[person.id]):
            key = (str(occurrence["UID"]), occurrence.start.isoformat())
            if key in seen or "ATTENDEE" not in occurrence or type(occurrence.start) is date:
                continue
            seen.add(key)
            attendees = occurrence["ATTENDEE"]
            people = [by_email[str(a).lower()] for a in attendees]
            zones_per_meeting.append(len({p.zone for p in people}))
            awkward += any(not _inside_hours(big_org.team(p.team_id), occurrence.start,
                                             occurrence.end) for p in people)  # fmt: skip

    assert sum(1 for z in zones_per_meeting if z > 1) > len(big_org.people)
    assert awkward > len(big_org.people) // 2


def test_synthetic_organisation_has_teams_of_five_to_nine_across_zones() -> None:
    org = synthetic_organisation(103, seed=5)
    sizes = Counter(p.team_id for p in org.people)
    emails = [p.emails[0] for p in org.people]

    assert len(org.people) == 103
    assert all(5 <= n <= 9 for n in sizes.values())
    assert len({t.zone for t in org.teams}) >= 8
    assert all(p.zone == org.team(p.team_id).zone for p in org.people)
    assert all(t.holidays is not None for t in org.teams)
    assert len(set(emails)) == len(emails)
    assert [len(synthetic_organisation(n, 1).people) for n in (1, 4, 5, 14)] == [1, 4, 5, 14]


def test_the_ics_importer_reads_every_file_with_no_skipped_series(
    demo_org: Organisation, demo: dict[str, bytes]
) -> None:
    for person in demo_org.people:
        tz = ZoneInfo(person.zone)
        start = datetime.combine(MONDAY, datetime.min.time(), tzinfo=tz)
        owners = frozenset(e.lower() for e in person.emails)
        result = import_calendar(demo[person.id], start, start + timedelta(weeks=WEEKS), owners)

        assert not result.skipped and not result.warnings, person.id
        assert any(o.declined_by_owner for o in result.occurrences), person.id
        assert any(o.is_sync for o in result.occurrences), person.id


def test_write_demo_calendars_writes_one_file_per_person_and_says_so(
    demo_org: Organisation, demo: dict[str, bytes], tmp_path: Path
) -> None:
    out = tmp_path / "cals"
    out.mkdir()
    (out / "notes.txt").write_text("keep me")
    (out / "amelie.ics").write_bytes(b"stale")
    ticks: list[str] = []

    written = write_demo_calendars(
        demo_org, out, MONDAY, WEEKS, 1, generate=iter_calendars, progress=ticks.append
    )

    assert sorted(p.name for p in out.iterdir()) == sorted(
        [f"{p.id}.ics" for p in demo_org.people] + ["notes.txt"]
    )
    assert (out / "amelie.ics").read_bytes() == demo["amelie"]
    assert ticks == [p.id for p in demo_org.people]
    assert written.files == 15
    assert written.events == sum(d.count(b"BEGIN:VEVENT") for d in demo.values())
    assert written.bytes == sum(len(d) for d in demo.values())
    assert written.to_dict()["to"] == "2026-04-20"


@pytest.mark.parametrize(
    ("start", "weeks", "message"),
    [(date(2026, 3, 25), 4, "is a Wednesday; give a Monday, e.g. 2026-03-23"),
     (MONDAY, 0, "--weeks must be 1 to 104")],
)  # fmt: skip
def test_write_demo_calendars_refuses_a_bad_request(
    demo_org: Organisation, tmp_path: Path, start: date, weeks: int, message: str
) -> None:
    with pytest.raises(InputError, match=message):
        write_demo_calendars(demo_org, tmp_path / "x", start, weeks, 1, generate=iter_calendars)
    assert not (tmp_path / "x").exists()


def test_the_calendars_command_writes_a_synthetic_organisation(tmp_path: Path) -> None:
    app = typer.Typer()
    app.command()(calendars_command)
    args = ["--people", "12", "--weeks", "2", "--from", "2026-03-23", "--out", str(tmp_path)]

    result = CliRunner().invoke(app, [*args, "--json"])

    assert result.exit_code == 0, result.output
    assert '"files": 12' in result.output
    assert len(list(tmp_path.glob("*.ics"))) == 12


def test_two_hundred_people_over_thirteen_weeks_generate(
    capsys: pytest.CaptureFixture[str],
) -> None:
    org = synthetic_organisation(200, seed=1)
    began = time.perf_counter()
    calendars = generate_calendars(org, MONDAY, 13, seed=1)
    seconds = time.perf_counter() - began
    with capsys.disabled():
        size = sum(map(len, calendars.values())) / 1e6
        print(f"\n200 people × 13 weeks: {seconds:.2f} s, {size:.1f} MB")  # noqa: T201

    assert len(calendars) == 200
    assert all(data.startswith(b"BEGIN:VCALENDAR") for data in calendars.values())
