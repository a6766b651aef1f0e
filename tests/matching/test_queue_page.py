"""The adviser's queue as its page reads it (`matching.selectors.queue`): the area, place and
scope filters find exactly the matches they did as joins, in score order, page by page; the
rows name each match's need, business, offer and provider."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from matching.models import Match
from matching.views import adviser as views
from portal.compiled_queries import rows_around
from portal.models import CompetenceArea, Municipality
from tests.factories import (
    BusinessFactory,
    MatchFactory,
    NeedFactory,
    OfferFactory,
    area,
    scoped_adviser,
)

pytestmark = pytest.mark.django_db
S = Match.Status
URL = reverse("matching:adviser_home")


def _pages(client, params: dict) -> list[int]:
    """The pks of every page of the queue with these filters, in the order shown."""
    shown, number = [], 1
    while True:
        page = client.get(URL, {**params, "page": number}).context["page_obj"]
        shown += [row.pk for row in page]
        if not page.has_next():
            return shown
        number += 1


def _expected(queryset) -> list[int]:
    """What the queue shows of `queryset`, by the ORM's own joins: current or decided
    matches, best first, ties by id."""
    return list(queryset.exclude(status=S.SUGGESTED, is_current=False)
                .order_by("-score", "pk").values_list("pk", flat=True))


@pytest.fixture
def world():
    """Matches in the forestry area, its sub-areas and another area, in two municipalities,
    with tied scores and a suggestion that dropped out of the top K."""
    tinn = BusinessFactory(municipality=Municipality.objects.get(code="4026"))
    seljord = BusinessFactory()  # 4022
    offer = OfferFactory()
    codes = ["skog", "skog.motorsag", "skog.motorsag", "bygg.tomrer"]
    for i in range(24):
        need = NeedFactory(area=area(codes[i % 4]), organisation=(tinn, seljord)[i % 3 == 0])
        MatchFactory(need=need, offer=offer, score=(90, 75, 75, 60)[i % 4],
                     status=(S.SUGGESTED, S.APPROVED)[i % 5 == 0],
                     is_current=i % 7 != 3)


def test_area_filter_finds_the_area_and_its_sub_areas_page_by_page(adviser_client, world,
                                                                   monkeypatch):
    monkeypatch.setattr(views, "PAGE_SIZE", 4)
    skog = CompetenceArea.objects.with_descendants("skog")
    expected = _expected(Match.objects.filter(need__area__in=skog))
    assert len(expected) > 8
    assert _pages(adviser_client, {"area": "skog"}) == expected
    assert _pages(adviser_client, {"area": "skog.motorsag"}) == _expected(
        Match.objects.filter(need__area__code="skog.motorsag"))
    # With the other filters as well.
    assert _pages(adviser_client, {"area": "skog", "municipality": "4026", "min_score": 70}) \
        == _expected(Match.objects.filter(need__area__in=skog, score__gte=70,
                                          need__organisation__municipality__code="4026"))
    assert _pages(adviser_client, {"area": "skog", "status": "suggested"}) == list(
        Match.objects.filter(need__area__in=skog, status=S.SUGGESTED)
        .order_by("-score", "pk").values_list("pk", flat=True))
    response = adviser_client.get(URL, {"area": "skog"})
    assert response.context["page_obj"].paginator.count == len(expected)
    assert f"{len(expected)} treff" in response.content.decode()


def test_a_scoped_adviser_sees_and_counts_only_their_municipalities(client, world,
                                                                    monkeypatch):
    monkeypatch.setattr(views, "PAGE_SIZE", 5)
    client.force_login(scoped_adviser("4026"))
    in_tinn = Match.objects.filter(need__organisation__municipality__code="4026")
    assert _pages(client, {}) == _expected(in_tinn)
    assert _pages(client, {"area": "skog"}) == _expected(
        in_tinn.filter(need__area__in=CompetenceArea.objects.with_descendants("skog")))
    assert _pages(client, {"min_score": 80}) == _expected(in_tinn.filter(score__gte=80))
    assert _pages(client, {"status": "approved"}) == _expected(
        in_tinn.filter(status=S.APPROVED))
    # A place outside the scope shows nothing, not that place's matches.
    outside = client.get(URL, {"municipality": "4022"})
    assert list(outside.context["page_obj"]) == []
    assert outside.context["page_obj"].paginator.count == 0


def test_queue_rows_name_the_need_business_offer_and_provider(adviser_client, monkeypatch):
    monkeypatch.setattr(views, "PAGE_SIZE", 1)
    MatchFactory(score=95)
    declined = MatchFactory(
        score=40, status=S.DECLINED, response_reason="timing: Travelt til mai",
        need=NeedFactory(title="", participants=7, organisation=BusinessFactory(
            name="Sag & Høvel", municipality=Municipality.objects.get(code="4026"))),
        offer=OfferFactory(title="Motorsag <grunnkurs>"))
    page = adviser_client.get(URL, {"page": 2}).context["page_obj"]
    [row] = list(page)
    assert (row.pk, row.score, row.status) == (declined.pk, 40, S.DECLINED)
    assert row.need_name == f"{area('skog.motorsag').label_nb} (7)"
    assert row.organisation_name == "Sag & Høvel" and row.municipality_name == "Tinn"
    assert row.offer_title == "Motorsag <grunnkurs>"
    assert row.provider_name == declined.offer.provider.name
    assert row.decline_reason == declined.decline_reason_display() != ""


def test_a_filtered_queue_runs_as_many_queries_for_many_rows_as_for_few(adviser_client):
    offer = OfferFactory()

    def queries(params) -> int:
        adviser_client.get(URL, params)
        with CaptureQueriesContext(connection) as ctx:
            adviser_client.get(URL, params)
        # (The test settings keep sessions in the database: one query more, not the queue's.)
        return len([q for q in ctx.captured_queries if "django_session" not in q["sql"]])

    for params in ({"area": "skog"}, {"min_score": 50}, {"status": "approved"}):
        MatchFactory(offer=offer, status=S.APPROVED)
        few = queries(params)
        for _ in range(10):
            MatchFactory(need=NeedFactory(organisation=BusinessFactory()),
                         offer=OfferFactory(), status=S.APPROVED)
        assert queries(params) == few, params
        # The page and, for other filters than the status alone, its capped count.
        assert few == (1 if params == {"status": "approved"} else 2), params


def test_rows_around_a_query_that_can_match_nothing_are_none():
    assert rows_around(("test-empty",), lambda: Match.objects.filter(pk__in=[]).values("pk"),
                       "SELECT COUNT(*) FROM ({inner}) AS counted") == []
