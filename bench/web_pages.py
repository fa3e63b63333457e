"""Benchmark: server time of every web page (and the calendar feed) on the demo
organisation, against 200 ms.

Each page is rendered through the real ASGI app in process (``TestClient``, a signed-in
session for the demo admin, a fresh SQLite database seeded like ``asyncfirst serve``, the
clock fixed at Wednesday 25 November 2026, 10:30 in Paris). The first request of each page
is reported apart (``cold``: it may fill a per-process cache, e.g. the team balance from
every member's calendar); then each page is requested ``--runs`` times and p50/p95/max
are printed. ``--profile PATH`` prints where the time of one page goes (cProfile).

    uv run --no-sync python bench/web_pages.py [--runs 30] [--strict] [--profile /team/design]
    (--profile "/feeds/{feed}.ics" profiles the demo admin's calendar feed)
"""

from __future__ import annotations

import argparse
import cProfile
import io
import pstats
import statistics
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from _calendars import machine
from fastapi.testclient import TestClient

from asyncfirst import bootstrap, bootstrap_api, bootstrap_db
from asyncfirst.entrypoints.api.app import create_app
from asyncfirst.entrypoints.web.session import COOKIE
from asyncfirst.services.charter import load_organisation
from asyncfirst.services.feeds import issue_feed
from asyncfirst.services.hub_demo import seed_demo
from asyncfirst.services.web_sessions import sign_in_with_token

BUDGET_MS = 200.0
NOW = datetime(2026, 11, 25, 9, 30, tzinfo=UTC)
PLAN = (
    "/planner?title=Kick-off&attendees=amelie&attendees=kenji&attendees=maria&duration=30"
    "&kind=kickoff&why_sync=scope+together&start=2026-11-26"
)
PAGES = (
    ("sign-in", "/sign-in"),
    ("my day", "/day"),
    ("team", "/team/design"),
    ("time map", "/time-map"),
    ("time map, DST week", "/time-map?week=2026-10-26"),
    ("planner form", "/planner"),
    ("planner, 3 zones", PLAN),
    ("coffee", "/coffee"),
    ("calendar feed", "/feeds/{feed}.ics"),  # the demo admin's; no cookie needed
)


def _ms(seconds: float) -> float:
    return seconds * 1000


def _time(client: TestClient, path: str) -> float:
    began = time.perf_counter()
    answer = client.get(path, follow_redirects=False)
    elapsed = time.perf_counter() - began
    if answer.status_code != 200:
        raise SystemExit(f"{path}: HTTP {answer.status_code}\n{answer.text[:400]}")
    return elapsed


def _profile(app_factory: Callable[[], Any], cookie: str, path: str) -> None:
    """cProfile in every thread, the server's worker threads included (sync endpoints run
    there): each new thread enables its own profiler, and the stats are merged."""
    profilers: list[cProfile.Profile] = []

    def start(*_args: object) -> None:
        profiler = cProfile.Profile()  # replaces this hook in this thread
        profilers.append(profiler)
        profiler.enable()

    threading.setprofile(start)  # called once per new thread
    try:
        app = app_factory()
        app.state.warm_page_caches = True
        with TestClient(app) as client:
            client.cookies.set(COOKIE, cookie)
            app.state.caches_warm.wait(120)
            client.get(path)
            for profiler in profilers:
                profiler.clear()
            for _ in range(10):
                client.get(path)
            for profiler in profilers:
                profiler.disable()
    finally:
        threading.setprofile(None)
    out = io.StringIO()
    used = [p for p in profilers if p.getstats()]
    stats = pstats.Stats(*used, stream=out) if used else None
    if stats is None:
        print("nothing profiled")
        return
    stats.sort_stats("cumulative").print_stats("asyncfirst|jinja2|sqlalchemy", 30)
    print(out.getvalue())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--strict", action="store_true", help="exit 1 if a p95 is over budget")
    parser.add_argument("--profile", metavar="PATH", help="profile 10 requests of this page")
    args = parser.parse_args(argv)
    org = load_organisation("demo")
    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite:///{Path(folder) / 'bench.db'}"
        bootstrap_db.upgrade_database(url)
        hub = bootstrap_api.hub_context(org, url, bootstrap.FixedClock(NOW))
        issued = seed_demo(bootstrap_db.charter_unit_of_work(url), hub, org)
        session = sign_in_with_token(hub.unit_of_work(), hub.clock, issued.token)
        feed = issue_feed(hub.unit_of_work(), hub.clock, session.signed_in.actor).secret
        if args.profile:
            _profile(lambda: create_app(hub), session.cookie, args.profile.format(feed=feed))
            return 0
        app = create_app(hub)
        app.state.warm_page_caches = True  # as `asyncfirst serve` does
        with TestClient(app) as client:
            client.cookies.set(COOKIE, session.cookie)
            app.state.caches_warm.wait(120)
            print(f"machine: {machine()}")
            print(f"demo organisation, {len(org.people)} people; {args.runs} runs per page; "
                  f"budget {BUDGET_MS:.0f} ms (in-process request time)")  # fmt: skip
            print(f"{'page':<20}{'cold':>9}{'p50':>9}{'p95':>9}{'max':>9}  verdict")
            over = []
            for name, page in PAGES:
                path = page.format(feed=feed)
                client.cookies.clear()  # the sign-in page is for people not signed in yet
                if path != "/sign-in":
                    client.cookies.set(COOKIE, session.cookie)
                cold = _time(client, path)
                runs = sorted(_time(client, path) for _ in range(args.runs))
                p50 = statistics.median(runs)
                p95 = runs[min(len(runs) - 1, round(0.95 * (len(runs) - 1)))]
                verdict = "ok" if _ms(p95) <= BUDGET_MS else "OVER"
                if verdict != "ok":
                    over.append(name)
                print(f"{name:<20}{_ms(cold):>7.1f}ms{_ms(p50):>7.1f}ms{_ms(p95):>7.1f}ms"
                      f"{_ms(runs[-1]):>7.1f}ms  {verdict}")  # fmt: skip
        hub.close()
    if over:
        print("over budget: " + ", ".join(over))
        return 1 if args.strict else 0
    return 0


if __name__ == "__main__":
    sys.exit(main())
