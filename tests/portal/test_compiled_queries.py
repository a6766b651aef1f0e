"""`portal.compiled_queries.values_rows`: a `.values()` query compiled once, run every time."""

import pytest

from matching.models import Match
from portal import compiled_queries
from portal.compiled_queries import values_rows
from tests.factories import MatchFactory

pytestmark = pytest.mark.django_db


def _queue_page():
    return Match.objects.order_by("-score", "pk")[:2].values(
        "pk", "score", "status", "need__title", "offer__provider__name")


def test_rows_are_what_values_gives_and_new_rows_show_at_once():
    MatchFactory(score=50)
    MatchFactory(score=70)
    assert values_rows(("test-page",), _queue_page) == list(_queue_page())
    assert compiled_queries._compiled[("test-page",)] is not None  # the SQL is kept
    MatchFactory(score=90)  # the SQL is kept, never the rows
    rows = values_rows(("test-page",), _queue_page)
    assert rows == list(_queue_page()) and rows[0]["score"] == 90


def test_columns_go_through_their_converters():
    match = MatchFactory(components={"topic": 1.0}, reasons=[{"code": "topic"}])

    def build():
        return Match.objects.filter(pk=match.pk).values("pk", "components", "reasons")

    assert values_rows(("test-json",), build) == list(build()) == [
        {"pk": match.pk, "components": {"topic": 1.0}, "reasons": [{"code": "topic"}]}]
    assert compiled_queries._compiled[("test-json",)] is not None


def test_a_query_that_matches_nothing_gives_no_rows():
    MatchFactory()
    assert values_rows(("test-empty",), lambda: Match.objects.filter(pk__in=[]).values("pk")) == []
    assert compiled_queries._compiled[("test-empty",)] is None


def test_one_sql_serves_every_id():
    from portal.compiled_queries import values_rows_by_id

    first, second = MatchFactory(score=41), MatchFactory(score=42)

    def build(pk):
        return Match.objects.filter(pk=pk).values("pk", "score")

    assert values_rows_by_id(("test-by-id",), build, first.pk) == [
        {"pk": first.pk, "score": 41}]
    assert compiled_queries._by_id[("test-by-id",)] is not None
    assert values_rows_by_id(("test-by-id",), build, second.pk) == [
        {"pk": second.pk, "score": 42}]
    assert values_rows_by_id(("test-by-id",), build, 0) == []
