"""``asyncfirst serve`` for real: a subprocess on a free port, a temp SQLite folder, HTTP calls."""

from __future__ import annotations

import os
import queue
import re
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO

import httpx

STARTUP_SECONDS = 60
TOKEN_LINE = re.compile(r"demo admin token for (\w+) \(shown once, keep it\): (afk_[\w-]{43})$")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def _pump(stream: IO[str], lines: queue.Queue[str]) -> None:
    for line in stream:
        lines.put(line.rstrip("\n"))


@contextmanager
def serve(data_dir: Path, port: int) -> Iterator[tuple[str, list[str]]]:
    """Start the server; yield (base URL, its stdout lines so far) once /health answers."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("ASYNCFIRST_")}
    env |= {"ASYNCFIRST_DATA_DIR": str(data_dir), "ASYNCFIRST_ENV": "development"}
    process = subprocess.Popen(
        [sys.executable, "-m", "asyncfirst", "serve", "--host", "127.0.0.1", "--port", str(port)],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env=env,
    )
    assert process.stdout is not None
    lines: queue.Queue[str] = queue.Queue()
    pump = threading.Thread(target=_pump, args=(process.stdout, lines), daemon=True)
    pump.start()
    base, seen = f"http://127.0.0.1:{port}", list[str]()
    try:
        deadline = time.monotonic() + STARTUP_SECONDS
        while True:
            assert process.poll() is None, "serve exited early:\n" + "\n".join(seen)
            assert time.monotonic() < deadline, "serve did not answer:\n" + "\n".join(seen)
            try:
                if httpx.get(f"{base}/health", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                time.sleep(0.2)
        while not lines.empty():
            seen.append(lines.get())
        yield base, seen
    finally:
        process.terminate()
        # uvicorn shuts down gracefully, then re-raises SIGTERM as its exit status
        status = process.wait(timeout=20)
        pump.join(timeout=5)
        process.stdout.close()
        assert status in (0, -signal.SIGTERM)
        while not lines.empty():
            seen.append(lines.get())
        output = "\n".join(seen)
        assert "Traceback" not in output
        assert "Application shutdown complete." in output


def test_serve_starts_with_the_demo_and_answers_over_http(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    with serve(data_dir, free_port()) as (base, lines):
        assert lines[0] == f"asyncfirst hub on {base}  (web: {base}/  API docs: {base}/docs)"
        found = [m for line in lines if (m := TOKEN_LINE.search(line))]
        assert len(found) == 1, lines
        person, token = found[0].groups()
        headers = {"Authorization": f"Bearer {token}"}
        me = httpx.get(f"{base}/api/v1/me", headers=headers, timeout=10)
        assert me.status_code == 200
        assert me.json()["id"] == person == "amelie"
        assert "org_admin" in me.json()["roles"]
        threads = httpx.get(f"{base}/api/v1/teams/coding/threads", headers=headers, timeout=10)
        assert len(threads.json()["threads"]) == 2
        assert httpx.get(f"{base}/api/v1/me").status_code == 401
    assert (data_dir / "asyncfirst.db").is_file()

    # a second start keeps the data and the token, and shows no new token
    with serve(data_dir, free_port()) as (base, lines):
        assert not any(TOKEN_LINE.search(line) for line in lines), lines
        assert any("charter demo (Demo Org)" in line for line in lines)
        me = httpx.get(f"{base}/api/v1/me", headers=headers, timeout=10)
        assert me.json()["id"] == "amelie"
