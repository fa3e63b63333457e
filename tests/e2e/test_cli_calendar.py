"""``asyncfirst calendar inspect`` end to end, through Typer's runner."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import typer.main
from typer.testing import CliRunner

from asyncfirst.domain.errors import CalendarError, InputError, UnknownZoneError
from asyncfirst.entrypoints.cli_calendar import calendar_app

CORPUS = Path(__file__).resolve().parents[2].parent / "shared" / "data" / "ics"
runner = CliRunner()

MEETINGS = (
    "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//EN\r\n"
    "BEGIN:VEVENT\r\nUID:standup\r\nDTSTART:20240108T090000\r\nDURATION:PT30M\r\n"
    "RRULE:FREQ=DAILY;COUNT=5\r\nORGANIZER:mailto:lead@example.org\r\n"
    "ATTENDEE;PARTSTAT=ACCEPTED:mailto:ana@example.org\r\nEND:VEVENT\r\n"
    "BEGIN:VEVENT\r\nUID:standup\r\nRECURRENCE-ID:20240110T090000\r\n"
    "DTSTART:20240110T090000\r\nDURATION:PT30M\r\nORGANIZER:mailto:lead@example.org\r\n"
    "ATTENDEE;PARTSTAT=DECLINED:mailto:ana@example.org\r\nEND:VEVENT\r\n"
    "BEGIN:VEVENT\r\nUID:focus\r\nDTSTART:20240109T100000\r\nDURATION:PT2H\r\nEND:VEVENT\r\n"
    "BEGIN:VEVENT\r\nUID:trip\r\nDTSTART;VALUE=DATE:20240111\r\nEND:VEVENT\r\n"
    "BEGIN:VEVENT\r\nUID:broken\r\nDTSTART:20240109T100000\r\nRRULE:FREQ=SOMETIMES\r\n"
    "END:VEVENT\r\nEND:VCALENDAR\r\n"
)


@pytest.fixture
def calendar_file(tmp_path: Path) -> Path:
    path = tmp_path / "ana.ics"
    path.write_text(MEETINGS)
    return path


def inspect(*args: str) -> dict[str, object]:
    result = runner.invoke(calendar_app, ["inspect", *args, "--json"])
    assert result.exit_code == 0, result.output
    payload: dict[str, object] = json.loads(result.output)
    return payload


def test_json_contract(calendar_file: Path) -> None:
    report = inspect(str(calendar_file), "--from", "2024-01-08", "--to", "2024-01-15")
    assert {k: report[k] for k in ("occurrences", "timed", "all_day")} == {
        "occurrences": 7,
        "timed": 6,
        "all_day": 1,
    }
    # Without --owner nobody declined: 5 stand-ups of 30 min plus 2 h focus.
    assert report["busy_minutes"] == 270
    assert report["sync_minutes"] == 150
    assert report["skipped"] == [{"uid": "broken", "reason": report["skipped"][0]["reason"]}]  # type: ignore[index]
    assert "broken" in " ".join(report["warnings"])  # type: ignore[arg-type]


def test_owner_declines_and_meetings(calendar_file: Path) -> None:
    report = inspect(
        str(calendar_file), "--from", "2024-01-08", "--to", "2024-01-15",
        "--owner", "Ana@Example.org",
    )  # fmt: skip
    assert report["busy_minutes"] == 240
    assert report["sync_minutes"] == 120
    assert report["declined"] == 1


def test_tz_sets_the_window_and_floating_times(calendar_file: Path) -> None:
    # In Tokyo the window starts at 00:00 Tokyo time and floating 09:00 is Tokyo 09:00,
    # so the same local day holds the same occurrences.
    report = inspect(
        str(calendar_file), "--from", "2024-01-09", "--to", "2024-01-10", "--tz", "Asia/Tokyo"
    )
    assert (report["occurrences"], report["busy_minutes"]) == (2, 150)


@pytest.mark.parametrize(
    ("file", "start", "end", "occurrences", "busy"),
    [
        ("icalevents__cest.ics", "2020-01-01", "2021-01-01", 119, 13800.0),
        ("icalevents__recurrence_tz.ics", "2021-01-01", "2022-01-01", 11, 0.0),
        ("rie__several_events_at_the_same_time.ics", "2019-01-01", "2020-01-01", 10, 30.0),
    ],
)
def test_corpus_files_through_the_cli(
    file: str, start: str, end: str, occurrences: int, busy: float
) -> None:
    report = inspect(str(CORPUS / file), "--from", start, "--to", end, "--tz", "UTC")
    assert (report["occurrences"], report["busy_minutes"]) == (occurrences, busy)


def test_table_when_not_json(calendar_file: Path) -> None:
    result = runner.invoke(
        calendar_app, ["inspect", str(calendar_file), "--from", "2024-01-08", "--to", "2024-01-15"]
    )
    assert result.exit_code == 0
    assert "occurrences" in result.output and "busy hours" in result.output
    assert "4.5" in result.output  # 270 busy minutes
    assert "skipped" in result.output and "broken" in result.output


@pytest.mark.parametrize(
    ("args", "error", "said"),
    [
        (["--from", "2024-13-01", "--to", "2024-02-01"], InputError, "--from"),
        (["--from", "2024-02-01", "--to", "2024-01-01"], InputError, "must end after"),
        (["--from", "2024-01-01", "--to", "2024-02-01", "--tz", "Mars/Olympus"],
         UnknownZoneError, "Mars/Olympus"),
    ],
)  # fmt: skip
def test_bad_options_raise_input_errors(
    calendar_file: Path, args: list[str], error: type[Exception], said: str
) -> None:
    result = runner.invoke(calendar_app, ["inspect", str(calendar_file), *args])
    assert isinstance(result.exception, error)
    assert said in str(result.exception)


def test_not_a_calendar_is_a_calendar_error(tmp_path: Path) -> None:
    page = tmp_path / "login.ics"
    page.write_text("<html><body>Please sign in</body></html>")
    result = runner.invoke(
        calendar_app, ["inspect", str(page), "--from", "2024-01-01", "--to", "2024-02-01"]
    )
    assert isinstance(result.exception, CalendarError)
    assert "not an iCalendar file" in str(result.exception)


def test_every_option_has_help() -> None:
    result = runner.invoke(calendar_app, ["inspect", "--help"])
    assert result.exit_code == 0
    for option in ("--from", "--to", "--tz", "--owner", "--json"):
        assert option in result.output
    click_command = typer.main.get_command(calendar_app).commands["inspect"]  # type: ignore[attr-defined]
    assert [param.name for param in click_command.params if not param.help] == []
