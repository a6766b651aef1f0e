"""API v1 for needs: advisers read every need, a business member its own organisations'."""

from __future__ import annotations

from django.http import Http404
from django_filters import rest_framework as filters
from drf_spectacular.utils import OpenApiExample, extend_schema_serializer
from rest_framework import generics, permissions, serializers

from portal.api_common import StableCursorPagination
from portal.api_filters import (
    AreaFilter,
    MunicipalityFilter,
    SelectorFilterSet,
    integer_filter,
    text_filter,
)
from portal.api_renderers import LIST_RENDERERS
from portal.api_rows import ValuesListMixin
from portal.compiled_queries import BIGINT_MAX

from . import selectors
from .models import Need, SurveyRound

NEED_OUT = {
    "id": 42, "external_ref": "BEHOV-2027-7", "organisation": "Vinje Skog AS",
    "orgnr": "923609016", "municipality": "4036", "round": "Kompetansebarometer 2027",
    "area": "skog.motorsag", "title": "Motorsagkurs for skogsarbeidere",
    "description": "Fire ansatte trenger motorsagsertifikat før hogstsesongen.",
    "participants": 4, "to_train": 4, "to_recruit": 0, "level": "course",
    "formats": ["local", "workplace"], "earliest_start": "2027-03-01",
    "latest_start": "2027-06-30", "max_travel_km": 60, "online_only": False,
    "budget_per_participant": "6000.00", "priority": "high", "consequence": "safety_risk",
    "willing_to_share": True, "status": "submitted",
    "submitted_at": "2027-02-03T09:15:00+01:00", "updated_at": "2027-02-03T09:15:00+01:00",
}


@extend_schema_serializer(examples=[
    OpenApiExample("A submitted need", value=NEED_OUT, response_only=True)])
class NeedSerializer(serializers.ModelSerializer):
    organisation = serializers.CharField(source="organisation.name")
    orgnr = serializers.CharField(source="organisation.orgnr")
    municipality = serializers.CharField(source="organisation.municipality.code", default=None,
                                         allow_null=True)
    area = serializers.CharField(source="area.code", default=None, allow_null=True)
    round = serializers.CharField(source="round.name", default=None, allow_null=True)

    class Meta:
        model = Need
        fields = [
            "id", "external_ref", "organisation", "orgnr", "municipality", "round", "area",
            "title", "description", "participants", "to_train", "to_recruit", "level",
            "formats", "earliest_start", "latest_start", "max_travel_km", "online_only",
            "budget_per_participant", "priority", "consequence", "willing_to_share", "status",
            "submitted_at", "updated_at",
        ]


class NeedFilter(SelectorFilterSet):
    # Bounded like the database's id column: a larger number is a 400, not a database error.
    round = integer_filter(minimum=1, maximum=BIGINT_MAX, description="A survey round by id.")
    municipality = MunicipalityFilter()
    area = AreaFilter()
    status = filters.ChoiceFilter(choices=Need.Status.choices)
    priority = filters.ChoiceFilter(choices=Need.Priority.choices)
    q = text_filter(max_length=200,
                    description="Words in the title, description or business name.")

    class Meta:
        model = Need
        fields: list[str] = []

    def select(self, queryset, params: dict):
        municipality, area = params.get("municipality"), params.get("area")
        return selectors.needs_for_user(user=self.request.user, filters=selectors.NeedFilters(
            round_id=params.get("round"), municipality_id=municipality and municipality.pk,
            area_id=area and area.pk, status=params.get("status", ""),
            priority=params.get("priority", ""), q=params.get("q", "").strip(),
        ))


@extend_schema_serializer(examples=[OpenApiExample("The 2027 round", response_only=True, value={
    "id": 3, "name": "Kompetansebarometer 2027", "year": 2027, "opens_on": "2027-01-15",
    "closes_on": "2027-03-31", "is_open": True})])
class SurveyRoundSerializer(serializers.ModelSerializer):
    is_open = serializers.BooleanField(read_only=True)

    class Meta:
        model = SurveyRound
        fields = ["id", "name", "year", "opens_on", "closes_on", "is_open"]


class SurveyRoundList(generics.ListAPIView):
    """The yearly need surveys, newest first (anyone; read-only). A need's `round` filter
    takes the id."""

    renderer_classes = LIST_RENDERERS
    permission_classes = [permissions.AllowAny]
    serializer_class = SurveyRoundSerializer
    queryset = SurveyRound.objects.order_by("-opens_on", "-id")
    pagination_class = None


class NeedCursorPagination(StableCursorPagination):
    ordering = ("-created_at", "-id")  # newest first; the id breaks ties


class NeedList(ValuesListMixin, generics.ListAPIView):
    """Advisers: every need, filtered by round (id), municipality and area (codes; a main area
    includes its sub-areas), status, priority and q. Others: their organisations' needs."""

    # The rows are written from `.values()` with `NeedSerializer`'s formatting (api_rows).

    renderer_classes = LIST_RENDERERS
    permission_classes = [permissions.IsAuthenticated]
    serializer_class = NeedSerializer
    filter_backends = [filters.DjangoFilterBackend]
    filterset_class = NeedFilter
    pagination_class = NeedCursorPagination
    compiled_for_advisers = True  # the selector reads the adviser's scope alone

    def get_queryset(self):
        return selectors.needs_for_user(user=self.request.user)


class NeedDetail(generics.RetrieveAPIView):
    permission_classes = [permissions.IsAuthenticated]
    serializer_class = NeedSerializer

    def get_object(self) -> Need:
        try:
            return selectors.need_for_user(user=self.request.user, pk=int(self.kwargs["pk"]))
        except (TypeError, ValueError):
            raise Http404 from None
