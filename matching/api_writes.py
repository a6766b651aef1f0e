"""API v1 writes for matching: advisers move matches along (approve, reject with a reason,
propose, mark enrolled); a business accepts or declines what was proposed to it. Only the
transitions in `Match.TRANSITIONS` are allowed: anything else is a 409."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiExample, extend_schema, extend_schema_serializer
from rest_framework import permissions, serializers
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response
from rest_framework.views import APIView

from portal import access
from portal.api_common import IsAdviser, service_errors

from . import selectors, services
from .api import MatchSerializer
from .models import Match


@extend_schema_serializer(examples=[
    OpenApiExample("With a note", value={"note": "Passer godt."}, request_only=True)])
class NoteSerializer(serializers.Serializer):
    note = serializers.CharField(required=False, allow_blank=True, max_length=2000)


@extend_schema_serializer(examples=[OpenApiExample(
    "A reason", value={"reason": "Kurset er for viderekomne."}, request_only=True)])
class RejectSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=2000, help_text=_("Why the match is rejected."))


@extend_schema_serializer(examples=[OpenApiExample(
    "Too far", value={"reason": "distance", "note": ""}, request_only=True)])
class DeclineSerializer(serializers.Serializer):
    reason = serializers.ChoiceField(choices=[c for c, _label in services.DECLINE_REASONS])
    note = serializers.CharField(required=False, allow_blank=True, max_length=300)


def _match_out(request, match_id: int) -> dict:
    return MatchSerializer(Match.objects.select_related("need", "offer__provider")
                           .get(pk=match_id), context={"request": request}).data


class _AdviserAction(APIView):
    permission_classes = [IsAdviser]
    api_errors = (409,)  # only the transitions in Match.TRANSITIONS
    action = "approve"
    body = NoteSerializer

    def post(self, request, pk: int) -> Response:
        match = selectors.match_for_adviser(user=request.user, pk=pk)
        serializer = self.body(data=request.data)
        serializer.is_valid(raise_exception=True)
        with service_errors():
            self.run(match, request.user, serializer.validated_data)
        return Response(_match_out(request, match.pk))

    def run(self, match: Match, user, data: dict) -> None:
        services.ADVISER_ACTIONS[self.action][1](match_id=match.pk, by=user,
                                                 note=data.get("note", ""))


def _adviser_schema(description: str, body=NoteSerializer):
    return extend_schema(request=body, responses=MatchSerializer, description=description)


@_adviser_schema("Approve a suggested match (adviser). 409 unless it is suggested.")
class MatchApprove(_AdviserAction):
    action = "approve"


@_adviser_schema("Reject a match with a reason (adviser); it stays, hidden from the queue. "
                 "409 unless it is suggested or approved.", body=RejectSerializer)
class MatchReject(_AdviserAction):
    body = RejectSerializer

    def run(self, match: Match, user, data: dict) -> None:
        services.match_dismiss(match_id=match.pk, by=user, note=data["reason"])


@_adviser_schema("Propose an approved match to the business (adviser); the business is told "
                 "by e-mail. 409 unless it is approved.")
class MatchPropose(_AdviserAction):
    action = "propose"


@_adviser_schema("Mark an accepted match as enrolled (adviser): the need is covered. 409 "
                 "unless it is accepted.")
class MatchEnroll(_AdviserAction):
    action = "enroll"


class _BusinessAction(APIView):
    permission_classes = [permissions.IsAuthenticated]
    api_errors = (409,)  # only the transitions in Match.TRANSITIONS

    def _match(self, request, pk: int) -> Match:
        if access.is_adviser(request.user):
            raise PermissionDenied(_("Advisers act on matches through their own operations."))
        return selectors.match_for_business(user=request.user, pk=pk)


@extend_schema(request=NoteSerializer, responses=MatchSerializer,
               description="Accept a proposal (business). 409 unless it is proposed.")
class MatchAccept(_BusinessAction):
    def post(self, request, pk: int) -> Response:
        match = self._match(request, pk)
        serializer = NoteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        with service_errors():
            services.match_accept(match_id=match.pk, by=request.user,
                                  note=serializer.validated_data.get("note", ""))
        return Response(_match_out(request, match.pk))


@extend_schema(request=DeclineSerializer, responses=MatchSerializer,
               description="Decline a proposal with a reason code (business). 409 unless it "
                           "is proposed or accepted.")
class MatchDecline(_BusinessAction):
    def post(self, request, pk: int) -> Response:
        match = self._match(request, pk)
        serializer = DeclineSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        with service_errors():
            services.match_decline(match_id=match.pk, by=request.user,
                                   **serializer.validated_data)
        return Response(_match_out(request, match.pk))
