"""The survey in a real browser: Enter goes forward, the error summary takes focus and links to
its fields. Screenshots are saved under tests/browser/artifacts/ (gitignored)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests import factories
from tests.browser.conftest import LIVE_DB, save_screenshot

pytestmark = [pytest.mark.browser, LIVE_DB]


def _started(business):
    from needs import services

    user = factories.member_of(business)
    response = services.survey_response_start(
        organisation=business, round=factories.SurveyRoundFactory(), by=user)
    return user, response


def _step(response, step: int) -> str:
    return reverse("needs:survey_step", kwargs={"rid": response.pk, "step": step})


def _current_step(page) -> str:
    return page.locator("#survey-form").get_attribute("data-step")


def test_enter_on_a_choice_in_steps_2_and_4_goes_forward(open_page):
    business = factories.BusinessFactory()
    user, response = _started(business)
    page, recorder = open_page(user)

    page.goto(_step(response, 2))
    page.locator("input[name=overall_need][value=some]").check()
    page.locator("input[name=barriers][value=distance]").focus()
    page.keyboard.press("Space")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert _current_step(page) == "3", f"Enter in step 2 led to {page.url}"

    page.goto(_step(response, 4))
    page.locator("input[name=consent][value=anonymous]").focus()
    page.keyboard.press("Space")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert _current_step(page) == "5", f"Enter in step 4 led to {page.url}"
    response.refresh_from_db()
    assert response.consent == "anonymous" and response.barriers == ["distance"]
    assert not recorder.console_errors


@pytest.mark.parametrize("js", [True, False], ids=["javascript", "no-javascript"])
def test_error_summary_takes_focus_and_links_to_the_fields(open_page, js):
    business = factories.BusinessFactory()
    user, response = _started(business)
    page, recorder = open_page(user, js=js)
    page.goto(_step(response, 2))
    with page.expect_navigation():
        page.locator("#survey-next").click()
    summary = page.locator("#error-summary")
    assert summary.is_visible()
    assert page.evaluate("() => document.activeElement.id") == "error-summary"
    link = summary.locator('a[href="#id_overall_need_0"]')
    assert link.count() == 1
    link.click()
    if js:
        assert page.evaluate("() => document.activeElement.id") == "id_overall_need_0"
    else:
        assert page.url.endswith("#id_overall_need_0")
    save_screenshot(page, f"survey-error-summary-{'js' if js else 'nojs'}")
    assert not recorder.console_errors


def test_survey_review_step_screenshots(open_page):
    from needs import services

    business = factories.BusinessFactory()
    user, response = _started(business)
    services.survey_response_save_step(response=response, step=2, data={
        "overall_need": "some", "measures": ["train_staff"], "barriers": ["distance"]})
    services.survey_response_save_step(response=response, step=3, data={})
    factories.NeedFactory(organisation=business, response=response, status="draft",
                          formats=["local", "online"], earliest_start=None, latest_start=None)
    services.survey_response_save_step(response=response, step=4, data={"consent": "named"})
    for phone in (False, True):
        page, recorder = open_page(user, phone=phone)
        page.goto(_step(response, 5))
        body = page.locator("main").inner_text()
        assert "Lokalt i kommunen" in body and "Ingen ønsket tidspunkt" in body
        assert "Endre" in body
        save_screenshot(page, f"survey-review-{'phone' if phone else 'desktop'}")
        page.goto(_step(response, 4))
        save_screenshot(page, f"survey-consent-{'phone' if phone else 'desktop'}")
        assert not recorder.console_errors
