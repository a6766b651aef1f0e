"""API v1 for matching: matches (advisers all, a business its proposals), and for advisers the
cohorts and the gap report. Explanations come in the request's language (`Accept-Language`)."""

from __future__ import annotations

import json
from functools import lru_cache

from django.utils.translation import get_language
from django_filters import rest_framework as filters
from drf_spectacular.utils import (
    OpenApiExample,
    extend_schema,
    extend_schema_field,
    extend_schema_serializer,
    inline_serializer,
)
from rest_framework import generics, permissions, serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from portal.api_common import (
    CountedInPagePagination,
    IsAdviser,
    StableCursorPagination,
    validated_params,
)
from portal.api_filters import (
    AreaFilter,
    MunicipalityFilter,
    SelectorFilterSet,
    boolean_filter,
    code,
)
from portal.api_renderers import LIST_RENDERERS
from portal.api_rows import ValuesListMixin, json_text_column

from . import selectors
from .engine import bands, render_reasons
from .models import Cohort, Match

MATCH_OUT = {
    "id": 311, "need": 42, "need_external_ref": "BEHOV-2027-7", "offer": 7,
    "offer_external_id": "MOTORSAG-2027-1", "offer_title": "Motorsagkurs – grunnkurs",
    "provider": "Tinn Læringssenter", "score": 86.5, "band": "strong", "rank": 1,
    "status": "proposed", "is_current": True,
    "components": {"topic": 1.0, "level": 1.0, "format": 1.0, "geography": 0.8,
                   "timing": 1.0, "cost": 1.0, "capacity": 1.0},
    "reasons": [{"code": "same_subarea", "area": "skog.motorsag"},
                {"code": "words", "words": ["motorsag"]}, {"code": "same_level"},
                {"code": "distance_km", "km": 38, "municipality": "4026"}],
    "explanation": ["Same sub-area", "Matches: motorsag", "Same level", "38 km away"],
    "updated_at": "2027-02-04T10:00:00+01:00",
}
COHORT_OUT = {
    "id": 5, "key": "skog.motorsag|course|4036|2027-03", "area": "skog.motorsag",
    "level": "course", "anchor_municipality": "4036", "online": False,
    "window_start": "2027-03-01", "window_end": "2027-06-30", "participants": 11,
    "business_count": 3, "threshold": 6, "is_opportunity": True, "is_current": True,
    "status": "new", "built_at": "2027-02-05T02:00:00+01:00",
}
GAPS_OUT = {"count": 1, "results": [{
    "area_code": "helse.demens", "area_label": "Dementia care", "municipality_code": "4030",
    "municipality_name": "Nissedal", "needs": 3, "businesses": 3, "participants": 9}]}


@extend_schema_serializer(examples=[
    OpenApiExample("A proposed match", value=MATCH_OUT, response_only=True)])
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
    return {k: code(v) for k, v in params.items()}


class MatchFilter(SelectorFilterSet):
    reference_params = ("area",)  # `match_queue` reads an area's sub-areas as kept ids
    status = filters.ChoiceFilter(choices=Match.Status.choices)
    area = AreaFilter()
    municipality = MunicipalityFilter()
    min_score = extend_schema_field({
        "type": "number", "minimum": 0, "maximum": 100,
        "description": "Only matches scoring at least this (0–100)."})(
        filters.NumberFilter(min_value=0, max_value=100))

    class Meta:
        model = Match
        fields: list[str] = []

    def select(self, queryset, params: dict):
        if "min_score" in params:
            params["min_score"] = float(params["min_score"])
        return selectors.matches_for_user(user=self.request.user, **_codes(params))


@lru_cache(maxsize=4096)
def _explanation(language: str, reasons: str) -> tuple[str, ...]:
    return tuple(render_reasons(json.loads(reasons), language))


REASONS_TEXT = json_text_column("reasons")


def explanation_for_row(row: dict, language: str | None = None) -> list[str]:
    """`render_reasons` of the row, remembered per language and reasons (the column's text,
    as the row holds it): a page of matches repeats the same reasons often (the same offer,
    the same words), and the phrases depend on nothing else."""
    return list(_explanation(language or get_language() or "nb", row[REASONS_TEXT]))


class MatchCursorPagination(StableCursorPagination):
    ordering = ("-score", "-id")  # best first, as in the adviser's queue


class MatchList(ValuesListMixin, generics.ListAPIView):
    """Advisers: the work queue, best first, filtered by status, area and municipality (codes)
    and min_score. A business member: the matches proposed to their organisations."""

    # The rows are written from `.values()` with `MatchSerializer`'s formatting (api_rows):
    # only the columns it writes, none of the whole needs and organisations the pages join.
    row_methods = {
        "explanation": explanation_for_row,
        "band": lambda row: bands.band_for(row["score"]),
    }

    renderer_classes = LIST_RENDERERS
    permission_classes = [permissions.IsAuthenticated]
    serializer_class = MatchSerializer
    filter_backends = [filters.DjangoFilterBackend]
    filterset_class = MatchFilter
    pagination_class = MatchCursorPagination
    compiled_for_advisers = True  # the selector reads the adviser's scope alone

    def get_queryset(self):
        return selectors.matches_for_user(user=self.request.user)

    def list_row_methods(self) -> dict:
        language = get_language() or "nb"  # once per list, not per row
        return {"explanation": lambda row: explanation_for_row(row, language)}


@extend_schema_serializer(examples=[
    OpenApiExample("Pooled demand for a chainsaw course", value=COHORT_OUT,
                   response_only=True)])
class CohortSerializer(serializers.ModelSerializer):
    area = serializers.CharField(source="area.code")
    anchor_municipality = serializers.CharField(source="anchor_municipality.code", default=None,
                                                allow_null=True)

    class Meta:
        model = Cohort
        fields = ["id", "key", "area", "level", "anchor_municipality", "online", "window_start",
                  "window_end", "participants", "business_count", "threshold", "is_opportunity",
                  "is_current", "status", "built_at"]


class CohortFilter(SelectorFilterSet):
    status = filters.ChoiceFilter(choices=Cohort.Status.choices)
    area = AreaFilter()
    opportunities_only = boolean_filter("Only cohorts large enough for a course.")
    include_retired = boolean_filter("Also cohorts the last rebuild no longer found.")

    class Meta:
        model = Cohort
        fields: list[str] = []

    def select(self, queryset, params: dict):
        return selectors.cohort_list(user=self.request.user, **_codes(params))


class CohortList(ValuesListMixin, generics.ListAPIView):
    """Advisers: pooled demand (needs of several businesses one course could serve), largest
    first; filtered by status, area (code), opportunities_only and include_retired."""

    # The rows are written from `.values()` with `CohortSerializer`'s formatting (api_rows).

    renderer_classes = LIST_RENDERERS
    permission_classes = [IsAdviser]
    serializer_class = CohortSerializer
    filter_backends = [filters.DjangoFilterBackend]
    filterset_class = CohortFilter
    pagination_class = CountedInPagePagination  # page numbers, counted in the page's query

    def get_queryset(self):
        return selectors.cohort_list(user=self.request.user)


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
                      "results": GapRowSerializer(many=True)}),
        examples=[OpenApiExample("One gap", value=GAPS_OUT, response_only=True)])
    def get(self, request, *args, **kwargs) -> Response:
        rows = selectors.gaps_by_area_municipality(user=request.user,
                                                   **validated_params(request, GapQuery))
        return Response({"count": len(rows), "results": rows})
