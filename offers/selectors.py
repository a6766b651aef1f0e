"""Reads for offers: the provider's own offers, the public offer, and the catalogue search."""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from decimal import Decimal

from django.contrib.postgres.expressions import ArraySubquery
from django.contrib.postgres.search import SearchRank
from django.db.models import Exists, F, OuterRef, Prefetch, Q, QuerySet, Value
from django.db.models.functions import Coalesce, NullIf
from django.http import Http404
from django.utils import timezone
from django.utils.translation import get_language

from portal import access
from portal.choices import Format
from portal.compiled_queries import values_rows_by_id
from portal.models import CompetenceArea, Municipality, Organisation, User

from .models import Offer
from .search import (
    abbreviation_areas,
    postgres_query,
    search_words,
    sqlite_filter,
    uses_postgres,
)


def offers_with_relations(qs: QuerySet[Offer]) -> QuerySet[Offer]:
    """Everything a list or detail page shows, in a constant number of queries."""
    return qs.select_related("provider", "municipality").prefetch_related(
        Prefetch("areas", queryset=CompetenceArea.objects.order_by("sort_order", "code"))
    )


def offers_for_provider(*, provider: Organisation, status: str | None = None) -> QuerySet[Offer]:
    """The provider's offers as plain rows with what its list shows (not the areas, the
    provider, or the text of each offer)."""
    qs = Offer.objects.filter(provider=provider)
    if status:
        qs = qs.filter(status=status)
    return qs.order_by("-updated_at", "title").values(
        "pk", "title", "start_date", "format", "municipality__name", "external_id", "status")


def offer_for_provider(*, user: User, pk: int) -> Offer:
    """The offer if the user is a member of its provider: 403 for someone in no provider at
    all, 404 for another provider's offer (no hint that it exists)."""
    access.require_organisations(user=user, kind=Organisation.Kind.PROVIDER)
    offer = offers_with_relations(Offer.objects.filter(pk=pk)).first()
    if offer is None or not access.can_edit_organisation_data(user, offer.provider):
        raise Http404
    return offer


def offer_public(pk: int) -> Offer:
    offer = offers_with_relations(
        Offer.objects.filter(pk=pk, status=Offer.Status.PUBLISHED)
    ).first()
    if offer is None:
        raise Http404
    return offer


@dataclass(frozen=True)
class OfferPage:
    """A published offer as its public page prints it (`offers.templatetags.public_offer`):
    its own columns, its provider's name and contact address, its place's name, and its areas'
    labels in the reader's language, in the catalogue's order. The fact fields carry the
    model's names, so the catalogue's rows and this page share `offer_facts_html`."""

    pk: int
    title: str
    description: str
    level: str
    credits: Decimal | None
    hours: int | None
    format: str
    start_date: dt.date | None
    end_date: dt.date | None
    application_deadline: dt.date | None
    price_nok: Decimal | None
    min_participants: int | None
    max_participants: int | None
    language: str
    url: str
    on_demand: bool
    provider_name: str
    contact_email: str
    place: str | None
    areas: tuple[str, ...]


PAGE_COLUMNS = (
    "pk", "title", "description", "level", "credits", "hours", "format", "start_date",
    "end_date", "application_deadline", "price_nok", "min_participants", "max_participants",
    "language", "url", "on_demand",
)
LABEL_COLUMNS = {"nb": "label_nb", "nn": "label_nn", "en": "label_en"}


def _area_labels(column: str):
    """An area's label in the language of `column`, or its bokmål label (as
    `CompetenceArea.label`)."""
    return Coalesce(NullIf(column, Value("")), "label_nb")


def _offer_page_rows(pk: int, column: str, with_areas: bool) -> QuerySet:
    rows = Offer.objects.filter(pk=pk, status=Offer.Status.PUBLISHED).order_by().values(
        *PAGE_COLUMNS, provider_name=F("provider__name"),
        contact_email=F("provider__contact_email"), place=F("municipality__name"))
    if with_areas:
        # PostgreSQL: the labels come in the same row, as an array in the catalogue's order.
        rows = rows.annotate(areas=ArraySubquery(
            CompetenceArea.objects.filter(offers=OuterRef("pk"))
            .order_by("sort_order", "code").values(label=_area_labels(column))))
    return rows


def offer_page(pk: int) -> OfferPage:
    """The published offer as its public page shows it (404 if it is not published): one
    query on PostgreSQL, compiled once per process and language (a page cache miss of an
    offer is common: a thousand offers in three languages), two elsewhere."""
    column = LABEL_COLUMNS.get((get_language() or "nb")[:2], "label_nb")
    with_areas = uses_postgres()
    rows = values_rows_by_id(("offer-page", column, with_areas),
                             lambda pk: _offer_page_rows(pk, column, with_areas), pk)
    if not rows:
        raise Http404
    row = rows[0]
    if not with_areas:
        row["areas"] = list(CompetenceArea.objects.filter(offers=pk)
                            .order_by("sort_order", "code")
                            .values_list(_area_labels(column), flat=True))
    row["areas"] = tuple(row["areas"])
    return OfferPage(**row)


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    r = 6371.0
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * r * math.asin(math.sqrt(a))


def municipality_ids_within(*, origin: Municipality, km: float) -> set[int]:
    """Municipalities whose centre is within `km` of the origin's (the table is small)."""
    return {
        m.pk
        for m in Municipality.objects.only("pk", "latitude", "longitude")
        if haversine_km(origin.latitude, origin.longitude, m.latitude, m.longitude) <= km
    }


@dataclass
class CatalogueParams:
    q: str = ""
    area: str = ""  # area code; a top-level code includes its sub-areas
    level: str = ""
    format: str = ""
    municipality: str = ""  # municipality code
    distance_km: int | None = None  # with municipality: within this distance of it
    include_online: bool = True  # with a place filter: online offers are shown too
    start_month: str = ""  # "YYYY-MM"
    max_price: Decimal | None = None
    online_only: bool = False
    on_demand: bool = False
    show_past: bool = False
    sort: str = "relevance"  # relevance | start | price | title

    @classmethod
    def from_mapping(cls, data: dict) -> CatalogueParams:
        known = {f for f in cls.__dataclass_fields__}
        return cls(**{k: v for k, v in data.items() if k in known and v is not None})


SORTS = {"relevance", "start", "price", "title"}


def catalogue_search(params: CatalogueParams | dict, *, today: dt.date | None = None) -> QuerySet:
    """Published offers matching the search, best first; past offers hidden unless asked."""
    if isinstance(params, dict):
        params = CatalogueParams.from_mapping(params)
    today = today or timezone.localdate()
    if params.show_past:
        qs = Offer.objects.filter(status=Offer.Status.PUBLISHED)
    else:
        qs = Offer.objects.open_for_signup(today)
    if params.area:
        area_ids = CompetenceArea.objects.with_descendants(params.area).values("pk")
        through = Offer.areas.through
        # EXISTS instead of a join: no duplicate rows, no DISTINCT needed.
        qs = qs.filter(
            Exists(through.objects.filter(offer_id=OuterRef("pk"),
                                          competencearea_id__in=area_ids))
        )
    if params.level:
        qs = qs.filter(level=params.level)
    if params.online_only:
        qs = qs.filter(format=Format.ONLINE)
    elif params.format:
        qs = qs.filter(format=params.format)
    if params.municipality:
        origin = Municipality.objects.filter(code=params.municipality).first()
        if origin is None:
            return qs.none()
        if params.distance_km:
            place = Q(municipality_id__in=municipality_ids_within(
                origin=origin, km=params.distance_km))
        else:
            place = Q(municipality_id=origin.pk)
        if params.include_online:
            place |= Q(format=Format.ONLINE)
        qs = qs.filter(place)
    if params.start_month:
        try:
            year, month = (int(part) for part in params.start_month.split("-", 1))
            qs = qs.filter(start_date__year=year, start_date__month=month)
        except ValueError:
            pass  # the form validates; a hand-edited URL just gets no month filter
    if params.max_price is not None:
        qs = qs.filter(Q(price_nok__lte=params.max_price) | Q(price_nok__isnull=True))
    if params.on_demand:
        qs = qs.filter(on_demand=True)

    words = search_words(params.q)
    abbreviations = abbreviation_areas(words)
    for word, area_ids in abbreviations.items():
        in_areas = Exists(Offer.areas.through.objects.filter(
            offer_id=OuterRef("pk"), competencearea_id__in=area_ids))
        # The area's offers, or any offer whose text has the word itself.
        if uses_postgres():
            in_text = Q(search_vector=postgres_query([word]))
        else:
            in_text = sqlite_filter(Offer.objects.all(), [word]).filter(pk=OuterRef("pk"))
            in_text = Q(Exists(in_text))
        qs = qs.filter(Q(in_areas) | in_text)
    words = [w for w in words if w not in abbreviations]
    ranked = False
    if words:
        if uses_postgres():
            query = postgres_query(words)
            qs = qs.filter(search_vector=query).annotate(
                rank=SearchRank(F("search_vector"), query)
            )
            ranked = True
        else:
            qs = sqlite_filter(qs, words)

    sort = params.sort if params.sort in SORTS else "relevance"
    if sort == "relevance" and ranked:
        order = [F("rank").desc(), F("start_date").asc(nulls_last=True), "title", "pk"]
    elif sort == "price":
        order = [F("price_nok").asc(nulls_last=True), "title", "pk"]
    elif sort == "title":
        order = ["title", "pk"]
    else:
        order = [F("start_date").asc(nulls_last=True), "title", "pk"]
    return offers_with_relations(qs.order_by(*order))
