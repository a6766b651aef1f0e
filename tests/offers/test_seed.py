import pytest
from django.core.management import call_command

from offers.models import Offer
from tests import factories

pytestmark = pytest.mark.django_db


def test_seed_demo_offers_is_idempotent():
    factories.ProviderFactory()
    factories.ProviderFactory()
    call_command("seed_demo_offers")
    first = set(Offer.objects.values_list("provider_id", "external_id", "title", "start_date"))
    assert len(first) >= 40
    assert Offer.objects.filter(status="published").count() == len(first)
    assert Offer.objects.filter(format="online").exists()
    assert Offer.objects.filter(on_demand=True).exists()
    call_command("seed_demo_offers")
    again = set(Offer.objects.values_list("provider_id", "external_id", "title", "start_date"))
    assert again == first
