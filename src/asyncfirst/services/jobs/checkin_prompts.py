"""Job: prompt each member for their check-in when their working day starts.

The prompt time is the start of the person's first shift of their local working day
(``services.checkins.due_prompts``): days without hours, public holidays of their calendar
and their time off are skipped. A prompt missed (the service was down) still goes out up
to ``CATCH_UP`` after the day started, never later. Key:
``checkin_prompt:<team>:<person>:<local date>``, so one prompt per person per working day.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from asyncfirst.domain.notifications import Notification
from asyncfirst.services.checkins import CheckinPrompt, due_prompts
from asyncfirst.services.hub_ports import HubContext
from asyncfirst.services.jobs.common import local_text

__all__ = ["CATCH_UP", "checkin_prompt_key", "prompt_checkins"]

CATCH_UP = timedelta(hours=1)


def checkin_prompt_key(team: str, person: str, day: str) -> str:
    return f"checkin_prompt:{team}:{person}:{day}"


def _prompt(prompt: CheckinPrompt, now: datetime) -> Notification:
    questions = "\n".join(f"- {q}" for q in prompt.questions)
    return Notification(
        key=checkin_prompt_key(prompt.team, prompt.person, prompt.local_date.isoformat()),
        kind="checkin_prompt",
        team=prompt.team,
        subject=f"Check-in for {prompt.local_date:%A %d %B}",
        text=f"Your day started {local_text(prompt.at, prompt.zone)}. The questions:\n{questions}",
        created_at=now,
        recipients=(prompt.person,),
        link="/api/v1/checkins",
        data={"person": prompt.person, "local_date": prompt.local_date.isoformat()},
    )


def prompt_checkins(hub: HubContext) -> int:
    """Prompt everyone whose working day started within ``CATCH_UP``; how many were kept."""
    now = hub.clock.now()
    prompts = due_prompts(hub.org, hub.clock, within=CATCH_UP)
    if not prompts:
        return 0
    with hub.unit_of_work() as uow:
        outbox = uow.outbox
        kept = sum(outbox.enqueue(_prompt(p, now)) for p in prompts)
        uow.commit()
    return kept
