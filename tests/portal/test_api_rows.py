"""The API lists written from `.values()` rows (portal/api_rows.py) give exactly what their
serializers give: every field, every value, in the same order, nulls and time zones too."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from matching.api import CohortSerializer, MatchSerializer
from matching.models import Cohort, Match
from needs.api import NeedSerializer
from needs.models import Need
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def api():
    client = APIClient()
    client.force_authenticate(factories.adviser())
    return client


def _serialized(serializer, model, ids, language="en"):
    from django.utils import translation

    with translation.override(language):
        return {row["id"]: json.loads(json.dumps(row)) for row in (
            serializer(model.objects.get(pk=pk)).data for pk in ids)}


def _listed(api, url, language="en", **params):
    response = api.get(url, params, HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 200, response.content
    return response.json()


def test_need_rows_are_the_serializers_with_nulls_decimals_and_times(api):
    municipality_less = factories.BusinessFactory(municipality=None)
    needs = [
        factories.NeedFactory(external_ref="BEHOV-1", budget_per_participant=Decimal("6000.5")),
        factories.NeedFactory(organisation=municipality_less, round=None,
                              budget_per_participant=None, earliest_start=None,
                              latest_start=None, max_travel_km=None, level="",
                              submitted_at=timezone.now() - dt.timedelta(days=3),
                              priority=Need.Priority.HIGH),
        factories.NeedFactory(round=factories.SurveyRoundFactory(), to_train=3, to_recruit=1),
    ]
    listed = _listed(api, reverse("api-needs"))["results"]
    assert {row["id"] for row in listed} == {n.pk for n in needs}
    expected = _serialized(NeedSerializer, Need, [n.pk for n in needs])
    for row in listed:
        assert list(row) == list(expected[row["id"]])
        assert row == expected[row["id"]]
    # A filter, and the cursor's next page, the same way.
    high = _listed(api, reverse("api-needs"), priority="high")["results"]
    assert high == [expected[needs[1].pk]]
    first = _listed(api, reverse("api-needs"), page_size=2)
    second = api.get(first["next"]).json()
    assert [r["id"] for r in first["results"] + second["results"]] == [
        n.pk for n in sorted(needs, key=lambda n: (n.created_at, n.pk), reverse=True)]


@pytest.mark.parametrize("language", ["nb", "en"])
def test_match_rows_are_the_serializers_with_explanations_in_the_language(api, language):
    matches = [
        factories.MatchFactory(score=91.5, reasons=[
            {"code": "same_subarea", "area": "skog.motorsag"}, {"code": "same_level"}]),
        factories.MatchFactory(score=91.5, status=Match.Status.PROPOSED),
        factories.MatchFactory(score=35.0, reasons=[{"code": "words", "words": ["motorsag"]}]),
    ]
    listed = _listed(api, reverse("api-matches"), language)["results"]
    expected = _serialized(MatchSerializer, Match, [m.pk for m in matches], language)
    assert [row["id"] for row in listed] == [matches[1].pk, matches[0].pk, matches[2].pk]
    for row in listed:
        assert list(row) == list(expected[row["id"]])
        assert row == expected[row["id"]]
    assert [r["id"] for r in _listed(api, reverse("api-matches"), language,
                                     min_score=60)["results"]] == [matches[1].pk, matches[0].pk]


def test_cohort_rows_are_the_serializers_with_the_count(api):
    cohorts = [factories.CohortFactory(participants=12),
               factories.CohortFactory(anchor_municipality=None, online=True,
                                       is_opportunity=False, window_start=dt.date(2027, 3, 1),
                                       window_end=dt.date(2027, 6, 30))]
    listed = _listed(api, reverse("api-cohorts"))
    assert listed["count"] == 2
    expected = _serialized(CohortSerializer, Cohort, [c.pk for c in cohorts])
    assert [row["id"] for row in listed["results"]] == [c.pk for c in cohorts]
    for row in listed["results"]:
        assert list(row) == list(expected[row["id"]])
        assert row == expected[row["id"]]


def test_an_empty_list_as_csv_still_has_the_serializers_header(api):
    response = api.get(reverse("api-cohorts"), HTTP_ACCEPT="text/csv")
    assert response.status_code == 200
    assert response.content.decode().splitlines()[0].split(",") == list(
        CohortSerializer().fields)


def test_times_are_written_in_the_current_zone_exactly_as_drf_writes_them():
    from portal.api_rows import RowPlan

    plan = RowPlan(NeedSerializer(), {})
    field = NeedSerializer().fields["updated_at"]
    empty = dict.fromkeys(plan.columns())
    column = {name: column for name, column, *_rest in plan.entries}["updated_at"]
    assert column in empty
    value = dt.datetime(2027, 2, 3, 8, 15, 30, 123456, tzinfo=dt.UTC)
    for zone, text in (("UTC", "2027-02-03T08:15:30.123456Z"),
                       ("Europe/Oslo", "2027-02-03T09:15:30.123456+01:00")):
        with timezone.override(zone):
            # The column's text as PostgreSQL writes it (in the connection's UTC), or a value.
            for read in ("2027-02-03 08:15:30.123456+00", "2027-02-03 09:15:30.123456+01",
                         value):
                row = plan.row({**empty, column: read}, timezone.get_current_timezone())
                assert row["updated_at"] == field.to_representation(value) == text
    whole = dt.datetime(2027, 2, 3, 8, 15, tzinfo=dt.UTC)
    with timezone.override("UTC"):
        row = plan.row({**empty, column: "2027-02-03 08:15:00+00"},
                       timezone.get_current_timezone())
        assert row["updated_at"] == field.to_representation(whole) == "2027-02-03T08:15:00Z"
    assert plan.row(empty, timezone.get_current_timezone())["updated_at"] is None


def test_json_columns_read_as_text_are_the_serializers_to_the_key_order(api):
    """`components` and `reasons` are read as the column's text and decoded once per text
    (api_rows): the same values, keys in the same order, for rows sharing a text too."""
    reasons = [{"code": "words", "words": ["førstehjelp", "hms"]},
               {"code": "distance_km", "km": 38, "municipality": "4026"}]
    components = {"topic": 1.0, "level": 0.5, "format": 1.0, "geography": 0.8,
                  "timing": 0.0, "cost": 1.0, "capacity": 1.0}
    matches = [factories.MatchFactory(score=80.0 - i, reasons=reasons, components=components)
               for i in range(3)]
    for _ in range(2):  # the second answer is decoded from the kept texts
        listed = _listed(api, reverse("api-matches"))["results"]
        expected = _serialized(MatchSerializer, Match, [m.pk for m in matches])
        assert [row["id"] for row in listed] == [m.pk for m in matches]
        for row in listed:
            assert json.dumps(row) == json.dumps(expected[row["id"]])


def test_cohort_pages_are_counted_in_the_pages_own_query(api, monkeypatch,
                                                         django_assert_num_queries):
    """CountedInPagePagination: one query for a page, its count and links as DRF's page
    numbers give them; past the end and a page that is no number are DRF's 404s."""
    from portal.api_common import CountedInPagePagination

    monkeypatch.setattr(CountedInPagePagination, "page_size", 2)
    cohorts = [factories.CohortFactory(participants=20 - i) for i in range(5)]
    url = reverse("api-cohorts")
    _listed(api, url)  # the adviser's standing, read once and kept
    with django_assert_num_queries(1):
        first = _listed(api, url)
    assert first["count"] == 5 and first["previous"] is None
    assert first["next"].endswith("?page=2")
    assert [r["id"] for r in first["results"]] == [c.pk for c in cohorts[:2]]
    assert "page_total_count" not in first["results"][0]
    last = _listed(api, url, page="3")
    assert last["count"] == 5 and last["next"] is None and last["previous"].endswith("?page=2")
    assert [r["id"] for r in last["results"]] == [cohorts[4].pk]
    assert _listed(api, url, page="last") == last
    for page in ("4", "0", "x", "1.5"):
        assert api.get(url, {"page": page}).status_code == 404
    Cohort.objects.all().delete()
    assert _listed(api, url) == {"count": 0, "next": None, "previous": None, "results": []}


def test_area_and_place_codes_come_from_the_kept_reference_data_and_follow_changes(api):
    """The needs' and cohorts' area and municipality codes are written from the kept
    reference data (no join): a renamed code shows at once, a new area is found too."""
    from portal.models import CompetenceArea

    need = factories.NeedFactory()
    cohort = factories.CohortFactory()
    assert _listed(api, reverse("api-needs"))["results"][0]["area"] == need.area.code
    area = need.area
    area.code = f"{area.code}.ny"
    area.save()
    fresh = CompetenceArea.objects.create(code="nytt", label_nb="Nytt", label_nn="Nytt",
                                          label_en="New")
    later = factories.NeedFactory(area=fresh)
    rows = {r["id"]: r for r in _listed(api, reverse("api-needs"))["results"]}
    assert rows[need.pk]["area"] == area.code and rows[later.pk]["area"] == "nytt"
    expected = _serialized(NeedSerializer, Need, [need.pk, later.pk])
    assert rows[need.pk] == expected[need.pk] and rows[later.pk] == expected[later.pk]
    listed = _listed(api, reverse("api-cohorts"))["results"]
    assert listed == list(_serialized(CohortSerializer, Cohort, [cohort.pk]).values())
