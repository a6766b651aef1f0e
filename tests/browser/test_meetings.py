"""The meeting place in the browser: every meeting page in bokmål, nynorsk and English on a
desktop and a 390×844 phone (axe WCAG 2.1 AA, no sideways scrolling), and the whole flow:
create → invite → reply → 1:1 requests → schedule → outcome."""

from __future__ import annotations

import datetime as dt
import re
from urllib.parse import urlsplit

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from matching.models import CohortNeed, Invitation, Match, Meeting, SlotRequest
from needs.models import SurveyResponse
from offers.models import Offer
from tests import factories
from tests.browser.conftest import LIVE_DB, assert_no_axe_violations
from tests.browser.pages import MEETING_PAGES, make_actor
from tests.matching.meetings.builders import business_with_need

pytestmark = [pytest.mark.browser, LIVE_DB]

PHONE_390 = {"width": 390, "height": 844}


def _open_in(open_page, user, language: str, live_server, *, phone: bool = False):
    page, recorder = open_page(user, phone=phone)
    page.context.add_cookies([{"name": "kp_language", "value": language,
                               "url": live_server.url}])
    if phone:
        page.set_viewport_size(PHONE_390)
    return page, recorder


@pytest.mark.parametrize("language", ["nb", "nn", "en"])
@pytest.mark.parametrize("spec", MEETING_PAGES, ids=[p.id for p in MEETING_PAGES])
def test_meeting_page_in_each_language_on_desktop_and_phone(spec, language, open_page,
                                                            live_server):
    actor = make_actor(spec.role)
    url = spec.url(actor)
    for phone in (False, True):
        page, recorder = _open_in(open_page, actor.user, language, live_server, phone=phone)
        response = page.goto(url)
        assert response.status == 200, f"{url}: {response.status}"
        assert page.locator("html").get_attribute("lang") == language
        assert page.locator("h1").count() == 1
        assert_no_axe_violations(page, f"on {url} ({language}, {'phone' if phone else 'desk'})")
        widths = page.evaluate("() => [document.documentElement.scrollWidth, innerWidth]")
        assert widths[0] <= widths[1], f"{url} scrolls sideways at {widths}"
        assert not recorder.console_errors, recorder.console_errors
        assert not recorder.foreign_requests


def _submit(page, selector: str) -> None:
    with page.expect_navigation():
        page.locator(selector).click()


def test_create_invite_reply_one_to_one_schedule_outcome(open_page, live_server):
    cohort = factories.CohortFactory()
    named, need_a = business_with_need(name="Fjellhytter AS", municipality="4022",
                                       consent=SurveyResponse.Consent.NAMED)
    hidden, need_b = business_with_need(name="Hemmelig Skog AS", municipality="4036",
                                        consent=SurveyResponse.Consent.ANONYMOUS)
    for need in (need_a, need_b):
        CohortNeed.objects.create(cohort=cohort, need=need)
    provider = factories.ProviderFactory(name="Rauland Kurs", contact_email="kurs@rauland.no")
    adviser = factories.adviser()

    # 1. The adviser plans the meeting from the cohort's page.
    page, _rec = open_page(adviser, phone=True)
    page.goto(reverse("matching:cohort_detail", args=[cohort.pk]))
    _submit(page, "#cohort-meeting")
    start = (timezone.localtime() + dt.timedelta(days=7)).replace(hour=10, minute=0)
    page.locator("#id_title").fill("Møteplass motorsag")
    page.locator("#id_starts_at").fill(start.strftime("%Y-%m-%dT%H:%M"))
    page.locator("#id_duration_minutes").fill("180")
    page.locator("#id_address").fill("Rauland kulturhus")
    page.locator("#id_slot_start").fill((start + dt.timedelta(hours=1)).strftime(
        "%Y-%m-%dT%H:%M"))
    page.locator("#id_slot_count").fill("3")
    page.locator(f"input[name=invitees][value='{provider.pk}']").check()
    _submit(page, "#meeting-save")
    assert page.locator("#meeting-status").get_attribute("data-status") == "draft"
    meeting = Meeting.objects.get()
    assert meeting.invitations.count() == 3

    # 2. Invite: three e-mails with calendar entries.
    _submit(page, "#send-invitations")
    assert page.locator("#meeting-status").get_attribute("data-status") == "invited"
    assert len(mail.outbox) == 3 and all(m.attachments for m in mail.outbox)

    # 3. The named business replies through the e-mail link, without logging in.
    body = next(m.body for m in mail.outbox if named.contact_email in m.to)
    link = urlsplit(re.search(r"(\S*/moteplass/svar/\S+\?svar=yes)", body).group(1))
    anonymous_page, _rec = open_page(None, phone=True)
    anonymous_page.goto(f"{link.path}?{link.query}")  # the live server's origin, not SITE_URL
    anonymous_page.locator("#id_headcount").fill("2")
    _submit(anonymous_page, "#reply-form button[type=submit]")
    assert anonymous_page.locator("#reply-saved").get_attribute("data-reply") == "yes"

    # The hidden business replies in the portal and asks the provider for a 1:1 meeting.
    business_page, _rec = open_page(factories.member_of(hidden), phone=True)
    business_page.goto(reverse("meetings:detail", args=[meeting.pk]))
    business_page.locator("input[name=reply][value=yes]").check()
    _submit(business_page, "#reply-form button[type=submit]")
    assert business_page.locator("#current-reply").get_attribute("data-reply") == "yes"
    business_page.locator("#id_invitee").select_option(str(provider.pk))
    business_page.locator("#id_message").fill("Motorsagkurs i mars?")
    _submit(business_page, "#slot-request-form button[type=submit]")

    # 4. The provider sees the hidden business only as a number, accepts, and asks the named one.
    provider_page, _rec = open_page(factories.member_of(provider), phone=True)
    provider_page.goto(reverse("meetings:detail", args=[meeting.pk]))
    text = provider_page.locator("main").inner_text()
    assert "Hemmelig Skog" not in text and "Fjellhytter AS" in text
    _submit(provider_page, "button[name=decision][value=accept]")
    provider_page.locator("#id_invitee").select_option(str(named.pk))
    _submit(provider_page, "#slot-request-form button[type=submit]")
    SlotRequest.objects.filter(invitee=named).update(status=SlotRequest.Status.ACCEPTED)

    # 5. The adviser schedules; the provider's personal agenda has both meetings.
    page.goto(reverse("meetings:manage", args=[meeting.pk]))
    _submit(page, "#schedule-slots")
    assert SlotRequest.objects.filter(slot__isnull=False).count() == 2
    provider_page.goto(reverse("meetings:agenda", args=[meeting.pk]))
    rows = provider_page.locator("#personal-agenda tbody tr")
    assert rows.count() == 2
    assert "Hemmelig Skog" not in provider_page.locator("main").inner_text()

    # 6. Afterwards (the meeting moved into the past), the outcome: a commitment → proposals.
    past = timezone.now() - dt.timedelta(hours=4)
    Meeting.objects.filter(pk=meeting.pk).update(starts_at=past, slot_start=past)
    page.goto(reverse("meetings:manage", args=[meeting.pk]))
    _submit(page, "#record-outcome")
    page.locator("#id_notes").fill("Kurs i Rauland i mars.")
    page.locator("#id_commit-0-provider").select_option(str(provider.pk))
    page.locator("#id_commit-0-what").fill("Motorsagkurs i Rauland")
    page.locator("#id_commit-0-price_nok").fill("4000")
    _submit(page, "#outcome-save")
    assert page.locator("#meeting-status").get_attribute("data-status") == "held"
    offer = Offer.objects.get(title="Motorsagkurs i Rauland")
    assert offer.status == Offer.Status.DRAFT and offer.provider == provider
    assert set(Match.objects.filter(offer=offer).values_list("status", flat=True)) == {
        Match.Status.PROPOSED}
    assert Match.objects.filter(offer=offer).count() == 2
    assert_no_axe_violations(page, "on the meeting page after the outcome")


def test_reply_link_works_by_keyboard_alone(open_page, live_server):
    from tests.browser.pages import reply_link

    actor = make_actor("anonymous")
    token = reply_link(actor)["token"]
    page, _rec = open_page(None, phone=True)
    page.goto(reverse("meetings:token_reply", args=[token]))
    page.locator("input[name=reply][value=yes]").focus()
    page.keyboard.press("Space")
    page.keyboard.press("Tab")
    focused = page.evaluate("() => document.activeElement.id")
    assert focused == "id_headcount"
    page.keyboard.press("Control+A")
    page.keyboard.type("4")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.locator("#reply-saved").get_attribute("data-reply") == "yes"
    assert Invitation.objects.get(headcount=4).reply == "yes"
