"""The work queue's status counts are kept a minute, but an adviser's decision shows at once."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from matching.models import Match
from tests.factories import MatchFactory

pytestmark = pytest.mark.django_db
S = Match.Status


def _counts(client) -> dict[str, int]:
    response = client.get(reverse("matching:adviser_home"))
    return {value: n for value, _label, n in response.context["status_counts"]}


def test_counts_follow_an_advisers_decision_at_once(adviser_client):
    first, _second = MatchFactory(), MatchFactory()
    assert _counts(adviser_client)[S.SUGGESTED] == 2
    adviser_client.post(reverse("matching:match_transition", args=[first.pk]),
                        {"action": "approve"})
    counts = _counts(adviser_client)
    assert counts[S.SUGGESTED] == 1 and counts[S.APPROVED] == 1


def test_unfiltered_queue_counts_nothing_again(adviser_client):
    for _ in range(3):
        MatchFactory()
    retired = MatchFactory(is_current=False)  # out of the top K: not in the queue
    response = adviser_client.get(reverse("matching:adviser_home"))
    assert response.context["page_obj"].paginator.count == 3
    assert retired.pk not in [m.pk for m in response.context["page_obj"]]
    with CaptureQueriesContext(connection) as ctx:
        adviser_client.get(reverse("matching:adviser_home"))
    assert not [q for q in ctx.captured_queries
                if "COUNT(" in q["sql"].upper() and "matching_match" in q["sql"]]
    filtered = adviser_client.get(reverse("matching:adviser_home"), {"min_score": "90"})
    assert filtered.context["page_obj"].paginator.count == 0
