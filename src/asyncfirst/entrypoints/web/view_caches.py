"""Per-process caches for the pages whose numbers cost more than a page may (200 ms).

The Team page's balance report (every member's calendar) and the time map's all-hands
rotation are computed once and kept on ``app.state``. When the app asks for it
(``WARM_AT_START``), the pages' routers warm them in a background thread when the server
starts, so even the first visitor gets a page in budget; the warm-up also draws the coming week's coffee round, which is stored
(``services.coffee_view.ensure_round``) rather than cached. For the shipped demo the
calendars are the synthetic demo calendars (``asyncfirst demo calendars``); another
charter has no calendars to measure yet.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import date

import anyio.to_thread
from fastapi import FastAPI

from asyncfirst import bootstrap
from asyncfirst.domain.errors import AsyncfirstError
from asyncfirst.domain.model import Organisation
from asyncfirst.services.balance import PersonCalendars
from asyncfirst.services.charter import load_organisation
from asyncfirst.services.coffee_view import ensure_round, next_monday
from asyncfirst.services.hub_ports import HubContext
from asyncfirst.services.overlap import monday_of
from asyncfirst.services.team_view import BalanceCache, CalendarsFor
from asyncfirst.services.time_map_view import TimeMapCache

__all__ = ["WARM_AT_START", "balances", "time_maps", "warm_caches"]

log = logging.getLogger("asyncfirst.web")
_lock = threading.Lock()
SHUTDOWN_WAIT_SECONDS = 60
WARM_AT_START = "warm_page_caches"
"""Set ``app.state.warm_page_caches = True`` (``asyncfirst serve`` does) to warm at start;
tests of the API leave it off, so their apps start and stop without computing anything."""


def _calendars_for(org: Organisation) -> CalendarsFor:
    synthetic = org == load_organisation("demo")

    def calendars(first: date, weeks: int) -> PersonCalendars | None:
        if not synthetic:
            return None
        return bootstrap.person_calendars(
            org, None, synthetic_allowed=True, start_monday=first, weeks=weeks
        )

    return calendars


def balances(app: FastAPI, hub: HubContext) -> BalanceCache:
    with _lock:
        found: BalanceCache | None = getattr(app.state, "team_balances", None)
        if found is None:
            found = BalanceCache(hub.org, _calendars_for(hub.org), hub.privacy)
            app.state.team_balances = found
        return found


def time_maps(app: FastAPI, hub: HubContext) -> TimeMapCache:
    with _lock:
        found: TimeMapCache | None = getattr(app.state, "time_maps", None)
        if found is None:
            found = TimeMapCache(hub.org)
            app.state.time_maps = found
        return found


def _warm(app: FastAPI, hub: HubContext, done: threading.Event) -> None:
    try:
        today = hub.clock.now().date()
        balances(app, hub).report(monday_of(today))
        time_maps(app, hub).all_hands(monday_of(today))
        for week in sorted({next_monday(hub.clock, p) for p in hub.org.people}):
            ensure_round(hub, week)  # draws the week's coffee round once, as a first visit would
    except AsyncfirstError as error:  # e.g. the database went away: the pages will say so
        log.warning("could not warm the page caches: %s", error)
    except Exception:  # warming is best effort: a first visit computes the same numbers
        log.exception("could not warm the page caches")
    finally:
        done.set()


@asynccontextmanager
async def warm_caches(app: FastAPI) -> AsyncIterator[None]:
    """Start warming in the background; the server does not wait for it to start, but
    waits for it on shutdown, so no query is left running when the hub's engine closes."""
    hub: HubContext | None = getattr(app.state, "hub", None)
    started: threading.Event | None = None
    wanted = getattr(app.state, WARM_AT_START, False)
    if wanted and hub is not None and getattr(app.state, "caches_warm", None) is None:
        started = threading.Event()
        app.state.caches_warm = started  # set once warm (tests and the benchmark wait on it)
        threading.Thread(
            target=_warm, args=(app, hub, started), name="warm-caches", daemon=True
        ).start()
    try:
        yield
    finally:
        if started is not None:
            await anyio.to_thread.run_sync(started.wait, SHUTDOWN_WAIT_SECONDS)
