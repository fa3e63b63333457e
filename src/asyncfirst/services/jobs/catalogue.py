"""The job catalogue: every periodic job, how often it runs, and what it does.

Each job is a plain synchronous use case ``run(hub) -> int`` (how many effects it kept)
that is *idempotent*: its effects are notifications kept in the outbox under a
deterministic key in the same transaction as its work, so running it twice, or on two
machines at once, has its effect once. The same catalogue is run by ``asyncfirst serve``
on SQLite (an in-process loop) and by ``asyncfirst worker`` on PostgreSQL (procrastinate
periodic tasks); see docs/jobs.md.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass

from asyncfirst.services.hub_ports import HubContext
from asyncfirst.services.jobs.checkin_prompts import prompt_checkins
from asyncfirst.services.jobs.digests import daily_digests
from asyncfirst.services.jobs.escalations import escalate_decisions
from asyncfirst.services.jobs.handoffs import route_handoffs
from asyncfirst.services.jobs.pulses import open_pulses
from asyncfirst.services.jobs.reminders import send_reminders

__all__ = ["DELIVERY_NOT_WIRED", "Job", "JobRun", "catalogue", "deliver_not_wired"]

JobRun = Callable[[HubContext], int]
log = logging.getLogger("asyncfirst.jobs")

DELIVERY_NOT_WIRED = (
    "notification delivery is not wired yet: notifications stay in the outbox until a "
    "deliver_due use case is given to the catalogue (bootstrap_jobs.deliver)"
)


@dataclass(frozen=True, slots=True)
class Job:
    """A periodic job: its stable name (the task name on the queue), use case and period."""

    name: str
    run: JobRun
    every_seconds: float
    summary: str


def deliver_not_wired(_hub: HubContext) -> int:
    """The delivery hook until the notifications' ``deliver_due`` is wired: delivers nothing."""
    log.debug(DELIVERY_NOT_WIRED)
    return 0


def catalogue(deliver: JobRun | None = None) -> tuple[Job, ...]:
    """All periodic jobs; ``deliver`` sends due notifications from the outbox."""
    return (
        Job("send_reminders", send_reminders, 60,
            "reminds recipients 60 working minutes before their respond-by, in their hours"),
        Job("escalate_decisions", escalate_decisions, 60,
            "escalates open decisions past their decide-by to the fairest short sync"),
        Job("prompt_checkins", prompt_checkins, 300,
            "prompts each member for their check-in at the start of their working day"),
        Job("route_handoffs", route_handoffs, 300,
            "tells the receiving team about a hand-off when its day starts"),
        Job("daily_digests", daily_digests, 300,
            "sends each person what is due from them at the start of their day"),
        Job("open_pulses", open_pulses, 900,
            "opens each team's reflection pulse at the start of its pulse week"),
        Job("deliver_notifications", deliver or deliver_not_wired, 30,
            "delivers due notifications from the outbox (webhooks, email) with retries"),
    )  # fmt: skip
