"""The catalogue in a real browser: results in the first screen of a 390 × 844 phone with the
filters behind a "Filter" disclosure (no script needed); the filter panel does not stretch on
desktop. Screenshots go to tests/browser/artifacts/."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests import factories
from tests.browser.conftest import LIVE_DB, assert_no_axe_violations, save_screenshot

pytestmark = [pytest.mark.browser, LIVE_DB]

PHONE_390 = {"width": 390, "height": 844}


def _offers(n: int = 6) -> None:
    from offers.search import offer_search_refresh

    offers = factories.OfferFactory.create_batch(n)
    offer_search_refresh(offer_ids=[offer.pk for offer in offers])


@pytest.mark.parametrize("js", [True, False], ids=["javascript", "no-javascript"])
def test_first_result_is_in_the_first_phone_screen_and_filters_open_on_demand(open_page, js):
    _offers()
    page, recorder = open_page(phone=True, viewport=PHONE_390, js=js)
    page.goto(reverse("offers:catalogue"))
    first = page.locator(".offer-result").first
    box = first.bounding_box()
    assert box is not None and box["y"] < PHONE_390["height"], (
        f"the first result starts {box and box['y']} px down, below the first screen")
    level = page.locator("#id_level")
    assert not level.is_visible(), "the filters should start folded away on a phone"
    assert page.locator("#id_q").is_visible(), "the search box stays in view"
    save_screenshot(page, f"catalogue-phone-{'js' if js else 'nojs'}")
    page.locator("#catalogue-filter > summary").focus()
    page.keyboard.press("Enter")
    assert level.is_visible()
    level.select_option("course")
    with page.expect_navigation():
        page.locator("#catalogue-filters button[type=submit]").click()
    assert "level=course" in page.url
    assert page.locator("#catalogue-filter > summary .badge").inner_text().startswith("1")
    if js:
        assert_no_axe_violations(page, "on the catalogue at 390 px")
    assert not recorder.console_errors


def test_filter_panel_is_not_stretched_on_desktop(open_page):
    _offers(12)
    page, recorder = open_page()
    page.goto(reverse("offers:catalogue"))
    assert page.locator("#catalogue-filter > summary").is_hidden(), "no Filter button on desktop"
    first_field = page.locator("#id_q").bounding_box()
    area = page.locator("#id_area").bounding_box()
    results = page.locator("#results-heading").bounding_box()
    assert page.locator("#id_level").is_visible()
    assert first_field["y"] - results["y"] < 150, "the filters start far below the results"
    assert area["y"] - first_field["y"] < 150, "an empty block opens between the first fields"
    form = page.locator("#catalogue-filters").bounding_box()
    section = page.locator("section[aria-labelledby=results-heading]").bounding_box()
    assert form["height"] < section["height"], "the filter panel stretches to the results"
    save_screenshot(page, "catalogue-desktop")
    assert not recorder.console_errors
