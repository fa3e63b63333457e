"""Pulse results beside the balance report, from the hub's database (SQLite and PostgreSQL):
counts where enough people answered, "withheld" where too few did, nothing for a team
without a pulse, and never a person's answer."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

from asyncfirst import bootstrap, bootstrap_api, bootstrap_db
from asyncfirst.analytics.privacy import PrivacyPolicy
from asyncfirst.domain.model import Organisation
from asyncfirst.domain.pulses import latest_pulse_week
from asyncfirst.entrypoints.report.markdown import to_markdown
from asyncfirst.services.access import Actor, Role
from asyncfirst.services.balance import balance_report
from asyncfirst.services.charter_sync import apply_charter
from asyncfirst.services.pulses import answer_pulse
from tests.conftest import REPO

DESIGN = ("amelie", "bastien", "chloe", "david", "elise")


def _seed(url: str, org: Organisation) -> str:
    """Five design answers and two qa answers in each team's latest pulse week; its Monday."""
    bootstrap_db.upgrade_database(url)
    now = datetime.now(UTC)
    apply_charter(org, "demo", uow=bootstrap_db.charter_unit_of_work(url),
                  clock=bootstrap.FixedClock(now), changed_by="tests")  # fmt: skip
    answers = [(p, "too_much_sync", f"fewer status calls {i}") for i, p in enumerate(DESIGN)]
    answers += [("james", "about_right", "keep it"), ("olivia", "too_little_sync", "")]
    hub = bootstrap_api.hub_context(org, url)
    weeks = {}
    try:
        for person, verdict, suggestion in answers:
            team = org.team(org.person(person).team_id)
            zone = ZoneInfo(team.zone)
            week = latest_pulse_week(team.reflection_every_weeks, now.astimezone(zone).date())
            weeks[team.id] = week
            at = bootstrap.FixedClock(datetime.combine(week, time(10), tzinfo=zone))
            actor = Actor(person, frozenset({Role("member", team.id)}))
            answer_pulse(hub.unit_of_work(), at, org, actor, verdict, suggestion)
    finally:
        hub.close()
    return weeks["design"].isoformat()


def test_latest_pulses_are_gated_and_shown_beside_the_team_numbers(
    database_url: str, demo_org: Organisation
) -> None:
    week = _seed(database_url, demo_org)
    pulses = bootstrap_api.report_pulses(demo_org, PrivacyPolicy(5), database_url)
    assert sorted(pulses) == ["design", "qa"]  # coding has no pulse
    design = pulses["design"].to_dict()
    assert (design["pulse_week"], design["people"], design["withheld"]) == (week, 5, None)
    assert design["counts"] == {"too_much_sync": 5, "about_right": 0, "too_little_sync": 0}
    qa = pulses["qa"].to_dict()
    assert (qa["withheld"], qa["counts"], qa["suggestions"]) == (
        "withheld: 2 people, fewer than 5", None, None,
    )  # fmt: skip

    monday = datetime.fromisoformat(week).date()
    report = balance_report(
        demo_org, bootstrap.person_calendars(demo_org, None, synthetic_allowed=True,
                                             start_monday=monday, weeks=1),
        monday, monday + timedelta(days=7),
    )  # fmt: skip
    text = to_markdown(report, pulses)
    assert (
        f"| reflection pulse, week of {monday:%d %b %Y} | too much sync 5 · about right 0 · "
        "too little sync 0 (5 answers) |"
    ) in text
    assert (
        f"| reflection pulse, week of {monday:%d %b %Y} | withheld: 2 people, fewer than 5 |"
        in text
    )
    assert "keep it" not in text  # qa's suggestion is withheld with its counts
    assert to_markdown(report) == to_markdown(report, {})  # without pulses: unchanged


def test_the_report_command_reads_pulses_from_the_configured_database(
    database_url: str, demo_org: Organisation
) -> None:
    _seed(database_url, demo_org)
    env = {**os.environ, "ASYNCFIRST_DATABASE_URL": database_url, "COLUMNS": "160"}
    result = subprocess.run(
        [sys.executable, "-m", "asyncfirst", "report", "demo", "--with-pulses", "--json"],
        capture_output=True, text=True, env=env, cwd=REPO, check=False, timeout=120,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["pulses"]["design"]["counts"]["too_much_sync"] == 5
    assert data["pulses"]["qa"]["counts"] is None
    assert not any(name in json.dumps(data["pulses"]) for name in ("james", "olivia", "James"))
