"""Fault injection with real processes: ``asyncfirst serve`` as a subprocess on a real database.

``database_url`` gives each test a fresh SQLite file or PostgreSQL database (the same
fixture as tests/integration). ``prepared`` seeds it in this process like serve's first
start and issues tokens; ``Server`` starts ``asyncfirst serve`` in its own process group on
a free port and can stop it gracefully or with SIGKILL (the whole group: with ``--workers``
uvicorn's supervisor and its workers).
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import pytest

from asyncfirst import bootstrap, bootstrap_api, bootstrap_db
from asyncfirst.services.charter import load_organisation
from asyncfirst.services.hub_demo import seed_demo
from asyncfirst.services.tokens import issue_token
from tests.integration.conftest import _postgres_database
from tests.integration.receivers import free_port

STARTUP_SECONDS = 90  # a loaded two-core machine: imports, migrations, demo seed


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """An empty database of the parametrised backend, gone after the test."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'asyncfirst.db'}"
    else:
        yield from _postgres_database()


def server_env() -> dict[str, str]:
    """This environment without ASYNCFIRST_ settings, and with compiled bytecode kept in a
    cache folder under the temporary directory: where PYTHONDONTWRITEBYTECODE is set (as on
    the CI machines), every server start would otherwise compile every module again (about
    6 s of a 9 s start on a loaded two-core machine)."""
    env = {
        k: v for k, v in os.environ.items()
        if not k.startswith("ASYNCFIRST_") and k != "PYTHONDONTWRITEBYTECODE"
    }  # fmt: skip
    env.setdefault("PYTHONPYCACHEPREFIX", str(Path(tempfile.gettempdir()) / "asyncfirst-pycache"))
    return env


@dataclass(frozen=True)
class Prepared:
    url: str
    tokens: dict[str, str]  # person -> API token


def prepare(url: str, people: tuple[str, ...]) -> Prepared:
    """Migrate and seed like serve's first start; a token for each of ``people``."""
    bootstrap_db.upgrade_database(url)
    org = load_organisation("demo")
    hub = bootstrap_api.hub_context(org, url)
    try:
        seed_demo(bootstrap_db.charter_unit_of_work(url), hub, org)
        tokens = {
            person: issue_token(hub.unit_of_work(), bootstrap.clock(), person).token
            for person in people
        }
    finally:
        hub.close()
    return Prepared(url, tokens)


@dataclass
class Server:
    """``asyncfirst serve`` on ``url``; ``start`` waits for /health, ``log`` is its output."""

    url: str
    log: Path
    args: tuple[str, ...] = ()
    port: int = field(default_factory=free_port)
    process: subprocess.Popen[bytes] | None = None

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def env(self) -> dict[str, str]:
        return server_env() | {
            "ASYNCFIRST_DATABASE_URL": self.url, "ASYNCFIRST_DATA_DIR": str(self.log.parent),
            "ASYNCFIRST_ENV": "development",
        }  # fmt: skip

    def start(self) -> Server:
        with self.log.open("ab") as out:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "asyncfirst", "serve", "--port", str(self.port),
                 "--no-access-log", *self.args],
                stdout=out, stderr=subprocess.STDOUT, env=self.env(), start_new_session=True,
            )  # fmt: skip
        deadline = time.monotonic() + STARTUP_SECONDS
        while True:
            assert self.process.poll() is None, f"serve exited early:\n{self.output()}"
            assert time.monotonic() < deadline, f"serve did not answer:\n{self.output()}"
            try:
                if httpx.get(f"{self.base}/health", timeout=2).status_code == 200:
                    return self
            except httpx.TransportError:
                time.sleep(0.2)

    def output(self) -> str:
        return self.log.read_text(errors="replace")

    def kill(self) -> None:
        """SIGKILL to the whole process group: no shutdown, no flush, no goodbye."""
        assert self.process is not None
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=30)
        self.process = None

    def stop(self) -> None:
        """SIGTERM and wait (uvicorn shuts down gracefully); SIGKILL after 30 s."""
        if self.process is None:
            return
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=30)
        self.process = None


@pytest.fixture
def servers(tmp_path: Path) -> Iterator[list[Server]]:
    """Servers a test starts are stopped at its end, whatever happened."""
    started: list[Server] = []
    try:
        yield started
    finally:
        for server in started:
            server.stop()
