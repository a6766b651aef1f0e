"""API v1 for offers: the public catalogue, searched with the same parameters as its page."""

from __future__ import annotations

from django.core.validators import RegexValidator
from django.http import Http404
from django_filters import rest_framework as filters
from drf_spectacular.utils import OpenApiExample, extend_schema_field, extend_schema_serializer
from rest_framework import generics, permissions, serializers

from portal.api_filters import (
    AreaFilter,
    MunicipalityFilter,
    SelectorFilterSet,
    boolean_filter,
    code,
    integer_filter,
    text_filter,
)
from portal.api_renderers import LIST_RENDERERS
from portal.choices import Format, Level
from portal.models import CompetenceArea
from portal.page_cache import public_api_list

from . import selectors
from .forms import SORT_CHOICES, CatalogueForm
from .models import Offer

START_MONTH = r"^\d{4}-(0[1-9]|1[0-2])$"


OFFER_OUT = {
    "id": 7, "external_id": "SVEIS-2027-1", "title": "Sveisekurs – MIG/MAG grunnkurs",
    "description": "Praktisk sveisekurs for industrien.", "provider": "Tinn Læringssenter",
    "provider_orgnr": "974543389", "areas": ["industri.sveising"], "level": "course",
    "credits": None, "hours": 40, "format": "local", "municipality": "4026",
    "start_date": "2027-03-01", "end_date": "2027-03-05",
    "application_deadline": "2027-02-01", "price_nok": "12500.00", "min_participants": 6,
    "max_participants": 12, "language": "nb", "url": "https://example.no/kurs/sveising",
    "on_demand": True, "status": "published", "updated_at": "2027-01-10T14:02:00+01:00",
}


@extend_schema_serializer(examples=[
    OpenApiExample("A published course", value=OFFER_OUT, response_only=True)])
class OfferSerializer(serializers.ModelSerializer):
    provider = serializers.CharField(source="provider.name")
    provider_orgnr = serializers.CharField(source="provider.orgnr")
    areas = serializers.SlugRelatedField(many=True, read_only=True, slug_field="code")
    municipality = serializers.CharField(source="municipality.code", default=None, allow_null=True)

    class Meta:
        model = Offer
        fields = [
            "id", "external_id", "title", "description", "provider", "provider_orgnr", "areas",
            "level", "credits", "hours", "format", "municipality", "start_date", "end_date",
            "application_deadline", "price_nok", "min_participants", "max_participants",
            "language", "url", "on_demand", "status", "updated_at",
        ]


def _label(name: str):
    """The catalogue page's label for the same filter (lazy: in the schema's language)."""
    return CatalogueForm.base_fields[name].label


class CatalogueFilter(SelectorFilterSet):
    """The catalogue page's filters (`CatalogueForm`), with the same names and rules."""

    q = text_filter(max_length=200, description="Search words (as on the catalogue page).")
    area = AreaFilter(queryset=CompetenceArea.objects.filter(is_active=True))
    level = filters.ChoiceFilter(choices=Level.choices, help_text=_label("level"))
    format = filters.ChoiceFilter(choices=Format.choices, help_text=_label("format"))
    municipality = MunicipalityFilter()
    distance_km = integer_filter(
        minimum=0, maximum=1000, description="With `municipality`: offers within this many "
                                             "km of it.")
    include_online = boolean_filter("With `municipality`: also online offers (default true).")
    start_month = extend_schema_field({
        "type": "string", "pattern": START_MONTH, "example": "2027-03",
        "description": "Starts in this month (YYYY-MM)."})(filters.CharFilter(
            validators=[RegexValidator(START_MONTH)]))
    max_price = extend_schema_field({
        "type": "number", "minimum": 0,
        "description": "The highest price per participant (NOK)."})(
        filters.NumberFilter(min_value=0, max_digits=10, decimal_places=2))
    online_only = boolean_filter("Online offers only.")
    on_demand = boolean_filter("Only offers that can run on demand.")
    show_past = boolean_filter("Also offers whose sign-up has closed.")
    sort = filters.ChoiceFilter(choices=SORT_CHOICES, help_text=_label("sort"))

    class Meta:
        model = Offer
        fields: list[str] = []

    def select(self, queryset, params: dict):
        params = {k: code(v) for k, v in params.items()}
        # A form's unticked box is simply absent; an API client opts out explicitly.
        params.setdefault("include_online", True)
        return selectors.catalogue_search(params)


class OfferList(generics.ListAPIView):
    """Published offers; past ones only with `show_past=true`. Parameters as on the catalogue
    page: q, area, level, format, municipality, distance_km, include_online, start_month
    (YYYY-MM), max_price, online_only, on_demand, show_past, sort."""

    renderer_classes = LIST_RENDERERS
    permission_classes = [permissions.AllowAny]
    serializer_class = OfferSerializer
    filter_backends = [filters.DjangoFilterBackend]
    filterset_class = CatalogueFilter

    def get_queryset(self):
        return selectors.catalogue_search({})

    def list(self, request, *args, **kwargs):
        # Anonymous answers are the same for everyone asking the same URL: cached like the
        # catalogue page, stale as soon as an offer changes (offers/receivers.py).
        return public_api_list("offers", request,
                               lambda: super(OfferList, self).list(request, *args, **kwargs))


class OfferDetail(generics.RetrieveAPIView):
    permission_classes = [permissions.AllowAny]
    serializer_class = OfferSerializer

    def get_object(self) -> Offer:
        try:
            return selectors.offer_public(int(self.kwargs["pk"]))
        except (TypeError, ValueError):
            raise Http404 from None
