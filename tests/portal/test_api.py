"""REST API v1: who reads what, filters, JSON errors for bad input, the documented schema."""

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from matching.engine import data, match_needs
from matching.models import Cohort, Match
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


def test_reference_lists_are_public(api):
    municipalities = api.get("/api/v1/municipalities/").json()
    assert {"code": "4036", "name": "Vinje"}.items() <= next(
        m for m in municipalities if m["code"] == "4036").items()
    assert "3825" in next(m for m in municipalities if m["code"] == "4036")["aliases"]
    areas = api.get("/api/v1/competence-areas/").json()
    assert any(a["code"] == "skog.motorsag" and a["parent"] == "skog" for a in areas)


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
    assert api.get(reverse("api-needs")).json()["count"] == 0
    assert api.get(reverse("api-matches")).json()["count"] == 0
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


def test_matches_adviser_sees_the_queue_business_only_its_proposals(
        api, adviser_user, business_user, business):
    need = factories.NeedFactory(organisation=business)
    other_need = factories.NeedFactory()
    factories.OfferFactory()
    match_needs(need_ids=[need.pk, other_need.pk])
    api.force_authenticate(adviser_user)
    queue = api.get(reverse("api-matches"), {"min_score": 1}).json()
    assert queue["count"] == 2
    first = queue["results"][0]
    assert first["components"]["topic"] > 0 and first["explanation"]
    english = api.get(reverse("api-matches"), HTTP_ACCEPT_LANGUAGE="en").json()
    assert english["results"][0]["explanation"] != first["explanation"]
    assert api.get(reverse("api-matches"), {"min_score": 500}).status_code == 400

    api.force_authenticate(business_user)
    assert api.get(reverse("api-matches")).json()["count"] == 0  # nothing proposed yet
    Match.objects.filter(need=need).update(status=Match.Status.PROPOSED)
    Match.objects.filter(need=other_need).update(status=Match.Status.PROPOSED)
    body = api.get(reverse("api-matches")).json()
    assert [m["need"] for m in body["results"]] == [need.pk]


def test_cohorts_and_gaps_are_for_advisers_only(api, adviser_user, business_user):
    from matching.cohorts import cohorts_rebuild

    first = factories.NeedFactory(participants=4)
    second = factories.NeedFactory(participants=4)  # another business in Seljord
    assert first.organisation != second.organisation
    cohorts_rebuild()
    assert Cohort.objects.count() == 1
    for name in ("api-cohorts", "api-gaps"):
        assert api.get(reverse(name)).status_code in (401, 403)
        api.force_authenticate(business_user)
        response = api.get(reverse(name))
        assert response.status_code == 403 and "detail" in response.json()
        api.force_authenticate(None)
    api.force_authenticate(adviser_user)
    cohorts = api.get(reverse("api-cohorts"), {"opportunities_only": "true"}).json()
    assert cohorts["count"] == 1 and cohorts["results"][0]["participants"] == 8
    gaps = api.get(reverse("api-gaps")).json()  # no offers: every need is a gap
    assert gaps["count"] == 1
    assert (gaps["results"][0]["area_code"], gaps["results"][0]["municipality_code"],
            gaps["results"][0]["needs"], gaps["results"][0]["participants"]) == (
        "skog.motorsag", "4022", 2, 8)
    assert api.get(reverse("api-gaps"), {"threshold": "high"}).status_code == 400
    assert api.get(reverse("api-cohorts"), {"area": "ukjent"}).status_code == 400


def test_schema_documents_every_route(api):
    response = api.get("/api/schema/", HTTP_ACCEPT="application/json")
    assert response.status_code == 200
    paths = set(response.json()["paths"]) if response["Content-Type"].startswith(
        "application/json") else set()
    if not paths:
        import yaml

        paths = set(yaml.safe_load(response.content)["paths"])
    assert {"/api/v1/offers/", "/api/v1/offers/{id}/", "/api/v1/needs/",
            "/api/v1/needs/{id}/", "/api/v1/matches/", "/api/v1/cohorts/",
            "/api/v1/gaps/"} <= paths


def _queries(api, url) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    api.get(url)  # warm per-user and per-process lookups (adviser check, place names)
    with CaptureQueriesContext(connection) as ctx:
        assert api.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_list_endpoints_use_a_constant_number_of_queries(api, adviser_user):
    api.force_authenticate(adviser_user)
    urls = [reverse(name) for name in ("api-offers", "api-needs", "api-matches", "api-cohorts")]

    def grow(count):
        for _ in range(count):
            factories.OfferFactory(provider=factories.ProviderFactory())
            factories.NeedFactory(participants=2)
        data.clear_cache()
        match_needs()
        from matching.cohorts import cohorts_rebuild

        cohorts_rebuild()
        return {url: _queries(api, url) for url in urls}

    few = grow(2)
    many = grow(8)
    assert Match.objects.count() > 50 and Cohort.objects.exists()
    assert many == few
