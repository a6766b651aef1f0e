"""API v1 for needs: advisers read every need, a business member its own organisations'."""

from __future__ import annotations

from django.http import Http404
from drf_spectacular.utils import extend_schema
from rest_framework import generics, permissions, serializers

from portal.api_common import (
    StableCursorPagination,
    area_field,
    municipality_field,
    validated_params,
)
from portal.api_renderers import LIST_RENDERERS

from . import selectors
from .models import Need


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


class NeedQuery(serializers.Serializer):
    # Bounded like the database's id column: a larger number is a 400, not a database error.
    round = serializers.IntegerField(required=False, min_value=1, max_value=2**63 - 1)
    municipality = municipality_field()
    area = area_field()
    status = serializers.ChoiceField(required=False, choices=Need.Status.choices)
    priority = serializers.ChoiceField(required=False, choices=Need.Priority.choices)
    q = serializers.CharField(required=False, max_length=200)


class NeedCursorPagination(StableCursorPagination):
    ordering = ("-created_at", "-id")  # newest first; the id breaks ties


@extend_schema(parameters=[NeedQuery])
class NeedList(generics.ListAPIView):
    """Advisers: every need, filtered by round (id), municipality and area (codes; a main area
    includes its sub-areas), status, priority and q. Others: their organisations' needs."""

    renderer_classes = LIST_RENDERERS
    permission_classes = [permissions.IsAuthenticated]
    serializer_class = NeedSerializer
    filter_backends: list = []
    pagination_class = NeedCursorPagination

    def get_queryset(self):
        params = validated_params(self.request, NeedQuery)
        municipality, area = params.get("municipality"), params.get("area")
        return selectors.needs_for_user(user=self.request.user, filters=selectors.NeedFilters(
            round_id=params.get("round"), municipality_id=municipality and municipality.pk,
            area_id=area and area.pk, status=params.get("status", ""),
            priority=params.get("priority", ""), q=params.get("q", "").strip(),
        ))


class NeedDetail(generics.RetrieveAPIView):
    permission_classes = [permissions.IsAuthenticated]
    serializer_class = NeedSerializer

    def get_object(self) -> Need:
        try:
            return selectors.need_for_user(user=self.request.user, pk=int(self.kwargs["pk"]))
        except (TypeError, ValueError):
            raise Http404 from None
