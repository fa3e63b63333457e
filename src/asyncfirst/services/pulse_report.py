"""A read for the balance report: each team's latest reflection pulse, as gated counts.

The report (``asyncfirst report --with-pulses``) is run by whoever holds the database, so
there is no actor here; the privacy gate still decides what is shown
(``services/pulse_views.py``: counts and nameless suggestions over at least the policy's
number of people, else only "withheld: …"). A team's *latest* pulse is the newest pulse
week, at or before today in the team's zone, with at least one answer, searched back over
``LOOKBACK_PULSES`` pulses.
"""

from __future__ import annotations

from datetime import timedelta

from asyncfirst.analytics.privacy import PrivacyPolicy, gate
from asyncfirst.domain.model import Organisation
from asyncfirst.domain.pulses import latest_pulse_week
from asyncfirst.services.hub_ports import HubUnitOfWork
from asyncfirst.services.ports import Clock
from asyncfirst.services.pulse_views import PulseResults, summarise

__all__ = ["LOOKBACK_PULSES", "latest_team_pulses"]

LOOKBACK_PULSES = 13


def latest_team_pulses(
    uow: HubUnitOfWork, clock: Clock, org: Organisation, policy: PrivacyPolicy
) -> dict[str, PulseResults]:
    """Team id → its latest pulse's gated results, for the charter's teams that have one."""
    found: dict[str, PulseResults] = {}
    with uow:
        for team in org.teams:
            if not uow.threads.team_exists(team.id):
                continue
            every = team.reflection_every_weeks
            week = latest_pulse_week(every, clock.now().astimezone(team.schedule.tz).date())
            for _ in range(LOOKBACK_PULSES):
                answers = uow.pulses.answers(team.id, week)
                if answers:
                    found[team.id] = PulseResults(
                        team.id, week, every, gate(answers, summarise, policy)
                    )
                    break
                week -= timedelta(weeks=every)
    return found
