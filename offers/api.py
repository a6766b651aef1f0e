"""API v1 for offers: the public catalogue, searched with the same parameters as its page."""

from __future__ import annotations

from django.http import Http404
from drf_spectacular.utils import extend_schema
from rest_framework import generics, permissions, serializers

from portal.api_common import form_parameters, validated_query
from portal.api_renderers import LIST_RENDERERS
from portal.page_cache import public_api_list

from . import selectors
from .forms import CatalogueForm
from .models import Offer


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


@extend_schema(parameters=form_parameters(CatalogueForm))
class OfferList(generics.ListAPIView):
    """Published offers; past ones only with `show_past=true`. Parameters as on the catalogue
    page: q, area, level, format, municipality, distance_km, include_online, start_month
    (YYYY-MM), max_price, online_only, on_demand, show_past, sort."""

    renderer_classes = LIST_RENDERERS
    permission_classes = [permissions.AllowAny]
    serializer_class = OfferSerializer
    filter_backends: list = []

    def get_queryset(self):
        params = validated_query(self.request, CatalogueForm)
        if "include_online" not in self.request.query_params:
            # A form's unticked box is simply absent; an API client opts out explicitly.
            params["include_online"] = True
        return selectors.catalogue_search(params)

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
