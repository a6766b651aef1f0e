"""REST API v1, the shared part: reference lists, the schema, query counts.

Each app's own endpoints are tested in its folder (tests/<app>/test_api.py)."""

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from matching.engine import data, match_needs
from matching.models import Cohort, Match
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
