import pytest
from django.urls import reverse

from matching.models import CohortRequest, MatchingSettings
from tests.factories import CohortFactory, MatchFactory, ProviderFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_admin_pages_for_matching_render(client):
    staff = UserFactory(is_staff=True, is_superuser=True)
    client.force_login(staff)
    match = MatchFactory()
    cohort = CohortFactory()
    request = CohortRequest.objects.create(cohort=cohort, provider=ProviderFactory())
    settings_row = MatchingSettings.current()
    for name, args in [
        ("admin:matching_match_changelist", []), ("admin:matching_match_change", [match.pk]),
        ("admin:matching_cohort_changelist", []), ("admin:matching_cohort_change", [cohort.pk]),
        ("admin:matching_cohortrequest_change", [request.pk]),
        ("admin:matching_matchingsettings_change", [settings_row.pk]),
    ]:
        assert client.get(reverse(name, args=args)).status_code == 200, name
