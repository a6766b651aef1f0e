"""API lists written from `.values()` rows instead of a model instance and a serializer run
per row: the same JSON (the serializer's own fields format what needs formatting), at a
fraction of the cost.

A list view with `ValuesListMixin` keeps its `serializer_class` (the schema, the detail views
and the writes use it); the mixin reads each field's `source` once per process and turns it
into a `.values()` column: `organisation.name` becomes `organisation__name`, a related field
its id. A nullable hop (`area.code` with `default=None`) is a LEFT JOIN in `.values()`, so
the row holds None just where the serializer would write its default. Dates, times and
decimals go through the field's `to_representation` (time zone, ISO format, decimal places);
strings, numbers, booleans and lists come out of the database as the serializer would write
them; a JSON column is read as its text and decoded once per process and text (a row method
finds the text under `json_text_column(source)`), a plain date and time column as its text
too, parsed by `datetime.fromisoformat`. A `SerializerMethodField` is written by the
view's `row_methods` from the row.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, date, datetime, tzinfo
from functools import cached_property, lru_cache
from operator import itemgetter

from django.conf import settings
from django.core.exceptions import FieldDoesNotExist
from django.db import connection, models
from django.db.models import QuerySet
from django.db.models.functions import Cast
from django.utils import timezone
from django_filters.rest_framework import DjangoFilterBackend
from django_filters.utils import translate_validation
from rest_framework import ISO_8601, serializers
from rest_framework.fields import empty
from rest_framework.pagination import CursorPagination
from rest_framework.response import Response
from rest_framework.settings import api_settings

from . import access
from .api_filters import SelectorFilterSet
from .compiled_queries import PagedRows
from .filter_forms import ReferenceCodes, reference_codes, reference_version
from .models import CompetenceArea, Municipality

# Fields whose output differs from the database value (time zone, ISO text, decimal places).
FORMATTED = (serializers.DateTimeField, serializers.DateField, serializers.TimeField,
             serializers.DecimalField, serializers.DurationField, serializers.UUIDField)


def _plain_iso_date(field: serializers.Field) -> bool:
    """A DateField that writes ISO 8601 (no own format): its value's `isoformat()`."""
    return (isinstance(field, serializers.DateField) and not hasattr(field, "format")
            and str(api_settings.DATE_FORMAT).lower() == ISO_8601)


def _iso_date(value: date) -> str:
    return value.isoformat()


def _kept_by_text(format_: Callable[[object], object], size: int = 4096) -> Callable:
    """`format_` kept per value's text (a decimal's digits and places): a list repeats the
    same amounts, and DRF's quantising costs ten times a look-up. Not for a localised field,
    whose text depends on the language."""
    kept: dict[str, object] = {}

    def formatted(value):
        text = str(value)
        found = kept.get(text)
        if found is None:
            if len(kept) >= size:
                kept.clear()
            found = kept[text] = format_(value)
        return found

    return formatted


ISO_TEXT = 2  # an ISO date and time read as PostgreSQL's text of it


def time_text_column(source: str) -> str:
    """The `.values()` name of a date and time column read as its text (see `RowPlan`)."""
    return f"{source}_time_text"


def json_text_column(source: str) -> str:
    """The `.values()` name of a JSON column read as its text (see `RowPlan`)."""
    return f"{source}_json_text"


@lru_cache(maxsize=8192)
def _decoded_json(text: str):
    """A JSON column's value from its text, decoded once per process and text (a page of
    matches repeats the same reasons often). The decoded value is shared between rows and
    requests: it is only ever written out, never changed."""
    return json.loads(text)


def _json_as_text(serializer: serializers.Serializer, field: serializers.Field) -> bool:
    """A JSONField written as the model's JSON column holds it, with no own decoder: read as
    text (`::text`, the very text the database sends for the column) and decoded by
    `_decoded_json`, not by `json.loads` for every row."""
    if not isinstance(field, serializers.JSONField) or field.binary or "." in field.source:
        return False
    model = getattr(getattr(serializer, "Meta", None), "model", None)
    try:
        model_field = model._meta.get_field(field.source) if model else None
    except FieldDoesNotExist:
        return False
    return isinstance(model_field, models.JSONField) and model_field.decoder is None


REFERENCE_KINDS = {CompetenceArea: "areas", Municipality: "municipalities"}


def _reference_code(serializer: serializers.Serializer,
                    field: serializers.Field) -> tuple[str, str] | None:
    """A CharField writing an area's or a municipality's code through foreign keys
    (`area.code`, `organisation.municipality.code`): its id's `.values()` column and the kind
    of code, written from the kept reference data (`reference_codes`) — the query joins
    neither table (their joins cost more planning than the rest of the list's query). None
    for any other field, and for a nullable hop the serializer gives no default for."""
    if type(field) is not serializers.CharField or "." not in field.source:
        return None
    *path, last = field.source.split(".")
    model = getattr(getattr(serializer, "Meta", None), "model", None)
    if last != "code" or model is None:
        return None
    nullable, attnames = False, []
    for part in path:
        try:
            relation = model._meta.get_field(part)
        except FieldDoesNotExist:
            return None
        if not relation.many_to_one:
            return None
        nullable = nullable or relation.null
        attnames.append(relation.name)
        model = relation.related_model
    kind = REFERENCE_KINDS.get(model)
    if kind is None or (nullable and field.default is empty):
        return None
    return "__".join([*attnames[:-1], relation.attname]), kind


def _code_reader(column: str, kind: str, codes: ReferenceCodes | None = None) -> Callable:
    """The row's code for the id in `column`; `codes` read for the list (else now). An id
    the kept data does not know yet (created a moment ago) is asked for."""
    def code(values: dict) -> str | None:
        pk = values[column]
        if pk is None:
            return None
        found = getattr(codes or reference_codes(), kind).get(pk)
        if found is None:
            model = next(m for m, k in REFERENCE_KINDS.items() if k == kind)
            found = model.objects.filter(pk=pk).values_list("code", flat=True).first()
        return found

    return code


def _plain_iso_datetime(field: serializers.Field) -> bool:
    """A DateTimeField that writes ISO 8601 in the current time zone (no own format or zone):
    `RowPlan` writes it the same way, looking the zone up once per list, not per value."""
    return (isinstance(field, serializers.DateTimeField) and settings.USE_TZ
            and not hasattr(field, "format") and not hasattr(field, "timezone")
            and str(api_settings.DATETIME_FORMAT).lower() == ISO_8601)


class RowPlan:
    """For each output field, in the serializer's order: its name, its `.values()` column,
    how to format the value (None: as it is) and whether it is a plain ISO date and time, or
    the row method that writes it."""

    def __init__(self, serializer: serializers.Serializer, methods: dict[str, Callable]):
        self.entries: list[tuple[str, str, Callable | None, Callable | None, bool]] = []
        # `.values()` name -> the column read as its text (JSON, plain dates and times)
        self.text_casts: dict[str, str] = {}
        # output name -> (the id's `.values()` column, the kind of code): see `_reference_code`
        self.reference_columns: dict[str, tuple[str, str]] = {}
        for name, field in serializer.fields.items():
            if isinstance(field, serializers.SerializerMethodField):
                if name not in methods:
                    raise ValueError(f"{type(serializer).__name__}.{name} needs a row method")
                self.entries.append((name, "", None, methods[name], False))
                continue
            reference = _reference_code(serializer, field)
            if reference is not None:
                self.reference_columns[name] = reference
                self.entries.append((name, "", None, _code_reader(*reference), False))
                continue
            if _json_as_text(serializer, field):
                column = json_text_column(field.source)
                self.text_casts[column] = field.source
                self.entries.append((name, column, _decoded_json, None, False))
                continue
            formatter = field.to_representation if isinstance(field, FORMATTED) else None
            if _plain_iso_date(field):
                formatter = _iso_date
            if isinstance(field, serializers.DecimalField) and not field.localize:
                formatter = _kept_by_text(formatter)
            if _plain_iso_datetime(field) and "." not in field.source:
                # Read as text, parsed by `datetime.fromisoformat` (C): psycopg's loader that
                # Django's time zone loader builds on parses each value with a regex.
                column = time_text_column(field.source)
                self.text_casts[column] = field.source
                self.entries.append((name, column, formatter, None, ISO_TEXT))
                continue
            self.entries.append((name, field.source.replace(".", "__"), formatter, None,
                                 _plain_iso_datetime(field)))

    def columns(self, extra: tuple[str, ...] = ()) -> list[str]:
        return list(dict.fromkeys(
            [column for _name, column, _f, method, _iso in self.entries if method is None]
            + [column for column, _kind in self.reference_columns.values()]
            + list(extra)))

    def values(self, queryset: QuerySet, extra: tuple[str, ...] = ()) -> QuerySet:
        """`queryset.values()` of the plan's columns (and `extra`), some as their text."""
        if self.text_casts:
            queryset = queryset.annotate(**{
                column: Cast(source, output_field=models.TextField())
                for column, source in self.text_casts.items()})
        return queryset.values(*self.columns(extra))

    @cached_property
    def _compiled(self) -> tuple:
        """The entries regrouped for `row`: every output name in order with the column its
        value is read from (a method field reads any one, to be overwritten), then the
        values to format, then the method fields."""
        columns = self.columns() or [None]
        names = tuple(name for name, *_rest in self.entries)
        read = tuple(column if method is None else columns[0]
                     for _name, column, _f, method, _iso in self.entries)
        if read == (None,) * len(read):
            def getter(values):
                return (None,) * len(read)
        elif len(read) == 1:
            def getter(values, _column=read[0]):
                return (values[_column],)
        else:
            getter = itemgetter(*read)
        formatted = tuple((name, formatter, iso) for name, _c, formatter, method, iso
                          in self.entries if method is None and formatter is not None)
        methods = tuple((name, method) for name, _c, _f, method, _iso in self.entries
                        if method is not None)
        return names, getter, formatted, methods

    def row(self, values: dict, zone: tzinfo | None = None,
            methods: tuple[tuple[str, Callable], ...] | None = None) -> dict:
        """The output of one row; `methods` (from `methods_for`) instead of the plan's own."""
        names, getter, formatted, own_methods = self._compiled
        if methods is None:
            methods = own_methods
        out = dict(zip(names, getter(values), strict=True))  # in the serializer's order
        for name, formatter, iso in formatted:
            value = out[name]
            if value is None:
                continue
            if iso == ISO_TEXT and type(value) is str:
                # PostgreSQL's text of a timestamptz (ISO DateStyle, as psycopg requires), or
                # SQLite's of a naive time, which Django writes in UTC (USE_TZ)
                value = datetime.fromisoformat(value)
                if value.tzinfo is None:
                    value = value.replace(tzinfo=UTC)
            if iso and zone is not None and value.tzinfo is not None:
                # DRF's DateTimeField.to_representation for an aware value, to the letter.
                text = value.astimezone(zone).isoformat()
                out[name] = text[:-6] + "Z" if text.endswith("+00:00") else text
            else:
                out[name] = formatter(value)
        for name, method in methods:
            out[name] = method(values)
        return out

    def methods_for(self, bound: dict[str, Callable], *,
                    version: float | None = None) -> tuple[tuple[str, Callable], ...]:
        """The plan's method fields, those in `bound` replaced (functions made for one list),
        the codes written from the kept reference data read once for the list (`version`:
        the reference data's, if the caller read it already)."""
        if self.reference_columns:
            codes = reference_codes(version=version)
            bound = {**{name: _code_reader(column, kind, codes) for name, (column, kind)
                        in self.reference_columns.items()}, **bound}
        return tuple((name, bound.get(name, method)) for name, method in self._compiled[3])


class ValuesListMixin:
    """`list()` for a ListAPIView: filter and paginate as the view does, over `.values()`.

    `row_methods`: output name -> function of the row, for the serializer's method fields
    (`list_row_methods` may give functions made once per list instead, e.g. knowing the
    language: asking for it for every row costs more than the rest of the row);
    `row_columns`: further columns those functions read."""

    row_methods: dict[str, Callable[[dict], object]] = {}
    row_columns: tuple[str, ...] = ()
    # True when an adviser's rows depend on nothing of theirs but their municipality scope
    # (`access.restrict_to_scope`): the SQL of an adviser's page is then compiled once per
    # process and scope, parameters and shape of page (`PagedRows`). Others' lists are built
    # for each request (a member's depend on their organisations).
    compiled_for_advisers = False

    @classmethod
    def _plan(cls) -> RowPlan:
        plan = cls.__dict__.get("_row_plan")
        if plan is None:
            plan = RowPlan(cls.serializer_class(), cls.row_methods)
            cls._row_plan = plan  # once per process and view class
        return plan

    @cached_property
    def _ordering_columns(self) -> tuple[str, ...]:
        ordering = getattr(self.pagination_class, "ordering", None) or ()
        if isinstance(ordering, str):
            ordering = (ordering,)
        return tuple(field.lstrip("-") for field in ordering)

    def _selector_filters_only(self) -> bool:
        filterset_class = getattr(self, "filterset_class", None)
        return (list(self.filter_backends) == [DjangoFilterBackend] and filterset_class is not None
                and issubclass(filterset_class, SelectorFilterSet))

    def _unfiltered_queryset(self):
        """The view's queryset, for its filter backends to narrow. A `SelectorFilterSet`
        alone asks its selector again with the clean values and drops what it is given, so
        the view's own selector (its scope, its joins) would be built only to be thrown
        away: an empty queryset of the model stands in."""
        if self._selector_filters_only():
            return self.filterset_class._meta.model._default_manager.none()
        return self.get_queryset()

    def _compiled_rows(self, plan: RowPlan, version: float | None) -> PagedRows | None:
        """An adviser's rows as `PagedRows` (see `compiled_for_advisers`), the parameters
        validated as `DjangoFilterBackend` validates them (a 400 naming the parameter); None
        for a list that is built every time. `version`: the reference data's, if read."""
        user = self.request.user
        # PostgreSQL only: SQLite's text of a date and time has no offset (PagedRows parses it).
        if not (self.compiled_for_advisers and connection.vendor == "postgresql"
                and self._selector_filters_only()
                and issubclass(self.pagination_class, CursorPagination)  # what PagedRows does
                and access.is_adviser(user)):
            return None
        base = self._unfiltered_queryset()
        filterset = DjangoFilterBackend().get_filterset(self.request, base, self)
        if not filterset.is_valid():
            raise translate_validation(filterset.errors)
        params = filterset.clean_params()
        if version is None and set(params) & set(filterset.reference_params):
            version = reference_version()
        key = ("api-list", type(self), access.adviser_scope(user),
               tuple(sorted(params.items())), version)
        # The ordering's dates and times, which the paginator reads, as their text (PagedRows).
        times = {name: time_text_column(name) for name in self._ordering_columns
                 if isinstance(base.model._meta.get_field(name), models.DateTimeField)}
        columns = self.row_columns + tuple(times.get(name, name) for name in self._ordering_columns)
        casts = {text: Cast(name, output_field=models.TextField()) for name, text in times.items()
                 if text not in plan.text_casts}

        def build() -> QuerySet:
            queryset = filterset.qs
            return plan.values(queryset.annotate(**casts) if casts else queryset, columns)

        return PagedRows(key, build, base.model, times=times)

    def list(self, request, *args, **kwargs) -> Response:
        plan = self._plan()
        # Read once for the codes (and the compiled SQL's key), if the rows write any.
        version = reference_version() if plan.reference_columns else None
        rows = self._compiled_rows(plan, version)
        if rows is None:
            queryset = self.filter_queryset(self._unfiltered_queryset())
            rows = plan.values(queryset, self.row_columns + self._ordering_columns)
        page = self.paginate_queryset(rows)
        zone = timezone.get_current_timezone()
        methods = plan.methods_for(self.list_row_methods(), version=version)
        if page is None:
            return Response([plan.row(values, zone, methods) for values in rows])
        return self.get_paginated_response([plan.row(values, zone, methods) for values in page])

    def list_row_methods(self) -> dict[str, Callable[[dict], object]]:
        return {}
