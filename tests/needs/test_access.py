"""A business never sees or changes another business's needs, answers or the import pages."""

import pytest
from django.test import Client
from django.urls import reverse

from needs.models import Need, NeedImport, SurveyResponse
from tests import factories
from tests.factories import NeedFactory, SurveyRoundFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def other_need():
    return NeedFactory(title="Naboens behov")


@pytest.fixture
def other_response(other_need):
    response = SurveyResponse.objects.create(organisation=other_need.organisation,
                                             round=SurveyRoundFactory())
    other_need.response = response
    other_need.status = Need.Status.DRAFT
    other_need.save()
    return response


def need_urls(need):
    return [reverse(f"needs:{name}", kwargs={"pk": need.pk})
            for name in ("need_detail", "need_edit", "need_withdraw", "need_submit")]


def response_urls(response, need):
    urls = [reverse("needs:survey_step", kwargs={"rid": response.pk, "step": s})
            for s in range(1, 6)]
    urls.append(reverse("needs:survey_need_add", kwargs={"rid": response.pk}))
    urls += [reverse(f"needs:{name}", kwargs={"rid": response.pk, "pk": need.pk})
             for name in ("survey_need_edit", "survey_need_delete")]
    return urls


ADVISER_URLS = ["needs:adviser_list", "needs:adviser_export", "needs:round_list",
                "needs:round_create", "needs:import_upload"]


def test_business_cannot_open_or_change_other_business_need(business_client, other_need):
    for url in need_urls(other_need):
        assert business_client.get(url).status_code in (404, 405), url
        assert business_client.post(url, {"participants": "1"}).status_code == 404, url
    other_need.refresh_from_db()
    assert other_need.status == Need.Status.SUBMITTED and other_need.participants == 4


def test_business_cannot_open_other_business_survey(business_client, other_response,
                                                    other_need):
    for url in response_urls(other_response, other_need):
        assert business_client.post(url, {"action": "next"}).status_code == 404, url
    assert Need.objects.filter(pk=other_need.pk).exists()


def test_business_cannot_use_a_survey_need_of_another_response(business_client, business,
                                                               other_need):
    SurveyRoundFactory()
    business_client.post(reverse("needs:survey_start"))
    own = SurveyResponse.objects.get(organisation=business)
    url = reverse("needs:survey_need_edit", kwargs={"rid": own.pk, "pk": other_need.pk})
    assert business_client.get(url).status_code == 404


@pytest.mark.parametrize("name", ADVISER_URLS)
def test_adviser_pages_are_forbidden_for_businesses_and_providers(business_client, name):
    assert business_client.get(reverse(name)).status_code == 403


@pytest.mark.parametrize("name", ADVISER_URLS)
def test_adviser_pages_are_forbidden_for_providers(provider_client, name):
    assert provider_client.get(reverse(name)).status_code == 403


def test_round_and_import_object_pages_are_forbidden_for_businesses(business_client,
                                                                    adviser_user):
    survey_round = SurveyRoundFactory()
    need_import = NeedImport.objects.create(filename="x.csv", file="x.csv")
    for url in [reverse("needs:round_edit", kwargs={"pk": survey_round.pk}),
                reverse("needs:round_open", kwargs={"pk": survey_round.pk}),
                reverse("needs:round_close", kwargs={"pk": survey_round.pk}),
                reverse("needs:import_preview", kwargs={"pk": need_import.pk}),
                reverse("needs:import_confirm", kwargs={"pk": need_import.pk})]:
        assert business_client.post(url).status_code == 403, url


def test_provider_cannot_see_needs_or_business_pages(provider_client, other_need):
    assert provider_client.get(reverse("needs:business_home")).status_code == 403
    assert provider_client.get(reverse("needs:survey_start")).status_code == 403
    assert provider_client.get(reverse("needs:need_create")).status_code == 403
    assert provider_client.get(need_urls(other_need)[0]).status_code == 404


def test_adviser_may_view_but_not_edit_a_need(adviser_client, other_need):
    assert adviser_client.get(need_urls(other_need)[0]).status_code == 200
    assert adviser_client.get(need_urls(other_need)[1]).status_code == 404


def test_anonymous_is_sent_to_login(client, other_need, other_response):
    urls = [reverse("needs:business_home"), reverse("needs:survey_start"),
            reverse("needs:need_create"), reverse("needs:area_search"),
            *need_urls(other_need), *response_urls(other_response, other_need),
            *[reverse(name) for name in ADVISER_URLS]]
    for url in urls:
        response = client.post(url) if url.endswith(("submit/", "delete/")) else client.get(url)
        assert response.status_code == 302, url
        assert response.url.startswith(reverse("account_login")), url


def test_member_of_two_businesses_sees_only_the_active_one(client, business):
    other = factories.BusinessFactory()
    user = factories.member_of(business)
    factories.MembershipFactory(user=user, organisation=other)
    NeedFactory(organisation=other, title="Andre bedrift")
    client.force_login(user)
    session = client.session
    session["active_organisation_id"] = business.pk
    session.save()
    assert "Andre bedrift" not in client.get(reverse("needs:business_home")).content.decode()


def test_need_page_offers_actions_to_members_only(business_client, business, adviser_user):
    """The page asks once whether the user may act (members) and only then whether they may
    look (advisers): an adviser sees the need without its buttons, a member with them."""
    need = NeedFactory(organisation=business, status=Need.Status.DRAFT)
    url = reverse("needs:need_detail", kwargs={"pk": need.pk})
    edit = reverse("needs:need_edit", kwargs={"pk": need.pk})
    member_page = business_client.get(url)
    assert member_page.status_code == 200 and edit in member_page.content.decode()
    adviser_client = Client()  # `adviser_client` would log the same test client in again
    adviser_client.force_login(adviser_user)
    adviser_page = adviser_client.get(url)
    assert adviser_page.status_code == 200 and edit not in adviser_page.content.decode()
