"""Job: escalate every open decision whose decide-by has passed, and tell its people.

Each decision is escalated in a transaction of its own, together with its notification
(key ``escalation:decision:<id>``): when that key is already kept, another run escalated
the decision first, and this run's change is rolled back, so a decision escalates once
even when two runs overlap. The escalation itself (the fairest 30-minute slot, the reason)
is ``services.decisions.escalate_if_past``.
"""

from __future__ import annotations

from datetime import datetime

from asyncfirst.domain.notifications import Notification
from asyncfirst.services.decision_views import DecisionView
from asyncfirst.services.decisions import escalate_if_past
from asyncfirst.services.hub_ports import HubContext
from asyncfirst.services.jobs.common import local_text

__all__ = ["escalate_decisions", "escalation_key"]


def escalation_key(decision_id: int) -> str:
    return f"escalation:decision:{decision_id}"


def _announcement(view: DecisionView, now: datetime) -> Notification:
    d = view.decision
    lines = [f"“{d.title}” was not decided in time: {d.escalated_reason}."]
    if d.meeting_start is not None:
        lines.append("Proposed 30-minute sync, the fairest slot for the deciders:")
        lines.extend(f"- {x.name}: {local_text(d.meeting_start, x.zone)}" for x in d.deciders)
    else:
        lines.append("No common slot in the next five working days; please agree on one.")
    lines.append("Pre-read: the decision" + (" and its thread." if d.thread_id else "."))
    people = dict.fromkeys([d.author, *(x.person for x in d.deciders)])
    return Notification(
        key=escalation_key(d.id),
        kind="escalation",
        team=d.team,
        subject=f"Decision escalated to a short sync: {d.title}",
        text="\n".join(lines),
        created_at=now,
        recipients=tuple(people),
        link=f"/api/v1/decisions/{d.id}",
        data={
            "decision_id": d.id,
            "thread_id": d.thread_id,
            "meeting_start": d.meeting_start.isoformat() if d.meeting_start else None,
        },
    )


def escalate_decisions(hub: HubContext) -> int:
    """Escalate the open decisions past their decide-by; how many this run escalated."""
    now = hub.clock.now()
    with hub.unit_of_work() as uow:
        due = uow.decisions.open_past(now)
    escalated = 0
    for decision_id in due:
        with hub.unit_of_work() as uow:
            view = escalate_if_past(uow, hub.org, decision_id, now)
            if view is None or not uow.outbox.enqueue(_announcement(view, now)):
                continue  # decided, withdrawn or escalated meanwhile: roll back
            uow.commit()
        escalated += 1
    return escalated
