"""Sign-in, sessions and CSRF in a real browser against a real server."""

from __future__ import annotations

import re

import httpx
from playwright.sync_api import Page, expect

from tests.e2e.web.conftest import PASSWORD, SignIn, WebServer, shot


def test_sign_in_with_password_lands_on_my_day(page: Page, sign_in: SignIn) -> None:
    page.goto("/day")
    expect(page).to_have_url(re.compile(r"/sign-in$"))
    shot(page, "sign-in")
    sign_in(page, "amelie")
    expect(page.get_by_role("heading", level=1)).to_have_text("My day")
    expect(page.locator(".who")).to_contain_text("Amélie")


def test_sign_in_with_token(page: Page, web: WebServer) -> None:
    page.goto("/sign-in")
    form = page.locator("form", has=page.locator("#token"))
    form.locator("#token").fill(web.token("kenji"))
    form.get_by_role("button", name="Sign in with token").click()
    expect(page).to_have_url(re.compile(r"/day$"))
    expect(page.locator(".who")).to_contain_text("Kenji")


def test_wrong_password_is_refused(page: Page) -> None:
    page.goto("/sign-in")
    page.locator("#person").fill("maria")
    page.locator("#password").fill("not the password at all")
    page.locator("form", has=page.locator("#person")).get_by_role("button").click()
    expect(page.get_by_role("alert")).to_contain_text("do not match")
    expect(page).to_have_url(re.compile(r"/sign-in"))
    assert not [c for c in page.context.cookies() if c["name"] == "af_session"]


def test_sign_out_revokes_the_session(page: Page, sign_in: SignIn, web: WebServer) -> None:
    sign_in(page, "kenji")
    cookie = next(c for c in page.context.cookies() if c["name"] == "af_session")
    assert cookie["httpOnly"] and cookie["sameSite"] == "Lax"
    page.get_by_role("button", name="Sign out").click()
    expect(page).to_have_url(re.compile(r"/sign-in$"))
    page.goto("/team")
    expect(page).to_have_url(re.compile(r"/sign-in\?next=/team$"))
    # The old cookie no longer works anywhere: the session was revoked on the server.
    again = httpx.get(web.url("/day"), cookies={"af_session": cookie["value"]})
    assert again.status_code == 303 and again.headers["location"] == "/sign-in"


def test_post_without_csrf_token_is_refused(page: Page, sign_in: SignIn, web: WebServer) -> None:
    sign_in(page, "amelie")
    session = next(c["value"] for c in page.context.cookies() if c["name"] == "af_session")
    answer = httpx.post(
        web.url("/day/check-in"),
        data={"q0": "forged", "blockers": ""},
        cookies={"af_session": session},
    )
    assert answer.status_code == 403
    assert "You may not do that" in answer.text and "Traceback" not in answer.text
    wrong = httpx.post(
        web.url("/sign-out"), data={"csrf_token": "x" * 43}, cookies={"af_session": session}
    )
    assert wrong.status_code == 403
    page.reload()
    expect(page.get_by_role("heading", level=1)).to_have_text("My day")  # still signed in


def test_too_many_failed_sign_ins_answer_429(web: WebServer) -> None:
    with httpx.Client(base_url=web.base_url) as client:
        form_token = re.search(r'name="form_token" value="([^"]+)"', client.get("/sign-in").text)
        assert form_token is not None
        data = {"method": "password", "person": "haruto", "form_token": form_token.group(1)}
        codes = [
            client.post("/sign-in", data=data | {"password": "wrong guess"}).status_code
            for _ in range(5)
        ]
        assert codes == [401] * 5
        limited = client.post("/sign-in", data=data | {"password": PASSWORD})
    assert limited.status_code == 429
    assert "Too many failed sign-ins" in limited.text
    assert int(limited.headers["retry-after"]) > 0
