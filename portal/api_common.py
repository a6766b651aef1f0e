"""What every app's API shares: query-parameter validation that answers 400 with JSON, the
permission classes built on the access rules in `portal.access`, and the error answers."""

from __future__ import annotations

import hashlib
import io
from contextlib import contextmanager

from django.conf import settings
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Count, Window
from django.http import HttpResponse, JsonResponse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views import defaults
from drf_spectacular.utils import extend_schema_field
from rest_framework import exceptions, parsers, permissions, serializers, throttling
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import CursorPagination, PageNumberPagination
from rest_framework.response import Response
from rest_framework.settings import api_settings

from . import access
from .models import Municipality, Organisation


def not_found(request, exception=None) -> HttpResponse:
    """The 404 for a URL no route matches: JSON under /api/, like every other API answer;
    the portal's page elsewhere."""
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": gettext("Not found.")}, status=404)
    return defaults.page_not_found(request, exception)


def validated_params(request, serializer_class: type[serializers.Serializer]) -> dict:
    serializer = serializer_class(data=request.query_params)
    serializer.is_valid(raise_exception=True)
    return {k: v for k, v in serializer.validated_data.items() if v not in (None, "")}


class CodeRelatedField(serializers.SlugRelatedField):
    """A reference object by its code. A value the database cannot even hold (a NUL
    character) is as unknown as any other code — a 400, never a database error."""

    def to_internal_value(self, data):
        if "\x00" in str(data):
            self.fail("does_not_exist", slug_name=self.slug_field, value=str(data))
        return super().to_internal_value(data)


def municipality_field() -> serializers.SlugRelatedField:
    """A query parameter naming a municipality by its code; an unknown code is a 400."""
    return CodeRelatedField(
        slug_field="code", queryset=Municipality.objects.all(), required=False,
        error_messages={"does_not_exist": _("Unknown municipality code {value}.")})


class IsAdviser(permissions.BasePermission):
    message = _("Only county advisers may read this.")

    def has_permission(self, request, view) -> bool:
        return access.is_adviser(request.user)


# --- writes: errors with the right status, reference data by code ---------------------------


class Conflict(exceptions.APIException):
    status_code = 409
    default_detail = _("The object's current state does not allow this change.")
    default_code = "conflict"


class PayloadTooLarge(exceptions.APIException):
    status_code = 413
    default_detail = _("The request is too large.")
    default_code = "payload_too_large"


class LimitedJSONParser(parsers.JSONParser):
    """The API's one request format: JSON (anything else is a 415), and no body over
    `API_MAX_BODY_BYTES` (a 413) — read no further than the limit, whatever the client says
    its length is. The bulk upsert has its own, larger limit."""

    def parse(self, stream, media_type=None, parser_context=None):
        limit = settings.API_MAX_BODY_BYTES
        body = stream.read(limit + 1)
        if len(body) > limit:
            raise PayloadTooLarge(_("The request is larger than %(kb)s kB.") % {
                "kb": limit // 1024})
        return super().parse(io.BytesIO(body), media_type, parser_context)


# Codes the services give a ValidationError that is about the object's state, not the input.
CONFLICT_CODES = {"illegal_transition", "concurrent_change", "locked"}


@contextmanager
def service_errors():
    """Runs a service call; its ValidationError becomes a 400 whose JSON names each field (or
    `non_field_errors`), or a 409 when the object's status does not allow the change."""
    try:
        yield
    except DjangoValidationError as exc:
        codes = {getattr(e, "code", None) for e in exc.error_list} if not hasattr(
            exc, "error_dict") else set()
        if codes & CONFLICT_CODES:
            raise Conflict(" ".join(exc.messages)) from exc
        if hasattr(exc, "error_dict"):
            raise ValidationError(exc.message_dict) from exc
        raise ValidationError({"non_field_errors": exc.messages}) from exc


@extend_schema_field({"type": "string", "example": "4036", "nullable": True})
class MunicipalityCodeField(serializers.Field):
    """A municipality by its official code; a retired code (e.g. 38xx) means today's one."""

    default_error_messages = {"unknown": _("Unknown municipality code {value}.")}

    def to_internal_value(self, data) -> Municipality:
        from .services import municipality_for_code

        text = str(data).strip() if data is not None else ""
        found = municipality_for_code(text) if text and "\x00" not in text else None
        if found is None:
            self.fail("unknown", value=data)
        return found

    def to_representation(self, value) -> str:
        return value.code


def active_organisation_for_api(request, kind: str) -> Organisation:
    """The organisation of `kind` the request acts for (a token's own; with a session, the
    chosen one), or 403 — the same rule as the pages."""
    org = access.active_organisation(request, kind=kind)
    if org is None:
        raise exceptions.PermissionDenied(
            _("Only members of a %(kind)s organisation may do this.")
            % {"kind": Organisation.Kind(kind).label.lower()})
    return org


# --- conventions: cursor pagination for the large lists, ETags for the public catalogue ------


class StableCursorPagination(CursorPagination):
    """`next`/`previous` links with an opaque cursor: stable while rows are added, and as fast
    on the last page as on the first (no OFFSET, no COUNT). Set `ordering` per list."""

    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 500

    def get_page_size(self, request) -> int:
        """`page_size` from 1 to 500; anything else is a 400 naming it (DRF would quietly
        use the default)."""
        raw = request.query_params.get(self.page_size_query_param, "")
        if raw == "":
            return self.page_size
        try:
            size = int(raw)
        except ValueError:
            size = 0
        if not 1 <= size <= self.max_page_size:
            raise ValidationError({self.page_size_query_param: [
                _("Give a whole number from 1 to %(max)s.") % {"max": self.max_page_size}]})
        return size

    def paginate_queryset(self, queryset, request, view=None):
        """A cursor whose position is not a value of the ordering's first field (a cursor
        made up or edited by hand) is DRF's 404 "Invalid cursor", not a database error."""
        cursor = self.decode_cursor(request)  # a cursor that does not decode: DRF's 404
        if cursor is not None and cursor.position is not None:
            ordering = self.ordering if isinstance(self.ordering, str) else self.ordering[0]
            field = queryset.model._meta.get_field(ordering.lstrip("-"))
            try:
                field.to_python(cursor.position)
            except DjangoValidationError:
                raise exceptions.NotFound(self.invalid_cursor_message) from None
        return super().paginate_queryset(queryset, request, view)

    def get_schema_operation_parameters(self, view) -> list[dict]:
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            if parameter["name"] == self.page_size_query_param:
                parameter["schema"].update(minimum=1, maximum=self.max_page_size)
        return parameters


PAGE_TOTAL = "page_total_count"


class CountedInPagePagination(PageNumberPagination):
    """DRF's page numbers (`count`, `next`, `previous`, the same answers and errors), with the
    count read in the page's own query (`COUNT(*) OVER ()`, counted before the LIMIT) rather
    than in a second one. An empty page (none at all, or past the end) and a page number that
    is not a plain number go DRF's way, which counts and answers them as before."""

    def paginate_queryset(self, queryset, request, view=None):
        raw = str(request.query_params.get(self.page_query_param) or 1)
        page_size = self.get_page_size(request)
        query = getattr(queryset, "query", None)
        if (not page_size or not raw.isascii() or not raw.isdigit() or int(raw) < 1
                or query is None or query.is_sliced or query.distinct or query.combinator):
            return super().paginate_queryset(queryset, request, view)
        number = int(raw)
        bottom = (number - 1) * page_size
        rows = list(queryset.annotate(**{PAGE_TOTAL: Window(Count("*"))})[
            bottom:bottom + page_size])
        if not rows:
            return super().paginate_queryset(queryset, request, view)
        count = 0
        for row in rows:
            count = row.pop(PAGE_TOTAL) if isinstance(row, dict) else getattr(row, PAGE_TOTAL)
        self.request = request
        paginator = self.django_paginator_class(queryset, page_size)
        paginator.count = count  # Django's cached property, known already
        self.page = paginator._get_page(rows, number, paginator)
        if paginator.num_pages > 1 and self.template is not None:
            self.display_page_controls = True
        return list(self.page)


class ConditionalGetMixin:
    """`ETag` on GET, and `304 Not Modified` when `If-None-Match` names it. The view gives
    the tag's ingredients (`etag_parts`); None means the answer is not cacheable."""

    def etag_parts(self, request) -> list | None:  # pragma: no cover - overridden
        return None

    def get(self, request, *args, **kwargs):
        parts = self.etag_parts(request)
        if parts is None:
            return super().get(request, *args, **kwargs)
        vary = [request.get_full_path(), request.META.get("HTTP_ACCEPT", ""),
                request.META.get("HTTP_ACCEPT_LANGUAGE", "")]
        digest = hashlib.sha256(repr([*parts, *vary]).encode()).hexdigest()[:32]
        etag = f'"{digest}"'
        wanted = [t.strip() for t in request.META.get("HTTP_IF_NONE_MATCH", "").split(",")]
        if etag in wanted or f"W/{etag}" in wanted:
            return Response(status=304, headers={"ETag": etag})
        response = super().get(request, *args, **kwargs)
        if response.status_code == 200:
            response["ETag"] = etag
        return response


class _RateFromSettings:
    """DRF binds the rates when its module is imported; read them per request instead, so a
    changed setting (a test, a reloaded configuration) takes effect."""

    def get_rate(self):
        return api_settings.DEFAULT_THROTTLE_RATES.get(self.scope)


# Starts the window (a counter that expires with it) unless one is running, counts the
# request, and says what is left of the window: atomic like MULTI, and one command (one reply
# to read) where the transaction took five.
_WINDOW_SCRIPT = """
redis.call('SET', KEYS[1], 0, 'EX', ARGV[1], 'NX')
return {redis.call('INCR', KEYS[1]), redis.call('TTL', KEYS[1])}
"""
_window_script = None  # redis-py's Script: EVALSHA, loading the script when Redis lacks it


def requests_in_window(key: str, seconds: int) -> tuple[int, int]:
    """Count one more request under `key` in its window of `seconds` (it starts with the first
    request): (requests so far in the window, seconds until it ends). With Redis this is one
    round trip (`_WINDOW_SCRIPT`), atomic for every worker; other caches (tests, development)
    add, else increment."""
    from django.core.cache import caches
    from django.core.cache.backends.redis import RedisCache

    global _window_script
    backend = caches["default"]
    if isinstance(backend, RedisCache):
        full_key = backend.make_and_validate_key(key)
        # The client Django's backend uses for its own calls (same pool, same key prefix).
        client = backend._cache.get_client(full_key, write=True)
        if _window_script is None:
            _window_script = client.register_script(_WINDOW_SCRIPT)
        count, left = _window_script(keys=[full_key], args=[seconds], client=client)
        return int(count), left if left > 0 else seconds
    if backend.add(key, 1, seconds):
        return 1, seconds
    try:
        return backend.incr(key), seconds
    except ValueError:  # expired between the two calls
        backend.set(key, 1, seconds)
        return 1, seconds


class _CountingThrottle:
    """DRF's throttles keep the time of every request of the last period in one list, read
    and written whole (two round trips, tens of kB at a high rate) on every request. These
    count the requests of a fixed window instead (`requests_in_window`): the same keys,
    scopes and rates; over the rate is a 429 whose Retry-After is the rest of the window."""

    def allow_request(self, request, view) -> bool:
        if self.rate is None:
            return True
        self.key = self.get_cache_key(request, view)
        if self.key is None:
            return True
        count, self._left = requests_in_window(self.key, self.duration)
        return count <= self.num_requests

    def wait(self) -> float:
        return max(1, getattr(self, "_left", self.duration))


class AnonymousRateThrottle(_CountingThrottle, _RateFromSettings, throttling.AnonRateThrottle):
    pass


class UserRateThrottle(_CountingThrottle, _RateFromSettings, throttling.UserRateThrottle):
    """Per signed-in user. An anonymous client is counted per address by
    `AnonymousRateThrottle` alone, at the rate meant for it (DRF's class would count it a
    second time, per address again at the users' rate: two more round trips to the cache)."""

    def get_cache_key(self, request, view):
        if not request.user or not request.user.is_authenticated:
            return None
        return super().get_cache_key(request, view)
