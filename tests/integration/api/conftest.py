"""The hub over HTTP on a real database (SQLite and PostgreSQL), with the demo charter applied.

``hub`` is a ``HubContext`` whose clock the test sets; ``client`` talks to the app in
process; ``token`` issues a personal API token (granting roles first) the way ``serve`` does.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from fastapi.testclient import TestClient

from asyncfirst import bootstrap, bootstrap_api, bootstrap_db
from asyncfirst.domain.model import Organisation
from asyncfirst.entrypoints.api.app import create_app
from asyncfirst.services.access import Role
from asyncfirst.services.charter_sync import apply_charter
from asyncfirst.services.hub_ports import HubContext
from asyncfirst.services.tokens import issue_token

PARIS = ZoneInfo("Europe/Paris")
TOKYO = ZoneInfo("Asia/Tokyo")
FRIDAY_EVENING_PARIS = datetime(2026, 11, 20, 18, 0, tzinfo=PARIS)

TokenFor = Callable[..., dict[str, str]]


@dataclass
class SettableClock:
    """A fake clock the test moves by hand."""

    instant: datetime

    def now(self) -> datetime:
        return self.instant


@pytest.fixture
def clock() -> SettableClock:
    return SettableClock(FRIDAY_EVENING_PARIS)


@pytest.fixture
def hub(database_url: str, demo_org: Organisation, clock: SettableClock) -> Iterator[HubContext]:
    bootstrap_db.upgrade_database(database_url)
    apply_charter(demo_org, "demo", uow=bootstrap_db.charter_unit_of_work(database_url),
                  clock=bootstrap.FixedClock(clock.instant), changed_by="tests")  # fmt: skip
    context = bootstrap_api.hub_context(demo_org, database_url, clock)
    try:
        yield context
    finally:
        context.close()


@pytest.fixture
def client(hub: HubContext) -> Iterator[TestClient]:
    with TestClient(create_app(hub)) as test_client:
        yield test_client


@pytest.fixture
def token(hub: HubContext) -> TokenFor:
    """``token("kenji", Role("team_lead", "coding"))``: the Authorization header for a new token."""

    def make(person: str, *roles: Role) -> dict[str, str]:
        issued = issue_token(hub.unit_of_work(), hub.clock, person, roles)
        return {"Authorization": f"Bearer {issued.token}"}

    return make
