"""Browser tests of the web app: a real server, a real database, Debian's Chromium.

``web`` starts the hub (API and pages) with uvicorn in a background thread on a free
loopback port, over a fresh SQLite database seeded with the demo organisation the way
``asyncfirst serve`` does, at a fixed instant (``NOW``: Wednesday 25 November 2026,
10:30 in Paris, 18:30 in Tokyo, 04:30 in New York; Thursday is Thanksgiving there). The
demo people in ``PASSWORD_PEOPLE`` have the password ``PASSWORD``; ``web.token(person)`` issues an API token.

``page`` is a fresh browser context (no cookies) at desktop size; ``sign_in(page, person)``
signs in through the form; ``shot(page, name)`` saves ``docs/img/web/<name>-desktop.png``
and ``-phone.png``. Chromium is Debian's ``/usr/bin/chromium`` (``make browser``); the
tests are skipped with the reason when it is missing. Never ``playwright install``.
"""

from __future__ import annotations

import shutil
import socket
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, Playwright, sync_playwright

from asyncfirst import bootstrap, bootstrap_api, bootstrap_db
from asyncfirst.domain.model import Organisation
from asyncfirst.services.hub_demo import seed_demo
from asyncfirst.services.hub_ports import HubContext
from asyncfirst.services.tokens import issue_token
from asyncfirst.services.web_sessions import set_password

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]  # fmt: skip
NOW = datetime(2026, 11, 25, 9, 30, tzinfo=UTC)
PASSWORD = "correct horse battery staple"  # noqa: S105 - the demo people's test password
# Paris (design), Tokyo (coding), New York (qa): add a person here to sign them in.
PASSWORD_PEOPLE = (
    "amelie", "bastien", "chloe", "kenji", "yuki", "haruto", "maria", "james", "noah",
)  # fmt: skip
SHOTS = Path(__file__).resolve().parents[3] / "docs" / "img" / "web"
DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}


@dataclass
class WebServer:
    base_url: str
    hub: HubContext
    org: Organisation
    admin_token: str

    def url(self, path: str) -> str:
        return self.base_url + path

    def token(self, person: str) -> str:
        return issue_token(self.hub.unit_of_work(), self.hub.clock, person).token


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


# Package scope: the server, Playwright and the browser stop after these tests, so the event
# loop Playwright's sync API keeps in the main thread does not leak into later tests.
@pytest.fixture(scope="package")
def web(tmp_path_factory: pytest.TempPathFactory, demo_org: Organisation) -> Iterator[WebServer]:
    import uvicorn

    from asyncfirst.entrypoints.api.app import create_app

    url = f"sqlite:///{tmp_path_factory.mktemp('web') / 'web.db'}"
    bootstrap_db.upgrade_database(url)
    hub = bootstrap_api.hub_context(demo_org, url, bootstrap.FixedClock(NOW))
    issued = seed_demo(bootstrap_db.charter_unit_of_work(url), hub, demo_org)
    for person in PASSWORD_PEOPLE:  # argon2 is slow on purpose: only those the tests sign in
        set_password(hub.unit_of_work(), hub.clock, person, PASSWORD)
    port = _free_port()
    app = create_app(hub)
    app.state.warm_page_caches = True  # as `asyncfirst serve` does
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, name="web-server", daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        assert thread.is_alive(), "the web server stopped while starting"
        assert time.monotonic() < deadline, "the web server did not start within 30 s"
        time.sleep(0.05)
    # the Team and time-map caches (and the coming week's coffee round) are warmed in the
    # background at start; wait, so the first tests are not slowed down by it
    warm = getattr(app.state, "caches_warm", None)
    assert warm is None or warm.wait(120), "the page caches did not warm within 120 s"
    try:
        yield WebServer(f"http://127.0.0.1:{port}", hub, demo_org, issued.token)
    finally:
        server.should_exit = True
        thread.join(timeout=10)


@pytest.fixture(scope="package")
def playwright_instance() -> Iterator[Playwright]:
    if not CHROMIUM.exists() or shutil.which(str(CHROMIUM)) is None:
        pytest.fail(f"{CHROMIUM} is missing: run `make browser` (apt-get install chromium)")
    with sync_playwright() as p:
        yield p


@pytest.fixture(scope="package")
def browser(playwright_instance: Playwright) -> Iterator[Browser]:
    launched = playwright_instance.chromium.launch(
        executable_path=str(CHROMIUM), args=CHROMIUM_ARGS
    )
    try:
        yield launched
    finally:
        launched.close()


@pytest.fixture
def page(browser: Browser, web: WebServer) -> Iterator[Page]:
    context = browser.new_context(viewport=DESKTOP, base_url=web.base_url, locale="en-GB")
    context.set_default_timeout(10_000)
    opened = context.new_page()
    try:
        yield opened
    finally:
        context.close()


SignIn = Callable[..., None]


@pytest.fixture
def sign_in() -> SignIn:
    """``sign_in(page, "kenji")``: sign in with the password form, landing on My day."""

    def go(page: Page, person: str, password: str = PASSWORD) -> None:
        page.goto("/sign-in")
        form = page.locator("form", has=page.locator("#person"))
        form.locator("#person").fill(person)
        form.locator("#password").fill(password)
        form.get_by_role("button", name="Sign in").click()
        page.wait_for_url("**/day")

    return go


def shot(page: Page, name: str) -> tuple[Path, Path]:
    """Screenshots of the whole page at desktop (1280×800) and phone (390×844) widths."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    desktop, phone = SHOTS / f"{name}-desktop.png", SHOTS / f"{name}-phone.png"
    page.set_viewport_size(DESKTOP)
    page.screenshot(path=str(desktop), full_page=True)
    page.set_viewport_size(PHONE)
    page.screenshot(path=str(phone), full_page=True)
    page.set_viewport_size(DESKTOP)
    return desktop, phone


_UNLABELLED = """() => {
  const named = (el) => (el.labels && el.labels.length > 0) || el.getAttribute('aria-label')
    || el.getAttribute('aria-labelledby') || el.getAttribute('title');
  const controls = [...document.querySelectorAll('input, select, textarea')]
    .filter((el) => el.type !== 'hidden');
  return controls.filter((el) => !named(el)).map((el) => el.outerHTML.slice(0, 120));
}"""
_NO_ALT = """() => [...document.querySelectorAll('img')].filter((img) => !img.hasAttribute('alt'))
  .map((img) => img.outerHTML.slice(0, 120))"""


def assert_accessible(page: Page) -> None:
    """A smoke check: html lang, one h1, main landmark, labelled controls, alt on images."""
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.locator("h1").count() == 1, "a page has exactly one h1"
    assert page.locator("main#main").count() == 1
    assert page.evaluate(_UNLABELLED) == [], "every form control needs a label"
    assert page.evaluate(_NO_ALT) == [], "every image needs alt text"
    assert page.locator("a.skip-link[href='#main']").count() == 1


def tab_until(page: Page, name: str, limit: int = 60) -> list[str]:
    """Press Tab until the focused element's accessible text contains ``name``; the trail."""
    trail = []
    for _ in range(limit):
        page.keyboard.press("Tab")
        focused = page.evaluate(
            "() => { const el = document.activeElement; return el ? "
            "(el.getAttribute('aria-label') || el.innerText || el.value || el.id || el.tagName)"
            ".trim() : '' }"
        )
        trail.append(focused)
        if name in focused:
            return trail
    raise AssertionError(f"Tab never reached {name!r}; focus went through {trail}")
