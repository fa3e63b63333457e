"""The Org time map in a real browser: choose a week with the picker and see what moved it."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.web.conftest import PHONE, SignIn, assert_accessible, shot, tab_until


def test_time_map_week_picker_and_clock_changes(page: Page, sign_in: SignIn) -> None:
    sign_in(page, "maria")
    page.goto("/time-map")
    expect(page.get_by_role("heading", level=1)).to_have_text("Org time map")
    expect(page.locator("main")).to_contain_text("Week of Mon 23 Nov 2026")
    expect(page.locator("main")).to_contain_text(
        "QA is off on Thu 26 Nov (public holiday: Thanksgiving Day)"
    )
    expect(page.get_by_role("table", name="The rotation, week by week")).to_be_visible()
    assert_accessible(page)
    shot(page, "time-map")
    page.get_by_label("Week containing").fill("2026-10-28")
    tab_until(page, "Show")
    page.keyboard.press("Enter")
    expect(page.locator("main")).to_contain_text("Week of Mon 26 Oct 2026")
    expect(page.locator("main")).to_contain_text("Paris changed clocks since last week")
    page.get_by_role("link", name="Next week →").click()
    expect(page.locator("main")).to_contain_text("New York changed clocks since last week")


@pytest.mark.parametrize(
    "path",
    ["/team", "/time-map", "/coffee",
     "/planner?title=K&attendees=amelie&attendees=kenji&attendees=maria&why_sync=x"],
)  # fmt: skip
def test_page_fits_a_phone_without_sideways_scrolling(
    page: Page, sign_in: SignIn, path: str
) -> None:
    sign_in(page, "maria")
    page.set_viewport_size(PHONE)
    page.goto(path)
    width = page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"{path} is {width} px wide on a {PHONE['width']} px phone"
