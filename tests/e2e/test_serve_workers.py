"""``asyncfirst serve --workers N``: several processes only with PostgreSQL (the SQLite jobs
run inside the one server process). The multi-process path itself runs in
tests/faults/test_kill_during_writes.py (PostgreSQL, ``--workers 2``) and bench/load."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from tests.faults.conftest import server_env


def test_serve_refuses_several_workers_on_sqlite_with_one_line(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "asyncfirst", "serve", "--workers", "2"],
        capture_output=True, text=True, timeout=120,
        env=server_env() | {"ASYNCFIRST_DATA_DIR": str(tmp_path)},
    )  # fmt: skip
    assert done.returncode == 3
    assert done.stderr.strip() == (
        "error: --workers 2 needs PostgreSQL (set ASYNCFIRST_DATABASE_URL="
        "postgresql://user@host:5432/asyncfirst); with SQLite serve runs one process"
    )
    assert not (tmp_path / "asyncfirst.db").exists()  # refused before touching anything
