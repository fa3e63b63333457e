"""Periodic jobs the API process runs beside the requests: escalating stalled decisions.

One asyncio task per app, started in the lifespan when ``asyncfirst serve`` asks for it;
the use case runs in a worker thread (it does blocking database work) and a failure is
logged and retried at the next tick, never fatal to the server.
"""

from __future__ import annotations

import asyncio
import logging

from asyncfirst.services.decisions import escalate_due
from asyncfirst.services.hub_ports import HubContext

__all__ = ["escalate_once", "escalation_loop"]

log = logging.getLogger("asyncfirst.jobs")


def escalate_once(hub: HubContext) -> int:
    """Escalate every open decision past its decide-by; how many were escalated."""
    escalated = escalate_due(hub.unit_of_work(), hub.clock, hub.org)
    for view in escalated:
        d = view.decision
        log.info("decision %s escalated: %s", d.id, d.escalated_reason)
    return len(escalated)


async def escalation_loop(hub: HubContext, every_seconds: float) -> None:
    """Run ``escalate_once`` every ``every_seconds`` until cancelled."""
    while True:
        try:
            await asyncio.to_thread(escalate_once, hub)
        except Exception:
            log.exception("escalating due decisions failed; trying again in %ss", every_seconds)
        await asyncio.sleep(every_seconds)
