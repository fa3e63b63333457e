"""``asyncfirst serve --workers N [--threads T]``: several processes on PostgreSQL or on a SQLite file
(writers queue on a file lock, one process runs the background jobs); an in-memory SQLite
database belongs to one process, so it is refused. The multi-process path under writes
runs in tests/faults/test_kill_during_writes.py and bench/load."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import httpx

from tests.faults.conftest import Server, server_env


def test_serve_refuses_several_workers_on_in_memory_sqlite_with_one_line(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "asyncfirst", "serve", "--workers", "2"],
        capture_output=True, text=True, timeout=120,
        env=server_env() | {
            "ASYNCFIRST_DATA_DIR": str(tmp_path), "ASYNCFIRST_DATABASE_URL": "sqlite://",
        },
    )  # fmt: skip
    assert done.returncode == 3
    assert done.stderr.strip() == (
        "error: --workers 2 needs a database file or PostgreSQL (set ASYNCFIRST_DATABASE_URL="
        "sqlite:///path/asyncfirst.db or postgresql://user@host:5432/asyncfirst); "
        "an in-memory SQLite database serves one process"
    )
    assert list(tmp_path.iterdir()) == []  # refused before touching anything


def test_serve_refuses_a_thread_count_out_of_range(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "asyncfirst", "serve", "--threads", "0"],
        capture_output=True, text=True, timeout=120,
        env=server_env() | {"ASYNCFIRST_DATA_DIR": str(tmp_path)},
    )  # fmt: skip
    assert done.returncode == 2
    assert "--threads" in done.stderr and "greater than or equal to 1" in done.stderr
    assert "Traceback" not in done.stderr
    assert list(tmp_path.iterdir()) == []


def test_serve_runs_two_processes_on_a_sqlite_file(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'asyncfirst.db'}"
    server = Server(url, tmp_path / "serve.log", ("--workers", "2", "--threads", "3")).start()
    try:
        with httpx.Client(base_url=server.base, timeout=10) as client:
            assert client.get("/health").status_code == 200
            assert client.get("/sign-in").status_code == 200
        # the first process answers /health while the second may still be starting
        deadline = time.monotonic() + 60
        while len(pids := _started(output := server.output())) < 2:
            assert time.monotonic() < deadline, output
            time.sleep(0.2)
        assert "2 server processes" in output
        assert "background jobs in one server process (SQLite)" in output
        assert "Traceback" not in output
        assert len(pids) == 2, output
        assert output.count("this process runs up to 3 requests at once") == 2, output
    finally:
        server.stop()
    assert (tmp_path / "asyncfirst.db-jobs").exists()  # one process took the job lock


def _started(output: str) -> set[str]:
    """The ids of the server processes the log says have started."""
    return {line.split("[", 1)[1].split("]", 1)[0] for line in output.splitlines()
            if "Started server process [" in line}  # fmt: skip
