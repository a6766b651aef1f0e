"""API v1 for needs: advisers read every need, a business member its own organisations'."""

from __future__ import annotations

from django.http import Http404
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import generics, permissions, serializers

from portal import access
from portal.api_common import validated_params
from portal.models import CompetenceArea, Municipality, Organisation

from . import selectors
from .models import Need


class NeedSerializer(serializers.ModelSerializer):
    organisation = serializers.CharField(source="organisation.name")
    orgnr = serializers.CharField(source="organisation.orgnr")
    municipality = serializers.CharField(source="organisation.municipality.code", default=None)
    area = serializers.CharField(source="area.code", default=None)
    round = serializers.CharField(source="round.name", default=None)

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
    round = serializers.IntegerField(required=False, min_value=1)
    municipality = serializers.CharField(required=False, max_length=4)
    area = serializers.CharField(required=False, max_length=60)
    status = serializers.ChoiceField(required=False, choices=Need.Status.choices)
    priority = serializers.ChoiceField(required=False, choices=Need.Priority.choices)
    q = serializers.CharField(required=False, max_length=200)

    def validate_municipality(self, code: str) -> int:
        pk = Municipality.objects.filter(code=code).values_list("pk", flat=True).first()
        if pk is None:
            raise serializers.ValidationError(
                _("Unknown municipality code %(code)s.") % {"code": code})
        return pk

    def validate_area(self, code: str) -> int:
        pk = CompetenceArea.objects.filter(code=code).values_list("pk", flat=True).first()
        if pk is None:
            raise serializers.ValidationError(
                _("Unknown competence area code %(code)s.") % {"code": code})
        return pk


@extend_schema(parameters=[NeedQuery])
class NeedList(generics.ListAPIView):
    """Advisers: every need, filtered by round (id), municipality and area (codes; a main area
    includes its sub-areas), status, priority and q. Others: their organisations' needs."""

    permission_classes = [permissions.IsAuthenticated]
    serializer_class = NeedSerializer
    filter_backends: list = []

    def get_queryset(self):
        params = validated_params(self.request, NeedQuery)
        filters = selectors.NeedFilters(
            round_id=params.get("round"), municipality_id=params.get("municipality"),
            area_id=params.get("area"), status=params.get("status", ""),
            priority=params.get("priority", ""), q=params.get("q", "").strip(),
        )
        qs = selectors.needs_for_adviser(filters)
        if not access.is_adviser(self.request.user):
            qs = qs.filter(organisation__in=access.organisations_for_user(
                self.request.user, kind=Organisation.Kind.BUSINESS))
        return qs


class NeedDetail(generics.RetrieveAPIView):
    permission_classes = [permissions.IsAuthenticated]
    serializer_class = NeedSerializer

    def get_object(self) -> Need:
        try:
            return selectors.need_for_user(self.request.user, int(self.kwargs["pk"]))
        except (TypeError, ValueError):
            raise Http404 from None
