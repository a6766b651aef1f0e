"""REST API v1, the needs' part: who reads which needs, filters, 400s naming the field."""

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from matching.engine import data, match_needs
from matching.models import Match
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def api():
    return APIClient()


@pytest.fixture(autouse=True)
def _fresh_offer_cache():
    data.clear_cache()
    yield
    data.clear_cache()


def test_needs_require_login_and_a_business_sees_only_its_own(api, business_user, business):
    own = factories.NeedFactory(organisation=business)
    other = factories.NeedFactory()
    assert api.get(reverse("api-needs")).status_code in (401, 403)
    api.force_authenticate(business_user)
    body = api.get(reverse("api-needs")).json()
    assert [n["id"] for n in body["results"]] == [own.pk]
    assert api.get(reverse("api-need", args=[own.pk])).status_code == 200
    guessed = api.get(reverse("api-need", args=[other.pk]))
    assert guessed.status_code == 404 and "detail" in guessed.json()


def test_a_provider_reads_no_needs_and_no_matches(api, provider_user):
    need = factories.NeedFactory()
    factories.OfferFactory()
    match_needs(need_ids=[need.pk])
    Match.objects.update(status=Match.Status.PROPOSED)
    api.force_authenticate(provider_user)
    assert api.get(reverse("api-needs")).json()["results"] == []
    assert api.get(reverse("api-matches")).json()["results"] == []
    assert api.get(reverse("api-need", args=[need.pk])).status_code == 404


def test_adviser_reads_every_need_with_filters(api, adviser_user):
    seljord = factories.NeedFactory()
    tinn = factories.NeedFactory(organisation=factories.BusinessFactory(
        municipality=factories.municipality("4026")), area=factories.area("bygg.tomrer"))
    api.force_authenticate(adviser_user)
    ids = {n["id"] for n in api.get(reverse("api-needs")).json()["results"]}
    assert {seljord.pk, tinn.pk} <= ids
    body = api.get(reverse("api-needs"), {"municipality": "4026", "area": "bygg"}).json()
    assert [n["id"] for n in body["results"]] == [tinn.pk]
    response = api.get(reverse("api-needs"), {"municipality": "0000", "status": "lost"})
    assert response.status_code == 400
    assert set(response.json()) == {"municipality", "status"}
    assert response.json()["municipality"] == ["Ukjent kommunenummer 0000."]
    english = api.get(reverse("api-needs"), {"municipality": "0000"}, HTTP_ACCEPT_LANGUAGE="en")
    assert english.json()["municipality"] == ["Unknown municipality code 0000."]
