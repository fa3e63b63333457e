"""``asyncfirst coffee`` through Typer, on a small app built like the real one."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

from typer.testing import CliRunner

from asyncfirst.entrypoints.cli_coffee import coffee_command, this_monday
from asyncfirst.entrypoints.cli_common import EXIT_INVALID, new_app

app = new_app("asyncfirst", "Test app with only the coffee command.")
app.command("coffee")(coffee_command)


@app.callback()
def _root() -> None:
    """Keep ``coffee`` a subcommand, as in the real app."""


runner = CliRunner()
WEEK = ["--week", "2026-11-30"]


def test_table_shows_each_member_local_time_and_why() -> None:
    result = runner.invoke(app, ["coffee", "demo", *WEEK], env={"COLUMNS": "220"})
    assert result.exit_code == 0, result.output
    assert "Coffee pairs, week of Mon 30 Nov 2026" in result.output
    for name in ("Amélie Laurent (Paris)", "Kenji Sato (Tokyo)", "Ava Brown (New York)"):
        assert name in result.output
    assert "Élise Bernard (Paris)" not in result.output
    assert "Not opted in: Élise Bernard, Noah Williams" in result.output
    assert "Mon 09:00–09:30 Paris ✓" in result.output
    assert "shared working time" in result.output
    assert "joined as a third" in result.output


def test_json_and_saved_history_avoid_repeats(tmp_path: Path) -> None:
    history = tmp_path / "coffee.json"
    args = ["coffee", "demo", "--history", str(history), "--save", "--json"]
    first = runner.invoke(app, [*args, *WEEK])
    assert first.exit_code == 0, first.output
    second = runner.invoke(app, [*args, "--week", "2026-12-07"])
    assert second.exit_code == 0, second.output
    rounds = json.loads(history.read_text("utf-8"))["rounds"]
    assert len(rounds) == 2
    one, two = json.loads(first.output), json.loads(second.output)
    assert rounds == [
        [[m["id"] for m in g["members"]] for g in one["groups"]],
        [[m["id"] for m in g["members"]] for g in two["groups"]],
    ]
    pairs = [
        {frozenset((a, b)) for group in rnd for a in group for b in group if a < b}
        for rnd in rounds
    ]
    assert pairs[0].isdisjoint(pairs[1])


def test_avoid_rounds_zero_allows_repeats(tmp_path: Path) -> None:
    history = tmp_path / "coffee.json"
    runner.invoke(app, ["coffee", "demo", *WEEK, "--history", str(history), "--save"])
    result = runner.invoke(
        app, ["coffee", "demo", *WEEK, "--history", str(history), "--avoid-rounds", "0", "--json"]
    )
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["avoid_rounds"] == 0
    assert len(json.loads(history.read_text("utf-8"))["rounds"]) == 1  # not saved again


def test_isolated_option_and_unknown_ids() -> None:
    ok = runner.invoke(app, ["coffee", "demo", *WEEK, "--isolated", "haruto", "--json"])
    assert ok.exit_code == 0, ok.output
    reasons = [r for g in json.loads(ok.output)["groups"] for r in g["reasons"]]
    assert "Haruto Suzuki is at risk of isolation" in reasons
    bad = runner.invoke(app, ["coffee", "demo", *WEEK, "--isolated", "harut"])
    assert bad.exit_code == EXIT_INVALID
    assert 'did you mean "haruto"' in bad.output


def test_domain_errors_exit_3_without_a_traceback(tmp_path: Path) -> None:
    cases = [
        ["--week", "2026-12-01"],
        ["--week", "tomorrow"],
        ["--save"],
        ["--avoid-rounds", "-1", *WEEK],
    ]
    broken = tmp_path / "broken.json"
    broken.write_text("{", "utf-8")
    cases.append(["--history", str(broken), *WEEK])
    for extra in cases:
        result = runner.invoke(app, ["coffee", "demo", *extra])
        assert result.exit_code == EXIT_INVALID, (extra, result.output)
        assert result.output.startswith("error: "), result.output
        assert "Traceback" not in result.output


def test_default_week_is_this_weeks_monday() -> None:
    assert this_monday(date(2026, 12, 3)) == date(2026, 11, 30)
    assert this_monday(date(2026, 11, 30)) == date(2026, 11, 30)
    result = runner.invoke(app, ["coffee", "demo", "--json"])
    assert result.exit_code == 0, result.output
    assert date.fromisoformat(json.loads(result.output)["week"]).weekday() == 0


def test_every_option_has_help() -> None:
    result = runner.invoke(app, ["coffee", "--help"], env={"COLUMNS": "200"})
    assert result.exit_code == 0
    for option in ("--week", "--history", "--save", "--avoid-rounds", "--isolated", "--json"):
        line = next(ln for ln in result.output.splitlines() if option in ln)
        assert len(line.split(option, 1)[1].strip(" │")) > 20, line
