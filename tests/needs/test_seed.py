import pytest
from django.core.management import call_command
from django.db.models import Count

from needs.models import Need, SurveyResponse
from tests.factories import BusinessFactory, SurveyRoundFactory

pytestmark = pytest.mark.django_db


def test_seed_demo_needs_is_deterministic_idempotent_and_pools(capsys):
    survey_round = SurveyRoundFactory()
    for _ in range(8):
        BusinessFactory(employees=15)
    call_command("seed_demo_needs")
    first = list(Need.objects.order_by("external_ref").values_list(
        "external_ref", "area__code", "participants", "earliest_start"))
    assert len(first) >= 60
    assert set(Need.objects.values_list("round", flat=True)) == {survey_round.pk}
    call_command("seed_demo_needs")
    again = list(Need.objects.order_by("external_ref").values_list(
        "external_ref", "area__code", "participants", "earliest_start"))
    assert again == first
    pooled = (Need.objects.values("area__code", "earliest_start")
              .annotate(businesses=Count("organisation", distinct=True))
              .filter(businesses__gte=3))
    assert pooled.exists()
    consents = set(SurveyResponse.objects.values_list("consent", flat=True))
    assert len(consents) == 3


def test_seed_demo_needs_without_businesses_does_nothing():
    call_command("seed_demo_needs")
    assert not Need.objects.exists()
