"""Keyboard and screen-reader basics on the sign-in page, My day and the error pages."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from tests.e2e.web.conftest import SignIn, WebServer, assert_accessible, tab_until


def test_sign_in_page_is_labelled_and_keyboard_usable(page: Page) -> None:
    page.goto("/sign-in")
    assert_accessible(page)
    trail = tab_until(page, "Skip to main content", limit=1)
    assert trail == ["Skip to main content"]
    page.keyboard.press("Enter")  # the skip link moves focus into main
    tab_until(page, "person")
    page.keyboard.type("amelie")
    page.keyboard.press("Tab")
    page.keyboard.type("correct horse battery staple")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("My day")


def test_my_day_controls_are_reachable_with_tab(page: Page, sign_in: SignIn) -> None:
    sign_in(page, "chloe")
    assert_accessible(page)
    for name in ("My day", "Team", "Time map", "Planner", "Coffee", "Sign out", "Save check-in"):
        page.goto("/day")
        tab_until(page, name)
    focused_outline = page.evaluate("() => getComputedStyle(document.activeElement).outlineStyle")
    assert focused_outline != "none", "the focused control shows a visible outline"


def test_error_pages_are_accessible(page: Page, sign_in: SignIn) -> None:
    sign_in(page, "chloe")
    page.goto("/missing-page")
    assert_accessible(page)
    expect(page.get_by_role("main")).to_contain_text("There is no page at /missing-page")


def test_pages_load_only_from_this_site_without_console_errors(
    page: Page, sign_in: SignIn, web: WebServer
) -> None:
    requested: list[str] = []
    errors: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    page.on(
        "console", lambda message: errors.append(message.text) if message.type == "error" else None
    )
    sign_in(page, "kenji")
    page.goto("/day")
    page.wait_for_load_state("networkidle")
    assert page.evaluate("() => typeof window.htmx") == "object"  # the vendored htmx ran
    assert any(url.endswith("/static/app.css") for url in requested)
    assert [url for url in requested if not url.startswith(web.base_url)] == []
    assert errors == []  # e.g. no Content-Security-Policy violation
