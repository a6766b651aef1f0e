"""API v1 for matching: matches (advisers all, a business its proposals), and for advisers the
cohorts and the gap report. Explanations come in the request's language (`Accept-Language`)."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import generics, permissions, serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from portal.api_common import (
    IsAdviser,
    StableCursorPagination,
    area_field,
    municipality_field,
    validated_params,
)
from portal.api_renderers import LIST_RENDERERS

from . import selectors
from .engine import bands, render_reasons
from .models import Cohort, Match


class MatchSerializer(serializers.ModelSerializer):
    need_external_ref = serializers.CharField(source="need.external_ref")
    offer_external_id = serializers.CharField(source="offer.external_id")
    offer_title = serializers.CharField(source="offer.title")
    provider = serializers.CharField(source="offer.provider.name")
    explanation = serializers.SerializerMethodField()
    band = serializers.SerializerMethodField()

    class Meta:
        model = Match
        fields = ["id", "need", "need_external_ref", "offer", "offer_external_id", "offer_title",
                  "provider", "score", "band", "rank", "status", "is_current", "components",
                  "reasons", "explanation", "updated_at"]

    def get_explanation(self, match: Match) -> list[str]:
        return render_reasons(match.reasons)

    def get_band(self, match: Match) -> str:
        """strong (≥ 70), possible (40–70) or weak (< 40): matching/engine/bands.py."""
        return bands.band_for(match.score)


def _codes(params: dict) -> dict:
    """Validated area and municipality objects back to the codes the selectors take."""
    return {k: getattr(v, "code", v) for k, v in params.items()}


class MatchQuery(serializers.Serializer):
    status = serializers.ChoiceField(required=False, choices=Match.Status.choices)
    area = area_field()
    municipality = municipality_field()
    min_score = serializers.FloatField(required=False, min_value=0, max_value=100)


class MatchCursorPagination(StableCursorPagination):
    ordering = ("-score", "-id")  # best first, as in the adviser's queue


@extend_schema(parameters=[MatchQuery])
class MatchList(generics.ListAPIView):
    """Advisers: the work queue, best first, filtered by status, area and municipality (codes)
    and min_score. A business member: the matches proposed to their organisations."""

    renderer_classes = LIST_RENDERERS
    permission_classes = [permissions.IsAuthenticated]
    serializer_class = MatchSerializer
    filter_backends: list = []
    pagination_class = MatchCursorPagination

    def get_queryset(self):
        return selectors.matches_for_user(
            user=self.request.user, **_codes(validated_params(self.request, MatchQuery)))


class CohortSerializer(serializers.ModelSerializer):
    area = serializers.CharField(source="area.code")
    anchor_municipality = serializers.CharField(source="anchor_municipality.code", default=None,
                                                allow_null=True)

    class Meta:
        model = Cohort
        fields = ["id", "key", "area", "level", "anchor_municipality", "online", "window_start",
                  "window_end", "participants", "business_count", "threshold", "is_opportunity",
                  "is_current", "status", "built_at"]


class CohortQuery(serializers.Serializer):
    status = serializers.ChoiceField(required=False, choices=Cohort.Status.choices)
    area = area_field()
    opportunities_only = serializers.BooleanField(required=False, default=False)
    include_retired = serializers.BooleanField(required=False, default=False)


@extend_schema(parameters=[CohortQuery])
class CohortList(generics.ListAPIView):
    """Advisers: pooled demand (needs of several businesses one course could serve), largest
    first; filtered by status, area (code), opportunities_only and include_retired."""

    renderer_classes = LIST_RENDERERS
    permission_classes = [IsAdviser]
    serializer_class = CohortSerializer
    filter_backends: list = []

    def get_queryset(self):
        return selectors.cohort_list(user=self.request.user,
                                     **_codes(validated_params(self.request, CohortQuery)))


class GapQuery(serializers.Serializer):
    threshold = serializers.FloatField(required=False, min_value=0, max_value=100)


class GapRowSerializer(serializers.Serializer):
    area_code = serializers.CharField()
    area_label = serializers.CharField()
    municipality_code = serializers.CharField()
    municipality_name = serializers.CharField()
    needs = serializers.IntegerField()
    businesses = serializers.IntegerField()
    participants = serializers.IntegerField()


class GapReport(APIView):
    """Needs nothing covers well, per competence area × municipality."""

    renderer_classes = LIST_RENDERERS
    permission_classes = [IsAdviser]

    @extend_schema(parameters=[GapQuery], responses=inline_serializer(
        "GapReport", {"count": serializers.IntegerField(),
                      "results": GapRowSerializer(many=True)}))
    def get(self, request, *args, **kwargs) -> Response:
        rows = selectors.gaps_by_area_municipality(user=request.user,
                                                   **validated_params(request, GapQuery))
        return Response({"count": len(rows), "results": rows})
