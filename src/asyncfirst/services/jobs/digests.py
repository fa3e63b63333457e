"""Job: each person's daily digest of what is due from them, at the start of their day.

At the first shift start of a person's local working day (holidays and time off skipped,
as for check-in prompts, and at most ``CATCH_UP`` late) the digest lists the threads
waiting for their answer (overdue first, each due time in their zone), the open decisions
waiting for their response in the current round, and the unacknowledged hand-offs to
their team. Nothing due, no digest. Key: ``digest:<person>:<local date>``.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from asyncfirst.domain.model import Person
from asyncfirst.domain.notifications import Notification
from asyncfirst.services.checkins import due_prompts
from asyncfirst.services.decision_ports import DecisionRecord
from asyncfirst.services.hub_ports import HubContext, HubUnitOfWork
from asyncfirst.services.jobs.common import local_text

__all__ = ["CATCH_UP", "daily_digests", "digest_key", "digest_lines"]

CATCH_UP = timedelta(hours=1)


def digest_key(person: str, day: str) -> str:
    return f"digest:{person}:{day}"


def _waiting_on(record: DecisionRecord, person: str) -> bool:
    answered = any(r.person == person and r.round == record.round for r in record.responses)
    return (
        record.state == "open" and not answered and any(d.person == person for d in record.deciders)
    )


def digest_lines(
    uow: HubUnitOfWork, person: Person, decisions: list[DecisionRecord], now: datetime
) -> list[str]:
    """What is due from ``person``, one line each (empty: nothing)."""
    lines = []
    for row in sorted(uow.threads.open_queue(person.id), key=lambda r: (r.respond_by, r.thread_id)):
        late = "OVERDUE since" if row.respond_by <= now else "due"
        lines.append(
            f"- answer “{row.title}” ({row.team}), {late} {local_text(row.respond_by, person.zone)}"
        )
    for d in sorted(decisions, key=lambda d: (d.decide_by, d.id)):
        if _waiting_on(d, person.id):
            mine = next(x.decide_by for x in d.deciders if x.person == person.id)
            lines.append(f"- decide “{d.title}” ({d.team}), by {local_text(mine, person.zone)}")
    for h in uow.handoffs.to_team(person.team_id):
        if h.acknowledged_at is None and h.to_starts_at <= now:
            lines.append(f"- hand-off from {h.from_team} by {h.author_name}, not yet acknowledged")
    return lines


def daily_digests(hub: HubContext) -> int:
    """Send the digests of everyone whose working day started within ``CATCH_UP``."""
    now = hub.clock.now()
    starting = due_prompts(hub.org, hub.clock, within=CATCH_UP)
    if not starting:
        return 0
    kept = 0
    with hub.unit_of_work() as uow:
        decisions = [
            d
            for t in hub.org.teams
            for d in uow.decisions.team_decisions(t.id)
            if d.state == "open"
        ]
        outbox = uow.outbox
        for start in starting:
            person = hub.org.person(start.person)
            lines = digest_lines(uow, person, decisions, now)
            if not lines:
                continue
            kept += outbox.enqueue(
                Notification(
                    key=digest_key(person.id, start.local_date.isoformat()),
                    kind="digest",
                    team=person.team_id,
                    subject=f"Due from you today ({start.local_date:%A %d %B}): {len(lines)}",
                    text="\n".join(lines),
                    created_at=now,
                    recipients=(person.id,),
                    link="/api/v1/me/queue",
                    data={"person": person.id, "local_date": start.local_date.isoformat()},
                )
            )
        uow.commit()
    return kept
