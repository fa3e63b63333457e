"""My day in a real browser: the timeline in my zone, the queue, check-in, decisions."""

from __future__ import annotations

import re

import httpx
from playwright.sync_api import Page, expect

from tests.e2e.web.conftest import SignIn, WebServer, shot


def test_my_day_shows_today_and_tomorrow_in_my_zone(page: Page, sign_in: SignIn) -> None:
    sign_in(page, "amelie")  # Paris; now is Wednesday 25 November, 10:30 there
    expect(page.get_by_text("Wed 25 Nov 10:30 in Europe/Paris")).to_be_visible()
    expect(page.get_by_role("heading", name="Today, Wed 25 Nov", exact=True)).to_be_visible()
    expect(page.get_by_role("heading", name="Tomorrow, Thu 26 Nov", exact=True)).to_be_visible()
    today = page.locator(
        "section", has=page.get_by_role("heading", name="Today, Wed 25 Nov", exact=True)
    )
    expect(today.locator(".day-list li").first).to_contain_text("09:00–17:30")
    # Tokyo's working day (09:30-18:30 there) is 01:30-10:30 in Paris.
    expect(today).to_contain_text("01:30–10:30")
    tomorrow = page.locator(
        "section", has=page.get_by_role("heading", name="Tomorrow, Thu 26 Nov", exact=True)
    )
    expect(tomorrow).to_contain_text("Thanksgiving")
    queue = page.locator("section", has=page.get_by_role("heading", name="Respond by"))
    expect(queue.locator("li").first).to_be_visible()
    shot(page, "my-day")


def test_post_a_check_in_from_my_day(page: Page, sign_in: SignIn) -> None:
    sign_in(page, "amelie")
    form = page.locator("#check-in form")
    form.get_by_label("What did you finish?").fill("Onboarding screens handed to coding")
    form.get_by_label("Anything blocking?").fill("")
    form.get_by_label("Day mode").select_option("heads-down")
    form.get_by_label("4").check()
    form.get_by_role("button", name="Save check-in").click()
    expect(page).to_have_url(re.compile(r"/day\?saved=checkin"))
    expect(page.get_by_role("status")).to_have_text("Your check-in for today is saved.")
    saved = page.locator("#check-in")
    expect(saved.get_by_label("What did you finish?")).to_have_value(
        "Onboarding screens handed to coding"
    )
    expect(saved.get_by_label("Day mode")).to_have_value("heads-down")
    expect(saved.get_by_label("4")).to_be_checked()


def test_an_empty_check_in_is_refused_with_the_reason(page: Page, sign_in: SignIn) -> None:
    sign_in(page, "bastien")
    page.locator("#check-in form").get_by_role("button", name="Save check-in").click()
    expect(page.get_by_role("alert")).to_contain_text("the check-in is empty")


def test_someone_elses_day_and_unknown_pages_give_clear_pages(page: Page, sign_in: SignIn) -> None:
    sign_in(page, "kenji")
    forbidden = page.goto("/day/amelie")
    assert forbidden is not None and forbidden.status == 403
    expect(page.get_by_role("heading", level=1)).to_have_text("You may not do that")
    expect(page.get_by_role("main")).to_contain_text("is theirs alone")
    shot(page, "error-403")
    missing = page.goto("/day/nobody")
    assert missing is not None and missing.status == 404
    unknown = page.goto("/no/such/page")
    assert unknown is not None and unknown.status == 404
    expect(page.get_by_role("heading", level=1)).to_have_text("Page not found")
    expect(page.get_by_role("link", name="Go to My day")).to_be_visible()
    assert "Traceback" not in page.content()


def test_answer_a_decision_waiting_for_me(page: Page, sign_in: SignIn, web: WebServer) -> None:
    opened = httpx.post(
        web.url("/api/v1/teams/coding/decisions"),
        headers={"Authorization": f"Bearer {web.token('kenji')}"},
        json={"title": "Ship the SSO fix on Friday?", "body": "Build 1.4.2 passed QA.",
              "mode": "consent", "deciders": ["james", "yuki"]},
    )  # fmt: skip
    assert opened.status_code == 201, opened.text
    sign_in(page, "james")  # New York: 04:30, decide-by counted in his working time
    waiting = page.locator("#decisions li", has_text="Ship the SSO fix on Friday?")
    expect(waiting).to_contain_text("Consent in coding, opened by Kenji Sato")
    expect(waiting).to_contain_text("Decide by")
    waiting.get_by_label("consent").check()
    waiting.get_by_role("button", name="Answer").click()
    expect(page.get_by_role("status")).to_have_text("Your answer is recorded.")
    expect(page.locator("#decisions")).not_to_contain_text("Ship the SSO fix on Friday?")
    decision = httpx.get(
        web.url(f"/api/v1/decisions/{opened.json()['id']}"),
        headers={"Authorization": f"Bearer {web.token('kenji')}"},
    ).json()
    assert [(r["person"], r["choice"]) for r in decision["responses"]] == [("james", "consent")]
