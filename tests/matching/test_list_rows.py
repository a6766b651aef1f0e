"""The list rows written in Python (`match_rows`, `need_rows`) show what the templates showed:
names escaped, a dash for what is missing, the badges, the links."""

import datetime

import pytest
from django.urls import reverse

from matching.models import Match
from tests.factories import BusinessFactory, CohortFactory, MatchFactory, NeedFactory

pytestmark = pytest.mark.django_db


def test_queue_row_escapes_names_and_links_to_the_match(adviser_client):
    match = MatchFactory(score=72.5, status=Match.Status.APPROVED,
                         need__organisation__name="Bakeri <Ost & Brød>")
    html = adviser_client.get(reverse("matching:adviser_home")).content.decode()
    assert f'<tr data-match="{match.pk}">' in html
    assert f'href="{reverse("matching:match_detail", args=[match.pk])}"' in html
    assert "Bakeri &lt;Ost &amp; Brød&gt;" in html and "<Ost" not in html
    assert f'for="select-{match.pk}"' in html and f'value="{match.pk}"' in html
    assert '<td class="score">73</td>' in html  # floatformat:0 rounds half up
    assert 'class="badge status-approved" data-status="approved"' in html


def test_cohort_row_shows_badges_dashes_and_numbers(adviser_client):
    cohort = CohortFactory(is_opportunity=True, is_current=True, participants=1200,
                           window_start=None, window_end=datetime.date(2027, 6, 30))
    html = adviser_client.get(reverse("matching:cohort_list")).content.decode()
    assert f'<tr data-cohort="{cohort.pk}">' in html
    assert 'data-opportunity="true"' in html
    row = html[html.index(f'data-cohort="{cohort.pk}"'):]
    row = row[:row.index("</tr>")]
    assert "<td>– – " in row  # no start date: a dash, as `|default:"–"` wrote
    assert "<td>1200 / 8</td>" in row  # USE_THOUSAND_SEPARATOR is off


def test_adviser_need_row_without_round_or_municipality_shows_dashes(adviser_client):
    need = NeedFactory(title="Truck & løfte", round=None,
                       organisation=BusinessFactory(municipality=None))
    html = adviser_client.get(reverse("needs:adviser_list")).content.decode()
    row = html[html.index(f'data-need="{need.pk}"'):]
    row = row[:row.index("</tr>")]
    assert f'href="{reverse("needs:need_detail", kwargs={"pk": need.pk})}"' in row
    assert "Truck &amp; løfte" in row
    assert row.count("<td>–</td>") == 2


def test_adviser_need_row_without_title_names_the_area_in_the_readers_language(adviser_client):
    need = NeedFactory(title="", participants=4)
    html = adviser_client.get(reverse("needs:adviser_list"),
                              HTTP_ACCEPT_LANGUAGE="en").content.decode()
    row = html[html.index(f'data-need="{need.pk}"'):]
    assert f">{need.area.label_en} (4)</a>" in row[:row.index("</tr>")]
