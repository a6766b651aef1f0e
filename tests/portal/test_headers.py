"""Response headers that keep personal data private and pages free of injected code."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests import factories

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("name", ["portal:dashboard", "portal:account", "needs:business_home",
                                  "offers:catalogue"])
def test_pages_for_a_signed_in_person_are_private_and_not_stored(business_client, name):
    response = business_client.get(reverse(name))
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"


def test_adviser_export_is_private(adviser_client):
    response = adviser_client.get(reverse("needs:adviser_export"))
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"


def test_public_pages_for_anonymous_visitors_are_not_marked_private(client):
    response = client.get(reverse("offers:catalogue"))
    assert "no-store" not in response.get("Cache-Control", "")


@pytest.mark.parametrize("url", ["/api/docs/", "/api/schema/", "/api/v1/offers/"])
def test_api_and_its_docs_carry_a_content_security_policy(client, url):
    policy = client.get(url)["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "unsafe-eval" not in policy
    assert "frame-ancestors 'none'" in policy


def test_admin_carries_a_content_security_policy(client):
    client.force_login(factories.UserFactory(is_staff=True, is_superuser=True))
    response = client.get("/admin/")
    assert response.status_code == 200
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "'unsafe-inline'" not in policy.split(
        "script-src")[1].split(";")[0]
    assert response["Cache-Control"] == "private, no-store"
