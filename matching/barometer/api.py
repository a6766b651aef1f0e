"""`/api/v1/barometer/`: the public barometer as JSON, the same tidy rows as the CSV."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiExample, extend_schema, inline_serializer
from rest_framework import permissions, serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from portal.api_common import municipality_field, validated_params
from portal.api_renderers import LIST_RENDERERS

from . import cache, opendata


class BarometerQuery(serializers.Serializer):
    round = serializers.CharField(required=False, help_text="A round as in the rows (its year).")
    municipality = municipality_field()

    def validate_round(self, value: str) -> str:
        known = {label for _r, label, _rel in cache.public_releases()}
        if value not in known:
            raise serializers.ValidationError(f"Unknown round {value}.")
        return value


class BarometerRow(serializers.Serializer):
    round = serializers.CharField()
    municipality_code = serializers.CharField(allow_null=True,
                                              help_text="null: the whole region")
    area_code = serializers.CharField(allow_null=True, help_text="null: every area")
    level = serializers.CharField(allow_null=True, help_text="null: every level")
    measure = serializers.CharField()
    value = serializers.FloatField(allow_null=True, help_text="null when suppressed")
    suppressed = serializers.BooleanField()


class BarometerData(APIView):
    """The competence barometer (open data, NLOD 2.0), after disclosure control: a cell
    resting on fewer than 3 businesses, or where one business has more than 80 % of the
    participants, is suppressed, and so are the cells that would let it be worked out.
    A cell that is not listed is zero."""

    renderer_classes = LIST_RENDERERS
    permission_classes = [permissions.AllowAny]
    authentication_classes: list = []

    @extend_schema(parameters=[BarometerQuery], responses=inline_serializer(
        "Barometer", {"count": serializers.IntegerField(), "licence": serializers.URLField(),
                      "results": BarometerRow(many=True)}),
        examples=[OpenApiExample("Two cells, one suppressed", response_only=True, value={
            "count": 2, "licence": "http://data.norge.no/nlod/no/2.0", "results": [
                {"round": "2027", "municipality_code": "4036", "area_code": "skog",
                 "level": None, "measure": "participants", "value": 14.0,
                 "suppressed": False},
                {"round": "2027", "municipality_code": "4030", "area_code": "skog",
                 "level": None, "measure": "participants", "value": None,
                 "suppressed": True}]})])
    def get(self, request, *args, **kwargs) -> Response:
        params = validated_params(request, BarometerQuery)
        municipality = params.get("municipality")
        code = municipality.code if municipality else ""
        rows = cache.cached("api", lambda: list(opendata.tidy_rows(
            cache.public_releases(), round_label=params.get("round", ""), municipality=code)),
            params.get("round", ""), code)
        return Response({"count": len(rows), "licence": opendata.NLOD, "results": rows})
