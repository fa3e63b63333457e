"""The machine-readable contracts of ``overlap`` and ``respond-by``, and the demo tour."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from typer.testing import CliRunner

from asyncfirst.entrypoints.cli import app

runner = CliRunner()


def run_json(*args: str) -> dict[str, object]:
    result = runner.invoke(app, [*args, "--json"])
    assert result.exit_code == 0, result.output
    data: dict[str, object] = json.loads(result.stdout)
    return data


# Minutes follow from the charter: Paris 09:00-17:30, Tokyo 09:30-18:30, New York 09:00-17:00.
@pytest.mark.parametrize(
    ("week", "design_coding", "design_qa", "why"),
    [
        # winter: Paris +1, Tokyo +9, NY -5; Japan's Coming of Age Day on Monday 12 Jan
        ("2026-01-12", 4 * 90, 5 * 150, "Coming of Age Day removes a day of Paris-Tokyo"),
        # US on daylight time since 8 Mar, Europe not until 29 Mar: 3.5 h a day with NY
        ("2026-03-09", 5 * 90, 5 * 210, "the US and Europe out of step"),
        # summer: Paris +2 gives 2.5 h with Tokyo; Juneteenth (Fri 19 Jun) removes a NY day
        ("2026-06-15", 5 * 150, 4 * 150, "Juneteenth"),
        # Labor Thanksgiving Day (Mon 23 Nov, JP) and Thanksgiving (Thu 26 Nov, US)
        ("2026-11-23", 4 * 90, 4 * 150, "Labor Thanksgiving Day and Thanksgiving"),
    ],
)
def test_overlap_contract_on_the_demo(
    week: str, design_coding: int, design_qa: int, why: str
) -> None:
    data = run_json("overlap", "demo", "--week", week)
    pairs = {(p["a"], p["b"]): p["minutes"] for p in data["pairs"]}  # type: ignore[index, union-attr]
    assert pairs == {
        ("design", "coding"): design_coding,
        ("design", "qa"): design_qa,
        ("coding", "qa"): 0,
    }, why
    assert data["all"] == {"teams": ["design", "coding", "qa"], "minutes": 0}


def test_overlap_week_must_be_a_monday() -> None:
    result = runner.invoke(app, ["overlap", "demo", "--week", "2026-11-25"])
    assert result.exit_code == 3
    assert "is a Wednesday; give the Monday" in result.stderr


def test_respond_by_contract() -> None:
    data = run_json(
        "respond-by",
        "demo",
        "--to",
        "coding",
        "--sent",
        "2026-11-20T18:00:00+01:00",
        "--hours",
        "8",
    )
    assert data["due"] == "2026-11-24T17:30:00+09:00"
    assert data["due_utc"] == "2026-11-24T08:30:00Z"
    assert data["skipped_days"] == [
        {"date": "2026-11-23", "reason": "public holiday: Labor Thanksgiving Day"}
    ]


def test_respond_by_person_uses_their_own_hours_and_time_off() -> None:
    # Friday 25 Dec gives 6.5 h (12:00-18:30); Ren's leave (28 Dec - 5 Jan) and Japan's
    # New Year holidays follow; the last 1.5 h fall on Wednesday 6 Jan.
    data = run_json(
        "respond-by", "demo", "--to", "ren", "--sent", "2026-12-25T12:00:00+09:00", "--hours", "8"
    )
    assert data["due"] == "2027-01-06T11:00:00+09:00"
    team = run_json(
        "respond-by",
        "demo",
        "--to",
        "coding",
        "--sent",
        "2026-12-25T12:00:00+09:00",
        "--hours",
        "8",
    )
    assert team["due"] < data["due"]  # the team's charter hours know nothing of Ren's leave


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--to", "codng", "--sent", "2026-11-20T18:00:00+01:00"], 'did you mean "coding"'),
        (["--to", "coding", "--sent", "2026-11-20T18:00:00"], "has no UTC offset"),
        (["--to", "coding", "--sent", "yesterday"], "is not an instant"),
        (["--to", "coding", "--sent", "2026-11-20T18:00Z", "--hours", "0"], "--hours must be"),
    ],
)
def test_respond_by_bad_input_is_exit_3(args: list[str], message: str) -> None:
    result = runner.invoke(app, ["respond-by", "demo", *args])
    assert result.exit_code == 3, result.output
    assert message in result.stderr


def test_demo_tour_explains_why_no_hour_fits_all_three() -> None:
    result = runner.invoke(app, ["demo", "--week", "2026-11-23"], env={"COLUMNS": "160"})
    assert result.exit_code == 0, result.output
    text = result.stdout
    assert "Coding (Tokyo) and QA (New York) share no working hour" in text
    assert "No hour of this week has all 3 teams at work" in text
    assert "Labor Thanksgiving Day" in text
    assert "17:00–01:30 (+1)" in text  # Paris hours on Tokyo's clock


def test_console_script_runs_the_demo() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "asyncfirst", "demo", "--week", "2026-06-15", "--json"],
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["overlap"]["all"]["minutes"] == 0
