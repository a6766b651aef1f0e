"""API v1 writes for offers: a provider's token creates, edits, publishes, unpublishes and
archives its own offers, and upserts many by external_id (all or nothing, idempotent, the
import's rules)."""

import json

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from offers.models import Offer
from tests import factories

pytestmark = pytest.mark.django_db

ROW = {
    "external_id": "SVEIS-1", "title": "Sveisekurs", "description": "MIG/MAG",
    "areas": ["industri.sveising"], "level": "course", "hours": 40, "format": "local",
    "municipality": "4026", "start_date": "2030-03-01", "end_date": "2030-03-05",
    "application_deadline": "2030-02-01", "price_nok": 12500, "min_participants": 6,
    "max_participants": 12, "language": "nb", "url": "https://example.no/sveis",
    "on_demand": True,
}



@pytest.fixture
def api(provider_user, provider):
    return factories.token_client(provider_user, provider)


def test_provider_creates_edits_publishes_and_archives_its_offer(api, provider):
    created = api.post(reverse("api-offers"), ROW, format="json")
    assert created.status_code == 201, created.json()
    body = created.json()
    assert body["status"] == "draft" and body["areas"] == ["industri.sveising"]
    offer = Offer.objects.get(pk=body["id"])
    assert offer.provider == provider
    assert APIClient().get(reverse("api-offer", args=[offer.pk])).status_code == 404  # draft
    assert api.get(reverse("api-offer", args=[offer.pk])).status_code == 200  # its own
    patched = api.patch(reverse("api-offer", args=[offer.pk]), {"title": "Sveis 2"},
                        format="json")
    assert patched.status_code == 200 and patched.json()["title"] == "Sveis 2"
    assert api.post(reverse("api-offer-publish", args=[offer.pk])).json()["status"] == (
        "published")
    assert APIClient().get(reverse("api-offer", args=[offer.pk])).status_code == 200
    assert api.post(reverse("api-offer-unpublish", args=[offer.pk])).json()["status"] == (
        "draft")
    assert APIClient().get(reverse("api-offer", args=[offer.pk])).status_code == 404
    assert api.post(reverse("api-offer-archive", args=[offer.pk])).json()["status"] == (
        "archived")


def test_offer_rules_are_the_forms_and_errors_name_each_field(api):
    bad = {**ROW, "hours": "many", "level": "doctorate", "areas": ["nope"],
           "municipality": "9999", "start_date": "01/03/2030"}
    del bad["title"]
    response = api.post(reverse("api-offers"), bad, format="json")
    assert response.status_code == 400
    assert set(response.json()) == {"hours", "level", "areas", "municipality", "start_date",
                                    "title"}
    # A domain rule from the shared service: a course needs its hours.
    rule = api.post(reverse("api-offers"), {**ROW, "hours": None}, format="json")
    assert rule.status_code == 400 and "hours" in rule.json()
    assert not Offer.objects.exists()


def test_unsupported_media_type_is_a_415(api):
    response = api.post(reverse("api-offers"), "title=x", content_type="text/plain")
    assert response.status_code == 415


def test_writes_need_a_login_and_a_provider(business_user, business):
    assert APIClient().post(reverse("api-offers"), ROW, format="json").status_code == 401
    as_business = factories.token_client(business_user, business)
    assert as_business.post(reverse("api-offers"), ROW, format="json").status_code == 403
    offer = factories.OfferFactory()
    assert as_business.patch(reverse("api-offer", args=[offer.pk]), {"title": "x"},
                             format="json").status_code == 403


def test_another_providers_offer_is_a_404(api):
    theirs = factories.OfferFactory(status="draft")
    published = factories.OfferFactory()
    assert api.get(reverse("api-offer", args=[theirs.pk])).status_code == 404
    assert api.patch(reverse("api-offer", args=[published.pk]), {"title": "x"},
                     format="json").status_code == 404
    assert api.post(reverse("api-offer-archive", args=[published.pk])).status_code == 404
    assert Offer.objects.get(pk=published.pk).status == "published"


def test_publishing_an_offer_that_breaks_the_rules_is_refused(api, provider):
    offer = factories.OfferFactory(provider=provider, status="draft", hours=None)
    response = api.post(reverse("api-offer-publish", args=[offer.pk]))
    assert response.status_code == 400 and "hours" in response.json()


def test_bulk_upsert_creates_then_changes_nothing_when_sent_again(api):
    rows = [ROW, {**ROW, "external_id": "SVEIS-2", "title": "Sveis viderekommen"}]
    first = api.put(reverse("api-offers-bulk"), {"offers": rows}, format="json")
    assert first.status_code == 200, first.json()
    assert (first.json()["created"], first.json()["updated"]) == (2, 0)
    stamps = dict(Offer.objects.values_list("external_id", "updated_at"))
    assert set(Offer.objects.values_list("status", flat=True)) == {"published"}
    second = api.put(reverse("api-offers-bulk"), {"offers": rows}, format="json")
    assert second.json()["unchanged"] == 2 and second.json()["created"] == 0
    assert dict(Offer.objects.values_list("external_id", "updated_at")) == stamps
    changed = api.put(reverse("api-offers-bulk"),
                      [ROW, {**rows[1], "price_nok": "9 900"}], format="json")
    assert [r["action"] for r in changed.json()["results"]] == ["unchanged", "update"]
    assert Offer.objects.get(external_id="SVEIS-2").price_nok == 9900
    assert Offer.objects.count() == 2


def test_bulk_upsert_is_all_or_nothing_with_every_bad_row_reported(api):
    rows = [ROW, {**ROW, "external_id": "B", "areas": ["finnes.ikke"]},
            {**ROW, "external_id": "C", "hours": "mange", "on_demand": "kanskje"},
            {**ROW, "external_id": "SVEIS-1"}, "not an object"]
    response = api.put(reverse("api-offers-bulk"), {"offers": rows}, format="json")
    assert response.status_code == 400
    bad = {row["index"]: row["errors"] for row in response.json()["rows"]}
    assert set(bad) == {1, 2, 3, 4}
    assert any("finnes.ikke" in e for e in bad[1])
    assert any("hours" in e for e in bad[2]) and any("on_demand" in e for e in bad[2])
    assert any("SVEIS-1" in e for e in bad[3])  # duplicate external_id in the request
    assert not Offer.objects.exists()


def test_bulk_upsert_refuses_more_than_1000_rows_or_a_huge_body(api, settings):
    rows = [{**ROW, "external_id": f"X{i}"} for i in range(1001)]
    assert api.put(reverse("api-offers-bulk"), rows, format="json").status_code == 413
    settings.API_BULK_MAX_BYTES = 1000
    huge = api.put(reverse("api-offers-bulk"), json.dumps([ROW] * 10),
                   content_type="application/json")
    assert huge.status_code == 413 and "detail" in huge.json()
    assert not Offer.objects.exists()


@pytest.mark.parametrize("body", [{}, {"offers": "x"}, {"offers": []}, 5,
                                  {"offers": [ROW], "publish": "yes"}])
def test_bulk_upsert_explains_a_malformed_body(api, body):
    response = api.put(reverse("api-offers-bulk"), body, format="json")
    assert response.status_code == 400 and "offers" in response.json()


def test_bulk_upsert_only_touches_the_callers_offers(api):
    theirs = factories.OfferFactory(external_id="SVEIS-1", title="Not yours")
    assert api.put(reverse("api-offers-bulk"), [ROW], format="json").json()["created"] == 1
    assert Offer.objects.get(pk=theirs.pk).title == "Not yours"
