"""What every app's API shares: query-parameter validation that answers 400 with JSON, and the
permission classes built on the access rules in `portal.access`."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter
from rest_framework import permissions, serializers, throttling
from rest_framework.exceptions import ValidationError
from rest_framework.settings import api_settings

from . import access
from .models import CompetenceArea, Municipality


def validated_query(request, form_class: type[forms.Form], **kwargs) -> dict:
    """The request's query parameters cleaned by the same form the HTML page uses; a bad value
    is a 400 whose JSON names each field and what is wrong with it."""
    form = form_class(request.query_params, **kwargs)
    if not form.is_valid():
        raise ValidationError({name: [error["message"] for error in errors]
                               for name, errors in form.errors.get_json_data().items()})
    return {k: v for k, v in form.cleaned_data.items() if v not in (None, "", False)}


def validated_params(request, serializer_class: type[serializers.Serializer]) -> dict:
    serializer = serializer_class(data=request.query_params)
    serializer.is_valid(raise_exception=True)
    return {k: v for k, v in serializer.validated_data.items() if v not in (None, "")}


def municipality_field() -> serializers.SlugRelatedField:
    """A query parameter naming a municipality by its code; an unknown code is a 400."""
    return serializers.SlugRelatedField(
        slug_field="code", queryset=Municipality.objects.all(), required=False,
        error_messages={"does_not_exist": _("Unknown municipality code {value}.")})


def area_field() -> serializers.SlugRelatedField:
    """A query parameter naming a competence area by its code; an unknown code is a 400."""
    return serializers.SlugRelatedField(
        slug_field="code", queryset=CompetenceArea.objects.all(), required=False,
        error_messages={"does_not_exist": _("Unknown competence area code {value}.")})


def form_parameters(form_class: type[forms.Form]) -> list[OpenApiParameter]:
    """The form's fields as documented query parameters (for the OpenAPI schema)."""
    kinds = {forms.IntegerField: int, forms.DecimalField: float, forms.BooleanField: bool}
    return [
        OpenApiParameter(name, next((t for cls, t in kinds.items() if isinstance(field, cls)),
                                    str),
                         description=str(field.label or ""), required=False)
        for name, field in form_class.base_fields.items()
    ]


class IsAdviser(permissions.BasePermission):
    message = _("Only county advisers may read this.")

    def has_permission(self, request, view) -> bool:
        return access.is_adviser(request.user)


class _RateFromSettings:
    """DRF binds the rates when its module is imported; read them per request instead, so a
    changed setting (a test, a reloaded configuration) takes effect."""

    def get_rate(self):
        return api_settings.DEFAULT_THROTTLE_RATES.get(self.scope)


class AnonymousRateThrottle(_RateFromSettings, throttling.AnonRateThrottle):
    pass


class UserRateThrottle(_RateFromSettings, throttling.UserRateThrottle):
    pass
