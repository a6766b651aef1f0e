"""The public catalogue and offer pages: cached for anonymous visitors, fresh after a change,
revalidated by ETag / Last-Modified, never carrying another visitor's CSRF token."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from offers import services
from offers.models import Offer
from offers.search import offer_search_refresh
from tests import factories

pytestmark = pytest.mark.django_db

TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([A-Za-z0-9]+)"')


@pytest.fixture
def offer(provider):
    created = factories.OfferFactory(provider=provider, title="Motorsagkurs for nybegynnere",
                                     areas=["skog.motorsag"])
    offer_search_refresh(offer_ids=[created.pk])
    return created


def test_anonymous_offer_page_has_validators_and_answers_304(client, offer):
    url = reverse("offers:detail", args=[offer.pk])
    first = client.get(url)
    assert first.status_code == 200
    assert first["ETag"] and first["Last-Modified"]
    assert "no-cache" in first["Cache-Control"]
    again = client.get(url, HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304
    assert again["ETag"] == first["ETag"]
    assert again.content == b""
    since = client.get(url, HTTP_IF_MODIFIED_SINCE=first["Last-Modified"])
    assert since.status_code == 304


def test_catalogue_answers_304_and_a_changed_url_does_not(client, offer):
    url = reverse("offers:catalogue")
    first = client.get(url, {"q": "motorsag"})
    assert "Motorsagkurs for nybegynnere" in first.content.decode()
    assert client.get(url, {"q": "motorsag"},
                      HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304
    other = client.get(url, {"q": "sveising"}, HTTP_IF_NONE_MATCH=first["ETag"])
    assert other.status_code == 200
    assert other["ETag"] != first["ETag"]


def test_edited_offer_shows_at_once_to_anonymous_visitors(client, offer, provider,
                                                          django_capture_on_commit_callbacks):
    detail = reverse("offers:detail", args=[offer.pk])
    catalogue = reverse("offers:catalogue")
    old_detail, old_list = client.get(detail), client.get(catalogue)
    assert "Motorsagkurs for nybegynnere" in old_list.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        services.offer_update(
            offer=offer, data={"title": "Motorsagkurs, videregående"},
            areas=list(offer.areas.all()))
    new_detail = client.get(detail, HTTP_IF_NONE_MATCH=old_detail["ETag"])
    assert new_detail.status_code == 200
    assert "Motorsagkurs, videregående" in new_detail.content.decode()
    assert "Motorsagkurs, videregående" in client.get(catalogue).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        services.offer_archive(offer=Offer.objects.get(pk=offer.pk))
    assert client.get(detail).status_code == 404
    assert "Motorsagkurs, videregående" not in client.get(catalogue).content.decode()


def test_provider_name_change_refreshes_the_pages(client, offer, provider):
    url = reverse("offers:detail", args=[offer.pk])
    assert provider.name in client.get(url).content.decode()
    provider.name = "Vinje kurssenter"
    provider.save()
    assert "Vinje kurssenter" in client.get(url).content.decode()


def test_pages_are_cached_per_language(client, offer):
    url = reverse("offers:detail", args=[offer.pk])
    nb = client.get(url, HTTP_ACCEPT_LANGUAGE="nb")
    en = client.get(url, HTTP_ACCEPT_LANGUAGE="en")
    assert nb["ETag"] != en["ETag"]
    assert 'lang="en"' in en.content.decode()
    assert 'lang="nb"' in client.get(url, HTTP_ACCEPT_LANGUAGE="nb").content.decode()
    assert client.get(url, HTTP_ACCEPT_LANGUAGE="en",
                      HTTP_IF_NONE_MATCH=nb["ETag"]).status_code == 200


def test_cached_page_carries_each_visitors_own_working_csrf_token(offer):
    url = reverse("offers:detail", args=[offer.pk])
    first, second = Client(enforce_csrf_checks=True), Client(enforce_csrf_checks=True)
    page_one = first.get(url)
    page_two = second.get(url)  # served from the cache
    token_one = TOKEN.search(page_one.content.decode()).group(1)
    token_two = TOKEN.search(page_two.content.decode()).group(1)
    assert "__kp_csrf_token__" not in page_two.content.decode()
    assert first.cookies["csrftoken"].value != second.cookies["csrftoken"].value
    # Each visitor's token works with their own cookie: the language switcher posts it.
    switched = second.post(reverse("set_language"), {"language": "en", "next": url,
                                                     "csrfmiddlewaretoken": token_two})
    assert switched.status_code == 302
    refused = second.post(reverse("set_language"), {"language": "nn", "next": url,
                                                    "csrfmiddlewaretoken": "x" * 64})
    assert refused.status_code == 403
    assert token_one != token_two
    # A browser whose CSRF cookie changed gets the page again, not a 304.
    assert first.get(url, HTTP_IF_NONE_MATCH=page_two["ETag"]).status_code == 200


def test_logged_in_visitors_get_their_own_page(client, offer, business_user):
    url = reverse("offers:detail", args=[offer.pk])
    anonymous = client.get(url)
    client.force_login(business_user)
    logged_in = client.get(url, HTTP_IF_NONE_MATCH=anonymous["ETag"])
    assert logged_in.status_code == 200
    assert "ETag" not in logged_in
    assert reverse("account_logout") in logged_in.content.decode()


def test_anonymous_api_offer_list_is_cached_revalidated_and_fresh_after_an_edit(
        offer, django_capture_on_commit_callbacks):
    from rest_framework.test import APIClient

    api = APIClient()
    url = reverse("api-offers")
    first = api.get(url, {"q": "motorsag"})
    assert first.status_code == 200 and first.json()["count"] == 1
    assert first["ETag"]
    assert api.get(url, {"q": "motorsag"}, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304
    # CSV has an entry of its own (the rendered bytes are stored per media type).
    as_csv = api.get(url, {"q": "motorsag"}, HTTP_ACCEPT="text/csv")
    assert as_csv.status_code == 200 and "Motorsagkurs for nybegynnere" in as_csv.content.decode()
    assert as_csv["ETag"] != first["ETag"]
    assert as_csv["Content-Type"].startswith("text/csv")
    again_csv = api.get(url, {"q": "motorsag"}, HTTP_ACCEPT="text/csv")
    assert again_csv.content == as_csv.content
    assert again_csv["Content-Type"] == as_csv["Content-Type"]
    cached = api.get(url, {"q": "motorsag"})
    assert cached.content == first.content and cached["Content-Type"] == "application/json"
    assert cached["ETag"] == first["ETag"] and "Accept" in cached["Vary"]
    with django_capture_on_commit_callbacks(execute=True):
        services.offer_update(offer=offer, data={"title": "Motorsagkurs, videregående"},
                              areas=list(offer.areas.all()))
    again = api.get(url, {"q": "motorsag"}, HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 200
    assert again.json()["results"][0]["title"] == "Motorsagkurs, videregående"


def test_api_offer_list_bad_filter_is_still_a_400_and_not_cached(offer):
    from rest_framework.test import APIClient

    api = APIClient()
    url = reverse("api-offers")
    for _ in range(2):
        response = api.get(url, {"level": "nonsense"})
        assert response.status_code == 400 and "level" in response.json()



def test_logged_in_api_offer_list_is_not_served_from_the_anonymous_cache(
        offer, business_user):
    from rest_framework.test import APIClient

    api = APIClient()
    url = reverse("api-offers")
    assert api.get(url).json()["count"] == 1
    # Written behind the signals' back: only a view that reads the database can see it.
    Offer.objects.filter(pk=offer.pk).update(title="Endra tittel")
    assert api.get(url).json()["results"][0]["title"] == "Motorsagkurs for nybegynnere"
    api.force_authenticate(business_user)
    assert api.get(url).json()["results"][0]["title"] == "Endra tittel"


@pytest.mark.parametrize("language", ["nb", "nn", "en"])
def test_a_page_cache_miss_of_an_offer_reads_one_query_and_shows_everything(
        client, provider, language):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    provider.contact_email = "kurs@example.no"
    provider.save()
    offer = factories.OfferFactory(provider=provider, title="Motorsag og hogst",
                                   areas=["skog.motorsag", "bygg"], min_participants=4,
                                   max_participants=9, url="https://example.no/kurs")
    url = reverse("offers:detail", args=[offer.pk])
    with CaptureQueriesContext(connection) as captured:
        html = client.get(url, HTTP_ACCEPT_LANGUAGE=language).content.decode()
    # The offer, its provider, its place and its areas' labels in one row on PostgreSQL.
    assert len(captured.captured_queries) == (1 if connection.vendor == "postgresql" else 2)
    areas = sorted(offer.areas.all(), key=lambda a: (a.sort_order, a.code))
    labels = [getattr(a, f"label_{language}") or a.label_nb for a in areas]
    assert ", ".join(labels) in html
    for shown in (offer.title, provider.name, "kurs@example.no", "https://example.no/kurs"):
        assert shown in html
    with CaptureQueriesContext(connection) as captured:
        again = client.get(url, HTTP_ACCEPT_LANGUAGE=language).content.decode()
    assert captured.captured_queries == []  # a hit: the same page, with a fresh mask of the token
    masked = re.compile(r"[A-Za-z0-9]{64}")
    assert masked.sub("token", again) == masked.sub("token", html)
    assert client.get(reverse("offers:detail", args=[offer.pk + 1000])).status_code == 404
