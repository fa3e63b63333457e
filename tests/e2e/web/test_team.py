"""The Team page in a real browser: the band chart with its numbers, and another team's
page refused with a clear page."""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from tests.e2e.web.conftest import SignIn, assert_accessible, shot


def test_team_page_shows_balance_decisions_and_pulse(page: Page, sign_in: SignIn) -> None:
    sign_in(page, "kenji")
    page.goto("/team")
    expect(page).to_have_url(re.compile(r"/team/coding$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Coding team")
    expect(page.locator("#band-text")).to_have_text(
        re.compile(r"async share \d+ % \((inside|below|above) the band 80–95 %\)")
    )
    expect(page.get_by_role("img", name=re.compile("async share"))).to_be_visible()
    for heading in ("Weekly trend", "Recommendations", "Decision board", "Hand-offs"):
        expect(page.get_by_role("heading", name=heading)).to_be_visible()
    expect(page.get_by_role("heading", name=re.compile("Latest pulse"))).to_be_visible()
    handoffs = page.locator("section", has=page.get_by_role("heading", name="Hand-offs"))
    expect(handoffs).to_contain_text("QA ·")  # the demo's hand-off from New York, by team name
    expect(page.locator("main")).not_to_contain_text("mood:")  # no one's own mood
    assert_accessible(page)
    shot(page, "team")


def test_another_team_is_not_shown(page: Page, sign_in: SignIn) -> None:
    sign_in(page, "kenji")
    answer = page.goto("/team/qa")
    assert answer is not None and answer.status == 404
    expect(page.get_by_role("heading", level=1)).to_have_text("Page not found")
    expect(page.locator("main")).not_to_contain_text("Traceback")
