import pytest
from django.urls import reverse

from needs.models import Need
from tests.factories import NeedFactory, SurveyRoundFactory

pytestmark = pytest.mark.django_db


def _needs(business, n):
    survey_round = SurveyRoundFactory()
    statuses = list(Need.Status.values)
    for i in range(n):
        NeedFactory(organisation=business, round=survey_round, status=statuses[i % 5],
                    title=f"Behov {i}")


def test_needs_are_grouped_by_status_with_links(business_client, business):
    _needs(business, 5)
    page = business_client.get(reverse("needs:business_home"))
    html = page.content.decode()
    for status in Need.Status.values:
        assert f'data-status="{status}"' in html
    assert reverse("matching:business_proposals") in html
    assert reverse("needs:survey_start") in html


def test_page_query_count_is_constant(business_client, business,
                                      django_assert_max_num_queries):
    _needs(business, 5)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as five:
        business_client.get(reverse("needs:business_home"))
    _needs(business, 45)
    assert Need.objects.filter(organisation=business).count() == 50
    with django_assert_max_num_queries(len(five.captured_queries)):
        page = business_client.get(reverse("needs:business_home"))
    assert page.content.decode().count("data-need=") == 50


def test_other_businesses_needs_are_not_listed(business_client, business):
    NeedFactory(organisation=business, title="Vår egen")
    NeedFactory(title="Naboens hemmelige behov")
    html = business_client.get(reverse("needs:business_home")).content.decode()
    assert "Vår egen" in html and "Naboens" not in html


def test_edit_submitted_need_from_business_page(business_client, business):
    need = NeedFactory(organisation=business)
    url = reverse("needs:need_edit", kwargs={"pk": need.pk})
    assert business_client.get(url).status_code == 200
    response = business_client.post(url, {
        "area": need.area_id, "participants": "2", "formats": ["online"], "priority": "low",
        "willing_to_share": "on"})
    assert response.status_code == 302
    need.refresh_from_db()
    assert need.participants == 2 and need.status == Need.Status.SUBMITTED


def test_withdraw_from_business_page(business_client, business):
    need = NeedFactory(organisation=business)
    url = reverse("needs:need_withdraw", kwargs={"pk": need.pk})
    assert business_client.get(url).status_code == 200
    business_client.post(url)
    need.refresh_from_db()
    assert need.status == Need.Status.WITHDRAWN
