"""Every matching URL refuses anonymous users and the wrong audience or organisation."""

import pytest
from django.urls import reverse

from matching.models import CohortRequest, Match
from tests.factories import (
    BusinessFactory,
    CohortFactory,
    MatchFactory,
    ProviderFactory,
    member_of,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def objects():
    match = MatchFactory(status=Match.Status.PROPOSED)
    cohort = CohortFactory()
    request = CohortRequest.objects.create(cohort=cohort, provider=ProviderFactory())
    return {"match": match, "cohort": cohort, "request": request}


ADVISER_URLS = [
    ("matching:adviser_home", None, "get"),
    ("matching:match_detail", "match", "get"),
    ("matching:match_transition", "match", "post"),
    ("matching:match_note", "match", "post"),
    ("matching:cohort_list", None, "get"),
    ("matching:cohort_detail", "cohort", "get"),
    ("matching:cohort_detail", "cohort", "post"),
    ("matching:cohort_send", "cohort", "post"),
    ("matching:gap_report", None, "get"),
    ("matching:gap_report_csv", None, "get"),
    ("matching:settings", None, "get"),
    ("matching:settings", None, "post"),
    ("matching:rematch_now", None, "post"),
]
BUSINESS_URLS = [
    ("matching:business_proposals", None, "get"),
    ("matching:proposal_accept", "match", "post"),
    ("matching:proposal_decline", "match", "get"),
    ("matching:proposal_decline", "match", "post"),
]
PROVIDER_URLS = [
    ("matching:provider_cohorts", None, "get"),
    ("matching:provider_request", "request", "get"),
    ("matching:provider_request", "request", "post"),
]
ALL_URLS = ADVISER_URLS + BUSINESS_URLS + PROVIDER_URLS


def _url(objects, name, key):
    return reverse(name, args=[objects[key].pk]) if key else reverse(name)


def _call(client, method, url):
    return client.post(url, {}) if method == "post" else client.get(url)


@pytest.mark.parametrize(("name", "key", "method"), ALL_URLS)
def test_anonymous_user_is_sent_to_login(client, objects, name, key, method):
    response = _call(client, method, _url(objects, name, key))
    assert response.status_code == 302
    assert reverse("account_login") in response["Location"]


@pytest.mark.parametrize(("name", "key", "method"), ADVISER_URLS)
def test_business_and_provider_users_cannot_open_adviser_pages(
    client, objects, name, key, method
):
    for user in (member_of(BusinessFactory()), member_of(ProviderFactory())):
        client.force_login(user)
        assert _call(client, method, _url(objects, name, key)).status_code == 403
    assert Match.objects.get().status == Match.Status.PROPOSED
    assert CohortRequest.objects.count() == 1


@pytest.mark.parametrize(("name", "key", "method"), BUSINESS_URLS)
def test_provider_and_adviser_without_business_get_403_on_business_pages(
    client, objects, adviser_user, name, key, method
):
    for user in (member_of(ProviderFactory()), adviser_user):
        client.force_login(user)
        assert _call(client, method, _url(objects, name, key)).status_code == 403


@pytest.mark.parametrize(("name", "key", "method"), [u for u in BUSINESS_URLS if u[1]])
def test_another_business_cannot_reach_a_proposal_by_url(client, objects, name, key, method):
    client.force_login(member_of(BusinessFactory()))
    assert _call(client, method, _url(objects, name, key)).status_code == 404
    assert Match.objects.get().status == Match.Status.PROPOSED


def test_another_business_never_sees_the_proposal_in_its_list(client, objects):
    client.force_login(member_of(BusinessFactory()))
    response = client.get(reverse("matching:business_proposals"))
    assert response.status_code == 200
    assert objects["match"].offer.title not in response.content.decode()


def test_unsent_match_is_404_for_its_own_business(client):
    match = MatchFactory(status=Match.Status.APPROVED)
    client.force_login(member_of(match.need.organisation))
    assert client.post(reverse("matching:proposal_accept", args=[match.pk])).status_code == 404


@pytest.mark.parametrize(("name", "key", "method"), PROVIDER_URLS)
def test_business_users_get_403_on_provider_pages(client, objects, name, key, method):
    client.force_login(member_of(BusinessFactory()))
    assert _call(client, method, _url(objects, name, key)).status_code == 403


@pytest.mark.parametrize(("name", "key", "method"), [u for u in PROVIDER_URLS if u[1]])
def test_another_provider_cannot_reach_a_request_by_url(client, objects, name, key, method):
    client.force_login(member_of(ProviderFactory()))
    assert _call(client, method, _url(objects, name, key)).status_code == 404
    assert CohortRequest.objects.get().status == CohortRequest.Status.SENT


def test_another_provider_never_sees_the_request_in_its_list(client, objects):
    other = ProviderFactory()
    mine = CohortRequest.objects.create(cohort=CohortFactory(), provider=other)
    client.force_login(member_of(other))
    response = client.get(reverse("matching:provider_cohorts"))
    assert {r["pk"] for r in response.context["requests"]} == {mine.pk}
