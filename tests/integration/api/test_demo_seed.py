"""The first start of ``serve``: the demo charter, its roles and threads, and the admin's token."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from asyncfirst import bootstrap_api, bootstrap_db
from asyncfirst.domain.model import Organisation
from asyncfirst.services.hub_demo import DEMO_THREADS, applied_source, seed_demo
from asyncfirst.services.hub_ports import HubContext
from asyncfirst.services.threads import list_threads, my_queue
from asyncfirst.services.tokens import authenticate
from tests.integration.api.conftest import SettableClock


@pytest.fixture
def empty_hub(
    database_url: str, demo_org: Organisation, clock: SettableClock
) -> Iterator[HubContext]:
    bootstrap_db.upgrade_database(database_url)
    context = bootstrap_api.hub_context(demo_org, database_url, clock)
    try:
        yield context
    finally:
        context.close()


def test_seed_fills_an_empty_database(
    empty_hub: HubContext, database_url: str, demo_org: Organisation
) -> None:
    assert applied_source(bootstrap_db.charter_unit_of_work(database_url)) is None
    issued = seed_demo(bootstrap_db.charter_unit_of_work(database_url), empty_hub, demo_org)
    assert applied_source(bootstrap_db.charter_unit_of_work(database_url)) == "demo"

    admin = authenticate(empty_hub.unit_of_work(), empty_hub.clock, issued.token)
    assert admin.person_id == issued.person == "amelie"
    assert admin.is_admin and admin.leads("design") and admin.belongs_to("design")
    seen = {
        team: [v.thread.title for v in list_threads(empty_hub.unit_of_work(), admin, team)]
        for team in ("design", "coding", "qa")
    }
    assert sum(map(len, seen.values())) == len(DEMO_THREADS)
    assert {t for _h, _a, team, _k, title, _b in DEMO_THREADS for t in [title]} == {
        title for titles in seen.values() for title in titles
    }
    queue = my_queue(empty_hub.unit_of_work(), empty_hub.clock, admin)
    assert [item.row.title for item in queue] == ["Empty state for the onboarding list"]
