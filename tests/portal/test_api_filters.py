"""The API lists' filters are django-filter FilterSets: documented in the schema with their
types, and a bad value is a 400 naming the parameter — never a 500, never quietly ignored."""

import pytest
import yaml
from django.urls import reverse
from rest_framework.test import APIClient

from matching.engine import data, match_needs
from matching.models import Match
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_offer_cache():
    data.clear_cache()
    yield
    data.clear_cache()


def _as(user) -> APIClient:
    api = APIClient()
    api.force_authenticate(user)
    return api


def _schema() -> dict:
    return yaml.safe_load(APIClient().get(reverse("api-schema")).content)


def test_list_filters_are_documented_with_their_types():
    paths = _schema()["paths"]

    def params(path: str) -> dict:
        return {p["name"]: p for p in paths[path]["get"]["parameters"]}

    needs = params("/api/v1/needs/")
    assert needs["round"]["schema"] == {
        "type": "integer", "minimum": 1, "maximum": 2**63 - 1}
    assert set(needs["status"]["schema"]["enum"]) == {
        "draft", "submitted", "in_brokering", "covered", "withdrawn"}
    assert needs["municipality"]["schema"]["pattern"] == r"^\d{4}$"
    assert needs["page_size"]["schema"]["maximum"] == 500
    offers = params("/api/v1/offers/")
    assert {"q", "area", "level", "format", "municipality", "distance_km", "include_online",
            "start_month", "max_price", "online_only", "on_demand", "show_past",
            "sort"} <= set(offers)
    assert offers["show_past"]["schema"]["type"] == "boolean"
    assert params("/api/v1/matches/")["min_score"]["schema"]["maximum"] == 100
    assert params("/api/v1/cohorts/")["opportunities_only"]["schema"]["type"] == "boolean"


@pytest.mark.parametrize(("name", "params"), [
    ("api-offers", {"show_past": "kanskje"}),
    ("api-offers", {"area": "ukjent.omrade"}),
    ("api-offers", {"area": "%d.%m.%Y"}),  # a `%` in a value is only text
    ("api-offers", {"municipality": "40\x0026"}),  # a NUL no database can hold
    ("api-needs", {"page_size": "0"}),
    ("api-needs", {"page_size": "many"}),
    ("api-needs", {"round": "1.5"}),
    ("api-matches", {"min_score": "high"}),
    ("api-cohorts", {"include_retired": "perhaps"}),
])
def test_bad_filter_values_are_a_400_naming_the_parameter(adviser_user, name, params):
    response = _as(adviser_user).get(reverse(name), params)
    assert response.status_code == 400
    assert set(response.json()) == set(params)


def test_an_empty_filter_is_the_same_as_none(adviser_user):
    need = factories.NeedFactory()
    body = _as(adviser_user).get(reverse("api-needs"), {"status": "", "area": ""}).json()
    assert [n["id"] for n in body["results"]] == [need.pk]


def test_offer_filters_keep_the_catalogue_rules():
    online = factories.OfferFactory(title="Nettkurs", format="online", municipality=None)
    seljord = factories.OfferFactory(title="I Seljord")
    factories.OfferFactory(title="I Tinn", municipality=factories.municipality("4026"))
    api = APIClient()
    # A place filter includes online offers unless the client opts out.
    titles = {o["title"] for o in api.get(reverse("api-offers"),
                                          {"municipality": "4022"}).json()["results"]}
    assert titles == {online.title, seljord.title}
    strict = api.get(reverse("api-offers"), {"municipality": "4022", "include_online": "false"})
    assert [o["title"] for o in strict.json()["results"]] == [seljord.title]
    assert api.get(reverse("api-offers"), {"format": "online"}).json()["count"] == 1


def test_a_business_can_filter_its_proposals(business_user, business):
    chainsaw = factories.NeedFactory(organisation=business)
    carpentry = factories.NeedFactory(organisation=business, area=factories.area("bygg.tomrer"))
    factories.OfferFactory()
    factories.OfferFactory(title="Tømrerkurs", areas=["bygg.tomrer"])
    match_needs(need_ids=[chainsaw.pk, carpentry.pk])
    Match.objects.update(status=Match.Status.PROPOSED)
    api = _as(business_user)
    every = api.get(reverse("api-matches")).json()["results"]
    assert {m["need"] for m in every} == {chainsaw.pk, carpentry.pk}
    only = api.get(reverse("api-matches"), {"area": "bygg"}).json()["results"]
    assert only and {m["need"] for m in only} == {carpentry.pk}
    assert api.get(reverse("api-matches"), {"status": "accepted"}).json()["results"] == []


@pytest.mark.django_db
def test_a_filters_form_is_reused_but_each_answer_speaks_the_requests_language():
    """One form class per filter set and language serves every request (portal.api_filters):
    a bad value is still a 400 naming the parameter, in the language asked for."""
    api = _as(factories.adviser())
    url = reverse("api-needs")
    answers = {}
    for language in ("en", "nb", "en"):
        response = api.get(url, {"priority": "nonsense"}, HTTP_ACCEPT_LANGUAGE=language)
        assert response.status_code == 400
        answers.setdefault(language, set()).add(response.json()["priority"][0])
    assert len(answers["en"]) == 1 and answers["en"] != answers["nb"]
    assert "nonsense" in answers["en"].pop()
    assert api.get(url, {"priority": "high"}).status_code == 200
    assert api.get(url, {"area": "nei.slik"}).status_code == 400


def test_valid_filters_are_cleaned_without_a_form_and_select_the_same_rows(monkeypatch):
    """Valid (or no) parameters are cleaned by the shared fields alone, with the values the
    form would give the selector; only an invalid one makes the form, for its errors."""
    from django.http import QueryDict

    from needs.api import NeedFilter
    from portal.api_filters import SelectorFilterSet

    area = factories.area("bygg")
    wanted = factories.NeedFactory(area=factories.area("bygg.tomrer"), priority="high")
    factories.NeedFactory(priority="high")
    factories.NeedFactory(area=area, priority="low")
    made = []
    real_form = SelectorFilterSet.form

    def counting_form(self):
        made.append(type(self).__name__)
        return real_form.fget(self)

    monkeypatch.setattr(SelectorFilterSet, "form", property(counting_form))
    request = type("Request", (), {"user": factories.adviser()})()
    query = QueryDict("priority=high&area=bygg&q=&round=")
    filterset = NeedFilter(query, request=request)
    assert filterset.is_valid() and not filterset.errors
    assert [n.pk for n in filterset.qs] == [wanted.pk]
    assert filterset._params == {"priority": "high", "area": area}
    empty = NeedFilter(QueryDict(), request=request)
    assert empty.is_valid() and empty._params == {}
    assert made == []
    bad = NeedFilter(QueryDict("priority=high&round=1.5"), request=request)
    assert not bad.is_valid() and set(bad.errors) == {"round"}
    assert made
