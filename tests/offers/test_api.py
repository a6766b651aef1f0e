"""REST API v1, the offers' part: the public catalogue, its filters, 400s for bad filters."""

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from matching.engine import data
from offers.models import Offer
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


def test_offer_catalogue_is_public_and_hides_drafts_and_archived(api):
    course = factories.OfferFactory(title="Motorsagkurs i Seljord")
    factories.OfferFactory(title="Utkast", status=Offer.Status.DRAFT)
    factories.OfferFactory(title="Arkivert", status=Offer.Status.ARCHIVED)
    body = api.get(reverse("api-offers")).json()
    assert body["count"] == 1
    first = body["results"][0]
    assert (first["id"], first["areas"], first["municipality"]) == (
        course.pk, ["skog.motorsag"], "4022")
    assert api.get(reverse("api-offer", args=[course.pk])).json()["title"] == course.title
    draft = Offer.objects.get(title="Utkast")
    response = api.get(reverse("api-offer", args=[draft.pk]))
    assert response.status_code == 404 and "detail" in response.json()


def test_offer_filters_combine_like_the_catalogue_page(api):
    factories.OfferFactory(title="Motorsag A", level="course", price_nok=3000)
    factories.OfferFactory(title="Motorsag B", level="trade_certificate", price_nok=3000)
    factories.OfferFactory(title="Motorsag C", level="course", price_nok=30000)
    factories.OfferFactory(title="Sveis", level="course", price_nok=1000,
                           areas=["industri.sveising"])
    body = api.get(reverse("api-offers"),
                   {"area": "skog", "level": "course", "max_price": "5000"}).json()
    assert [o["title"] for o in body["results"]] == ["Motorsag A"]


@pytest.mark.parametrize("params", [
    {"level": "doctorate"}, {"max_price": "-5"}, {"start_month": "2027-13"},
    {"municipality": "9999"}, {"distance_km": "many"},
])
def test_bad_offer_filters_are_a_400_with_the_field_named(api, params):
    response = api.get(reverse("api-offers"), params)
    assert response.status_code == 400
    assert set(response.json()) == set(params)
