"""Bad input is a clear answer, never a server error: page numbers and ids of any size."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests import factories

pytestmark = pytest.mark.django_db
HUGE = str(10**30)


@pytest.mark.parametrize("role", ["anonymous", "business", "provider", "adviser"])
def test_a_huge_catalogue_page_number_shows_the_last_page(client, role):
    factories.OfferFactory()
    users = {"business": lambda: factories.member_of(factories.BusinessFactory()),
             "provider": lambda: factories.member_of(factories.ProviderFactory()),
             "adviser": factories.adviser}
    if role in users:
        client.force_login(users[role]())
    for page in (HUGE, "9" * 100, "-5", "abc", str(2**63)):
        response = client.get(reverse("offers:catalogue"), {"page": page})
        assert response.status_code == 200, page


@pytest.mark.parametrize("name", ["needs:adviser_list", "matching:adviser_home",
                                  "matching:cohort_list"])
def test_huge_page_numbers_on_adviser_lists(adviser_client, name):
    assert adviser_client.get(reverse(name), {"page": HUGE}).status_code == 200


def test_provider_offer_list_with_a_huge_page_number(provider_client):
    assert provider_client.get(reverse("offers:provider_home"), {"page": HUGE}).status_code == 200


@pytest.mark.parametrize("name", ["needs:need_detail", "offers:detail", "matching:match_detail",
                                  "matching:cohort_detail", "portal:organisation_profile"])
def test_huge_ids_in_paths_are_404(adviser_client, name):
    assert adviser_client.get(reverse(name, args=[10**30])).status_code == 404


def test_a_huge_organisation_id_when_switching_is_404(business_client):
    response = business_client.post(reverse("portal:organisation_switch"), {"organisation": HUGE})
    assert response.status_code == 404
