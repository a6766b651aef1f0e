"""The barometer's pages run a fixed number of SQL queries, however many needs there are."""

from __future__ import annotations

from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from matching.models import Match
from needs.models import SurveyResponse
from tests import factories


def add_needs(survey_round, count: int, start: int) -> None:
    codes = ["4022", "4036", "4026", "4034"]
    for i in range(count):
        org = factories.BusinessFactory(municipality=factories.municipality(codes[i % 4]),
                                        employees=3 + i)
        need = factories.NeedFactory(organisation=org, round=survey_round,
                                     participants=1 + i % 5)
        factories.MatchFactory(need=need, status=Match.Status.ACCEPTED if i % 2 else "suggested")
        SurveyResponse.objects.create(organisation=org, round=survey_round, status="submitted",
                                      overall_need="some", measures=["train_staff"])


def queries(client, url: str) -> int:
    cache.clear()  # count the cold path: the release is rebuilt from the database
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured.captured_queries)


def test_dashboard_and_public_page_queries_do_not_grow_with_the_data(client, db):
    adviser = factories.adviser()
    rounds = [factories.SurveyRoundFactory(year=2025), factories.SurveyRoundFactory(year=2026)]
    add_needs(rounds[0], 3, 0)
    add_needs(rounds[1], 3, 10)
    client.force_login(adviser)
    urls = [reverse("matching:barometer"), reverse("barometer:public"),
            reverse("barometer:data_csv"), reverse("api-barometer")]
    for url in urls:
        queries(client, url)  # first use creates the settings row, sessions, ...
    small = [queries(client, url) for url in urls]
    add_needs(rounds[0], 9, 100)
    add_needs(rounds[1], 12, 200)
    factories.SurveyRoundFactory(year=2027)
    large = [queries(client, url) for url in urls]
    assert large == small
    assert max(large) <= 25

