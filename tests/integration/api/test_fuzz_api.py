"""Schemathesis against the service's own OpenAPI document: every operation, in process.

The app runs over ASGI on a seeded SQLite database (the demo as ``asyncfirst serve`` sets it
up: charter, roles, threads) and every request is authenticated as the demo admin. For
each operation Hypothesis generates valid and invalid requests (``MAX_EXAMPLES`` each);
every answer must be no 5xx, a documented status code, the documented content type, and
a body that matches its schema. ``test_enough_cases_ran`` checks the total afterwards.

The cases are derandomised (the same ones every run, so CI is stable); set
``ASYNCFIRST_FUZZ_RANDOM=1`` to explore new ones, ``ASYNCFIRST_FUZZ_EXAMPLES`` to change
how many run per operation.
"""

from __future__ import annotations

import os
import tempfile
import threading
from collections import Counter
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from asyncfirst import bootstrap, bootstrap_api, bootstrap_db
from asyncfirst.entrypoints.api.app import create_app
from asyncfirst.entrypoints.api.ratelimit import TokenBucketLimiter, TokenLimits
from asyncfirst.services.charter import load_organisation
from asyncfirst.services.hub_demo import seed_demo
from asyncfirst.services.hub_ports import HubContext, HubUnitOfWork

MAX_EXAMPLES = int(os.environ.get("ASYNCFIRST_FUZZ_EXAMPLES", "40"))
MIN_TOTAL_CASES = 2_000
RANDOM = os.environ.get("ASYNCFIRST_FUZZ_RANDOM") == "1"
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]
SEEDED_AT = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)  # a Monday morning in Europe

cases: Counter[str] = Counter()
operations: set[str] = set()


class _Seeded:
    """The seeded hub the app serves, made on first use (by a request or the fixture)."""

    def __init__(self) -> None:
        self.hub: HubContext | None = None
        self.token = ""
        self.folder: tempfile.TemporaryDirectory[str] | None = None
        self._lock = threading.Lock()

    def ensure(self) -> HubContext:
        with self._lock:
            if self.hub is None:
                self.folder = tempfile.TemporaryDirectory(prefix="asyncfirst-fuzz-")
                url = f"sqlite:///{Path(self.folder.name) / 'hub.db'}"
                bootstrap_db.upgrade_database(url)
                hub = bootstrap_api.hub_context(ORG, url, bootstrap.FixedClock(SEEDED_AT))
                self.token = seed_demo(bootstrap_db.charter_unit_of_work(url), hub, ORG).token
                self.hub = hub
            return self.hub

    def unit_of_work(self) -> HubUnitOfWork:
        return self.ensure().unit_of_work()

    def close(self) -> None:
        with self._lock:
            if self.hub is not None:
                self.hub.close()
            if self.folder is not None:
                self.folder.cleanup()
            self.hub, self.folder = None, None


_seeded = _Seeded()
ORG = load_organisation("demo")
# The document is read from the app itself; the app reaches its database only per request.
APP = create_app(
    HubContext(_seeded.unit_of_work, bootstrap.FixedClock(SEEDED_AT), ORG),
    token_limits=TokenLimits(per_token=TokenBucketLimiter(per_second=1e6, burst=1_000_000)),
)
schema = schemathesis.openapi.from_asgi("/openapi.json", APP)


@pytest.fixture(scope="module")
def admin() -> Iterator[dict[str, str]]:
    """The demo admin's Authorization header; the seeded database goes after the module."""
    _seeded.ensure()
    try:
        yield {"Authorization": f"Bearer {_seeded.token}"}
    finally:
        _seeded.close()


@schema.parametrize()
@settings(
    max_examples=MAX_EXAMPLES,
    derandomize=not RANDOM,
    database=None,
    deadline=None,
    suppress_health_check=list(HealthCheck),
)
def test_every_operation(case: Any, admin: dict[str, str]) -> None:
    label = case.operation.label
    operations.add(label)
    cases[label] += 1
    case.call_and_validate(headers=admin, checks=CHECKS)


def test_enough_cases_ran() -> None:
    """At least ``MIN_TOTAL_CASES`` in all, when every operation ran (not a ``-k`` subset)."""
    declared = sum(len(methods) for methods in schema.raw_schema["paths"].values())
    if len(operations) < declared:
        pytest.skip(f"only {len(operations)} of {declared} operations ran in this session")
    total = sum(cases.values())
    print(f"\nschemathesis: {total} cases over {len(operations)} operations")  # noqa: T201
    assert total >= MIN_TOTAL_CASES
    assert min(cases.values()) >= 1
