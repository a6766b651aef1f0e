"""Reads for a provider's demand page: per offer, how many needs and participants the engine
matched to it, by municipality, and the open cohorts in the provider's areas. Anonymised:
counts only, and a municipality with fewer than MIN_BUSINESSES businesses is folded into
"other municipalities" so no single business can be picked out."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Q, QuerySet

from needs.models import Need
from offers.models import Offer
from portal.models import Organisation

from .models import Cohort, Match

MIN_BUSINESSES = 3
# Matches the adviser or the business has not turned down.
LIVE_STATUSES = (Match.Status.SUGGESTED, Match.Status.APPROVED, Match.Status.PROPOSED,
                 Match.Status.ACCEPTED, Match.Status.ENROLLED)


@dataclass
class PlaceDemand:
    place: str  # a municipality's name, or "" for the folded rest
    needs: int = 0
    participants: int = 0
    businesses: int = 0


@dataclass
class OfferDemand:
    offer: Offer
    needs: int = 0
    participants: int = 0
    businesses: int = 0
    places: list[PlaceDemand] = field(default_factory=list)


def provider_offer_demand(organisation: Organisation) -> list[OfferDemand]:
    offers = list(Offer.objects.filter(provider=organisation, status=Offer.Status.PUBLISHED)
                  .order_by("title", "pk"))
    rows = (Match.objects.filter(offer__in=offers, is_current=True, status__in=LIVE_STATUSES,
                                 need__status__in=Need.MATCHABLE)
            .values_list("offer_id", "need_id", "need__participants", "need__organisation_id",
                         "need__organisation__municipality__name"))
    per_offer: dict[int, dict[str, dict]] = defaultdict(lambda: defaultdict(
        lambda: {"needs": set(), "participants": 0, "businesses": set()}))
    for offer_id, need_id, participants, business_id, place in rows:
        cell = per_offer[offer_id][place or ""]
        if need_id not in cell["needs"]:
            cell["needs"].add(need_id)
            cell["participants"] += participants or 0
        cell["businesses"].add(business_id)
    result = []
    for offer in offers:
        places = per_offer.get(offer.pk, {})
        demand = OfferDemand(offer=offer)
        rest = PlaceDemand(place="")
        rest_businesses: set[int] = set()
        all_businesses: set[int] = set()
        for place in sorted(places):
            cell = places[place]
            all_businesses |= cell["businesses"]
            demand.needs += len(cell["needs"])
            demand.participants += cell["participants"]
            if place and len(cell["businesses"]) >= MIN_BUSINESSES:
                demand.places.append(PlaceDemand(place, len(cell["needs"]), cell["participants"],
                                                 len(cell["businesses"])))
            else:
                rest.needs += len(cell["needs"])
                rest.participants += cell["participants"]
                rest_businesses |= cell["businesses"]
        rest.businesses = len(rest_businesses)
        if rest.needs:
            demand.places.append(rest)
        demand.businesses = len(all_businesses)
        result.append(demand)
    return result


def provider_open_cohorts(organisation: Organisation) -> QuerySet[Cohort]:
    """Current cohorts not yet closed in the main areas the provider publishes offers in."""
    codes = set(Offer.objects.filter(provider=organisation, status=Offer.Status.PUBLISHED)
                .values_list("areas__code", flat=True))
    tops = {code.split(".", 1)[0] for code in codes if code}
    if not tops:
        return Cohort.objects.none()
    qs = Cohort.objects.filter(is_current=True).exclude(
        status__in=[Cohort.Status.ARRANGED, Cohort.Status.CLOSED])
    area_filter = None
    for top in sorted(tops):
        q = Q(area__code=top) | Q(area__code__startswith=f"{top}.")
        area_filter = q if area_filter is None else area_filter | q
    return qs.filter(area_filter).select_related("area", "anchor_municipality").order_by(
        "-is_opportunity", "-participants", "pk")
