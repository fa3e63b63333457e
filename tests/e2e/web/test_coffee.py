"""Coffee in a real browser: opt in with the keyboard, pause, opt out."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from tests.e2e.web.conftest import SignIn, assert_accessible, shot, tab_until


def test_opt_into_coffee_then_pause_and_leave(page: Page, sign_in: SignIn) -> None:
    sign_in(page, "noah")  # the charter leaves Noah out of coffee by default
    page.goto("/coffee")
    status = page.locator("#coffee-status")
    expect(status).to_have_text("You are not taking part in coffee chats.")
    tab_until(page, "Opt in")  # reachable and usable with the keyboard alone
    page.keyboard.press("Enter")
    expect(page.get_by_role("status")).to_have_text("Your choice is saved.")
    expect(status).to_have_text("You are taking part in coffee chats.")
    page.get_by_label("Pause for").select_option("3")
    page.get_by_role("button", name="Pause").click()
    expect(status).to_contain_text("You are paused until the week of Mon 21 Dec 2026")
    page.get_by_role("button", name="Opt out").click()
    expect(status).to_have_text("You are not taking part in coffee chats.")


def test_coffee_shows_the_next_pairing(page: Page, sign_in: SignIn) -> None:
    sign_in(page, "yuki")
    page.goto("/coffee")
    expect(page.get_by_role("heading", name="Week of Mon 30 Nov")).to_be_visible()
    expect(page.locator("main")).to_contain_text("You meet")
    assert_accessible(page)
    shot(page, "coffee")
