"""API v1 writes for matches: advisers approve, reject (with a reason), propose and mark
enrolled; a business accepts or declines its proposals. Illegal moves are 409s."""

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from matching.models import Match
from tests import factories

pytestmark = pytest.mark.django_db



@pytest.fixture
def adviser_api():
    return factories.token_client(factories.adviser())


def test_adviser_moves_a_match_to_enrolled_and_the_business_accepts(adviser_api):
    match = factories.MatchFactory()
    business = factories.token_client(factories.member_of(match.need.organisation))
    assert adviser_api.post(reverse("api-match-approve", args=[match.pk]),
                            {"note": "Bra"}, format="json").json()["status"] == "approved"
    assert adviser_api.post(reverse("api-match-propose", args=[match.pk])).json()[
        "status"] == "proposed"
    assert business.post(reverse("api-match-accept", args=[match.pk])).json()[
        "status"] == "accepted"
    assert adviser_api.post(reverse("api-match-enroll", args=[match.pk])).json()[
        "status"] == "enrolled"
    match.need.refresh_from_db()
    assert match.need.status == "covered"
    assert list(match.events.values_list("to_status", flat=True)) == [
        "approved", "proposed", "accepted", "enrolled"]


def test_illegal_transitions_are_409s(adviser_api):
    match = factories.MatchFactory()
    for name in ("api-match-propose", "api-match-enroll"):
        response = adviser_api.post(reverse(name, args=[match.pk]))
        assert response.status_code == 409 and "detail" in response.json()
    assert Match.objects.get(pk=match.pk).status == "suggested"


def test_reject_needs_a_reason(adviser_api):
    match = factories.MatchFactory()
    missing = adviser_api.post(reverse("api-match-reject", args=[match.pk]), {}, format="json")
    assert missing.status_code == 400 and "reason" in missing.json()
    done = adviser_api.post(reverse("api-match-reject", args=[match.pk]),
                            {"reason": "Feil nivå"}, format="json")
    assert done.json()["status"] == "dismissed"
    assert match.events.get().note == "Feil nivå"


def test_business_declines_with_a_reason_code_and_cannot_touch_others(adviser_api):
    match = factories.MatchFactory(status="proposed")
    business = factories.token_client(factories.member_of(match.need.organisation))
    bad = business.post(reverse("api-match-decline", args=[match.pk]), {"reason": "meh"},
                        format="json")
    assert bad.status_code == 400 and "reason" in bad.json()
    assert business.post(reverse("api-match-decline", args=[match.pk]),
                         {"reason": "cost"}, format="json").json()["status"] == "declined"
    other = factories.MatchFactory(status="proposed")
    assert business.post(reverse("api-match-accept", args=[other.pk])).status_code == 404
    suggested = factories.MatchFactory(need=factories.NeedFactory(
        organisation=match.need.organisation))
    assert business.post(reverse("api-match-accept", args=[suggested.pk])).status_code == 404


def test_only_advisers_run_adviser_actions():
    match = factories.MatchFactory()
    business = factories.token_client(factories.member_of(match.need.organisation))
    assert business.post(reverse("api-match-approve", args=[match.pk])).status_code == 403
    assert APIClient().post(reverse("api-match-approve", args=[match.pk])).status_code == 401
    assert Match.objects.get(pk=match.pk).status == "suggested"
