"""The real-world ICS corpus in ``<repo>/../shared/data/ics`` against its reference numbers.

REFERENCE.tsv was computed with icalendar + recurring-ical-events + x-wr-timezone for two
windows per file (``[start, end)`` at 00:00 UTC). asyncfirst must agree with it where it is
right; where asyncfirst is more right, ``DEVIATIONS`` says why and a test pins our answer.
The corpus files are read in place and never copied into this repository (MANIFEST.md).
"""

from __future__ import annotations

import csv
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

import pytest

from asyncfirst.adapters.ics import import_calendar
from asyncfirst.domain.calendar import ImportResult, busy_intervals
from asyncfirst.domain.intervals import Interval, clip, total_minutes

CORPUS = Path(__file__).resolve().parents[2].parent / "shared" / "data" / "ics"
_ROWS = list(
    csv.DictReader((CORPUS / "REFERENCE.tsv").read_text("utf-8").splitlines(), delimiter="\t")
)
_OCCURRENCES = list(
    csv.DictReader(
        (CORPUS / "REFERENCE_OCCURRENCES.tsv").read_text("utf-8").splitlines(), delimiter="\t"
    )
)

# file -> why asyncfirst answers differently from the reference (numbers pinned below).
DEVIATIONS = {
    "rie__issue_201_mixed_datetime_and_date.ics": (
        "DTSTART;VALUE=DATE with a DATE-TIME DTEND: RFC 5545 wants both of one type; the "
        "start says 'all day', so asyncfirst keeps it all-day (never busy) where the "
        "reference makes a 24-day timed block. Busy time agrees (the event is TRANSPARENT)."
    ),
    "rie__issue_201_test_matrix.ics": (
        "three VEVENTs with a DATE start and a DATE-TIME end or an hours DURATION: all-day "
        "for asyncfirst, timed for the reference; the union of busy time is the same."
    ),
    "khal__owncloud_mixed_awareness.ics": (
        "ownCloud wrote TZID *and* Z on one time and a floating time on the other; "
        "asyncfirst honours the explicit Z (UTC) and reads the floating time in the "
        "owner's zone (here UTC), the reference puts both in Europe/Berlin (2 h earlier)."
    ),
    "khal__ns_railway_non_dst_error.ics": (
        "a VALARM with TRIGGER:PT-2H (sign misplaced) makes the reference reject the whole "
        "file; asyncfirst ignores the broken alarm and imports the train journey."
    ),
}


def _window(row: dict[str, str]) -> Interval:
    start = row["window_start"] or "2000-01-01"
    end = row["window_end"] or "2030-01-01"
    return Interval(
        datetime.fromisoformat(start).replace(tzinfo=UTC),
        datetime.fromisoformat(end).replace(tzinfo=UTC),
    )


def _import(row: dict[str, str]) -> ImportResult:
    window = _window(row)
    return import_calendar((CORPUS / row["file"]).read_bytes(), window.start, window.end)


def _busy(result: ImportResult, window: Interval) -> float:
    return total_minutes(clip(busy_intervals(result.occurrences), window))


def _id(row: dict[str, str]) -> str:
    return f"{row['file']}@{row['window_start'] or 'wide'}"


def test_corpus_is_beside_the_repository() -> None:
    files = sorted(CORPUS.glob("*.ics"))
    assert len(files) == 50
    assert {row["file"] for row in _ROWS} == {f.name for f in files}


@pytest.mark.parametrize("row", _ROWS, ids=_id)
def test_every_calendar_imports_without_a_crash(row: dict[str, str]) -> None:
    result = _import(row)
    assert all(o.start.tzinfo is UTC and o.end >= o.start for o in result.occurrences)


_MATCHING = [r for r in _ROWS if r["status"] == "ok" and r["file"] not in DEVIATIONS]


@pytest.mark.parametrize("row", _MATCHING, ids=_id)
def test_agrees_with_the_reference(row: dict[str, str]) -> None:
    result = _import(row)
    window = _window(row)
    timed = sum(1 for o in result.occurrences if not o.all_day)
    assert len(result.occurrences) == int(row["occurrences"])
    assert timed == int(row["timed"])
    assert sum(o.cancelled for o in result.occurrences) == int(row["cancelled"])
    assert sum(o.transparent for o in result.occurrences) == int(row["transparent"])
    assert _busy(result, window) == pytest.approx(float(row["busy_minutes_opaque"]), abs=0.01)
    assert result.skipped == ()


def _reference_starts(file: str) -> Counter[str]:
    return Counter(
        o["start_utc"][:10] if o["kind"] == "allday" else o["start_utc"]
        for o in _OCCURRENCES
        if o["file"] == file
    )


def _our_starts(result: ImportResult) -> Counter[str]:
    return Counter(
        o.start.strftime("%Y-%m-%d" if o.all_day else "%Y-%m-%dT%H:%M:%SZ")
        for o in result.occurrences
    )


_AUTO = [r for r in _MATCHING if r["window_start"] != "2000-01-01"]


@pytest.mark.parametrize("row", _AUTO, ids=_id)
def test_each_occurrence_starts_where_the_reference_says(row: dict[str, str]) -> None:
    assert _our_starts(_import(row)) == _reference_starts(row["file"])


_PARTIAL = [r for r in _ROWS if r["status"] == "partial"]


@pytest.mark.parametrize("row", _PARTIAL, ids=_id)
def test_a_broken_series_is_skipped_and_the_rest_still_imports(row: dict[str, str]) -> None:
    result = _import(row)
    assert len(result.skipped) == 1
    skipped = result.skipped[0]
    assert skipped.reason
    assert any(skipped.uid in warning and skipped.reason in warning for warning in result.warnings)
    # What the reference still read of these files, asyncfirst reads too.
    assert len(result.occurrences) == int(row["occurrences"])
    assert _busy(result, _window(row)) == pytest.approx(float(row["busy_minutes_opaque"]))


def test_partial_files_name_the_cause_of_each_skip() -> None:
    reasons = {r["file"]: _import(r).skipped[0].reason for r in _PARTIAL}
    assert "bad RRULE" in reasons["rie__bad_rrule_missing_until_event.ics"]
    assert "bad RRULE" in reasons["icalendar__issue_165_exchange_cdo.ics"]
    assert "EXDATE" in reasons["icalendar__google_parsing_error.ics"]
    assert "RDATE" in reasons["icaljs__google_birthday.ics"]


def _row(file: str, wide: bool = False) -> dict[str, str]:
    return next(
        r for r in _ROWS if r["file"] == file and (r["window_start"] == "2000-01-01") == wide
    )


def test_date_start_with_a_datetime_end_stays_all_day() -> None:
    row = _row("rie__issue_201_mixed_datetime_and_date.ics")
    result = _import(row)
    (only,) = result.occurrences
    assert only.all_day and only.transparent
    assert (only.start.date().isoformat(), only.end.date().isoformat()) == (
        "2023-07-24",
        "2023-08-17",
    )
    assert _busy(result, _window(row)) == float(row["busy_minutes_opaque"]) == 0


def test_the_issue_201_matrix_keeps_date_starts_all_day_with_the_same_busy_time() -> None:
    row = _row("rie__issue_201_test_matrix.ics", wide=True)
    result = _import(row)
    all_day = sorted(o.uid for o in result.occurrences if o.all_day)
    assert all_day == [
        "VEVENT-DATE-DATE",
        "VEVENT-DATE-DATETIME",
        "VEVENT-DATE-DAYS",
        "VEVENT-DATE-HOURS",
        "VEVENT-DATE-UTC",
    ]
    assert len(result.occurrences) == int(row["occurrences"])
    assert _busy(result, _window(row)) == pytest.approx(float(row["busy_minutes_opaque"]))


def test_owncloud_explicit_utc_wins_over_its_tzid() -> None:
    row = _row("khal__owncloud_mixed_awareness.ics")
    result = _import(row)
    starts = sorted(o.start.isoformat() for o in result.occurrences)
    assert starts == ["2015-05-30T12:00:00+00:00", "2015-06-02T12:00:00+00:00"]
    # The durations (4 h each) and so the busy time agree with the reference.
    assert _busy(result, _window(row)) == pytest.approx(float(row["busy_minutes_opaque"]))


def test_railway_ticket_that_the_reference_rejects_is_imported() -> None:
    row = _row("khal__ns_railway_non_dst_error.ics")
    assert row["status"] == "error"
    result = _import(row)
    assert len(result.occurrences) == 2
    assert all(not o.all_day for o in result.occurrences)
    assert _busy(result, _window(row)) > 0
    assert result.skipped == ()
