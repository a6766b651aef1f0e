"""The API's authentication and throttling: no HTTP Basic (it would bypass the login's rate
limits, lockout, verified-address rule and second factor), per-user and per-IP rates with a
429 and Retry-After, private answers, and no 5xx from out-of-range numbers."""

from __future__ import annotations

import base64

import pytest
from django.conf import settings as django_settings
from django.urls import reverse
from rest_framework.test import APIClient

from tests import factories

pytestmark = pytest.mark.django_db
PASSWORD = "Hemmelig-passord-42"


def _rates(settings, anon: str, user: str) -> None:
    settings.REST_FRAMEWORK = {**django_settings.REST_FRAMEWORK,
                               "DEFAULT_THROTTLE_RATES": {"anon": anon, "user": user}}


def _basic(email: str, password: str) -> str:
    return "Basic " + base64.b64encode(f"{email}:{password}".encode()).decode()


def test_basic_auth_is_refused_even_with_the_right_password(business):
    user = factories.member_of(business)
    factories.NeedFactory(organisation=business)
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=_basic(user.email, PASSWORD))
    response = api.get(reverse("api-needs"))
    assert response.status_code in (401, 403)
    assert "results" not in response.json()


def test_password_guessing_over_the_api_gets_nowhere(adviser_user):
    """The probe of the report: 30 wrong passwords, then the right one, for an adviser."""
    factories.NeedFactory()
    api = APIClient()
    for n in range(30):
        api.credentials(HTTP_AUTHORIZATION=_basic(adviser_user.email, f"wrong-{n}"))
        api.get(reverse("api-needs"))
    api.credentials(HTTP_AUTHORIZATION=_basic(adviser_user.email, PASSWORD))
    response = api.get(reverse("api-needs"))
    assert response.status_code in (401, 403)
    assert "results" not in response.json()


def test_anonymous_clients_are_throttled_per_ip_with_retry_after(settings):
    _rates(settings, anon="3/min", user="100/min")
    api = APIClient()
    url = reverse("api-offers")
    assert [api.get(url).status_code for _ in range(3)] == [200, 200, 200]
    response = api.get(url)
    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0
    assert "detail" in response.json()
    # Another address has its own count.
    assert api.get(url, REMOTE_ADDR="192.0.2.7").status_code == 200


def test_a_forged_forwarded_for_header_does_not_reset_the_count(settings):
    _rates(settings, anon="2/min", user="100/min")
    api = APIClient()
    url = reverse("api-municipalities")
    for n in range(2):
        api.get(url, HTTP_X_FORWARDED_FOR=f"198.51.100.{n}")
    assert api.get(url, HTTP_X_FORWARDED_FOR="198.51.100.99").status_code == 429


def test_signed_in_users_are_throttled_per_user(settings, business_user, provider_user):
    _rates(settings, anon="1/min", user="2/min")
    first, second = APIClient(), APIClient()
    first.force_authenticate(business_user)
    second.force_authenticate(provider_user)
    url = reverse("api-offers")
    assert [first.get(url).status_code for _ in range(3)] == [200, 200, 429]
    assert second.get(url).status_code == 200


@pytest.mark.services
def test_throttle_counts_live_in_the_shared_redis_cache(settings, redis_url):
    """Every gunicorn worker and host counts in the same Redis, not in its own memory."""
    import redis

    settings.CACHES = {"default": {"BACKEND": "portal.cache.RedisCache",  # as in production
                                   "LOCATION": redis_url, "KEY_PREFIX": "throttle-test"}}
    _rates(settings, anon="2/min", user="100/min")
    url = reverse("api-offers")
    APIClient().get(url)
    APIClient().get(url)
    keys = redis.Redis.from_url(redis_url).keys("throttle-test:*throttle_anon_127.0.0.1")
    assert keys, "the anonymous count is not stored in Redis"
    # A fresh client (think: another worker behind the same Redis) is already over the rate.
    assert APIClient().get(url).status_code == 429


def test_api_answers_for_a_signed_in_user_are_private(client, business_user):
    client.force_login(business_user)
    response = client.get(reverse("api-needs"))
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"


@pytest.mark.parametrize("params", [
    {"round": str(10**30)}, {"round": str(2**63)}, {"page": str(10**30)},
])
def test_out_of_range_numbers_in_api_queries_are_4xx(adviser_user, params):
    api = APIClient()
    api.force_authenticate(adviser_user)
    response = api.get(reverse("api-needs"), params)
    assert response.status_code < 500
    if "round" in params:
        assert response.status_code == 400


@pytest.mark.parametrize("name", ["api-need", "api-offer"])
def test_out_of_range_ids_in_api_paths_are_404(adviser_user, name):
    api = APIClient()
    api.force_authenticate(adviser_user)
    assert api.get(reverse(name, args=[10**30])).status_code in (403, 404)


@pytest.mark.services
def test_the_redis_count_is_one_number_per_window_that_ends_with_it(settings, redis_url,
                                                                    business_user):
    """A fixed window from the first request: a counter with the window's expiry (not a list
    of every request's time); over the rate, Retry-After is what is left of the window."""
    import time

    import redis

    settings.CACHES = {"default": {"BACKEND": "portal.cache.RedisCache",  # as in production
                                   "LOCATION": redis_url, "KEY_PREFIX": "window-test"}}
    _rates(settings, anon="100/min", user="2/s")
    api = APIClient()
    api.force_authenticate(business_user)
    url = reverse("api-offers")
    assert [api.get(url).status_code for _ in range(3)] == [200, 200, 429]
    server = redis.Redis.from_url(redis_url)
    [key] = server.keys(f"window-test:*throttle_user_{business_user.pk}")
    assert int(server.get(key)) == 3 and 0 < server.ttl(key) <= 1
    refused = api.get(url)
    assert refused.status_code == 429 and int(refused["Retry-After"]) == 1
    time.sleep(1.1)  # the window is over: a new one starts
    assert api.get(url).status_code == 200
    assert int(server.get(key)) == 1
