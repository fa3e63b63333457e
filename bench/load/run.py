"""Load test: ``asyncfirst serve`` on a fresh database under the locust mix, then a write audit.

    .venv/bin/python bench/load/run.py --db sqlite     [--workers 1] [--users 24] [--time 60]
    .venv/bin/python bench/load/run.py --db postgresql [--workers 2] [--users 24] [--time 60]

1. A fresh database: a SQLite file in a temporary folder, or a new PostgreSQL database on
   ``--postgres`` (default ``postgresql://postgres@127.0.0.1:5432/postgres``), dropped after.
2. Prepared in this process through the service layer, like ``asyncfirst serve``'s first
   start (the demo organisation, threads, check-ins, decisions), plus per demo person: an
   API token, a web session, a calendar-feed secret, a thread of their team to reply to and
   a vote decision (the person and one other decider who never votes, so it stays open).
3. ``asyncfirst serve --no-access-log`` on loopback with ``--workers N`` server processes
   (default 1 on SQLite, where one of them runs the background jobs; 2 on PostgreSQL,
   where ``--job-worker`` adds an ``asyncfirst worker``).
4. ``locust --headless`` with ``bench/load/locustfile.py`` (the generator shares the machine's
   cores with the server: reported beside the figures).
5. The audit: every write locust saw acknowledged (2xx) is in the database and nothing else
   is (threads, replies, votes counted by their ``load:`` text; check-ins created = rows
   added); no load thread without recipients; the server log holds no "database is locked"
   and no traceback.

Prints throughput and p50/p95/p99 per endpoint and writes ``summary.json`` and locust's CSVs
to ``--out`` (default ``$TMPDIR/asyncfirst-load/<db>``). Exit status 1 if any request failed or
the audit does not balance.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import platform
import resource
import signal
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
from sqlalchemy import text

from asyncfirst import bootstrap, bootstrap_api, bootstrap_db
from asyncfirst.adapters.db.engine import create_engine
from asyncfirst.domain.checkins import not_a_working_day
from asyncfirst.services.access import Actor, Role
from asyncfirst.services.charter import load_organisation
from asyncfirst.services.decisions import open_decision
from asyncfirst.services.feeds import issue_feed
from asyncfirst.services.hub_demo import seed_demo
from asyncfirst.services.threads import post_thread
from asyncfirst.services.tokens import issue_token
from asyncfirst.services.web_sessions import sign_in_with_token

BIN = Path(sys.executable).parent
POSTGRES = "postgresql://postgres@127.0.0.1:5432/postgres"


def loadavg() -> str:
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


# --- database ----------------------------------------------------------------------------


def new_postgres(admin: str) -> str:
    import psycopg
    from psycopg import sql
    from sqlalchemy import make_url

    name = f"asyncfirst_load_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    return make_url(admin).set(database=name).render_as_string(hide_password=False)


def drop_postgres(admin: str, url: str) -> None:
    import psycopg
    from psycopg import sql
    from sqlalchemy import make_url

    name = make_url(url).database or ""
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
        )


def prepare(url: str) -> list[dict[str, Any]]:
    """Seed like serve's first start; per person a token, session, feed, thread, decision."""
    bootstrap_db.upgrade_database(url)
    org = load_organisation("demo")
    hub = bootstrap_api.hub_context(org, url)
    clock = bootstrap.clock()
    people: list[dict[str, Any]] = []
    try:
        seed_demo(bootstrap_db.charter_unit_of_work(url), hub, org)
        threads: dict[str, int] = {}
        for team in org.teams:
            members = [p.id for p in org.people if p.team_id == team.id]
            author = Actor(members[0], frozenset({Role("member", team.id)}))
            view = post_thread(
                hub.unit_of_work(), clock, org, author, team.id, "question",
                "Load test: replies welcome", "Every member replies here during the load test.",
            )  # fmt: skip
            threads[team.id] = view.to_dict()["id"]
        today = clock.now()
        for index, person in enumerate(org.people):
            actor = Actor(person.id, frozenset({Role("member", person.team_id)}))
            issued = issue_token(hub.unit_of_work(), clock, person.id)
            session = sign_in_with_token(hub.unit_of_work(), clock, issued.token)
            feed = issue_feed(hub.unit_of_work(), clock, actor)
            other = org.people[(index + 1) % len(org.people)].id
            decision = open_decision(
                hub.unit_of_work(), clock, org, actor, person.team_id,
                title=f"Load test: {person.id}'s layout vote", body="list or cards",
                mode="vote", options=["list", "cards"], deciders=[person.id, other],
                quorum=2, decide_within_days=10,
            )  # fmt: skip
            tz = person.schedule.tz
            local = today.astimezone(tz).date()
            dates = [local + timedelta(days=d) for d in (-1, 0, 1)]
            people.append({
                "id": person.id, "team": person.team_id, "zone": person.zone,
                "token": issued.token, "cookie": session.cookie, "feed": feed.secret,
                "thread": threads[person.team_id], "decision": decision.decision.id,
                "working_dates": [
                    d.isoformat() for d in dates if not_a_working_day(person.schedule, d) is None
                ],
            })  # fmt: skip
    finally:
        hub.close()
    return people


def counts(url: str, decision_ids: list[int]) -> dict[str, int]:
    engine = create_engine(url)
    ids = ",".join(str(i) for i in decision_ids) or "0"
    try:
        with engine.connect() as db:

            def one(query: str) -> int:
                return int(db.execute(text(query)).scalar_one())

            return {
                "threads": one("SELECT count(*) FROM threads WHERE title LIKE 'load:%'"),
                "threads_without_recipients": one(
                    "SELECT count(*) FROM threads t WHERE t.title LIKE 'load:%' AND NOT EXISTS "
                    "(SELECT 1 FROM thread_recipients r WHERE r.thread_id = t.id)"
                ),
                "replies": one("SELECT count(*) FROM replies WHERE body LIKE 'load:%'"),
                "votes": one(
                    f"SELECT count(*) FROM decision_responses WHERE decision_id IN ({ids})"  # noqa: S608 - ids are ints we made
                ),
                "checkins": one("SELECT count(*) FROM checkins"),
            }
    finally:
        engine.dispose()


# --- server and generator ----------------------------------------------------------------


def server_env() -> dict[str, str]:
    """No ASYNCFIRST_ settings from this shell; bytecode cached under the temporary folder
    even where PYTHONDONTWRITEBYTECODE is set (each worker would compile every module)."""
    env = {
        k: v for k, v in os.environ.items()
        if not k.startswith("ASYNCFIRST_") and k != "PYTHONDONTWRITEBYTECODE"
    }  # fmt: skip
    env.setdefault("PYTHONPYCACHEPREFIX", str(Path(tempfile.gettempdir()) / "asyncfirst-pycache"))
    return env


def start_server(
    url: str, data_dir: Path, port: int, workers: int, log: Path, threads: int | None = None
) -> subprocess.Popen[bytes]:
    env = server_env() | {"ASYNCFIRST_DATABASE_URL": url, "ASYNCFIRST_DATA_DIR": str(data_dir)}
    command = [str(BIN / "asyncfirst"), "serve", "--port", str(port), "--no-access-log"]
    if workers > 1:
        command += ["--workers", str(workers)]
    if threads is not None:
        command += ["--threads", str(threads)]
    process = subprocess.Popen(  # noqa: S603 - our own tools, from this venv
        command, env=env, stdout=log.open("wb"), stderr=subprocess.STDOUT,
        start_new_session=True,
    )  # fmt: skip
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"serve exited early:\n{log.read_text()}")
        try:
            if httpx.get(f"http://127.0.0.1:{port}/health", timeout=2).status_code == 200:
                return process
        except httpx.TransportError:
            pass
        time.sleep(0.3)
    raise SystemExit(f"serve did not answer in 120 s:\n{log.read_text()}")


def start_job_worker(url: str, log: Path) -> subprocess.Popen[bytes]:
    env = server_env() | {"ASYNCFIRST_DATABASE_URL": url}
    return subprocess.Popen(  # noqa: S603 - our own tools, from this venv
        [str(BIN / "asyncfirst"), "worker"], env=env, stdout=log.open("wb"),
        stderr=subprocess.STDOUT, start_new_session=True,
    )  # fmt: skip


def profile(pid: int, seconds: int, target: Path) -> subprocess.Popen[bytes]:
    """py-spy sampling the server (and its worker processes) for the run, collapsed stacks."""
    return subprocess.Popen(  # noqa: S603 - our own tools, from this venv
        [str(BIN / "py-spy"), "record", "--pid", str(pid), "--subprocesses", "--gil",
         "--duration", str(seconds), "--rate", "50", "--format", "raw", "--output", str(target)],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
    )  # fmt: skip


def hotspots(collapsed: Path, top: int = 25) -> str:
    """The functions most often on the stack (inclusive), from py-spy's collapsed stacks."""
    if not collapsed.exists():
        return "py-spy wrote no profile (is it installed? .venv/bin/pip install py-spy)"
    inclusive: dict[str, int] = {}
    total = 0
    for line in collapsed.read_text().splitlines():
        stack, _, count_text = line.rpartition(" ")
        count = int(count_text)
        total += count
        for frame in set(stack.split(";")):
            inclusive[frame] = inclusive.get(frame, 0) + count
    best = sorted(inclusive.items(), key=lambda item: -item[1])[:top]
    return "\n".join(f"{100 * n / total:5.1f}%  {frame[:150]}" for frame, n in best)


def cpu_seconds(pids: list[int]) -> float:
    """User + system CPU time of these processes and their children so far."""
    import psutil

    total = 0.0
    for pid in pids:
        try:
            root = psutil.Process(pid)
            for process in (root, *root.children(recursive=True)):
                times = process.cpu_times()
                total += times.user + times.system
        except psutil.NoSuchProcess:
            pass
    return total


def stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def warm(base: str, people: list[dict[str, Any]]) -> None:
    """One request per page kind and person, so per-process caches are filled before timing."""
    with httpx.Client(base_url=base, timeout=60) as client:
        for person in people:
            client.get("/day", headers={"Cookie": f"af_session={person['cookie']}"})
            client.get(
                f"/team/{person['team']}", headers={"Cookie": f"af_session={person['cookie']}"}
            )
            client.get(f"/feeds/{person['feed']}.ics")


def run_locust(
    base: str, people_file: Path, acks_file: Path, out: Path, users: int, rate: float, seconds: int
) -> None:
    env = os.environ | {
        "ASYNCFIRST_LOAD_PEOPLE": str(people_file), "ASYNCFIRST_LOAD_ACKS": str(acks_file),
    }  # fmt: skip
    subprocess.run(  # noqa: S603 - our own tools, from this venv
        [str(BIN / "locust"), "-f", str(Path(__file__).with_name("locustfile.py")),
         "--headless", "-u", str(users), "-r", str(rate), "-t", f"{seconds}s",
         "--host", base, "--csv", str(out / "locust"), "--only-summary",
         "--stop-timeout", "10", "--exit-code-on-error", "0", "--loglevel", "WARNING"],
        env=env, check=True,
    )  # fmt: skip


def read_stats(out: Path) -> list[dict[str, str]]:
    with (out / "locust_stats.csv").open() as file:
        return list(csv.DictReader(file))


def table(rows: list[dict[str, str]]) -> str:
    lines = [
        f"{'endpoint':44} {'reqs':>7} {'fail':>5} {'req/s':>7} {'p50':>5} {'p95':>5} {'p99':>5}"
    ]
    for row in rows:
        name = row["Name"] if row["Name"] != "Aggregated" else "ALL"
        lines.append(
            f"{name[:44]:44} {row['Request Count']:>7} {row['Failure Count']:>5} "
            f"{float(row['Requests/s']):7.1f} {row['50%']:>5} {row['95%']:>5} {row['99%']:>5}"
        )
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--db", choices=("sqlite", "postgresql"), default="sqlite")
    parser.add_argument("--postgres", default=POSTGRES, help="admin URL for a new database")
    parser.add_argument(
        "--workers", type=int, default=None,
        help="server processes (default: 2 on PostgreSQL, 1 on SQLite)",
    )  # fmt: skip
    parser.add_argument(
        "--threads", type=int, default=None,
        help="requests each server process runs at once (serve --threads; default its own)",
    )  # fmt: skip
    parser.add_argument("--job-worker", action="store_true", help="also run `asyncfirst worker`")
    parser.add_argument("--users", type=int, default=24)
    parser.add_argument("--spawn-rate", type=float, default=8.0)
    parser.add_argument("--time", type=int, default=60, help="seconds of load")
    parser.add_argument("--out", type=Path, default=None)
    parser.add_argument("--keep", action="store_true", help="keep the database")
    parser.add_argument(
        "--profile", action="store_true",
        help="sample the server with py-spy (if installed) into <out>/profile.txt (collapsed)",
    )  # fmt: skip
    args = parser.parse_args()
    out = args.out or Path(tempfile.gettempdir()) / "asyncfirst-load" / args.db
    out.mkdir(parents=True, exist_ok=True)
    workers = args.workers or (2 if args.db == "postgresql" else 1)
    temp = Path(tempfile.mkdtemp(prefix="asyncfirst-load-"))
    url = f"sqlite:///{temp / 'load.db'}" if args.db == "sqlite" else new_postgres(args.postgres)
    processes: list[subprocess.Popen[bytes]] = []
    try:
        began = time.monotonic()
        people = prepare(url)
        print(f"prepared {len(people)} people in {time.monotonic() - began:.1f} s", flush=True)
        people_file, acks_file = temp / "people.json", temp / "acks.json"
        people_file.write_text(json.dumps(people))
        port = free_port()
        base = f"http://127.0.0.1:{port}"
        server_log = out / "server.log"
        processes.append(start_server(url, temp, port, workers, server_log, args.threads))
        if args.job_worker and args.db == "postgresql":
            processes.append(start_job_worker(url, out / "worker.log"))
        warm(base, people)
        before = counts(url, [p["decision"] for p in people])
        load_before = loadavg()
        started = datetime.now(UTC)
        server_pids = [p.pid for p in processes]
        cpu_before, wall_before = cpu_seconds(server_pids), time.monotonic()
        if args.profile and (BIN / "py-spy").exists():
            processes.append(profile(processes[0].pid, args.time, out / "profile.txt"))
        elif args.profile:
            print("--profile: py-spy is not installed (.venv/bin/pip install py-spy)")
            args.profile = False
        children = resource.getrusage(resource.RUSAGE_CHILDREN)
        run_locust(base, people_file, acks_file, out, args.users, args.spawn_rate, args.time)
        waited = resource.getrusage(resource.RUSAGE_CHILDREN)  # locust: the one child waited for
        locust_cpu = (waited.ru_utime + waited.ru_stime) - (children.ru_utime + children.ru_stime)
        load_after = loadavg()
        server_cpu = cpu_seconds(server_pids) - cpu_before
        wall = time.monotonic() - wall_before
        if args.profile:
            processes.pop().wait(timeout=60)
            print(hotspots(out / "profile.txt"))
        for process in reversed(processes):
            stop(process)
        after = counts(url, [p["decision"] for p in people])
        acks: dict[str, int] = json.loads(acks_file.read_text()) if acks_file.exists() else {}
        log = server_log.read_text(errors="replace")
    finally:
        for process in processes:
            stop(process)
        if args.db == "postgresql" and not args.keep:
            drop_postgres(args.postgres, url)

    rows = read_stats(out)
    total = next(r for r in rows if r["Name"] == "Aggregated")
    acked = {
        "threads": acks.get("thread_201", 0),
        "replies": acks.get("reply_201", 0),
        "votes": acks.get("vote_200", 0) + acks.get("vote_201", 0),
        "checkins": acks.get("checkin_201", 0),
    }
    stored = {k: after[k] - before[k] for k in acked}
    audit = {
        "acknowledged": acked, "in_database": stored,
        "checkins_replaced": acks.get("checkin_200", 0),
        "threads_without_recipients": after["threads_without_recipients"],
        "database_is_locked": log.count("database is locked"),
        "tracebacks": log.count("Traceback"),
    }  # fmt: skip
    summary = {
        "date": started.isoformat(timespec="seconds"), "db": args.db, "server_processes": workers,
        "server_threads": args.threads,
        "users": args.users, "seconds": args.time, "nproc": os.cpu_count(),
        "uname": " ".join(platform.uname()), "loadavg_before": load_before,
        "loadavg_after": load_after, "requests": int(total["Request Count"]),
        "failures": int(total["Failure Count"]), "req_per_s": float(total["Requests/s"]),
        "p50_ms": total["50%"], "p95_ms": total["95%"], "p99_ms": total["99%"],
        "server_cpu_seconds": round(server_cpu, 1), "wall_seconds": round(wall, 1),
        "server_cores_used": round(server_cpu / wall, 2),
        "locust_cores_used": round(locust_cpu / wall, 2),
        "req_per_server_cpu_second": round(int(total["Request Count"]) / max(server_cpu, 0.1), 1),
        "audit": audit,
    }  # fmt: skip
    (out / "summary.json").write_text(json.dumps(summary, indent=1))
    print(table(rows))
    print(json.dumps(summary, indent=1))
    balanced = acked == stored and audit["threads_without_recipients"] == 0
    ok = balanced and summary["failures"] == 0 and not audit["database_is_locked"]
    print("audit: acknowledged writes == rows in the database" if balanced else "AUDIT FAILED")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
