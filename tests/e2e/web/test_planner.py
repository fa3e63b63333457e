"""Plan a meeting across Paris, Tokyo and New York in a real browser, and find it on each
attendee's My day in their own local time."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from playwright.sync_api import Browser, Page, expect

from tests.e2e.web.conftest import DESKTOP, SignIn, WebServer, assert_accessible, shot

TITLE = "Onboarding flow kick-off"


def _local(start: datetime, zone: str) -> str:
    return start.astimezone(ZoneInfo(zone)).strftime("%H:%M")


def test_plan_across_three_zones_and_see_it_on_each_my_day(
    page: Page, browser: Browser, web: WebServer, sign_in: SignIn
) -> None:
    sign_in(page, "amelie")
    page.goto("/planner")
    expect(page.get_by_role("heading", level=1)).to_have_text("Planner")
    page.get_by_label("Title").fill(TITLE)
    for name in ("Amélie Laurent", "Kenji Sato", "Maria Garcia"):
        page.get_by_role("checkbox", name=name).check()
    page.get_by_label("Kind").select_option("kickoff")
    page.get_by_label("Duration").select_option("30")
    page.get_by_label("From").fill("2026-11-25")
    page.get_by_label("Why does this need to be live?").fill("Agree the scope together, live")
    page.get_by_role("button", name="Find fair slots").click()
    expect(page.get_by_role("heading", name="Fairest slots")).to_be_visible()
    expect(page.locator("main")).to_contain_text("Tokyo and New York share no working hour")
    expect(page.get_by_role("heading", name="Relay")).to_be_visible()
    assert_accessible(page)
    shot(page, "planner")
    first = page.locator("ol.slots > li").first
    start = datetime.fromisoformat(
        first.locator('input[name="starts_at"]').get_attribute("value") or ""
    )
    # the slot's table shows Kenji's own clock before anything is scheduled
    expect(first.get_by_role("row", name="Kenji Sato")).to_contain_text(_local(start, "Asia/Tokyo"))
    first.get_by_role("button", name="Schedule option 1").click()
    expect(page.get_by_role("status")).to_contain_text(f"Scheduled: {TITLE}")

    for person, zone in (("amelie", "Europe/Paris"), ("kenji", "Asia/Tokyo"),
                         ("maria", "America/New_York")):  # fmt: skip
        context = browser.new_context(viewport=DESKTOP, base_url=web.base_url, locale="en-GB")
        try:
            day = context.new_page()
            sign_in(day, person)
            item = day.locator(".day-list li", has_text=TITLE).first
            expect(item).to_be_visible()
            expect(item.locator(".when")).to_contain_text(_local(start, zone))
        finally:
            context.close()


def test_planner_form_is_labelled_and_explains_a_mistake(page: Page, sign_in: SignIn) -> None:
    sign_in(page, "kenji")
    page.goto("/planner?title=Sync&attendees=kenji&why_sync=because")
    expect(page.get_by_role("alert")).to_contain_text("choose at least two attendees")
    for label in ("Title", "Duration", "Kind", "From", "Why does this need to be live?"):
        expect(page.get_by_label(label)).to_be_visible()
