"""``asyncfirst series`` through Typer, on a small app that registers only this command."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from asyncfirst.entrypoints.cli_common import EXIT_INVALID, new_app
from asyncfirst.entrypoints.cli_series import series_command

app = new_app("asyncfirst", "test app")
app.command("series")(series_command)


@app.callback()
def _root() -> None:
    """Keep ``series`` a subcommand, as in the real app."""


runner = CliRunner()
DEMO = ["series", "demo", "--with", "design", "--with", "coding", "--with", "qa"]
WIDE = {"COLUMNS": "220"}


def test_a_decision_rotates_with_local_times_and_zone_totals() -> None:
    args = [*DEMO, "--from", "2026-11-16", "--occurrences", "3", "--kind", "decision"]
    result = runner.invoke(app, args, env=WIDE)
    assert result.exit_code == 0, result.output
    out = result.output
    assert "Rotation: 3 weekly occurrences of 60 min" in out
    for column in ("Paris", "Tokyo", "New York", "Europe/Paris", "Asia/Tokyo"):
        assert column in out
    assert "Tue 17 Nov 21:00 ✗ Kenji" in out  # Tokyo's local time and who is out of hours
    assert "fair rotation vs cheapest slot" in out
    assert "Baseline (cheapest slot every week): worst-off person" in out
    assert "Relay: 2 sessions" in out
    assert "relay — 0 attendee-minutes out of hours" in out
    assert "async — 0 attendee-minutes out of hours" in out
    assert "Recommended: rotation." in out


def test_json_recommends_async_for_the_default_kind() -> None:
    args = [*DEMO, "--from", "2026-11-16", "--occurrences", "2", "--json"]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert (data["kind"], data["recommended"]) == ("alignment", "async")
    assert data["weeks"] == ["2026-11-16", "2026-11-23"]
    assert len(data["attendees"]) == 15
    assert data["options"]["async"]["cost_out_of_hours_minutes"] == 0
    assert data["options"]["rotation"]["cost_out_of_hours_minutes"] > 0


def test_a_day_that_is_not_a_monday_is_one_line_and_exit_3() -> None:
    result = runner.invoke(app, [*DEMO, "--from", "2026-11-17"])
    assert result.exit_code == EXIT_INVALID
    assert "is a Tuesday; a series starts on a Monday, e.g. 2026-11-16" in result.stderr
    assert "Traceback" not in result.output


def test_every_option_has_help() -> None:
    result = runner.invoke(app, ["series", "--help"], env=WIDE)
    assert result.exit_code == 0, result.output
    for option in ("--with", "--duration", "--from", "--occurrences", "--kind", "--json"):
        assert option in result.output
    assert "decision" in result.output and "(1–26)" in result.output
