"""``asyncfirst plan`` on the real app: several weeks, JSON, ICS, one person's agenda, errors."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import date, datetime, timedelta
from importlib import resources
from pathlib import Path

import pytest
from icalendar import Calendar
from typer.testing import CliRunner

from asyncfirst.entrypoints.cli import app
from asyncfirst.entrypoints.cli_common import EXIT_INVALID

runner = CliRunner()
WIDE = {"COLUMNS": "240"}
FIRST = date(2026, 11, 23)
PLAN = ["plan", "demo", "--week", FIRST.isoformat(), "--time-limit", "2"]


@pytest.fixture(scope="module")
def three_weeks() -> dict[str, object]:
    result = runner.invoke(app, [*PLAN, "--weeks", "3", "--json"])
    assert result.exit_code == 0, result.output
    data: dict[str, object] = json.loads(result.stdout)
    return data


def test_json_holds_one_plan_per_week_with_the_ledger_carried(
    three_weeks: dict[str, object],
) -> None:
    weeks = three_weeks["weeks"]
    assert isinstance(weeks, list) and len(weeks) == 3
    mondays = [FIRST + timedelta(weeks=n) for n in range(3)]
    assert [w["week"] for w in weeks] == [m.isoformat() for m in mondays]
    for n, week in enumerate(weeks):
        assert week["validation"]["violations"] == []
        assert week["plan"]["unplaced"] == []
        occurrences = {p["request"]: p["occurrence"] for p in week["plan"]["placements"]}
        assert occurrences["all-hands"] == n  # the series numbering carries over
        assert week["ledger"]["weeks"] == [m.isoformat() for m in mondays[: n + 1]]
    # the fortnightly QA workshop (from 2026-11-23) skips the middle week
    assert [w["not_this_week"] for w in weeks] == [[], ["qa-workshop"], []]
    ledger = three_weeks["ledger"]
    assert isinstance(ledger, dict)
    assert ledger["weeks"] == [m.isoformat() for m in mondays]
    zone_burden = three_weeks["zone_burden"]
    assert isinstance(zone_burden, dict)
    assert zone_burden == pytest.approx(ledger["zone"])


def test_one_week_has_the_same_shape() -> None:
    result = runner.invoke(app, [*PLAN, "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert [w["week"] for w in data["weeks"]] == [FIRST.isoformat()]
    assert data["ledger"]["weeks"] == [FIRST.isoformat()]


def test_json_stdout_of_a_real_process_is_only_json() -> None:
    """The solvers are native code that may print to file descriptor 1 themselves (HiGHS
    printed its banner there): only a real process shows it, not ``CliRunner``."""
    done = subprocess.run(
        [sys.executable, "-m", "asyncfirst", *PLAN, "--json"],
        capture_output=True, text=True, timeout=300, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["weeks"][0]["week"] == FIRST.isoformat()


def test_ics_writes_one_event_per_meeting(tmp_path: Path) -> None:
    out = tmp_path / "plan.ics"
    result = runner.invoke(app, [*PLAN, "--weeks", "2", "--ics", str(out)], env=WIDE)
    assert result.exit_code == 0, result.output
    calendar = Calendar.from_ical(out.read_bytes())
    events = calendar.events
    assert f"Wrote {len(events)} meeting(s) to {out}." in result.stdout
    assert len(events) == 11  # 6 meetings the first week, 5 the second (no QA workshop)
    assert len({str(e["UID"]) for e in events}) == len(events)
    assert all(
        isinstance(e.start, datetime) and e.start.utcoffset() == timedelta(0) for e in events
    )
    assert "Week of Mon 23 Nov 2026" in result.stdout
    assert "Week of Mon 30 Nov 2026" in result.stdout
    assert "Inconvenience taken on over the 2 weeks" in result.stdout


def test_ics_and_json_together_keep_stdout_json(tmp_path: Path) -> None:
    out = tmp_path / "plan.ics"
    result = runner.invoke(app, [*PLAN, "--json", "--ics", str(out)])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    placed = len(data["weeks"][0]["plan"]["placements"])
    assert len(Calendar.from_ical(out.read_bytes()).events) == placed


def test_person_shows_kenjis_meetings_in_tokyo_time() -> None:
    result = runner.invoke(app, [*PLAN, "--person", "kenji"], env=WIDE)
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert "Kenji Sato: meetings in Tokyo time (Asia/Tokyo)" in out
    for title in ("All-hands", "Coding–Design pairing", "Kenji / Yuki 1:1"):
        assert title in out
    assert "Amélie / Maria 1:1" not in out
    assert "Design–QA review" not in out
    assert " JST" in out and " CET" not in out
    assert "Kenji Sato's inconvenience over these weeks:" in out


def test_person_json_is_in_the_persons_zone() -> None:
    result = runner.invoke(app, [*PLAN, "--person", "kenji", "--json"])
    assert result.exit_code == 0, result.output
    agenda = json.loads(result.stdout)
    assert agenda["person"] == "kenji" and agenda["zone"] == "Asia/Tokyo"
    meetings = agenda["meetings"]
    assert {m["request"] for m in meetings} == {"all-hands", "pairing", "one-on-one-kenji-yuki"}
    for meeting in meetings:
        local = datetime.fromisoformat(meeting["local_start"])
        assert local.utcoffset() == timedelta(hours=9)
        assert local == datetime.fromisoformat(meeting["start"])
        assert "kenji" not in meeting["with"] and "Kenji Sato" not in meeting["with"]
    starts = [m["start"] for m in meetings]
    assert starts == sorted(starts)


def test_save_ledger_writes_every_planned_week(tmp_path: Path) -> None:
    ledger = tmp_path / "burden.json"
    args = [*PLAN, "--weeks", "2", "--ledger", str(ledger), "--save-ledger", "--json"]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    saved = json.loads(ledger.read_text("utf-8"))
    assert saved["weeks"] == ["2026-11-23", "2026-11-30"]
    assert saved == json.loads(result.stdout)["ledger"]
    again = runner.invoke(app, args)  # the same weeks are in the ledger now
    assert again.exit_code == EXIT_INVALID
    assert "already holds the week of 2026-11-23" in again.stderr


def test_a_charter_other_than_demo_needs_requests() -> None:
    with resources.as_file(resources.files("asyncfirst.data") / "demo.toml") as charter:
        result = runner.invoke(app, ["plan", str(charter), "--week", FIRST.isoformat()])
    assert result.exit_code == EXIT_INVALID
    assert "--requests FILE is required" in result.stderr
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.output


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (["--weeks", "0"], "--weeks must be between 1 and 26"),
        (["--weeks", "27"], "--weeks must be between 1 and 26"),
        (["--person", "kenij"], "kenij"),
        (["--save-ledger"], "--save-ledger needs --ledger FILE"),
        (["--requests", "no/such/requests.toml"], "no/such/requests.toml: no such file"),
        (["--processes", "0"], "processes must be between 1 and 64"),
    ],
)
def test_bad_input_exits_3_with_one_line(extra: list[str], message: str) -> None:
    result = runner.invoke(app, [*PLAN, *extra])
    assert result.exit_code == EXIT_INVALID, result.output
    assert message in result.stderr
    assert result.stderr.count("\n") == 1


def test_ics_to_a_missing_folder_is_an_input_error(tmp_path: Path) -> None:
    result = runner.invoke(app, [*PLAN, "--ics", str(tmp_path / "no" / "plan.ics")])
    assert result.exit_code == EXIT_INVALID
    assert "cannot write the calendar" in result.stderr


TWO_GROUPS = """
[meetings.design-crit]
kind = "review"
title = "Design crit"
duration_minutes = 60
required = ["design"]
days = "Mon-Fri"
reason = "Critique of new screens goes faster live."
agenda = "https://wiki.example/design-crit"

[meetings.coding-sync]
kind = "alignment"
title = "Coding sync"
duration_minutes = 30
required = ["coding"]
days = "Mon-Fri"
reason = "The weekly plan of the coding team."
agenda = "https://wiki.example/coding-sync"
"""


def test_processes_solve_independent_groups_apart_and_repeatably(tmp_path: Path) -> None:
    """Two meetings with no one in common are two groups; ``--processes 2`` solves them in
    two processes and gives the same valid plan twice."""
    requests = tmp_path / "requests.toml"
    requests.write_text(TWO_GROUPS)
    command = [*PLAN, "--requests", str(requests), "--processes", "2", "--json"]
    runs = [runner.invoke(app, command) for _ in range(2)]
    assert all(run.exit_code == 0 for run in runs), runs[0].output
    weeks = [json.loads(run.stdout)["weeks"][0] for run in runs]
    plan = weeks[0]["plan"]
    assert plan["components"] == 2
    assert sorted(p["request"] for p in plan["placements"]) == ["coding-sync", "design-crit"]
    assert weeks[0]["validation"]["ok"] and weeks[0]["validation"]["violations"] == []
    placements = [[(p["request"], p["start"]) for p in w["plan"]["placements"]] for w in weeks]
    assert placements[0] == placements[1]
