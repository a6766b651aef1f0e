"""Whole tasks on a 360 px phone: the survey (with and without JavaScript), the catalogue search,
and the brokering of a match from the adviser's approval to the business's acceptance."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests import factories
from tests.browser.conftest import LIVE_DB, assert_no_axe_violations

pytestmark = [pytest.mark.browser, LIVE_DB]

NEED_TITLE = "Motorsagkurs for hogstlaget"


def assert_fits_phone(page) -> None:
    widths = page.evaluate(
        "() => [document.documentElement.scrollWidth, window.innerWidth]")
    assert widths[0] <= widths[1], f"{page.url} scrolls sideways at phone width: {widths}"


def _next(page, selector: str = "#survey-next") -> None:
    with page.expect_navigation():
        page.locator(selector).click()


def _fill_survey(page, *, js: bool, business) -> None:
    """Start the survey, go through all five steps, add one need on step 3, submit."""
    page.goto(reverse("needs:survey_start"))
    _next(page, "#survey-begin")

    # Step 1: the business's details (prefilled from the register; we change the head count).
    assert page.locator("#survey-form").get_attribute("data-step") == "1"
    assert_fits_phone(page)
    page.locator("#id_employees").fill("14")
    page.locator("#id_contact_name").fill("Kari Nordmann")
    _next(page)

    # Step 2: the overall picture.
    assert page.locator("#survey-form").get_attribute("data-step") == "2"
    page.locator("input[name=overall_need][value=some]").check()
    page.locator("input[name=barriers][value=distance]").check()
    _next(page)

    # Step 3: add a need, with the area picker.
    assert page.locator("#survey-form").get_attribute("data-step") == "3"
    _next(page, "#add-need")
    assert_fits_phone(page)
    motorsag = factories.area("skog.motorsag")
    search = page.locator("#id_area_search")
    if js:
        assert search.is_visible(), "the area search should be shown when JavaScript runs"
        search.fill("motorsag")
        welding = factories.area("industri.sveising")
        assert page.locator(f"#id_area_{welding.pk}").is_hidden(), "the search did not filter"
    else:
        assert not search.is_visible(), "search box shown without JavaScript"
    page.locator(f"#id_area_{motorsag.pk}").check()
    page.locator("#id_title").fill(NEED_TITLE)
    page.locator("#id_participants").fill("4")
    page.locator("#id_to_train").fill("4")
    page.locator("#id_to_recruit").fill("0")
    page.locator("input[name=formats][value=local]").check()
    with page.expect_navigation():
        page.locator("#need-form button[name=action][value=save]").click()
    assert page.locator("#survey-form").get_attribute("data-step") == "3", (
        "saving the need did not return to step 3: "
        + " | ".join(page.locator(".errorlist").all_inner_texts()))
    assert page.get_by_text(NEED_TITLE).count() >= 1
    _next(page)

    # Step 4: consent.
    assert page.locator("#survey-form").get_attribute("data-step") == "4"
    page.locator("input[name=consent][value=anonymous]").check()
    _next(page)

    # Step 5: review and submit.
    assert page.locator("#survey-form").get_attribute("data-step") == "5"
    assert_fits_phone(page)
    if js:
        assert_no_axe_violations(page, "on the survey's review step (phone)")
    _next(page, "#survey-submit")


@pytest.mark.parametrize("js", [True, False], ids=["javascript", "no-javascript"])
def test_business_completes_the_survey_on_a_phone(open_page, js):
    from needs.models import Need, SurveyResponse

    business = factories.BusinessFactory()
    user = factories.member_of(business)
    factories.SurveyRoundFactory()
    page, recorder = open_page(user, phone=True, js=js)

    _fill_survey(page, js=js, business=business)

    assert page.url.endswith(reverse("needs:business_home")), page.url
    assert page.get_by_text(NEED_TITLE).count() >= 1, "the new need is not on the business page"
    assert_fits_phone(page)
    response = SurveyResponse.objects.get(organisation=business)
    assert response.status == SurveyResponse.Status.SUBMITTED
    need = Need.objects.get(organisation=business, title=NEED_TITLE)
    assert need.area.code == "skog.motorsag"
    assert need.participants == 4
    business.refresh_from_db()
    assert business.employees == 14
    assert not recorder.foreign_requests
    assert not recorder.console_errors, recorder.console_errors


def test_catalogue_search_with_filters_on_a_phone(open_page):
    chainsaw = factories.OfferFactory(title="Motorsagkurs i Seljord")
    welding = factories.OfferFactory(title="Sveisekurs på Notodden", areas=["industri.sveising"],
                                     municipality=factories.municipality("4005"),
                                     level="trade_certificate")
    # Factories skip the services, so fill the search columns the way the services do.
    from offers.search import offer_search_refresh

    offer_search_refresh(offer_ids=[chainsaw.pk, welding.pk])
    page, recorder = open_page(phone=True)
    page.goto(reverse("offers:catalogue"))
    assert_fits_phone(page)
    form = page.locator("#catalogue-filters")
    form.locator("[name=q]").fill("motorsag")
    # On a phone the filters sit behind the "Filter" disclosure, so the results come first.
    page.locator("#catalogue-filter > summary").click()
    form.locator("[name=area]").select_option("skog")
    form.locator("[name=level]").select_option("course")
    form.locator("[name=municipality]").select_option("4022")
    with page.expect_navigation():
        form.locator("button[type=submit]").click()

    results = page.locator("#offer-results [data-offer-id]")
    ids = {int(results.nth(i).get_attribute("data-offer-id")) for i in range(results.count())}
    assert chainsaw.pk in ids
    assert welding.pk not in ids
    assert page.locator("#result-count").get_attribute("data-count") == str(len(ids))
    # The filters stay filled in, so the search can be refined.
    assert form.locator("[name=q]").input_value() == "motorsag"
    assert_fits_phone(page)
    assert_no_axe_violations(page, "on the filtered catalogue (phone)")
    assert not recorder.foreign_requests
    assert not recorder.console_errors, recorder.console_errors


def test_adviser_approves_and_proposes_then_business_accepts_on_a_phone(open_page):
    from matching.models import Match

    business = factories.BusinessFactory()
    owner = factories.member_of(business)
    need = factories.NeedFactory(organisation=business)
    match = factories.MatchFactory(need=need)
    adviser = factories.adviser()

    page, recorder = open_page(adviser, phone=True)
    page.goto(reverse("matching:match_detail", kwargs={"pk": match.pk}))
    assert_fits_phone(page)
    for action, status in (("approve", Match.Status.APPROVED),
                           ("propose", Match.Status.PROPOSED)):
        with page.expect_navigation():
            page.locator(f'#transition-form button[data-action="{action}"]').click()
        match.refresh_from_db()
        assert match.status == status, f"after {action}: {match.status}"
        assert_fits_phone(page)
    assert_no_axe_violations(page, "on the match page after proposing (phone)")
    assert not recorder.console_errors, recorder.console_errors

    page, recorder = open_page(owner, phone=True)
    page.goto(reverse("matching:business_proposals"))
    assert_fits_phone(page)
    assert_no_axe_violations(page, "on the business's proposals (phone)")
    card = page.locator(f'[data-match="{match.pk}"]')
    with page.expect_navigation():
        card.locator('button[data-action="accept"]').click()
    match.refresh_from_db()
    assert match.status == Match.Status.ACCEPTED
    assert not recorder.foreign_requests
    assert not recorder.console_errors, recorder.console_errors
