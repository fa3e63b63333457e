"""Decisions as people read them: plain data, every instant in UTC and in each decider's zone.

The JSON API serialises these with ``to_dict``; a later HTML page renders the same views.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from asyncfirst.services.decision_ports import DecisionRecord, ResponseRecord
from asyncfirst.services.thread_views import DueView, utc_text

__all__ = ["DecisionView"]


def _response(r: ResponseRecord) -> dict[str, Any]:
    return {
        "person": r.person,
        "name": r.name,
        "choice": r.choice,
        "round": r.round,
        "created_at": utc_text(r.created_at),
    }


def _local(instant: datetime, zone: str) -> str:
    return instant.astimezone(ZoneInfo(zone)).isoformat()


@dataclass(frozen=True, slots=True)
class DecisionView:
    decision: DecisionRecord

    def _meeting(self) -> dict[str, Any] | None:
        d = self.decision
        if d.meeting_start is None or d.meeting_end is None:
            return None
        start, end = d.meeting_start, d.meeting_end
        return {
            "start_utc": utc_text(start),
            "end_utc": utc_text(end),
            "duration_minutes": int((end - start).total_seconds() // 60),
            "attendees": [
                {
                    "person": x.person,
                    "name": x.name,
                    "zone": x.zone,
                    "start": _local(start, x.zone),
                    "end": _local(end, x.zone),
                }
                for x in d.deciders
            ],
        }

    def _escalation(self) -> dict[str, Any] | None:
        d = self.decision
        if d.state != "escalated":
            return None
        return {
            "reason": d.escalated_reason,
            "meeting": self._meeting(),
            "pre_read": {
                "decision": f"/api/v1/decisions/{d.id}",
                "thread": f"/api/v1/threads/{d.thread_id}" if d.thread_id is not None else None,
            },
        }

    def to_dict(self) -> dict[str, Any]:
        d = self.decision
        answered = {r.person: r.choice for r in d.responses if r.round == d.round}
        return {
            "id": d.id,
            "team": d.team,
            "title": d.title,
            "body": d.body,
            "thread_id": d.thread_id,
            "author": {"id": d.author, "name": d.author_name},
            "mode": d.mode,
            "options": list(d.options),
            "quorum": d.quorum,
            "urgent": d.urgent,
            "critical": d.critical,
            "state": d.state,
            "round": d.round,
            "max_rounds": d.max_rounds,
            "created_at": utc_text(d.created_at),
            "decide_by_utc": utc_text(d.decide_by),
            "closed_at": utc_text(d.closed_at) if d.closed_at else None,
            "deciders": [
                {
                    "person": x.person,
                    "name": x.name,
                    "decide_by": DueView(x.decide_by, x.zone).to_dict(),
                    "responded": x.person in answered,
                    "choice": answered.get(x.person),
                }
                for x in d.deciders
            ],
            "responses": [_response(r) for r in d.responses],
            "result": d.decided_option if d.state == "decided" else None,
            "escalation": self._escalation(),
        }
