"""REST API v1, the matching part: matches, cohorts and gaps, and who may read them."""

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


def test_matches_adviser_sees_the_queue_business_only_its_proposals(
        api, adviser_user, business_user, business):
    need = factories.NeedFactory(organisation=business)
    other_need = factories.NeedFactory()
    factories.OfferFactory()
    match_needs(need_ids=[need.pk, other_need.pk])
    api.force_authenticate(adviser_user)
    queue = api.get(reverse("api-matches"), {"min_score": 1}).json()
    assert len(queue["results"]) == 2
    first = queue["results"][0]
    assert first["components"]["topic"] > 0 and first["explanation"]
    assert first["band"] == "strong"  # an exact chainsaw course for a chainsaw need
    english = api.get(reverse("api-matches"), HTTP_ACCEPT_LANGUAGE="en").json()
    assert english["results"][0]["explanation"] != first["explanation"]
    assert api.get(reverse("api-matches"), {"min_score": 500}).status_code == 400

    api.force_authenticate(business_user)
    assert api.get(reverse("api-matches")).json()["results"] == []  # nothing proposed yet
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
