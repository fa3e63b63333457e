"""``asyncfirst report`` on the demo: terminal, JSON, Markdown, and an HTML file that needs no network."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from typer.testing import CliRunner

from asyncfirst.entrypoints.cli import app

runner = CliRunner()
PERIOD = ["--from", "2026-11-02", "--to", "2026-11-30"]
CHROMIUM = shutil.which("chromium")


def invoke(*args: str) -> str:
    result = runner.invoke(app, ["report", "demo", *PERIOD, *args], env={"COLUMNS": "140"})
    assert result.exit_code == 0, result.output
    return result.stdout


def test_json_report_has_teams_and_no_personal_detail() -> None:
    data = json.loads(invoke("--json"))
    assert data["calendars_read"] == 15
    assert data["weeks"] == ["2026-11-02", "2026-11-09", "2026-11-16", "2026-11-23"]
    assert [t["id"] for t in data["teams"]] == ["design", "coding", "qa"]
    for team in data["teams"]:
        assert 0 < team["async_share"] < 1
        assert len(team["meetings_by_local_hour"]) == 24
    assert data["person"] is None
    names = ("amelie", "Amélie", "kenji", "Kenji", "maria", "Maria")
    assert not any(name in json.dumps(data["teams"]) for name in names)


def test_person_report_adds_only_their_own_numbers() -> None:
    data = json.loads(invoke("--json", "--person", "kenji"))
    assert data["person"]["id"] == "kenji"
    assert len(data["person"]["weeks"]) == 4
    assert [t["id"] for t in data["teams"]] == ["coding"]


def test_terminal_and_markdown() -> None:
    text = invoke()
    assert "async share (team)" in text and "Design (Europe/Paris)" in text
    markdown = invoke("--markdown")
    assert markdown.startswith("# Balance report — Demo Org")
    assert "| async share (team) |" in markdown


def test_min_group_above_team_size_withholds_everything() -> None:
    data = json.loads(invoke("--json", "--min-group", "6"))
    for team in data["teams"]:
        assert team["async_share"] == {"withheld": "withheld: 5 people, fewer than 6"}


def test_bad_input_is_exit_3() -> None:
    result = runner.invoke(app, ["report", "demo", "--min-group", "2"])
    assert result.exit_code == 3
    assert "never be below 3" in result.stderr
    result = runner.invoke(app, ["report", "demo", "--from", "2026-11-30", "--to", "2026-11-02"])
    assert result.exit_code == 3
    assert "must be after" in result.stderr


def html_report(tmp_path: Path) -> Path:
    target = tmp_path / "report.html"
    result = runner.invoke(app, ["report", "demo", *PERIOD, "--html", str(target)])
    assert result.exit_code == 0, result.output
    return target


def test_html_report_is_self_contained(tmp_path: Path) -> None:
    html = html_report(tmp_path).read_text("utf-8")
    assert html.count("<svg") >= 6  # trend, spread, focus, and hours per team
    # nothing to fetch: no scripts, no links, no external URLs (the SVG namespace is not fetched)
    assert "<script" not in html and "<link" not in html and "@import" not in html
    urls = set(re.findall(r"https?://[^\s\"')]+", html))
    assert urls <= {"http://www.w3.org/2000/svg"}


@pytest.mark.skipif(CHROMIUM is None, reason="Debian's chromium is installed by .ci/run")
def test_html_report_renders_in_a_browser_without_network(tmp_path: Path) -> None:
    page = html_report(tmp_path)
    shot = tmp_path / "report.png"
    flags = [
        "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
        "--host-resolver-rules=MAP * ~NOTFOUND",  # any attempt to reach a host fails
        f"--user-data-dir={tmp_path / 'profile'}", "--window-size=1000,1400",
    ]  # fmt: skip
    dom = subprocess.run(
        [CHROMIUM, *flags, "--dump-dom", page.as_uri()],
        capture_output=True, text=True, timeout=120, check=True,
    )  # fmt: skip
    assert "Balance report — Demo Org" in dom.stdout
    assert dom.stdout.count("<svg") >= 6
    subprocess.run(
        [CHROMIUM, *flags, f"--screenshot={shot}", page.as_uri()],
        capture_output=True, timeout=120, check=True,
    )  # fmt: skip
    assert shot.stat().st_size > 20_000  # a rendered page, not a blank one
