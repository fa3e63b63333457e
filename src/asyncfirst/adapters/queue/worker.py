"""Run one procrastinate worker until SIGINT or SIGTERM (procrastinate's own handlers).

On a stop signal the worker takes no new job, lets the running one finish (at most
``SHUTDOWN_GRACE_SECONDS``, then it is aborted and later retried) and returns.
"""

from __future__ import annotations

from procrastinate import App

from asyncfirst.adapters.queue.tasks import QueueSettings
from asyncfirst.services.hub_ports import HubContext

__all__ = ["SHUTDOWN_GRACE_SECONDS", "run_worker"]

SHUTDOWN_GRACE_SECONDS = 60.0


async def run_worker(app: App, hub: HubContext, settings: QueueSettings, name: str) -> None:
    """Work the queue with ``hub`` given to every job; returns after a stop signal."""
    async with app.open_async():
        await app.run_worker_async(
            name=name,
            concurrency=1,
            additional_context={"hub": hub},
            update_heartbeat_interval=settings.heartbeat_seconds,
            stalled_worker_timeout=settings.stalled_after_seconds,
            shutdown_graceful_timeout=SHUTDOWN_GRACE_SECONDS,
            delete_jobs="successful",
            install_signal_handlers=True,
        )
