"""The ICS importer, fuzzed: any bytes give occurrences and skip records, or a CalendarError.

Three kinds of input: arbitrary bytes; ICS-ish text assembled from real property names,
parameters and values (time zones known and unknown, broken dates, odd RRULEs); and the
real-world corpus in shared/data/ics with its lines mutated (deleted, doubled, swapped,
cut, a value replaced, a byte flipped). A failure must be a ``CalendarError`` (an
``AsyncfirstError``); a series that cannot be used must come back as a ``SkippedSeries``;
every occurrence must be aware, end no earlier than it starts and overlap the window.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from asyncfirst.adapters.ics import import_calendar
from asyncfirst.domain.calendar import ImportResult
from asyncfirst.domain.errors import AsyncfirstError

CORPUS = Path(__file__).resolve().parents[2].parent / "shared" / "data" / "ics"
FILES = sorted(CORPUS.glob("*.ics")) if CORPUS.is_dir() else []
FUZZ = settings(max_examples=200, deadline=None, derandomize=True, database=None,
                suppress_health_check=[HealthCheck.too_slow])  # fmt: skip
PARIS = ZoneInfo("Europe/Paris")
WINDOWS = [
    (datetime(2024, 1, 1, tzinfo=PARIS), datetime(2024, 2, 1, tzinfo=PARIS)),
    (datetime(2019, 3, 25, tzinfo=UTC), datetime(2019, 4, 8, tzinfo=UTC)),
    (datetime(2000, 1, 1, tzinfo=UTC), datetime(2030, 1, 1, tzinfo=UTC)),
]


def check(data: bytes, window: int = 0) -> ImportResult | None:
    start, end = WINDOWS[window]
    try:
        result = import_calendar(data, start, end, frozenset({"me@example.org"}), name="fuzz.ics")
    except AsyncfirstError as error:
        assert error.code == "invalid_calendar", error.code
        assert error.message.startswith("fuzz.ics"), error.message
        return None
    for occurrence in result.occurrences:
        assert occurrence.start.tzinfo is not None and occurrence.end.tzinfo is not None
        assert occurrence.start <= occurrence.end
        assert occurrence.start < end + timedelta(days=1) and occurrence.end > start - timedelta(
            days=1
        )
    for skipped in result.skipped:
        assert skipped.reason.strip()
    return result


@FUZZ
@given(data=st.binary(max_size=300))
def test_arbitrary_bytes(data: bytes) -> None:
    check(b"BEGIN:VCALENDAR\r\n" + data if data[:1] == b"B" else data)


ZONES = ["Europe/Paris", "America/New_York", "Asia/Kathmandu", "Australia/Lord_Howe",
         "W. Europe Standard Time", "Pacific Standard Time", "Mars/Olympus", "", "UTC"]  # fmt: skip
DATES = st.one_of(
    st.datetimes(min_value=datetime(2023, 12, 1), max_value=datetime(2024, 2, 15)).map(
        lambda d: d.strftime("%Y%m%dT%H%M00")
    ),
    st.datetimes(min_value=datetime(2023, 12, 1), max_value=datetime(2024, 2, 15)).map(
        lambda d: d.strftime("%Y%m%dT%H%M00Z")
    ),
    st.datetimes(min_value=datetime(1900, 1, 1), max_value=datetime(2100, 1, 1)).map(
        lambda d: d.strftime("%Y%m%dT%H%M%S")
    ),
    st.dates().map(lambda d: d.strftime("%Y%m%d")),
    st.sampled_from(["20240101T250000", "20240230T100000", "2024-01-01", "0", "", "T", "Z",
                     "20240101T100000ZZ", "99999999T999999", "20240101T100000/PT1H"]),
)  # fmt: skip
RRULES = st.one_of(
    st.builds(
        lambda f, c, i, by, u: ";".join(p for p in (f"FREQ={f}", c, i, by, u) if p),
        st.sampled_from(["DAILY", "WEEKLY", "MONTHLY", "YEARLY", "HOURLY", "MINUTELY", "NEVER"]),
        st.sampled_from(["", "COUNT=3", "COUNT=0", "COUNT=-1", "COUNT=99999999"]),
        st.sampled_from(["", "INTERVAL=2", "INTERVAL=0", "INTERVAL=x"]),
        st.sampled_from(
            [
                "",
                "BYDAY=MO,WE",
                "BYDAY=5FR",
                "BYDAY=XX",
                "BYMONTHDAY=31",
                "BYMONTHDAY=-1",
                "BYSETPOS=-1;BYDAY=MO",
                "BYHOUR=25",
            ]
        ),
        st.sampled_from(["", "UNTIL=20240301T000000Z", "UNTIL=20240301", "UNTIL=garbage"]),
    ),
    st.text(max_size=30),
)


@st.composite
def ics_event(draw: st.DrawFn) -> str:
    zone = draw(st.sampled_from(ZONES))
    tz = f";TZID={zone}" if zone and draw(st.booleans()) else ""
    lines = ["BEGIN:VEVENT", f"UID:{draw(st.sampled_from(['a', 'b', '', 'a@x']))}"]
    if draw(st.booleans()):
        lines.append(f"DTSTART{tz}:{draw(DATES)}")
    if draw(st.booleans()):
        lines.append(f"DTEND{tz}:{draw(DATES)}")
    elif draw(st.booleans()):
        lines.append(
            f"DURATION:{draw(st.sampled_from(['PT1H', 'P1D', '-PT1H', 'PT0S', 'P', 'x']))}"
        )
    if draw(st.booleans()):
        lines.append(f"RRULE:{draw(RRULES)}")
    if draw(st.booleans()):
        lines.append(f"EXDATE{tz}:{draw(DATES)}")
    if draw(st.booleans()):
        lines.append(f"RECURRENCE-ID{tz}:{draw(DATES)}")
    if draw(st.booleans()):
        lines.append(f"RDATE{tz}:{draw(DATES)}")
    extra = ["STATUS:CANCELLED", "TRANSP:TRANSPARENT", "ATTENDEE;PARTSTAT=DECLINED:mailto:me@example.org",
             "ORGANIZER:mailto:boss@example.org", "SUMMARY:Focus", "X-MICROSOFT-CDO-BUSYSTATUS:OOF",
             "SEQUENCE:x", "CLASS:PRIVATE",
             "BEGIN:VALARM\r\nACTION:DISPLAY\r\nTRIGGER:-PT15M\r\nEND:VALARM"]  # fmt: skip
    lines += draw(st.lists(st.sampled_from(extra), max_size=3))
    if not (draw(st.booleans()) and draw(st.booleans()) and draw(st.booleans())):
        lines.append("END:VEVENT")
    return "\r\n".join(lines)


@st.composite
def ics_text(draw: st.DrawFn) -> bytes:
    head = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//fuzz//EN"]
    if draw(st.booleans()):
        head.append(f"X-WR-TIMEZONE:{draw(st.sampled_from(ZONES))}")
    if draw(st.booleans()):
        head += ["BEGIN:VTIMEZONE", f"TZID:{draw(st.sampled_from(ZONES))}", "BEGIN:STANDARD",
                 f"DTSTART:{draw(DATES)}", f"TZOFFSETFROM:{draw(st.sampled_from(['+0100', '+0545', 'x']))}",
                 "TZOFFSETTO:+0000", "END:STANDARD", "END:VTIMEZONE"]  # fmt: skip
    events = draw(st.lists(ics_event(), max_size=4))
    tail = (
        ["END:VCALENDAR"]
        if not (draw(st.booleans()) and draw(st.booleans()) and draw(st.booleans()))
        else []
    )
    return "\r\n".join(head + events + tail).encode("utf-8")


@FUZZ
@given(data=ics_text(), window=st.integers(0, 1))
def test_ics_like_text(data: bytes, window: int) -> None:
    check(data, window)


needs_corpus = pytest.mark.skipif(not FILES, reason=f"the ICS corpus is not at {CORPUS}")


@st.composite
def mutated_corpus_file(draw: st.DrawFn) -> bytes:
    data = draw(st.sampled_from(FILES)).read_bytes()
    lines = data.split(b"\n")
    for _ in range(draw(st.integers(1, 4))):
        if not lines:
            break
        i = draw(st.integers(0, len(lines) - 1))
        kind = draw(st.sampled_from(["delete", "double", "swap", "value", "cut", "flip"]))
        if kind == "delete":
            del lines[i]
        elif kind == "double":
            lines.insert(i, lines[i])
        elif kind == "swap":
            j = draw(st.integers(0, len(lines) - 1))
            lines[i], lines[j] = lines[j], lines[i]
        elif kind == "value" and b":" in lines[i]:
            name = lines[i].split(b":", 1)[0]
            value = draw(st.one_of(DATES, RRULES, st.sampled_from(ZONES), st.text(max_size=12)))
            lines[i] = name + b":" + value.encode("utf-8")
        elif kind == "cut":
            lines[i] = lines[i][: draw(st.integers(0, len(lines[i])))]
        elif lines[i]:
            j = draw(st.integers(0, len(lines[i]) - 1))
            lines[i] = lines[i][:j] + bytes([draw(st.integers(0, 255))]) + lines[i][j + 1 :]
    return b"\n".join(lines)


@needs_corpus
def test_the_corpus_itself_imports() -> None:
    results = [check(path.read_bytes(), 2) for path in FILES]
    assert sum(result is not None for result in results) >= len(FILES) - 3


@needs_corpus
@FUZZ
@given(data=mutated_corpus_file())
def test_mutated_corpus_files(data: bytes) -> None:
    check(data, 0)
