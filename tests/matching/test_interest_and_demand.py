"""“Meld interesse” from an offer page, and a provider's anonymised demand per offer."""

from __future__ import annotations

import pytest
from django.urls import reverse

from matching.demand import provider_offer_demand
from matching.models import Match, OfferInterest
from needs.models import Need
from portal.models import Notification
from tests import factories

pytestmark = pytest.mark.django_db


def test_offer_page_offers_interest_to_a_business(business_client):
    offer = factories.OfferFactory()
    html = business_client.get(reverse("offers:detail", args=[offer.pk])).content.decode()
    assert reverse("matching:offer_interest", args=[offer.pk]) in html


def test_interest_starts_a_draft_need_prefilled_from_the_offer(business_client, business,
                                                               adviser_user):
    offer = factories.OfferFactory(areas=["skog.motorsag"], level="course", format="local")
    response = business_client.post(reverse("matching:offer_interest", args=[offer.pk]),
                                    {"need": "new"})
    need = Need.objects.get(organisation=business)
    assert response.status_code == 302 and response.url == reverse("needs:need_edit",
                                                                   args=[need.pk])
    assert need.status == Need.Status.DRAFT and need.area.code == "skog.motorsag"
    assert need.level == "course" and need.formats == ["local"] and need.title == offer.title
    assert OfferInterest.objects.get(offer=offer).need == need
    assert Notification.objects.get(recipient=adviser_user).kind == "interest_registered"


def test_interest_links_an_existing_need(business_client, business):
    need = factories.NeedFactory(organisation=business)
    offer = factories.OfferFactory()
    response = business_client.post(reverse("matching:offer_interest", args=[offer.pk]),
                                    {"need": need.pk})
    assert response.status_code == 302
    assert OfferInterest.objects.get(organisation=business, offer=offer).need == need
    assert Need.objects.filter(organisation=business).count() == 1


def test_interest_cannot_point_at_another_businesss_need(business_client):
    foreign = factories.NeedFactory()
    offer = factories.OfferFactory()
    response = business_client.post(reverse("matching:offer_interest", args=[offer.pk]),
                                    {"need": foreign.pk})
    assert response.status_code == 400
    assert not OfferInterest.objects.exists()


def test_providers_cannot_register_interest(provider_client):
    offer = factories.OfferFactory()
    response = provider_client.get(reverse("matching:offer_interest", args=[offer.pk]))
    assert response.status_code in (403, 404)


def _need_in(code: str, participants: int):
    business = factories.BusinessFactory(municipality=factories.municipality(code))
    return factories.NeedFactory(organisation=business, participants=participants,
                                 status=Need.Status.SUBMITTED)


def test_demand_per_offer_is_counted_and_small_places_folded(provider):
    offer = factories.OfferFactory(provider=provider)
    for _ in range(3):
        factories.MatchFactory(need=_need_in("4036", 4), offer=offer)  # Vinje: 3 businesses
    factories.MatchFactory(need=_need_in("4022", 2), offer=offer)  # Seljord: only one
    factories.MatchFactory(need=_need_in("4022", 5), offer=offer, status=Match.Status.DISMISSED)
    [demand] = provider_offer_demand(provider)
    assert (demand.needs, demand.participants, demand.businesses) == (4, 14, 4)
    places = {p.place: (p.needs, p.participants, p.businesses) for p in demand.places}
    assert places == {"Vinje": (3, 12, 3), "": (1, 2, 1)}


def test_demand_page_names_no_business(provider_client, provider):
    offer = factories.OfferFactory(provider=provider, title="Motorsagkurs Vinje")
    need = _need_in("4036", 4)
    factories.MatchFactory(need=need, offer=offer)
    factories.CohortFactory(area=factories.area("skog.motorsag"))
    html = provider_client.get(reverse("matching:provider_demand")).content.decode()
    assert "Motorsagkurs Vinje" in html and 'data-needs="1"' in html
    assert need.organisation.name not in html
    assert 'id="open-cohorts"' in html


def test_demand_page_is_for_providers_only(business_client):
    assert business_client.get(reverse("matching:provider_demand")).status_code in (403, 404)


def test_the_match_page_shows_a_registered_interest(adviser_client):
    match = factories.MatchFactory()
    OfferInterest.objects.create(organisation=match.need.organisation, offer=match.offer,
                                 need=match.need)
    html = adviser_client.get(reverse("matching:match_detail", args=[match.pk])).content
    assert b'id="registered-interest"' in html
