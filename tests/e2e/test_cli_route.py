"""``asyncfirst route`` through Typer, on a small app that registers only this command."""

from __future__ import annotations

import json

import pytest
import typer
from typer.testing import CliRunner

from asyncfirst.domain.errors import InputError
from asyncfirst.entrypoints.cli_route import route_command

app = typer.Typer(add_completion=False, pretty_exceptions_enable=False)
app.command("route")(route_command)


@app.callback()
def _root() -> None:
    """Keep ``route`` a subcommand, as in the real app."""


runner = CliRunner()


def test_free_text_outage_goes_sync_with_the_guess_shown() -> None:
    result = runner.invoke(app, ["route", "can we hop on a call to debug the prod outage?"])
    assert result.exit_code == 0, result.output
    assert "SYNC" in result.output
    assert "kind-default:incident" in result.output
    assert "50% sure" in result.output
    assert '"prod outage"' in result.output


def test_json_output_has_the_documented_keys() -> None:
    result = runner.invoke(app, ["route", "FYI: release notes for 2.3 are up", "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert {"mode", "rule", "reasons", "kind", "confidence", "classification"} <= set(data)
    assert (data["mode"], data["rule"], data["kind"]) == ("async", "kind-default:update", "update")
    assert data["confidence"] == 1.0
    assert data["classification"]["matched"] == ["fyi", "release notes", "are up"]


def test_options_describe_the_work_without_text() -> None:
    result = runner.invoke(app, ["route", "--kind", "decision", "--people", "8", "--json"])
    data = json.loads(result.output)
    assert (data["mode"], data["rule"]) == ("hybrid", "hybrid:many-people")
    assert data["confidence"] is None
    assert "classification" not in data


@pytest.mark.parametrize(
    ("args", "rule"),
    [
        (["--kind", "question", "--rounds", "3"], "escalate:stalled-rounds"),
        (["--kind", "review", "--sensitive"], "escalate:sensitive"),
        (["--kind", "question", "--urgency", "HIGH", "--critical"], "escalate:urgent-critical"),
    ],
)
def test_flags_escalate_to_sync(args: list[str], rule: str) -> None:
    result = runner.invoke(app, ["route", *args, "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert (data["mode"], data["rule"]) == ("sync", rule)


def test_social_is_shown_as_optional() -> None:
    result = runner.invoke(app, ["route", "--kind", "coffee"])
    assert result.exit_code == 0, result.output
    assert "SYNC (optional)" in result.output


def test_an_unknown_kind_is_a_domain_error_for_main_to_map() -> None:
    result = runner.invoke(app, ["route", "--kind", "reveiw"])
    assert isinstance(result.exception, InputError)
    assert 'did you mean "review"' in result.exception.message


@pytest.mark.parametrize("args", [["--people", "0"], ["--rounds", "-1"], ["--urgency", "soon"]])
def test_out_of_range_options_are_usage_errors(args: list[str]) -> None:
    result = runner.invoke(app, ["route", "--kind", "review", *args])
    assert result.exit_code == 2


def test_every_option_has_help() -> None:
    result = runner.invoke(app, ["route", "--help"], env={"COLUMNS": "200"})
    assert result.exit_code == 0
    for option in ("--kind", "--urgency", "--people", "--sensitive", "--critical", "--rounds"):
        assert option in result.output
    params = typer.main.get_command(app).commands["route"].params  # type: ignore[attr-defined]
    assert all(getattr(param, "help", None) for param in params if param.name != "help")
