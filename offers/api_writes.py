"""API v1 catalogue routes with writes: the public reads (from `offers.api`) get ETags, and a
provider creates, edits, publishes and archives its own offers through the same services (and
rules) as its pages. Another provider's offer is a 404."""

from __future__ import annotations

from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import (
    OpenApiExample,
    extend_schema,
    extend_schema_field,
    extend_schema_serializer,
)
from rest_framework import permissions, serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from portal import access
from portal.api_common import (
    CodeRelatedField,
    ConditionalGetMixin,
    MunicipalityCodeField,
    active_organisation_for_api,
    service_errors,
)
from portal.choices import Format, Level
from portal.models import CompetenceArea, Organisation
from portal.page_cache import request_group_version

from . import selectors, services
from .api import OfferDetail, OfferList, OfferSerializer
from .models import Offer

OFFER_EXAMPLE = {
    "external_id": "SVEIS-2027-1", "title": "Sveisekurs – MIG/MAG grunnkurs",
    "description": "Praktisk sveisekurs for industrien.", "areas": ["industri.sveising"],
    "level": "course", "hours": 40, "format": "local", "municipality": "4026",
    "start_date": "2027-03-01", "end_date": "2027-03-05", "application_deadline": "2027-02-01",
    "price_nok": "12500.00", "min_participants": 6, "max_participants": 12, "language": "nb",
    "url": "https://example.no/kurs/sveising", "on_demand": True,
}


@extend_schema_field({"type": "array", "minItems": 1,
                     "items": {"type": "string", "example": "skog.motorsag"}})
class AreaCodes(serializers.ManyRelatedField):
    """Competence areas by code; at least one (`validate_areas` says so in words)."""


@extend_schema_serializer(examples=[
    OpenApiExample("A course", value=OFFER_EXAMPLE, request_only=True)])
class OfferWriteSerializer(serializers.Serializer):
    """What a provider sends. Areas and municipality by code; dates as YYYY-MM-DD."""

    external_id = serializers.CharField(max_length=100, required=False, allow_blank=True)
    title = serializers.CharField(max_length=200)
    description = serializers.CharField(required=False, allow_blank=True, max_length=20000)
    areas = AreaCodes(child_relation=CodeRelatedField(
        slug_field="code", queryset=CompetenceArea.objects.filter(is_active=True),
        error_messages={"does_not_exist": _("Unknown competence area code {value}.")}))
    level = serializers.ChoiceField(choices=Level.choices)
    credits = serializers.DecimalField(max_digits=5, decimal_places=1, min_value=0,
                                       required=False, allow_null=True)
    hours = serializers.IntegerField(min_value=0, max_value=100000, required=False,
                                     allow_null=True)
    format = serializers.ChoiceField(choices=Format.choices)
    municipality = MunicipalityCodeField(required=False, allow_null=True)
    start_date = serializers.DateField(required=False, allow_null=True)
    end_date = serializers.DateField(required=False, allow_null=True)
    application_deadline = serializers.DateField(required=False, allow_null=True)
    price_nok = serializers.DecimalField(max_digits=10, decimal_places=2, min_value=0,
                                         required=False, allow_null=True)
    min_participants = serializers.IntegerField(min_value=0, max_value=100000, required=False,
                                                allow_null=True)
    max_participants = serializers.IntegerField(min_value=0, max_value=100000, required=False,
                                                allow_null=True)
    language = serializers.ChoiceField(choices=Offer.Language.choices, required=False)
    url = serializers.URLField(required=False, allow_blank=True, max_length=200)
    on_demand = serializers.BooleanField(required=False)

    def validate_areas(self, value):
        if not value:
            raise serializers.ValidationError(_("Choose at least one competence area."))
        return value


class ReadOrProviderWrite(permissions.BasePermission):
    """Reads are public; a write needs a login (else 401) as a provider member (else 403)."""

    reads_are_open = True  # for the schema's list of error answers

    def has_permission(self, request, view) -> bool:
        return request.method in permissions.SAFE_METHODS or bool(
            request.user and request.user.is_authenticated)


def provider_for(request) -> Organisation:
    return active_organisation_for_api(request, Organisation.Kind.PROVIDER)


def own_offer(request, pk) -> Offer:
    """The provider's own offer (any status) or 404."""
    provider_for(request)
    try:
        return selectors.offer_for_provider(user=request.user, pk=int(pk))
    except (TypeError, ValueError):
        raise Http404 from None


def _split(validated: dict) -> tuple[dict, list | None]:
    data = dict(validated)
    return data, data.pop("areas", None)


class OfferListCreate(ConditionalGetMixin, OfferList):
    """The public catalogue (GET, with an ETag), and POST for a provider to create an offer."""

    permission_classes = [ReadOrProviderWrite]

    def etag_parts(self, request) -> list:
        # The catalogue's version (portal.page_cache: bumped whenever an offer, a provider,
        # an area or a place changes, offers/receivers.py) and the day (past offers drop
        # out): a 304 costs no query, and it agrees with the cached anonymous answer.
        return [request_group_version(request, "offers"), timezone.localdate()]

    @extend_schema(
        request=OfferWriteSerializer, responses={201: OfferSerializer},
        description="Create an offer of the token's provider. It is a draft unless "
                    "`?publish=true`; the same rules as the provider's offer form apply.")
    def post(self, request, *args, **kwargs) -> Response:
        provider = provider_for(request)
        serializer = OfferWriteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data, areas = _split(serializer.validated_data)
        with service_errors():
            offer = services.offer_create(
                provider=provider, data=data, areas=areas, by=request.user,
                publish=request.query_params.get("publish") in ("1", "true"))
        offer = selectors.offer_for_provider(user=request.user, pk=offer.pk)
        return Response(OfferSerializer(offer).data, status=status.HTTP_201_CREATED)


class OfferDetailUpdate(ConditionalGetMixin, OfferDetail):
    """One published offer (GET, public; a provider also sees its own drafts), and PUT (all
    fields) or PATCH (some) on a provider's own offer."""

    permission_classes = [ReadOrProviderWrite]

    def etag_parts(self, request) -> list | None:
        # Only the public version is tagged; a provider's view of its own draft is not.
        found = Offer.objects.filter(pk=self.kwargs["pk"], status=Offer.Status.PUBLISHED
                                     ).values_list("updated_at", "provider__updated_at").first()
        return list(found) if found else None

    def get_object(self) -> Offer:
        try:
            return super().get_object()
        except Http404:
            # A provider also reads its own drafts; for anyone else an unpublished offer
            # simply does not exist (404, not a 403 that says it does).
            if not access.organisations_for_user(user=self.request.user,
                                                 kind=Organisation.Kind.PROVIDER).exists():
                raise
            return selectors.offer_for_provider(user=self.request.user,
                                                pk=int(self.kwargs["pk"]))

    def _update(self, request, partial: bool) -> Response:
        offer = own_offer(request, self.kwargs["pk"])
        serializer = OfferWriteSerializer(data=request.data, partial=partial)
        serializer.is_valid(raise_exception=True)
        data, areas = _split(serializer.validated_data)
        with service_errors():
            services.offer_update(offer=offer, data=data, areas=areas)
        offer = selectors.offer_for_provider(user=request.user, pk=offer.pk)
        return Response(OfferSerializer(offer).data)

    @extend_schema(request=OfferWriteSerializer, responses=OfferSerializer,
                   description="Replace the fields of one of the provider's own offers.")
    def put(self, request, *args, **kwargs) -> Response:
        return self._update(request, partial=False)

    @extend_schema(request=OfferWriteSerializer, responses=OfferSerializer,
                   description="Change some fields of one of the provider's own offers.")
    def patch(self, request, *args, **kwargs) -> Response:
        return self._update(request, partial=True)


class _OfferMove(APIView):
    permission_classes = [permissions.IsAuthenticated]
    api_errors = (400, 409)  # the publishing rules; a move the status forbids
    service = staticmethod(services.offer_publish)

    def post(self, request, pk: int) -> Response:
        offer = own_offer(request, pk)
        with service_errors():
            self.service(offer=offer)
        return Response(OfferSerializer(
            selectors.offer_for_provider(user=request.user, pk=offer.pk)).data)


@extend_schema(request=None, responses=OfferSerializer,
               description="Publish one of the provider's own offers (idempotent). The "
                           "offer must pass the publishing rules (400 otherwise).")
class OfferPublish(_OfferMove):
    service = staticmethod(services.offer_publish)


@extend_schema(request=None, responses=OfferSerializer,
               description="Archive one of the provider's own offers (idempotent).")
class OfferArchive(_OfferMove):
    service = staticmethod(services.offer_archive)


@extend_schema(request=None, responses=OfferSerializer,
               description="Take one of the provider's own offers back to draft "
                           "(idempotent). A published offer leaves the catalogue, and webhook "
                           "receivers get `offer.unpublished`.")
class OfferUnpublish(_OfferMove):
    service = staticmethod(services.offer_unpublish)
