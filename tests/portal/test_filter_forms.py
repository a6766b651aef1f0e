"""The adviser's filter forms are rendered once per set of values, yet a new or renamed area,
place or survey round shows in them at once."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from portal.models import CompetenceArea, Municipality
from tests import factories
from tests.factories import SurveyRoundFactory

pytestmark = pytest.mark.django_db


def _reference_queries(client, url, data=None) -> list[str]:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url, data or {})
    assert response.status_code == 200
    return [q["sql"] for q in ctx.captured_queries
            if any(table in q["sql"] for table in (
                'FROM "portal_competencearea"', 'FROM "portal_municipality"',
                'FROM "needs_surveyround"'))]


@pytest.mark.parametrize("url_name", ["matching:adviser_home", "needs:adviser_list"])
def test_filters_are_built_once_per_set_of_values(adviser_client, url_name):
    url = reverse(url_name)
    assert _reference_queries(adviser_client, url, {"status": "submitted"})
    assert not _reference_queries(adviser_client, url, {"status": "submitted"})


@pytest.mark.parametrize("url_name", ["matching:adviser_home", "needs:adviser_list"])
def test_a_new_municipality_shows_in_the_filters_at_once(adviser_client, url_name):
    url = reverse(url_name)
    assert "Nyby" not in adviser_client.get(url).content.decode()
    Municipality.objects.create(code="9998", name="Nyby", county_code="99", in_region=False,
                                latitude=59.5, longitude=8.5)
    assert "Nyby" in adviser_client.get(url).content.decode()


def test_a_new_or_removed_area_shows_in_the_queue_filter_at_once(adviser_client):
    url = reverse("matching:adviser_home")
    adviser_client.get(url)
    area = CompetenceArea.objects.create(
        code="skog.taubane", parent=factories.area("skog"), label_nb="Taubanekjøring",
        label_nn="Taubanekøyring", label_en="Cable crane work")
    assert "Taubanekjøring" in adviser_client.get(url).content.decode()
    area.delete()
    assert "Taubanekjøring" not in adviser_client.get(url).content.decode()


def test_a_new_survey_round_shows_in_the_needs_filter_at_once(adviser_client):
    url = reverse("needs:adviser_list")
    adviser_client.get(url)
    SurveyRoundFactory(name="Vårrunden 2031")
    assert "Vårrunden 2031" in adviser_client.get(url).content.decode()


def test_an_invalid_filter_still_shows_its_error_each_time(adviser_client):
    url = reverse("matching:adviser_home")
    for _ in range(2):
        response = adviser_client.get(url, {"min_score": "abc"})
        assert "min_score" in response.context["form"].errors
        assert 'class="field field-error"' in response.content.decode()


def test_the_queue_rows_name_a_renamed_place_and_area_at_once(adviser_client):
    from tests.factories import MatchFactory

    match = MatchFactory(need__title="")
    url = reverse("matching:adviser_home")
    adviser_client.get(url)
    place = match.need.organisation.municipality
    place.name = "Nytt Stadnamn"
    place.save()
    area = match.need.area
    area.label_nb = "Nytt områdenamn"
    area.save()
    row = adviser_client.get(url).content.decode()
    row = row[row.index(f'data-match="{match.pk}"'):]
    row = row[:row.index("</tr>")]
    assert "<td>Nytt Stadnamn</td>" in row and "Nytt områdenamn (" in row


def test_the_need_rows_name_a_renamed_place_at_once(adviser_client):
    from tests.factories import NeedFactory

    need = NeedFactory()
    url = reverse("needs:adviser_list")
    adviser_client.get(url)
    place = need.organisation.municipality
    place.name = "Nytt Stadnamn"
    place.save()
    row = adviser_client.get(url).content.decode()
    row = row[row.index(f'data-need="{need.pk}"'):]
    assert "<td>Nytt Stadnamn</td>" in row[:row.index("</tr>")]
