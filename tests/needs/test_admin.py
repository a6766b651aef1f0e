import pytest
from django.urls import reverse

from needs.models import NeedImport, SurveyResponse
from tests.factories import NeedFactory, SurveyRoundFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_admin_pages_load(client):
    admin = UserFactory(is_staff=True, is_superuser=True)
    client.force_login(admin)
    need = NeedFactory(round=SurveyRoundFactory())
    response = SurveyResponse.objects.create(organisation=need.organisation, round=need.round)
    NeedImport.objects.create(filename="x.csv", file="x.csv")
    for model in ("need", "surveyround", "surveyresponse", "needimport"):
        assert client.get(reverse(f"admin:needs_{model}_changelist")).status_code == 200
    assert client.get(reverse("admin:needs_need_change", args=[need.pk])).status_code == 200
    assert client.get(reverse("admin:needs_surveyresponse_change",
                              args=[response.pk])).status_code == 200
