"""Providers' and advisers' everyday work in a real browser: the offer form's area picker by
keyboard, bulk actions in the queue by keyboard, the decline reason on the match page.
Screenshots of the queue and a match page go to tests/browser/artifacts/."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests import factories
from tests.browser.conftest import LIVE_DB, assert_no_axe_violations, save_screenshot

pytestmark = [pytest.mark.browser, LIVE_DB]


def test_area_picker_works_by_keyboard(open_page):
    provider = factories.ProviderFactory()
    page, recorder = open_page(factories.member_of(provider))
    page.goto(reverse("offers:create"))
    search = page.locator("#id_areas_search")
    assert search.is_visible()
    search.focus()
    page.keyboard.type("motorsag")
    motorsag = factories.area("skog.motorsag")
    box = page.locator(f"#id_areas_{motorsag.pk}")
    assert box.is_visible()
    welding = factories.area("industri.sveising")
    assert page.locator(f"#id_areas_{welding.pk}").is_hidden(), "the search did not filter"
    for _ in range(40):  # Tab from the search box to the first visible checkbox
        page.keyboard.press("Tab")
        if page.evaluate("() => document.activeElement.type") == "checkbox":
            break
    focused = page.evaluate("() => document.activeElement.id")
    assert focused in (f"id_areas_{motorsag.pk}", f"id_areas_{motorsag.parent_id}")
    page.keyboard.press("Space")
    assert page.locator(f"#{focused}").is_checked()
    assert_no_axe_violations(page, "on the offer form")
    save_screenshot(page, "offer-form-area-picker")
    assert not recorder.console_errors


def test_queue_bulk_approve_by_keyboard_and_screenshots(open_page):
    from matching import services
    from matching.models import Match

    adviser = factories.adviser()
    suggestions = [factories.MatchFactory(score=90 - n) for n in range(3)]
    declined = factories.MatchFactory(status=Match.Status.PROPOSED, score=50)
    services.match_decline(match_id=declined.pk, reason="timing", note="Høysesong", by=adviser)
    page, recorder = open_page(adviser)
    page.goto(reverse("matching:adviser_home"))
    save_screenshot(page, "adviser-queue-desktop")
    for match in suggestions[:2]:
        page.locator(f"#select-{match.pk}").focus()
        page.keyboard.press("Space")
    page.locator("#id_action").select_option("approve")
    page.locator("#bulk-submit").focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    statuses = {m.pk: Match.objects.get(pk=m.pk).status for m in suggestions}
    assert statuses == {suggestions[0].pk: "approved", suggestions[1].pk: "approved",
                        suggestions[2].pk: "suggested"}
    assert "Tidspunktet passer ikke for oss" in page.locator("#match-queue").inner_text()
    assert_no_axe_violations(page, "on the queue")

    page.goto(reverse("matching:match_detail", args=[declined.pk]))
    assert "Høysesong" in page.locator("#decline-reason").inner_text()
    save_screenshot(page, "adviser-match-detail")
    phone, _rec = open_page(adviser, phone=True, viewport={"width": 390, "height": 844})
    phone.goto(reverse("matching:adviser_home"))
    save_screenshot(phone, "adviser-queue-phone")
    assert not recorder.console_errors


def test_the_import_templates_example_is_never_imported(open_page, tmp_path):
    from offers import importing
    from offers.models import Offer

    provider = factories.ProviderFactory()
    page, recorder = open_page(factories.member_of(provider))
    page.goto(reverse("offers:import"))
    assert not page.locator("input[name=publish]").is_checked(), "publishing is ticked"
    template = tmp_path / "kurs-mal.csv"
    template.write_bytes(importing.template_csv())
    page.locator("input[type=file]").set_input_files(str(template))
    with page.expect_navigation():
        page.locator("form[enctype] button[type=submit]").click()
    assert not Offer.objects.filter(provider=provider).exists()
    confirm = page.locator("form[action*='confirm'] button:not([name=cancel])")
    if confirm.count():
        with page.expect_navigation():
            confirm.first.click()
    assert not Offer.objects.filter(provider=provider).exists(), "the example was imported"
    assert not recorder.console_errors


IK_MAT = "reiseliv.matsikkerhet"


def _visible_after_search(page, search, text: str, code: str) -> bool:
    search.fill(text)
    return page.locator(f"input[data-code='{code}']").is_visible()


@pytest.mark.parametrize("form", ["survey", "offer"])
def test_survey_and_offer_form_share_one_area_picker_searchable_in_every_language(
        open_page, form):
    """One component (portal.widgets.AreaPicker): radio buttons for the survey's one area,
    checkboxes for an offer's areas; the search finds nb, nn and English words and synonyms,
    with or without æøå, and the choice is made by keyboard alone."""
    if form == "survey":
        user, url, name = factories.member_of(factories.BusinessFactory()), "needs:need_create", \
            "area"
    else:
        user, url, name = factories.member_of(factories.ProviderFactory()), "offers:create", \
            "areas"
    page, recorder = open_page(user)
    page.goto(reverse(url))
    picker = page.locator("[data-area-picker]")
    assert picker.count() == 1
    kind = "radio" if form == "survey" else "checkbox"
    assert picker.locator(f"input[type={kind}][name={name}]").count() > 20
    search = page.locator(f"#id_{name}_search")
    for text in ("Rørleggerfaget", "røyrleggjar", "plumbing", "rorlegger"):  # nb, nn, en, folded
        assert _visible_after_search(page, search, text, "bygg.rorlegger"), text
        assert page.locator("input[data-code='industri.sveising']").is_hidden(), text
    assert _visible_after_search(page, search, "ik-mat", IK_MAT)  # a synonym
    search.fill("røyrleggjar")
    search.focus()
    page.keyboard.press("Enter")  # must not submit the form
    assert page.url.endswith(reverse(url))
    for _ in range(40):  # Tab from the search box to the first visible choice
        page.keyboard.press("Tab")
        if page.evaluate("() => document.activeElement.type") == kind:
            break
    page.keyboard.press("Space")
    focused = page.evaluate("() => document.activeElement.id")
    assert page.locator(f"#{focused}").is_checked()
    assert_no_axe_violations(page, f"on the {form} form's area picker")
    save_screenshot(page, f"{form}-area-picker")
    assert not recorder.console_errors


@pytest.mark.parametrize("js", [True, False])
def test_the_import_preview_page_shows_progress_then_the_preview_by_itself(open_page, js):
    """The check of an uploaded file runs as a task; its page updates itself (htmx polling
    with JavaScript, a meta refresh without) until the preview is there."""
    from needs.models import NeedImport
    from needs.tasks import need_import_preview_task
    from portal.jobs import job_create
    from portal.uploads import spreadsheet_upload_create
    from tests.needs.test_import import GOOD, to_csv

    adviser = factories.adviser()
    # Stored and queued, not yet checked (what the upload does before a worker picks it up).
    job = job_create(kind="need_preview", by=adviser)
    need_import = spreadsheet_upload_create(
        kind=NeedImport.Kind.NEEDS, data=to_csv(GOOD), filename="behov.csv", by=adviser,
        options={"preview_job_id": job.pk})
    page, recorder = open_page(adviser, js=js)
    page.goto(reverse("needs:import_preview", kwargs={"pk": need_import.pk}))
    assert page.locator("#import-preview").get_attribute("data-state") == "checking"
    assert page.locator("#job-bar").is_visible()
    need_import_preview_task(need_import_id=need_import.pk, job_id=job.pk, language="nb")
    page.locator("#import-preview[data-state=ready]").wait_for(timeout=15_000)
    assert page.locator('[data-count="created"]').inner_text() == "3"
    assert page.locator("#import-confirm").is_visible()
    if js:
        assert_no_axe_violations(page, "on the import preview")
        save_screenshot(page, "needs-import-preview")
    assert not recorder.console_errors
