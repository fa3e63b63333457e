"""``scripts/audit.py`` (make audit, in CI) against an OSV service on loopback, over real HTTP.

The real pip-audit runs in a subprocess and queries the local service the test starts: one
that knows an advisory for a locked version, one that knows none, and a port where nothing
listens (the machine type CI runs on cannot reach api.osv.dev: the audit must say it
skipped, not pass silently, and fail under ``--require``).
"""

from __future__ import annotations

import json
import subprocess
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from tests.integration.receivers import free_port

REPO = Path(__file__).resolve().parents[2]
SCRIPT = REPO / "scripts" / "audit.py"

sys.path.insert(0, str(REPO / "scripts"))
from audit import locked_requirements  # noqa: E402 - a script beside the package, not in it

SMALL_LOCK = """\
version = 1
requires-python = ">=3.11"

[[package]]
name = "asyncfirst"
version = "0.1.0"
source = { editable = "." }

[[package]]
name = "httpx"
version = "0.28.1"
source = { registry = "https://pypi.org/simple" }

[[package]]
name = "tzdata"
version = "2025.2"
source = { registry = "https://pypi.org/simple" }
"""

ADVISORY = {
    "schema_version": "1.6.0",
    "id": "GHSA-test-0001",
    "aliases": ["CVE-2099-0001"],
    "summary": "a made-up flaw, served by this test",
    "affected": [
        {
            "package": {"name": "httpx", "ecosystem": "PyPI"},
            "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "0"}, {"fixed": "0.28.2"}]}],
        }
    ],
}


@contextmanager
def osv_service(
    advisories: dict[tuple[str, str], list[dict[str, Any]]],
) -> Iterator[tuple[str, list[tuple[str, str]]]]:
    """An OSV query API (POST /v1/query) that knows ``advisories`` by (name, version).

    Yields its URL and the (name, version) pairs it has been asked about.
    """
    asked: list[tuple[str, str]] = []

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            query = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
            key = (query["package"]["name"], query["version"])
            asked.append(key)
            vulns = advisories.get(key, [])
            body = json.dumps({"vulns": vulns} if vulns else {}).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/v1/query", asked
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)


def audit(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(SCRIPT), *args], capture_output=True, text=True, timeout=120,
        check=False,
    )  # fmt: skip


@pytest.fixture
def small_lock(tmp_path: Path) -> Path:
    lock = tmp_path / "uv.lock"
    lock.write_text(SMALL_LOCK)
    return lock


def test_a_known_advisory_for_a_locked_version_fails_the_audit_and_is_named(
    small_lock: Path,
) -> None:
    with osv_service({("httpx", "0.28.1"): [ADVISORY]}) as (url, _asked):
        result = audit("--lock", str(small_lock), "--osv-url", url)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "GHSA-test-0001" in result.stdout and "CVE-2099-0001" in result.stdout
    assert "httpx" in result.stdout and "0.28.2" in result.stdout


def test_no_known_advisory_passes_after_asking_about_every_locked_package(
    small_lock: Path,
) -> None:
    with osv_service({("httpx", "0.28.0"): [ADVISORY]}) as (url, asked):  # another version
        result = audit("--lock", str(small_lock), "--osv-url", url)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "audit: 2 locked packages" in result.stdout
    assert "No known vulnerabilities found" in result.stdout + result.stderr
    assert ("httpx", "0.28.1") in asked and ("tzdata", "2025.2") in asked


def test_the_whole_project_lock_is_audited_every_version_of_every_package() -> None:
    """Both versions of a package the lock resolves per Python (numpy) are asked about."""
    pins = locked_requirements((REPO / "uv.lock").read_text("utf-8"))
    with osv_service({}) as (url, asked):
        result = audit("--osv-url", url)
    assert result.returncode == 0, result.stdout + result.stderr
    assert sorted({f"{name}=={version}" for name, version in asked}) == pins  # + the probe


def test_an_unreachable_service_is_a_skip_with_its_reason_and_a_failure_when_required(
    small_lock: Path,
) -> None:
    nowhere = f"http://127.0.0.1:{free_port()}/v1/query"  # nothing listens there
    skipped = audit("--lock", str(small_lock), "--osv-url", nowhere)
    assert skipped.returncode == 0
    assert "audit skipped" in skipped.stdout and "cannot be reached" in skipped.stdout
    assert "2 locked packages not audited" in skipped.stdout
    required = audit("--lock", str(small_lock), "--osv-url", nowhere, "--require")
    assert required.returncode == 2
    assert "audit failed" in required.stdout


def test_a_missing_or_foreign_lock_file_is_named(tmp_path: Path) -> None:
    missing = audit("--lock", str(tmp_path / "nope.lock"))
    assert missing.returncode == 2
    assert "nope.lock" in missing.stderr and "Traceback" not in missing.stderr
    foreign = tmp_path / "foreign.lock"
    foreign.write_text("[tool]\nname = 1\n")
    result = audit("--lock", str(foreign))
    assert result.returncode == 2
    assert "foreign.lock: no [[package]] entries" in result.stderr


def test_the_project_lock_lists_every_registry_package_once_and_not_the_project() -> None:
    pins = locked_requirements((REPO / "uv.lock").read_text("utf-8"))
    names = {pin.split("==")[0] for pin in pins}
    assert {"ortools", "fastapi", "sqlalchemy", "pip-audit"} <= names
    assert "asyncfirst" not in names
    assert len(pins) == len(set(pins)) > 100
