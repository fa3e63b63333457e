"""Tokens and passwords never reach the logs, through a real uvicorn server on loopback.

Every log record of the process is captured (root, uvicorn's error and access loggers, at
DEBUG) and formatted the way ``asyncfirst serve`` formats it (uvicorn's own formatters),
while requests carry tokens in headers, in a query string (which the access log would
write down as it is), bad tokens, a newly issued token in a response body, and the web
sign-in form with a password and with a token (when the web app is mounted).
"""

from __future__ import annotations

import logging
import re
import socket
import threading
import time
from collections.abc import Iterator

import httpx2 as httpx
import pytest
import uvicorn
from fastapi.routing import iter_route_contexts
from uvicorn.config import LOGGING_CONFIG
from uvicorn.logging import AccessFormatter, DefaultFormatter

from asyncfirst.entrypoints.api.app import create_app
from asyncfirst.services.access import Role
from asyncfirst.services.hub_ports import HubContext
from asyncfirst.services.tokens import issue_token

PASSWORD = "correct horse battery staple 42!"  # noqa: S105 - the secret the test looks for


class Capture(logging.Handler):
    """Formats every record it sees the way uvicorn's handlers would, and keeps the text."""

    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.lines: list[str] = []
        self.access = AccessFormatter(LOGGING_CONFIG["formatters"]["access"]["fmt"])
        self.default = DefaultFormatter(LOGGING_CONFIG["formatters"]["default"]["fmt"])

    def emit(self, record: logging.LogRecord) -> None:
        formatter = self.access if record.name == "uvicorn.access" else self.default
        self.lines.append(formatter.format(record))
        self.lines.append(repr(record.args))
        if record.exc_text:
            self.lines.append(record.exc_text)

    def text(self) -> str:
        return "\n".join(self.lines)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def served(hub: HubContext) -> Iterator[tuple[str, Capture]]:
    app = create_app(hub)
    port = _free_port()
    config = uvicorn.Config(app, host="127.0.0.1", port=port, log_level="debug",
                            log_config=LOGGING_CONFIG, access_log=True)  # fmt: skip
    server = uvicorn.Server(config)
    capture = Capture()
    watched = [
        logging.getLogger(),
        logging.getLogger("uvicorn"),
        logging.getLogger("uvicorn.access"),
    ]
    old_level = watched[0].level
    watched[0].setLevel(logging.DEBUG)
    for logger in watched:
        logger.addHandler(capture)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        assert time.monotonic() < deadline, "the server did not start"
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}", capture
    finally:
        server.should_exit = True
        thread.join(timeout=30)
        for logger in watched:
            logger.removeHandler(capture)
        watched[0].setLevel(old_level)


def test_tokens_and_passwords_never_reach_the_logs(
    served: tuple[str, Capture], hub: HubContext
) -> None:
    base, capture = served
    token = issue_token(hub.unit_of_work(), hub.clock, "amelie", [Role("org_admin")]).token
    secrets = [token, token[12:], PASSWORD, PASSWORD + "x"]
    bearer = {"Authorization": f"Bearer {token}"}
    with httpx.Client(base_url=base, timeout=30) as client:
        assert client.get("/api/v1/me", headers=bearer).status_code == 200
        assert client.get(f"/api/v1/me?token={token}", headers=bearer).status_code == 200
        assert client.get(f"/api/v1/me/queue?access_token={token}").status_code == 401
        bad = "afk_" + "Z" * 43
        secrets.append(bad[12:])
        assert (
            client.get("/api/v1/me", headers={"Authorization": f"Bearer {bad}"}).status_code == 401
        )
        issued = client.post("/api/v1/tokens", json={}, headers=bearer)
        assert issued.status_code == 201
        secrets.append(issued.json()["token"])
        cookies: set[str] = set()
        signed_in = _sign_in_on_the_web(client, hub, token, cookies)
        cookies.update(value for value in client.cookies.values() if len(value) > 16)
        secrets += sorted(cookies)

    time.sleep(0.2)  # the access log line is written after the response
    text = capture.text()
    assert '"GET /api/v1/me HTTP/1.1" 200' in text, "the access log was not captured"
    assert "/api/v1/me?token=*** HTTP/1.1" in text  # the query string was logged, masked
    if signed_in:
        assert '"POST /sign-in HTTP/1.1" 303' in text
    for secret in secrets:
        assert secret not in text, f"a secret reached the logs: {secret[:6]}…"


def _sign_in_on_the_web(client: httpx.Client, hub: HubContext, token: str, seen: set[str]) -> bool:
    """Sign in with a wrong and a right password, and with a token, if the web app is there;
    the cookies the server set go into ``seen``."""
    routes = {
        (c.path, m) for c in iter_route_contexts(create_app(hub).routes) for m in c.methods or ()
    }
    if ("/sign-in", "POST") not in routes:
        return False
    from asyncfirst.services.web_sessions import set_password

    set_password(hub.unit_of_work(), hub.clock, "amelie", PASSWORD)

    def post(**form: str) -> int:
        seen.update(value for value in client.cookies.values() if len(value) > 16)
        client.cookies.clear()  # signed in, /sign-in would redirect: start as a new browser
        page = client.get("/sign-in")
        found = re.search(r'name="form_token" value="([^"]+)"', page.text)
        assert found, "the sign-in form has no form_token"
        fields = {"form_token": found.group(1), **form}
        return client.post("/sign-in", data=fields, follow_redirects=False).status_code

    assert post(method="password", person="amelie", password=PASSWORD + "x") == 401
    assert post(method="password", person="amelie", password=PASSWORD) == 303
    assert post(method="token", token=token) == 303
    return True
