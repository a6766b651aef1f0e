"""API v1 writes for needs: a business's token creates, edits, submits and withdraws its own
needs with the survey's rules; illegal status changes are 409s; others' needs are 404s."""

import pytest
from django.urls import reverse

from needs.models import Need
from tests import factories

pytestmark = pytest.mark.django_db

NEED = {"area": "skog.motorsag", "title": "Motorsag", "participants": 3, "level": "course",
        "formats": ["local", "online"], "earliest_start": "2030-03-01",
        "latest_start": "2030-06-01", "max_travel_km": 50, "priority": "high"}



@pytest.fixture
def api(business_user, business):
    return factories.token_client(business_user, business)


def test_business_creates_edits_submits_and_withdraws_a_need(api, business):
    created = api.post(reverse("api-needs"), NEED, format="json")
    assert created.status_code == 201, created.json()
    need = Need.objects.get(pk=created.json()["id"])
    assert need.organisation == business and need.status == "draft"
    patched = api.patch(reverse("api-need", args=[need.pk]), {"participants": 5},
                        format="json")
    assert patched.status_code == 200 and patched.json()["participants"] == 5
    submitted = api.post(reverse("api-need-submit", args=[need.pk]))
    assert submitted.status_code == 200 and submitted.json()["status"] == "submitted"
    again = api.post(reverse("api-need-submit", args=[need.pk]))
    assert again.status_code == 409 and "detail" in again.json()
    assert api.post(reverse("api-need-withdraw", args=[need.pk])).json()["status"] == (
        "withdrawn")
    locked = api.patch(reverse("api-need", args=[need.pk]), {"participants": 2}, format="json")
    assert locked.status_code == 409


def test_submit_at_once_and_the_surveys_rules(api, business):
    response = api.post(reverse("api-needs") + "?submit=true", NEED, format="json")
    assert response.status_code == 201 and response.json()["status"] == "submitted"
    too_many = api.post(reverse("api-needs"), {**NEED, "participants": business.employees + 5},
                        format="json")
    assert too_many.status_code == 400 and "participants" in too_many.json()
    online = api.post(reverse("api-needs"), {**NEED, "online_only": True, "formats": ["local"]},
                      format="json")
    assert online.status_code == 400 and "formats" in online.json()


@pytest.mark.parametrize("change, field", [
    ({"participants": "three"}, "participants"), ({"area": "ukjent"}, "area"),
    ({"formats": "local"}, "formats"), ({"earliest_start": "next year"}, "earliest_start"),
    ({"priority": "urgent"}, "priority"), ({"participants": None}, "participants"),
])
def test_bad_fields_are_named_in_the_400(api, change, field):
    response = api.post(reverse("api-needs"), {**NEED, **change}, format="json")
    assert response.status_code == 400 and field in response.json()


def test_missing_fields_are_named(api):
    response = api.post(reverse("api-needs"), {}, format="json")
    assert response.status_code == 400
    assert {"area", "participants", "formats"} <= set(response.json())


def test_other_business_need_is_a_404_and_advisers_and_providers_cannot_write(
        api, provider_user, provider):
    theirs = factories.NeedFactory(status="draft")
    assert api.patch(reverse("api-need", args=[theirs.pk]), {"participants": 1},
                     format="json").status_code == 404
    assert api.post(reverse("api-need-submit", args=[theirs.pk])).status_code == 404
    adviser = factories.adviser()
    county = adviser.memberships.get().organisation
    as_adviser = factories.token_client(adviser, county)
    assert as_adviser.post(reverse("api-needs"), NEED, format="json").status_code == 403
    assert as_adviser.post(reverse("api-need-withdraw", args=[theirs.pk])).status_code == 403
    as_provider = factories.token_client(provider_user, provider)
    assert as_provider.post(reverse("api-needs"), NEED, format="json").status_code == 403
    assert Need.objects.get(pk=theirs.pk).status == "draft"


def test_a_huge_body_is_a_413_and_a_form_is_a_415(api, settings):
    import json

    settings.API_MAX_BODY_BYTES = 2000
    huge = api.post(reverse("api-needs"), json.dumps({**NEED, "description": "x" * 5000}),
                    content_type="application/json")
    assert huge.status_code == 413 and "detail" in huge.json()
    form = api.post(reverse("api-needs"), {"area": "skog.motorsag", "participants": "2",
                                           "formats": "local"})  # multipart, not JSON
    assert form.status_code == 415 and "detail" in form.json()
    assert not Need.objects.exists()
