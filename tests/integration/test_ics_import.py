"""The ICS importer on hand-built calendars: one test per thing real exports contain."""

from __future__ import annotations

import contextlib
import http.server
import socket
import threading
import time as time_module
from collections.abc import Iterator
from datetime import UTC, date, datetime, time
from pathlib import Path
from zoneinfo import ZoneInfo

import icalendar
import pytest
from icalendar.timezone import tzp

from asyncfirst.adapters.ics import IcsCalendarSource, Limits, import_calendar
from asyncfirst.domain.calendar import ImportResult, busy_intervals, sync_intervals
from asyncfirst.domain.errors import CalendarError
from asyncfirst.domain.intervals import total_minutes


def ics(*events: str, head: str = "") -> bytes:
    """A VCALENDAR around ``events`` (each the lines between BEGIN/END:VEVENT)."""
    body = "".join(f"BEGIN:VEVENT\n{e.strip()}\nEND:VEVENT\n" for e in events)
    text = (
        f"BEGIN:VCALENDAR\nVERSION:2.0\nPRODID:-//test//EN\n{head.strip()}\n{body}END:VCALENDAR\n"
    )
    return "\r\n".join(line.strip() for line in text.strip().splitlines() if line.strip()).encode()


def load(
    data: bytes, first: str, last: str, zone: str = "UTC", owners: frozenset[str] = frozenset()
) -> ImportResult:
    tz = ZoneInfo(zone)
    start = datetime.combine(date.fromisoformat(first), time(), tzinfo=tz)
    end = datetime.combine(date.fromisoformat(last), time(), tzinfo=tz)
    return import_calendar(data, start, end, owners)


def starts(result: ImportResult) -> list[str]:
    return [o.start.strftime("%Y-%m-%d %H:%M") for o in result.occurrences]


def busy(result: ImportResult) -> float:
    return total_minutes(busy_intervals(result.occurrences))


def vtimezone(tzid: str, standard: str, daylight: str | None = None) -> str:
    """A VTIMEZONE with EU-style (daylight given) or fixed rules; offsets like +0100."""
    parts = [f"BEGIN:VTIMEZONE\nTZID:{tzid}"]
    if daylight is None:
        parts.append(
            f"BEGIN:STANDARD\nDTSTART:16010101T000000\nTZOFFSETFROM:{standard}\n"
            f"TZOFFSETTO:{standard}\nEND:STANDARD"
        )
    else:
        parts.append(
            f"BEGIN:STANDARD\nDTSTART:16010101T030000\nTZOFFSETFROM:{daylight}\n"
            f"TZOFFSETTO:{standard}\nRRULE:FREQ=YEARLY;BYDAY=-1SU;BYMONTH=10\nEND:STANDARD\n"
            f"BEGIN:DAYLIGHT\nDTSTART:16010101T020000\nTZOFFSETFROM:{standard}\n"
            f"TZOFFSETTO:{daylight}\nRRULE:FREQ=YEARLY;BYDAY=-1SU;BYMONTH=3\nEND:DAYLIGHT"
        )
    parts.append("END:VTIMEZONE")
    return "\n".join(parts)


US_EASTERN_CUSTOM = """BEGIN:VTIMEZONE
TZID:Customized Time Zone
BEGIN:STANDARD
DTSTART:16010101T020000
TZOFFSETFROM:-0400
TZOFFSETTO:-0500
RRULE:FREQ=YEARLY;BYDAY=1SU;BYMONTH=11
END:STANDARD
BEGIN:DAYLIGHT
DTSTART:16010101T020000
TZOFFSETFROM:-0500
TZOFFSETTO:-0400
RRULE:FREQ=YEARLY;BYDAY=2SU;BYMONTH=3
END:DAYLIGHT
END:VTIMEZONE"""

CUSTOM_EVENT = "UID:custom\nDTSTART;TZID=Customized Time Zone:20240115T090000\nDURATION:PT1H"


# --- zones -------------------------------------------------------------------------------


def test_windows_zone_name_is_read_as_its_iana_zone_across_dst() -> None:
    data = ics(
        "UID:w\nDTSTART;TZID=W. Europe Standard Time:20240325T090000\n"
        "DTEND;TZID=W. Europe Standard Time:20240325T100000\nRRULE:FREQ=WEEKLY;COUNT=2",
        head=vtimezone("W. Europe Standard Time", "+0100", "+0200"),
    )
    # 09:00 in Berlin is 08:00 UTC before the switch on 31 March and 07:00 after it.
    assert starts(load(data, "2024-03-01", "2024-05-01")) == [
        "2024-03-25 08:00",
        "2024-04-01 07:00",
    ]


def test_customized_time_zone_is_mapped_to_the_iana_zone_it_describes() -> None:
    data = ics(
        "UID:c\nDTSTART;TZID=Customized Time Zone:20240710T090000\nDURATION:PT30M",
        head=vtimezone("Customized Time Zone", "+0100", "+0200"),
    )
    assert starts(load(data, "2024-07-01", "2024-08-01")) == ["2024-07-10 07:00"]


def test_custom_definition_without_iana_twin_is_used_as_written() -> None:
    data = ics(
        "UID:odd\nDTSTART;TZID=Odd:20240110T120000\nDURATION:PT1H",
        head=vtimezone("Odd", "+0517"),
    )
    assert starts(load(data, "2024-01-01", "2024-02-01")) == ["2024-01-10 06:43"]


def test_globally_unique_tzid_uses_its_iana_suffix() -> None:
    data = ics("UID:g\nDTSTART;TZID=/mozilla.org/20070129_1/Asia/Tokyo:20240110T090000")
    assert starts(load(data, "2024-01-01", "2024-02-01")) == ["2024-01-10 00:00"]


def test_unknown_zone_without_definition_is_floating_with_a_warning() -> None:
    data = ics("UID:u\nDTSTART;TZID=GMT-05.00/-04.00:20240110T090000\nDURATION:PT1H")
    result = load(data, "2024-01-01", "2024-02-01", zone="Asia/Kathmandu")
    assert starts(result) == ["2024-01-10 03:15"]  # 09:00 at +05:45
    assert any("GMT-05.00/-04.00" in w and "floating" in w for w in result.warnings)


def test_zone_definitions_of_one_calendar_never_affect_another() -> None:
    """icalendar caches VTIMEZONEs per process by TZID, first one wins; we must not."""
    eastern = ics(CUSTOM_EVENT, head=US_EASTERN_CUSTOM)
    india = ics(CUSTOM_EVENT, head=vtimezone("Customized Time Zone", "+0530"))
    try:
        # Plain icalendar first, so its process-wide cache holds the US definition.
        polluted = icalendar.Calendar.from_ical(eastern)
        assert polluted.events[0].start.utcoffset().total_seconds() == -5 * 3600
        plain_india = icalendar.Calendar.from_ical(india).events[0].start
        assert plain_india.utcoffset().total_seconds() == -5 * 3600  # the collision is real
        assert starts(load(india, "2024-01-01", "2024-02-01")) == ["2024-01-15 03:30"]
        assert starts(load(eastern, "2024-01-01", "2024-02-01")) == ["2024-01-15 14:00"]
        assert starts(load(india, "2024-01-01", "2024-02-01")) == ["2024-01-15 03:30"]
    finally:
        tzp.use_zoneinfo()  # empties icalendar's cache again for other tests


def test_importing_leaves_icalendars_process_cache_alone() -> None:
    tzp.use_zoneinfo()
    load(ics(CUSTOM_EVENT, head=US_EASTERN_CUSTOM), "2024-01-01", "2024-02-01")
    assert tzp.timezone("Customized Time Zone") is None


def test_x_wr_timezone_places_utc_and_floating_times_in_the_calendar_zone() -> None:
    data = ics(
        "UID:weekly\nDTSTART:20240321T080000Z\nDURATION:PT1H\nRRULE:FREQ=WEEKLY;COUNT=2",
        "UID:floating\nDTSTART:20240322T090000\nDURATION:PT1H",
        head="X-WR-TIMEZONE:Europe/Zurich",
    )
    # The weekly meeting stays at 09:00 Zurich time across the DST switch of 31 March.
    assert starts(load(data, "2024-03-01", "2024-04-01")) == [
        "2024-03-21 08:00",
        "2024-03-22 08:00",
        "2024-03-28 08:00",
    ]
    assert starts(load(data, "2024-03-29", "2024-04-10")) == []
    later = ics(
        "UID:weekly\nDTSTART:20240321T080000Z\nDURATION:PT1H\nRRULE:FREQ=WEEKLY;COUNT=3",
        head="X-WR-TIMEZONE:Europe/Zurich",
    )
    assert starts(load(later, "2024-04-01", "2024-04-10")) == ["2024-04-04 07:00"]


def test_floating_times_are_read_in_the_owners_zone() -> None:
    data = ics("UID:f\nDTSTART:20240110T090000\nDTEND:20240110T100000")
    assert starts(load(data, "2024-01-01", "2024-02-01", zone="America/New_York")) == [
        "2024-01-10 14:00"
    ]
    assert starts(load(data, "2024-01-01", "2024-02-01", zone="Asia/Kolkata")) == [
        "2024-01-10 03:30"
    ]


# --- shapes of events --------------------------------------------------------------------


def test_all_day_events_count_but_are_never_busy_and_follow_the_owner_day() -> None:
    data = ics("UID:holiday\nDTSTART;VALUE=DATE:20240501\nDTEND;VALUE=DATE:20240503")
    result = load(data, "2024-05-02", "2024-05-03", zone="Asia/Tokyo")
    (only,) = result.occurrences
    assert only.all_day and not only.is_busy
    assert only.start == datetime(2024, 4, 30, 15, tzinfo=UTC)  # 1 May 00:00 in Tokyo
    assert only.end == datetime(2024, 5, 2, 15, tzinfo=UTC)
    assert busy(result) == 0
    assert load(data, "2024-05-03", "2024-05-10").occurrences == ()


def test_duration_instead_of_dtend_and_no_end_at_all() -> None:
    data = ics(
        "UID:dur\nDTSTART:20240110T090000Z\nDURATION:PT1H30M",
        "UID:point\nDTSTART:20240110T120000Z",
        "UID:day\nDTSTART;VALUE=DATE:20240111",
    )
    result = load(data, "2024-01-10", "2024-01-12")
    by_uid = {o.uid: o for o in result.occurrences}
    assert by_uid["dur"].end - by_uid["dur"].start == datetime(1, 1, 1, 1, 30) - datetime(1, 1, 1)
    assert by_uid["point"].start == by_uid["point"].end  # counted, zero minutes
    assert by_uid["day"].all_day
    assert busy(result) == 90


def test_until_in_another_form_than_dtstart() -> None:
    paris = "DTSTART;TZID=Europe/Paris:20240101T100000\nDURATION:PT1H\nRRULE:FREQ=DAILY;UNTIL="
    data = ics(
        "UID:utc-until\n" + paris + "20240103T090000Z",  # RFC form: UTC
        "UID:local-until\n" + paris + "20240103T100000",  # no Z: read as UTC, as Outlook means
        "UID:date-until\n" + paris + "20240103",  # a DATE: 00:00 UTC of that day
        "UID:floating\nDTSTART:20240101T120000\nDURATION:PT1H\n"
        "RRULE:FREQ=DAILY;UNTIL=20240102T120000Z",
    )
    result = load(data, "2024-01-01", "2024-02-01")
    counts = {o.uid: sum(p.uid == o.uid for p in result.occurrences) for o in result.occurrences}
    assert counts == {"utc-until": 3, "local-until": 3, "date-until": 2, "floating": 2}
    assert result.skipped == ()


def test_exdate_lists_on_one_line_and_on_several() -> None:
    data = ics(
        "UID:x\nDTSTART;TZID=Europe/Berlin:20240101T090000\nDURATION:PT1H\n"
        "RRULE:FREQ=DAILY;COUNT=6\n"
        "EXDATE;TZID=Europe/Berlin:20240102T090000,20240103T090000\n"
        "EXDATE:20240105T080000Z"
    )
    assert [s[:10] for s in starts(load(data, "2024-01-01", "2024-02-01"))] == [
        "2024-01-01",
        "2024-01-04",
        "2024-01-06",
    ]


def test_rdate_plain_and_as_period() -> None:
    data = ics(
        "UID:r\nDTSTART:20240101T090000Z\nDTEND:20240101T100000Z\n"
        "RDATE:20240105T090000Z\n"
        "RDATE;VALUE=PERIOD:20240110T090000Z/20240110T120000Z"
    )
    result = load(data, "2024-01-01", "2024-02-01")
    assert [(o.start.day, o.end.hour) for o in result.occurrences] == [(1, 10), (5, 10), (10, 12)]


def test_recurrence_id_overrides_move_and_cancel_instances() -> None:
    series = "UID:s\nDTSTART:20240101T090000Z\nDURATION:PT1H\nRRULE:FREQ=DAILY;COUNT=4"
    moved = "UID:s\nRECURRENCE-ID:20240102T090000Z\nDTSTART:20240102T150000Z\nDURATION:PT1H"
    cancelled = (
        "UID:s\nRECURRENCE-ID:20240103T090000Z\nDTSTART:20240103T090000Z\n"
        "DURATION:PT1H\nSTATUS:CANCELLED"
    )
    result = load(ics(series, moved, cancelled), "2024-01-01", "2024-02-01")
    assert starts(result) == [
        "2024-01-01 09:00",
        "2024-01-02 15:00",
        "2024-01-03 09:00",
        "2024-01-04 09:00",
    ]
    assert [o.cancelled for o in result.occurrences] == [False, False, True, False]
    assert result.occurrences[1].recurrence_id == datetime(2024, 1, 2, 9, tzinfo=UTC)
    assert busy(result) == 180


def test_recurrence_id_this_and_future_moves_the_rest_of_the_series() -> None:
    series = "UID:t\nDTSTART:20240101T090000Z\nDURATION:PT1H\nRRULE:FREQ=DAILY;COUNT=4"
    later = (
        "UID:t\nRECURRENCE-ID;RANGE=THISANDFUTURE:20240103T090000Z\n"
        "DTSTART:20240103T110000Z\nDURATION:PT1H"
    )
    assert starts(load(ics(series, later), "2024-01-01", "2024-02-01")) == [
        "2024-01-01 09:00",
        "2024-01-02 09:00",
        "2024-01-03 11:00",
        "2024-01-04 11:00",
    ]


OWNER = frozenset({"ana@example.org"})
MEETING = (
    "DTSTART:20240110T090000Z\nDTEND:20240110T100000Z\n"
    "ORGANIZER:mailto:bo@example.org\n"
    "ATTENDEE;PARTSTAT={partstat}:MAILTO:Ana@Example.org\n"
    "ATTENDEE;CUTYPE=ROOM:mailto:room-1@example.org\n"
)


def test_cancelled_transparent_and_declined_are_not_busy_but_are_counted() -> None:
    data = ics(
        "UID:cancel\nSTATUS:CANCELLED\nDTSTART:20240110T090000Z\nDTEND:20240110T100000Z",
        "UID:free\nTRANSP:TRANSPARENT\nDTSTART:20240110T110000Z\nDTEND:20240110T120000Z",
        "UID:declined\n" + MEETING.format(partstat="DECLINED"),
        "UID:solo\nDTSTART:20240110T130000Z\nDTEND:20240110T140000Z",
    )
    result = load(data, "2024-01-10", "2024-01-11", owners=OWNER)
    assert len(result.occurrences) == 4
    assert [o.uid for o in result.occurrences if o.is_busy] == ["solo"]
    assert next(o for o in result.occurrences if o.uid == "declined").declined_by_owner
    # Without knowing the owner, nobody has declined.
    assert busy(load(data, "2024-01-10", "2024-01-11")) == 120


def test_sync_needs_another_person_rooms_do_not_count() -> None:
    data = ics(
        "UID:meeting\n" + MEETING.format(partstat="ACCEPTED"),
        "UID:room-only\nDTSTART:20240110T110000Z\nDTEND:20240110T120000Z\n"
        "ATTENDEE;PARTSTAT=ACCEPTED:mailto:ana@example.org\n"
        "ATTENDEE;CUTYPE=RESOURCE:mailto:beamer@example.org",
    )
    result = load(data, "2024-01-10", "2024-01-11", owners=OWNER)
    by_uid = {o.uid: o for o in result.occurrences}
    assert by_uid["meeting"].attendee_count_besides_owner == 1  # the organizer
    assert by_uid["room-only"].attendee_count_besides_owner == 0
    assert total_minutes(sync_intervals(result.occurrences)) == 60
    assert busy(result) == 120


# --- broken input ------------------------------------------------------------------------

GOOD = "UID:good\nDTSTART:20240110T090000Z\nDURATION:PT1H"


@pytest.mark.parametrize(
    ("broken", "uid", "reason"),
    [
        (
            "UID:bad-rule\nDTSTART:20240110T090000Z\nRRULE:FREQ=WEEKLY;UNTL=2024",
            "bad-rule",
            "RRULE",
        ),
        ("UID:no-start\nSUMMARY:nothing\nDURATION:PT1H", "no-start", "DTSTART"),
        ("UID:bad-date\nDTSTART:20240231T250000Z\nDURATION:PT1H", "bad-date", "DTSTART"),
        (
            "UID:bad-zone\nDTSTART;TZID=Broken:20240110T090000\nDURATION:PT1H",
            "bad-zone",
            "Broken",
        ),
    ],
)
def test_one_broken_series_is_skipped_with_its_uid_and_reason(
    broken: str, uid: str, reason: str
) -> None:
    head = (
        "BEGIN:VTIMEZONE\nTZID:Broken\nBEGIN:STANDARD\nDTSTART:16010101T000000\n"
        "TZOFFSETFROM:+2600\nTZOFFSETTO:+2600\nEND:STANDARD\nEND:VTIMEZONE"
    )
    result = load(ics(broken, GOOD, head=head), "2024-01-01", "2024-02-01")
    assert [o.uid for o in result.occurrences] == ["good"]
    (skipped,) = result.skipped
    assert skipped.uid == uid
    assert reason in skipped.reason
    assert any(uid in w and skipped.reason in w for w in result.warnings)


@pytest.mark.parametrize(
    ("data", "said"),
    [
        (b"<!DOCTYPE html><html><body>Sign in</body></html>", "HTML"),
        (b"", "empty"),
        (b'{"events": []}', "JSON"),
        (b"BEGIN:VCARD\r\nFN:Ana\r\nEND:VCARD\r\n", "BEGIN:VCALENDAR"),
    ],
)
def test_a_file_that_is_not_a_calendar_gets_one_clear_error(data: bytes, said: str) -> None:
    with pytest.raises(CalendarError) as caught:
        load(data, "2024-01-01", "2024-02-01")
    assert "is not an iCalendar file" in caught.value.message
    assert said in caught.value.message


# --- sources -----------------------------------------------------------------------------


def _window() -> tuple[datetime, datetime]:
    return datetime(2024, 1, 1, tzinfo=UTC), datetime(2024, 2, 1, tzinfo=UTC)


def test_a_folder_imports_every_calendar_and_skips_non_calendars(tmp_path: Path) -> None:
    (tmp_path / "work.ics").write_bytes(ics(GOOD))
    (tmp_path / "home.ICS").write_bytes(ics("UID:home\nDTSTART:20240111T090000Z"))
    (tmp_path / "broken.ics").write_bytes(b"<html></html>")
    (tmp_path / "notes.txt").write_text("not read")
    result = IcsCalendarSource().import_window(str(tmp_path), *_window(), frozenset())
    assert [o.uid for o in result.occurrences] == ["good", "home"]
    assert any("broken.ics" in w and "HTML" in w for w in result.warnings)


def test_missing_file_and_empty_folder_are_calendar_errors(tmp_path: Path) -> None:
    with pytest.raises(CalendarError, match="no such calendar file"):
        IcsCalendarSource().import_window(str(tmp_path / "nope.ics"), *_window(), frozenset())
    with pytest.raises(CalendarError, match=r"holds no \.ics files"):
        IcsCalendarSource().import_window(str(tmp_path), *_window(), frozenset())


def test_several_owner_sources_are_unioned_for_busy_time(tmp_path: Path) -> None:
    (tmp_path / "a.ics").write_bytes(ics("UID:a\nDTSTART:20240110T090000Z\nDURATION:PT2H"))
    (tmp_path / "b.ics").write_bytes(ics("UID:b\nDTSTART:20240110T100000Z\nDURATION:PT2H"))
    result = IcsCalendarSource().import_window(str(tmp_path), *_window(), frozenset())
    assert busy(result) == 180
    assert sum(o.interval.minutes for o in result.occurrences) == 240


# --- http(s) -----------------------------------------------------------------------------

SECRET = "private-0123456789abcdef"  # noqa: S105 - a fake secret calendar token


class _Handler(http.server.BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        # The client may give up (too large, too slow): that is the point of those tests.
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):
            self._route()

    def _route(self) -> None:
        if self.path == f"/{SECRET}/basic.ics":
            self._send(200, ics(GOOD))
        elif self.path == "/moved":
            self._redirect(f"/{SECRET}/basic.ics")
        elif self.path.startswith("/loop"):
            self._redirect("/loop" + str(len(self.path)))
        elif self.path == "/big":
            self.send_response(200)
            self.end_headers()  # no Content-Length: the size shows only while reading
            chunk = b"X" * 65536
            for _ in range(40):
                self.wfile.write(chunk)
        elif self.path == "/big-declared":
            self.send_response(200)
            self.send_header("Content-Length", str(50 * 1024 * 1024))
            self.end_headers()
        elif self.path.startswith("/slow"):
            time_module.sleep(1.5)
            self._send(200, ics(GOOD))
        else:
            self._send(404, b"not here")

    def _send(self, status: int, body: bytes) -> None:
        self.send_response(status)
        self.send_header("Content-Type", "text/calendar")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def _redirect(self, target: str) -> None:
        self.send_response(302)
        self.send_header("Location", target)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, format: str, *args: object) -> None:
        """Quiet."""


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    httpd.daemon_threads = True
    httpd.block_on_close = False
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join(timeout=5)


def _fetch(url: str) -> ImportResult:
    source = IcsCalendarSource(Limits(timeout_seconds=0.5, max_bytes=1024 * 1024))
    return source.import_window(url, *_window(), frozenset())


def test_url_is_downloaded_and_imported(server: str) -> None:
    assert [o.uid for o in _fetch(f"{server}/{SECRET}/basic.ics").occurrences] == ["good"]
    assert [o.uid for o in _fetch(f"{server}/moved").occurrences] == ["good"]


@pytest.mark.parametrize(
    ("path", "said"),
    [
        (f"/{SECRET}/missing.ics", "answered HTTP 404"),
        ("/loop", "redirected more than 5 times"),
        ("/big", "more than 1 MiB"),
        ("/big-declared", "more than 1 MiB"),
        (f"/slow?token={SECRET}", "did not answer within 0.5 s"),
    ],
)
def test_url_failures_are_clear_calendar_errors_without_the_secret(
    server: str, path: str, said: str
) -> None:
    with pytest.raises(CalendarError) as caught:
        _fetch(server + path)
    message = caught.value.message
    assert said in message
    assert "127.0.0.1" in message
    assert SECRET not in message


def test_unreachable_host_is_a_calendar_error() -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    with pytest.raises(CalendarError, match="cannot download"):
        _fetch(f"http://127.0.0.1:{port}/{SECRET}.ics")
