"""Every list page runs the same number of SQL queries for 3 rows as for 30.

Each row brings its own related objects (its own business, provider, area, place, survey
answer), so a relation read row by row (an N+1) shows up as a growing count. The catalogue,
the business's needs page and the API lists have their own tests next to their apps.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from matching.models import CohortNeed, CohortRequest, Match, MatchEvent
from needs.models import Need, SurveyResponse
from offers.search import offer_search_refresh
from portal.models import CompetenceArea, Municipality
from tests import factories

pytestmark = pytest.mark.django_db

FEW, MANY = 3, 30


def _queries(client, url: str) -> int:
    client.get(url)  # per-process and per-user lookups (adviser check, place names) warm up
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(ctx.captured_queries)


def _assert_constant(client, url: str, grow: Callable[[int], None]) -> None:
    grow(FEW)
    few = _queries(client, url)
    grow(MANY - FEW)
    many = _queries(client, url)
    assert many == few, f"{url}: {few} queries for {FEW} rows, {many} for {MANY}"


class Variety:
    """Distinct related rows for the i-th item: area, place, business, provider."""

    def __init__(self) -> None:
        self.areas = list(CompetenceArea.objects.filter(parent__isnull=False).order_by("pk"))
        self.places = list(Municipality.objects.order_by("pk"))
        self.n = 0

    def next(self) -> tuple[CompetenceArea, Municipality]:
        self.n += 1
        return self.areas[self.n % len(self.areas)], self.places[self.n % len(self.places)]

    def need(self, **kwargs) -> Need:
        area, place = self.next()
        business = kwargs.pop("organisation", None) or factories.BusinessFactory(
            municipality=place)
        response = SurveyResponse.objects.create(
            organisation=business, consent=SurveyResponse.Consent.NAMED) \
            if "response" not in kwargs else kwargs.pop("response")
        return factories.NeedFactory(organisation=business, area=area, response=response,
                                     **kwargs)

    def offer(self, **kwargs):
        area, place = self.next()
        kwargs.setdefault("provider", factories.ProviderFactory(municipality=place))
        offer = factories.OfferFactory(areas=[area.code], municipality=place, **kwargs)
        offer_search_refresh(offer_ids=[offer.pk])
        return offer


@pytest.fixture
def variety(db) -> Variety:
    return Variety()


def test_provider_offer_list(provider_client, provider, variety):
    _assert_constant(provider_client, reverse("offers:provider_home"),
                     lambda n: [variety.offer(provider=provider) for _ in range(n)])


def test_business_proposals(business_client, business, variety):
    def grow(n):
        for _ in range(n):
            factories.MatchFactory(need=variety.need(organisation=business),
                                   offer=variety.offer(), status=Match.Status.PROPOSED,
                                   reasons=[{"code": "same_subarea"}])

    _assert_constant(business_client, reverse("matching:business_proposals"), grow)


def test_provider_cohort_requests(provider_client, provider, variety):
    def grow(n):
        for _ in range(n):
            cohort = factories.CohortFactory(area=variety.next()[0])
            for _member in range(3):
                CohortNeed.objects.create(cohort=cohort, need=variety.need())
            CohortRequest.objects.create(cohort=cohort, provider=provider)

    _assert_constant(provider_client, reverse("matching:provider_cohorts"), grow)


def test_adviser_queue(adviser_client, variety):
    def grow(n):
        for _ in range(n):
            factories.MatchFactory(need=variety.need(), offer=variety.offer(),
                                   status=Match.Status.APPROVED)

    _assert_constant(adviser_client, reverse("matching:adviser_home"), grow)


def test_adviser_cohort_list(adviser_client, variety):
    def grow(n):
        for _ in range(n):
            area, place = variety.next()
            factories.CohortFactory(area=area, anchor_municipality=place)

    _assert_constant(adviser_client, reverse("matching:cohort_list"), grow)


def test_adviser_needs_list(adviser_client, variety):
    _assert_constant(adviser_client, reverse("needs:adviser_list"),
                     lambda n: [variety.need() for _ in range(n)])


def test_cohort_detail_members_offers_and_requests(adviser_client, variety):
    cohort = factories.CohortFactory(area=factories.area("skog.motorsag"), level="course")

    def grow(n):
        for _ in range(n):
            CohortNeed.objects.create(cohort=cohort, need=variety.need())
            offer = variety.offer()
            offer.areas.set([cohort.area])
            CohortRequest.objects.create(cohort=cohort, provider=offer.provider)

    _assert_constant(adviser_client, reverse("matching:cohort_detail", args=[cohort.pk]), grow)


def test_match_detail_history(adviser_client, variety):
    match = factories.MatchFactory(need=variety.need(), offer=variety.offer())

    def grow(n):
        for _ in range(n):
            MatchEvent.objects.create(match=match, from_status="suggested",
                                      to_status="approved", actor=factories.UserFactory())

    _assert_constant(adviser_client, reverse("matching:match_detail", args=[match.pk]), grow)


def test_survey_step_with_last_rounds_needs(business_client, business, variety):
    today = dt.date.today()
    last = factories.SurveyRoundFactory(opens_on=today - dt.timedelta(days=400),
                                        closes_on=today - dt.timedelta(days=300))
    current = factories.SurveyRoundFactory()
    response = SurveyResponse.objects.create(organisation=business, round=current, step=3)

    def grow(n):
        for _ in range(n):
            earlier = variety.need(organisation=business, round=last,
                                   outcome_offer=variety.offer(), response=None)
            variety.need(organisation=business, round=current, response=response,
                         previous=earlier, status=Need.Status.DRAFT)

    url = reverse("needs:survey_step", kwargs={"rid": response.pk, "step": 3})
    _assert_constant(business_client, url, grow)
    page = business_client.get(url).content.decode()
    assert page.count("data-earlier-need=") == MANY
