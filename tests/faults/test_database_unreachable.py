"""The database unreachable at start: ``asyncfirst serve`` waits with backoff, then one line.

A PostgreSQL URL to a closed port: serve tries ``--connect-attempts`` times, waiting 0.5 s,
1 s, 2 s … and saying so on stderr, then exits 3 with one line that names the database
(never its password) and what to check — no traceback. A server that comes up during the
waits (a loopback forwarder to the real PostgreSQL opened on that port after a second) is
used: serve starts and answers.
"""

from __future__ import annotations

import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

import httpx
import pytest
from sqlalchemy import make_url

from asyncfirst import bootstrap_db
from asyncfirst.adapters.db.errors import DatabaseUnavailable
from tests.faults.conftest import STARTUP_SECONDS, server_env
from tests.integration.conftest import _postgres_database
from tests.integration.receivers import free_port


def _serve(*args: str) -> list[str]:
    return [sys.executable, "-m", "asyncfirst", "serve", "--port", str(free_port()), *args]


def test_serve_with_the_database_down_retries_with_backoff_then_exits_with_one_line() -> None:
    port = free_port()  # nothing listens there
    url = f"postgresql://asyncfirst:s3cret-pw@127.0.0.1:{port}/asyncfirst"
    began = time.monotonic()
    done = subprocess.run(
        _serve("--connect-attempts", "3"), capture_output=True, text=True, timeout=120,
        env=server_env() | {"ASYNCFIRST_DATABASE_URL": url},
    )  # fmt: skip
    elapsed = time.monotonic() - began
    assert done.returncode == 3, done.stderr
    lines = done.stderr.strip().splitlines()
    assert [line.split("; retry ")[-1] for line in lines[:-1]] == ["2 in 0.5 s", "3 in 1 s"]
    assert all(line.startswith("waiting for the database: cannot open") for line in lines[:-1])
    shown = f"postgresql+psycopg://asyncfirst@127.0.0.1:{port}/asyncfirst"  # no password
    assert lines[-1].startswith(f"error: cannot open the database at {shown} (")
    assert "Connection refused" in lines[-1]
    assert lines[-1].endswith("check that the server is running and that "
                              "ASYNCFIRST_DATABASE_URL names the right host, port, user and database")  # fmt: skip
    assert "s3cret-pw" not in done.stderr + done.stdout
    assert "Traceback" not in done.stderr + done.stdout
    assert elapsed >= 1.5  # it did wait 0.5 s + 1 s


@contextmanager
def _forwarder(port: int, target: tuple[str, int]) -> Iterator[None]:
    """A TCP forwarder on ``port`` to ``target``: the database "coming back" on that port."""
    listener = socket.create_server(("127.0.0.1", port))
    listener.settimeout(0.2)
    stop = threading.Event()
    opened: list[socket.socket] = []

    def pipe(source: socket.socket, sink: socket.socket) -> None:
        with suppress(OSError):
            while data := source.recv(65536):
                sink.sendall(data)
        with suppress(OSError):
            sink.shutdown(socket.SHUT_WR)

    def accept() -> None:
        while not stop.is_set():
            try:
                client, _ = listener.accept()
            except TimeoutError:
                continue
            upstream = socket.create_connection(target)
            opened.extend((client, upstream))
            for a, b in ((client, upstream), (upstream, client)):
                threading.Thread(target=pipe, args=(a, b), daemon=True).start()

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    try:
        yield
    finally:
        stop.set()
        thread.join(5)
        listener.close()
        for sock in opened:
            sock.close()


@pytest.fixture
def postgres_url() -> Iterator[str]:
    yield from _postgres_database()


def test_serve_starts_when_the_database_comes_up_while_it_waits(
    postgres_url: str, tmp_path: Path
) -> None:
    real = make_url(postgres_url)
    port = free_port()
    url = real.set(port=port).render_as_string(hide_password=False)
    log = tmp_path / "serve.log"
    with log.open("wb") as out:
        process = subprocess.Popen(
            _serve(), stdout=out, stderr=subprocess.STDOUT,
            env=server_env() | {"ASYNCFIRST_DATABASE_URL": url, "ASYNCFIRST_DATA_DIR": str(tmp_path)},
        )  # fmt: skip
    base = None
    try:
        deadline = time.monotonic() + 60
        while "waiting for the database" not in log.read_text():  # it found the port closed
            assert process.poll() is None and time.monotonic() < deadline, log.read_text()
            time.sleep(0.05)
        with _forwarder(port, (real.host or "127.0.0.1", real.port or 5432)):
            deadline = time.monotonic() + STARTUP_SECONDS
            while base is None:
                assert process.poll() is None, log.read_text()
                assert time.monotonic() < deadline, log.read_text()
                found = [line for line in log.read_text().splitlines() if "hub on http" in line]
                if found:
                    base = found[0].split("hub on ")[1].split()[0]
                time.sleep(0.1)
            deadline = time.monotonic() + STARTUP_SECONDS
            while True:
                assert process.poll() is None, log.read_text()
                assert time.monotonic() < deadline, log.read_text()
                with suppress(httpx.TransportError):
                    if httpx.get(f"{base}/health", timeout=2).status_code == 200:
                        break
                time.sleep(0.2)
    finally:
        process.terminate()
        process.wait(timeout=30)
    output = log.read_text()
    assert "waiting for the database" in output and "Traceback" not in output


def test_wait_for_database_doubles_its_waits_and_raises_the_one_line_error() -> None:
    waits: list[float] = []
    told: list[int] = []
    url = f"postgresql://postgres@127.0.0.1:{free_port()}/nothing"
    with pytest.raises(DatabaseUnavailable, match="cannot open the database at postgresql"):
        bootstrap_db.wait_for_database(
            url, attempts=5, on_retry=lambda _m, _d, attempt: told.append(attempt),
            sleep=waits.append,
        )  # fmt: skip
    assert waits == [0.5, 1.0, 2.0, 4.0]
    assert told == [2, 3, 4, 5]


def test_wait_for_database_tries_sqlite_once(tmp_path: Path) -> None:
    waits: list[float] = []
    url = f"sqlite:///{tmp_path / 'missing' / 'folder' / 'asyncfirst.db'}"
    with pytest.raises(DatabaseUnavailable, match="check that the folder"):
        bootstrap_db.wait_for_database(url, sleep=waits.append)
    assert waits == []
