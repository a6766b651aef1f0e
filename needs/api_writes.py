"""API v1 writes for needs: a business member creates, edits, submits and withdraws the needs
of the business the token acts for, through the survey's services and rules. Advisers read
needs but do not write them (as on the pages); another business's need is a 404."""

from __future__ import annotations

from django.http import Http404
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiExample, extend_schema, extend_schema_serializer
from rest_framework import permissions, serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from portal.api_common import CodeRelatedField, active_organisation_for_api, service_errors
from portal.choices import Format, Level
from portal.models import CompetenceArea, Organisation

from . import selectors, services
from .api import NeedDetail, NeedList, NeedSerializer
from .models import Need

NEED_EXAMPLE = {
    "area": "skog.motorsag", "title": "Motorsagkurs for skogsarbeidere",
    "description": "Fire ansatte trenger motorsagsertifikat før hogstsesongen.",
    "participants": 4, "level": "course", "formats": ["local", "workplace"],
    "earliest_start": "2027-03-01", "latest_start": "2027-06-30", "max_travel_km": 60,
    "budget_per_participant": "6000.00", "priority": "high",
    "consequence": "safety_risk", "willing_to_share": True,
}


@extend_schema_serializer(examples=[
    OpenApiExample("A chainsaw course", value=NEED_EXAMPLE, request_only=True)])
class NeedWriteSerializer(serializers.Serializer):
    area = CodeRelatedField(
        slug_field="code", queryset=CompetenceArea.objects.filter(is_active=True),
        error_messages={"does_not_exist": _("Unknown competence area code {value}.")})
    title = serializers.CharField(max_length=200, required=False, allow_blank=True)
    description = serializers.CharField(max_length=20000, required=False, allow_blank=True)
    participants = serializers.IntegerField(min_value=1, max_value=100000)
    to_train = serializers.IntegerField(min_value=0, max_value=100000, required=False,
                                        allow_null=True)
    to_recruit = serializers.IntegerField(min_value=0, max_value=100000, required=False,
                                          allow_null=True)
    level = serializers.ChoiceField(choices=Level.choices, required=False, allow_blank=True)
    formats = serializers.ListField(child=serializers.ChoiceField(choices=Format.choices),
                                    allow_empty=False, min_length=1,
                                    max_length=len(Format.choices))
    earliest_start = serializers.DateField(required=False, allow_null=True)
    latest_start = serializers.DateField(required=False, allow_null=True)
    max_travel_km = serializers.IntegerField(min_value=0, max_value=10000, required=False,
                                             allow_null=True)
    online_only = serializers.BooleanField(required=False)
    budget_per_participant = serializers.DecimalField(
        max_digits=10, decimal_places=2, min_value=0, required=False, allow_null=True)
    priority = serializers.ChoiceField(choices=Need.Priority.choices, required=False)
    consequence = serializers.ChoiceField(choices=Need.Consequence.choices, required=False,
                                          allow_blank=True)
    willing_to_share = serializers.BooleanField(required=False)


def business_for(request) -> Organisation:
    return active_organisation_for_api(request, Organisation.Kind.BUSINESS)


def own_need(request, pk) -> Need:
    business_for(request)
    try:
        return selectors.need_for_member(user=request.user, pk=int(pk))
    except (TypeError, ValueError):
        raise Http404 from None


def _read(request, need: Need) -> dict:
    return NeedSerializer(selectors.need_for_user(user=request.user, pk=need.pk)).data


class NeedListCreate(NeedList):
    """Needs the caller may read (GET), and POST for a business member to add one."""

    @extend_schema(
        request=NeedWriteSerializer, responses={201: NeedSerializer},
        description="Add a need of the token's business: a draft, or submitted at once with "
                    "`?submit=true`. The survey's rules apply (e.g. participants who are "
                    "current staff cannot outnumber the employees).")
    def post(self, request, *args, **kwargs) -> Response:
        business = business_for(request)
        serializer = NeedWriteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        with service_errors():
            need = services.need_create(
                organisation=business, data=dict(serializer.validated_data), by=request.user,
                submit=request.query_params.get("submit") in ("1", "true"))
        return Response(_read(request, need), status=status.HTTP_201_CREATED)


class NeedDetailUpdate(NeedDetail):
    """One need (GET), and PUT/PATCH for a member of its business while it can be changed."""

    api_errors = (409,)  # covered or withdrawn: locked

    def _update(self, request, partial: bool) -> Response:
        need = own_need(request, self.kwargs["pk"])
        serializer = NeedWriteSerializer(data=request.data, partial=partial)
        serializer.is_valid(raise_exception=True)
        with service_errors():
            need = services.need_update(need=need, data=dict(serializer.validated_data),
                                        by=request.user)
        return Response(_read(request, need))

    @extend_schema(request=NeedWriteSerializer, responses=NeedSerializer,
                   description="Replace a need's fields (409 once it is covered or withdrawn).")
    def put(self, request, *args, **kwargs) -> Response:
        return self._update(request, partial=False)

    @extend_schema(request=NeedWriteSerializer, responses=NeedSerializer,
                   description="Change some of a need's fields (409 once it is covered or "
                               "withdrawn).")
    def patch(self, request, *args, **kwargs) -> Response:
        return self._update(request, partial=True)


class _NeedMove(APIView):
    permission_classes = [permissions.IsAuthenticated]
    api_errors = (400, 409)  # the survey's rules for submitting; a move the status forbids

    def move(self, request, need):
        raise NotImplementedError

    def post(self, request, pk: int) -> Response:
        need = own_need(request, pk)
        with service_errors():
            need = self.move(request, need)
        return Response(_read(request, need))


@extend_schema(request=None, responses=NeedSerializer,
               description="Submit a draft need (409 if it is not a draft or withdrawn).")
class NeedSubmit(_NeedMove):
    def move(self, request, need):
        return services.need_submit(need=need, by=request.user)


@extend_schema(request=None, responses=NeedSerializer,
               description="Withdraw a need (409 if it is already withdrawn or covered).")
class NeedWithdraw(_NeedMove):
    def move(self, request, need):
        return services.need_withdraw(need=need)
