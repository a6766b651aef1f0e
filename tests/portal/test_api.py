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


def test_survey_rounds_are_public_and_read_only(api):
    import datetime as dt

    older = factories.SurveyRoundFactory(name="Runde 2026", year=2026,
                                         opens_on=dt.date(2026, 1, 1),
                                         closes_on=dt.date(2026, 3, 1))
    newer = factories.SurveyRoundFactory(name="Runde 2027", year=2027,
                                         opens_on=dt.date(2027, 1, 1),
                                         closes_on=dt.date(2027, 3, 1))
    rounds = api.get(reverse("api-rounds")).json()
    ids = [r["id"] for r in rounds]
    assert ids.index(newer.pk) < ids.index(older.pk)  # newest first
    assert {"name": "Runde 2027", "year": 2027, "opens_on": "2027-01-01"}.items() <= next(
        r for r in rounds if r["id"] == newer.pk).items()
    assert api.post(reverse("api-rounds"), {}, format="json").status_code in (401, 405)


def test_barometer_comes_as_csv_too(api):
    response = api.get(reverse("api-barometer"), HTTP_ACCEPT="text/csv")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")


def test_redoc_and_swagger_ui_use_only_local_files(api):
    for name in ("api-redoc", "api-docs"):
        page = api.get(reverse(name)).content.decode()
        assert "googleapis" not in page and "cdn" not in page.lower(), name
        assert "/static/" in page, name
