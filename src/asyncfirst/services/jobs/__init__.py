"""Background jobs: reminders, escalations, check-in prompts, hand-offs, digests, pulses.

``catalogue()`` lists them; each is an idempotent use case ``run(hub) -> int``.
"""

from __future__ import annotations

from asyncfirst.services.jobs.catalogue import DELIVERY_NOT_WIRED, Job, JobRun, catalogue

__all__ = ["DELIVERY_NOT_WIRED", "Job", "JobRun", "catalogue"]
