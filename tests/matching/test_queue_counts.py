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


def test_a_status_filter_takes_its_count_from_the_status_counts(adviser_client):
    MatchFactory(status=S.APPROVED)
    MatchFactory()
    adviser_client.get(reverse("matching:adviser_home"))  # the counts are kept from here on
    with CaptureQueriesContext(connection) as ctx:
        response = adviser_client.get(reverse("matching:adviser_home"), {"status": "approved"})
    assert response.context["page_obj"].paginator.count == 1
    assert not [q for q in ctx.captured_queries
                if "COUNT(" in q["sql"].upper() and "matching_match" in q["sql"]]


def test_a_filtered_queue_is_counted_only_as_far_as_needed(adviser_client, monkeypatch):
    from matching.views import adviser as views

    monkeypatch.setattr(views, "QUEUE_COUNT_CAP", 3)
    monkeypatch.setattr(views, "PAGE_SIZE", 2)
    for _ in range(6):
        MatchFactory(score=80)
    url = reverse("matching:adviser_home")
    with CaptureQueriesContext(connection) as ctx:
        first = adviser_client.get(url, {"min_score": "50"})
    counts = [q["sql"] for q in ctx.captured_queries
              if q["sql"].startswith('SELECT COUNT(') and "matching_match" in q["sql"]]
    assert len(counts) == 1 and "LIMIT 4" in counts[0]
    html = first.content.decode()
    assert "Mer enn 3 treff" in html and "Side 1 av mer enn 1" in html
    assert 'rel="next"' in html
    # Further on, it counts as far as the page asked for; the last page knows it is the last.
    last = adviser_client.get(url, {"min_score": "50", "page": "3"}).content.decode()
    assert "6 treff" in last and "Side 3 av 3" in last and 'rel="next"' not in last
    assert len(list(first.context["page_obj"])) == 2
    few = adviser_client.get(url, {"min_score": "90"})
    assert few.context["page_obj"].paginator.count == 0
