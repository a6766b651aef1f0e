"""What tripped businesses up in the survey: explicit consent, zero needs after an unmet need,
labels instead of codes, "Endre"/"Edit", empty time windows, the error summary, the dashboard."""

from __future__ import annotations

import datetime

import pytest
from django.conf import settings
from django.urls import reverse

from needs.models import Need, SurveyResponse
from tests import factories
from tests.factories import SurveyRoundFactory
from tests.needs.test_survey import need_post, step_url

pytestmark = pytest.mark.django_db


@pytest.fixture
def started(business_client, business):
    SurveyRoundFactory()
    business_client.post(reverse("needs:survey_start"))
    return SurveyResponse.objects.get(organisation=business)


def _in_language(client, language: str) -> None:
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language


def test_consent_step_preselects_nothing(business_client, started):
    html = business_client.get(step_url(started, 4)).content.decode()
    assert 'name="consent"' in html
    consent_inputs = [part for part in html.split("<input") if 'name="consent"' in part]
    assert len(consent_inputs) == 3
    assert not any("checked" in part.split(">")[0] for part in consent_inputs)


def test_submit_without_a_consent_choice_links_to_the_consent_step(business_client, started):
    business_client.post(step_url(started, 2), {"overall_need": "some"})
    business_client.post(reverse("needs:survey_need_add", kwargs={"rid": started.pk}),
                         need_post())
    page = business_client.post(step_url(started, 5), {"action": "submit"})
    assert page.status_code == 400
    html = page.content.decode()
    assert 'id="error-summary"' in html and f'href="{step_url(started, 4)}"' in html
    started.refresh_from_db()
    assert started.status == SurveyResponse.Status.DRAFT


def test_large_need_with_no_needs_asks_for_one_or_a_confirmation(business_client, started):
    business_client.post(step_url(started, 2), {"overall_need": "large"})
    page = business_client.post(step_url(started, 3), {"action": "next"})
    assert page.status_code == 400
    html = page.content.decode()
    assert 'id="error-summary"' in html and 'href="#add-need"' in html
    assert 'id="id_needs_later"' in html
    confirmed = business_client.post(step_url(started, 3), {"action": "next", "needs_later": "1"})
    assert confirmed.status_code == 302 and confirmed.url == step_url(started, 4)
    business_client.post(step_url(started, 4), {"consent": "statistics"})
    done = business_client.post(step_url(started, 5), {"action": "submit"})
    assert done.status_code == 302
    started.refresh_from_db()
    assert started.status == SurveyResponse.Status.SUBMITTED and started.needs_later


def test_no_unmet_need_moves_on_without_needs(business_client, started):
    business_client.post(step_url(started, 2), {"overall_need": "none"})
    page = business_client.post(step_url(started, 3), {"action": "next"})
    assert page.status_code == 302 and page.url == step_url(started, 4)


def test_review_step_shows_labels_and_edit_links_in_the_users_language(business_client,
                                                                        started):
    business_client.post(step_url(started, 2), {"overall_need": "some",
                                                "measures": ["train_staff"],
                                                "barriers": ["distance"]})
    business_client.post(reverse("needs:survey_need_add", kwargs={"rid": started.pk}),
                         need_post(formats=["local", "online"]))
    html = business_client.get(step_url(started, 5)).content.decode()
    assert "Lokalt i kommunen" in html and "Nettbasert" in html
    assert "local, online" not in html
    assert "Avstand" in html and "Lære opp" in html
    assert html.count(">Endre<span") == 4
    assert html.count("Bytt") == 1, "only the language switcher's button says Bytt"
    _in_language(business_client, "en")
    html = business_client.get(step_url(started, 5)).content.decode()
    assert html.count(">Edit<span") == 4
    assert "Locally in the municipality" in html and "Distance" in html


@pytest.mark.parametrize("language,text", [("nb", "Ingen ønsket tidspunkt"),
                                           ("nn", "Ikkje noko ønskt tidspunkt"),
                                           ("en", "No preferred time")])
def test_a_need_without_dates_says_so(business_client, business, language, text):
    need = factories.NeedFactory(organisation=business, earliest_start=None, latest_start=None)
    _in_language(business_client, language)
    html = business_client.get(reverse("needs:need_detail", kwargs={"pk": need.pk})).content
    assert text in html.decode()
    assert "– – –" not in html.decode()


def test_a_need_with_only_a_latest_start_says_by_when(business_client, business):
    need = factories.NeedFactory(organisation=business, earliest_start=None,
                                 latest_start=datetime.date(2027, 5, 1))
    html = business_client.get(reverse("needs:need_detail", kwargs={"pk": need.pk})).content
    assert "innen 01.05.2027" in html.decode()


def test_error_summary_lists_each_error_with_a_link_to_its_field(business_client, started):
    page = business_client.post(step_url(started, 2), {"action": "next"})
    html = page.content.decode()
    assert 'id="error-summary"' in html and "autofocus" in html
    assert 'href="#id_overall_need_0"' in html
    assert 'id="id_overall_need_0"' in html


def test_need_form_error_summary_links_every_field(business_client, started):
    page = business_client.post(reverse("needs:survey_need_add", kwargs={"rid": started.pk}),
                                need_post(participants="", formats=[]))
    html = page.content.decode()
    assert 'href="#id_participants"' in html and 'href="#id_formats_0"' in html


def test_dashboard_shows_cards_and_a_survey_call_to_action(business_client, business):
    SurveyRoundFactory(name="Kartlegging 2027")
    html = business_client.get(reverse("portal:dashboard")).content.decode()
    assert 'id="survey-call-to-action"' in html and 'data-cta="start"' in html
    assert "Kartlegging 2027" in html
    business_client.post(reverse("needs:survey_start"))
    html = business_client.get(reverse("portal:dashboard")).content.decode()
    assert 'data-cta="continue"' in html


def test_proposals_use_the_businesss_words(business_client, business):
    from matching.models import Match

    need = factories.NeedFactory(organisation=business, status=Need.Status.SUBMITTED)
    factories.MatchFactory(need=need, status=Match.Status.PROPOSED)
    html = business_client.get(reverse("matching:business_proposals")).content.decode()
    assert "Foreslått for dere" in html and "Sendt til bedriften" not in html
