"""Web sign-in on a real database (SQLite and PostgreSQL): passwords, sessions, sign-out,
CSRF, the cookie's flags, and the HTML error pages beside the API's JSON ones."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from fastapi.testclient import TestClient

from asyncfirst.domain.access_errors import NotFoundError, UnauthenticatedError
from asyncfirst.domain.errors import InputError
from asyncfirst.entrypoints.api.app import create_app
from asyncfirst.services.hub_ports import HubContext
from asyncfirst.services.tokens import issue_token
from asyncfirst.services.web_sessions import (
    SESSION_LIFETIME,
    set_password,
    sign_in_with_password,
    sign_in_with_token,
    sign_out,
    signed_in,
)
from tests.integration.api.conftest import SettableClock

PASSWORD = "correct horse battery staple"  # noqa: S105 - a test password


def test_password_sign_in_opens_a_session_that_sign_out_revokes(
    hub: HubContext, clock: SettableClock
) -> None:
    assert set_password(hub.unit_of_work(), hub.clock, "kenji", PASSWORD) == 0
    session = sign_in_with_password(hub.unit_of_work(), hub.clock, " Kenji ", PASSWORD)
    me = signed_in(hub.unit_of_work(), hub.clock, session.cookie)
    assert (me.key, me.zone, me.method) == ("kenji", "Asia/Tokyo", "password")
    assert me.actor.leads("coding") is False and me.actor.belongs_to("coding")
    assert me.csrf == session.signed_in.csrf and len(me.csrf) >= 40
    sign_out(hub.unit_of_work(), hub.clock, session.cookie)
    with pytest.raises(UnauthenticatedError):
        signed_in(hub.unit_of_work(), hub.clock, session.cookie)


def test_wrong_or_missing_passwords_are_refused_alike(hub: HubContext) -> None:
    set_password(hub.unit_of_work(), hub.clock, "kenji", PASSWORD)
    messages = set()
    for person, password in (("kenji", "wrong password"), ("yuki", PASSWORD), ("nobody", "x")):
        with pytest.raises(UnauthenticatedError) as refused:
            sign_in_with_password(hub.unit_of_work(), hub.clock, person, password)
        messages.add(refused.value.message)
    assert messages == {"that person and password do not match"}


def test_sessions_expire_and_a_new_password_signs_everyone_out(
    hub: HubContext, clock: SettableClock
) -> None:
    set_password(hub.unit_of_work(), hub.clock, "maria", PASSWORD)
    first = sign_in_with_password(hub.unit_of_work(), hub.clock, "maria", PASSWORD)
    second = sign_in_with_password(hub.unit_of_work(), hub.clock, "maria", PASSWORD)
    clock.instant += SESSION_LIFETIME + timedelta(seconds=1)
    with pytest.raises(UnauthenticatedError, match="expired"):
        signed_in(hub.unit_of_work(), hub.clock, first.cookie)
    clock.instant -= SESSION_LIFETIME
    assert signed_in(hub.unit_of_work(), hub.clock, second.cookie).key == "maria"
    assert set_password(hub.unit_of_work(), hub.clock, "maria", PASSWORD + "!") == 2
    with pytest.raises(UnauthenticatedError):
        signed_in(hub.unit_of_work(), hub.clock, second.cookie)


def test_token_sign_in_and_password_rules(hub: HubContext) -> None:
    token = issue_token(hub.unit_of_work(), hub.clock, "haruto").token
    assert sign_in_with_token(hub.unit_of_work(), hub.clock, token).signed_in.method == "token"
    with pytest.raises(UnauthenticatedError):
        sign_in_with_token(hub.unit_of_work(), hub.clock, token[:-2] + "xx")
    with pytest.raises(InputError, match="at least 10 characters"):
        set_password(hub.unit_of_work(), hub.clock, "haruto", "short")
    with pytest.raises(NotFoundError, match='person "ghost"'):
        set_password(hub.unit_of_work(), hub.clock, "ghost", PASSWORD)


def _signed_in_client(hub: HubContext, base_url: str = "http://testserver") -> TestClient:
    set_password(hub.unit_of_work(), hub.clock, "amelie", PASSWORD)
    client = TestClient(create_app(hub), base_url=base_url, follow_redirects=False)
    form = re.search(r'name="form_token" value="([^"]+)"', client.get("/sign-in").text)
    assert form is not None
    answer = client.post("/sign-in", data={"person": "amelie", "password": PASSWORD,
                                           "form_token": form.group(1), "next": "/team"})  # fmt: skip
    assert answer.status_code == 303 and answer.headers["location"] == "/team"
    return client


def test_cookie_flags_and_security_headers(hub: HubContext) -> None:
    with _signed_in_client(hub, "https://testserver") as client:
        pass
    cookie = next(c for c in client.cookies.jar if c.name == "af_session")
    assert cookie.secure and cookie.has_nonstandard_attr("HttpOnly")
    with _signed_in_client(hub) as plain:
        day = plain.get("/day")
        assert day.status_code == 200
        assert "script-src 'self'" in day.headers["content-security-policy"]
        assert day.headers["x-frame-options"] == "DENY"
        assert not next(c for c in plain.cookies.jar if c.name == "af_session").secure


def test_sign_in_form_needs_its_own_token_and_next_stays_on_site(hub: HubContext) -> None:
    with TestClient(create_app(hub), follow_redirects=False) as client:
        forged = client.post("/sign-in", data={"person": "amelie", "password": PASSWORD})
        assert forged.status_code == 403 and "expired" in forged.text
        page = client.get("/sign-in?next=//evil.example/")
        assert 'name="next" value="/day"' in page.text


def test_pages_answer_html_errors_and_the_api_keeps_json(hub: HubContext) -> None:
    with _signed_in_client(hub) as client:
        missing = client.get("/nowhere")
        assert missing.status_code == 404 and missing.headers["content-type"].startswith(
            "text/html"
        )
        assert "Page not found" in missing.text and "Sign out" in missing.text
        no_csrf = client.post("/day/check-in", data={"q0": "x"})
        assert no_csrf.status_code == 403 and "You may not do that" in no_csrf.text
        api = client.get("/api/v1/nowhere")
        assert api.status_code == 404 and api.json()["error"]["code"] == "not_found"
        assert client.get("/api/v1/me").status_code == 401  # a session is not an API token
        static = client.get("/static/htmx.min.js")
        assert static.status_code == 200 and b"htmx" in static.content[:2000]
