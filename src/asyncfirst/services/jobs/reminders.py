"""Job: remind each recipient of a thread shortly before their respond-by, in their hours.

The reminder's instant is ``domain.reminders.reminder_at`` (60 working minutes before the
respond-by, counted backwards in the recipient's working time); the job sends it when that
instant has come, the respond-by has not passed, the recipient has not answered, and it is
working time for them now. Key: ``reminder:thread:<id>:<person>``, so each recipient of a
thread is reminded once however often the job runs.
"""

from __future__ import annotations

from datetime import datetime

from asyncfirst.domain.model import Person
from asyncfirst.domain.notifications import Notification
from asyncfirst.domain.reminders import reminder_due
from asyncfirst.services.hub_ports import HubContext, QueueRow
from asyncfirst.services.jobs.common import local_text

__all__ = ["reminder_key", "send_reminders"]


def reminder_key(thread_id: int, person: str) -> str:
    return f"reminder:thread:{thread_id}:{person}"


def _reminder(row: QueueRow, person: Person, now: datetime) -> Notification:
    due = local_text(row.respond_by, row.zone)
    return Notification(
        key=reminder_key(row.thread_id, person.id),
        kind="reminder",
        team=person.team_id,
        subject=f"Reminder: please answer “{row.title}” by {due}",
        text=(
            f"“{row.title}” ({row.kind} from {row.author} in {row.team}) is waiting for your "
            f"answer; it is due {due}."
        ),
        created_at=now,
        recipients=(person.id,),
        link=f"/api/v1/threads/{row.thread_id}",
        data={"thread_id": row.thread_id, "person": person.id},
    )


def send_reminders(hub: HubContext) -> int:
    """Remind every recipient whose reminder is due now; how many reminders were kept."""
    now = hub.clock.now()
    kept = 0
    for person in hub.org.people:
        with hub.unit_of_work() as uow:
            rows = uow.threads.open_queue(person.id)
            due = [
                r for r in rows if reminder_due(person.schedule, r.created_at, r.respond_by, now)
            ]
            if not due:
                continue
            outbox = uow.outbox
            for row in sorted(due, key=lambda r: (r.respond_by, r.thread_id)):
                kept += outbox.enqueue(_reminder(row, person, now))
            uow.commit()
    return kept
