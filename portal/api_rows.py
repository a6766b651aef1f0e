"""API lists written from `.values()` rows instead of a model instance and a serializer run
per row: the same JSON (the serializer's own fields format what needs formatting), at a
fraction of the cost.

A list view with `ValuesListMixin` keeps its `serializer_class` (the schema, the detail views
and the writes use it); the mixin reads each field's `source` once per process and turns it
into a `.values()` column: `organisation.name` becomes `organisation__name`, a related field
its id. A nullable hop (`area.code` with `default=None`) is a LEFT JOIN in `.values()`, so
the row holds None just where the serializer would write its default. Dates, times and
decimals go through the field's `to_representation` (time zone, ISO format, decimal places);
strings, numbers, booleans, lists and JSON come out of the database as the serializer would
write them. A `SerializerMethodField` is written by the view's `row_methods` from the row.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cached_property

from rest_framework import serializers
from rest_framework.response import Response

# Fields whose output differs from the database value (time zone, ISO text, decimal places).
FORMATTED = (serializers.DateTimeField, serializers.DateField, serializers.TimeField,
             serializers.DecimalField, serializers.DurationField, serializers.UUIDField)


class RowPlan:
    """For each output field, in the serializer's order: its name, its `.values()` column and
    how to format the value (None: as it is), or the row method that writes it."""

    def __init__(self, serializer: serializers.Serializer, methods: dict[str, Callable]):
        self.entries: list[tuple[str, str, Callable | None, Callable | None]] = []
        for name, field in serializer.fields.items():
            if isinstance(field, serializers.SerializerMethodField):
                if name not in methods:
                    raise ValueError(f"{type(serializer).__name__}.{name} needs a row method")
                self.entries.append((name, "", None, methods[name]))
                continue
            formatter = field.to_representation if isinstance(field, FORMATTED) else None
            self.entries.append((name, field.source.replace(".", "__"), formatter, None))

    def columns(self, extra: tuple[str, ...] = ()) -> list[str]:
        return list(dict.fromkeys(
            [column for _name, column, _f, method in self.entries if method is None]
            + list(extra)))

    def row(self, values: dict) -> dict:
        out = {}
        for name, column, formatter, method in self.entries:
            if method is not None:
                out[name] = method(values)
            else:
                value = values[column]
                out[name] = value if formatter is None or value is None else formatter(value)
        return out


class ValuesListMixin:
    """`list()` for a ListAPIView: filter and paginate as the view does, over `.values()`.

    `row_methods`: output name -> function of the row, for the serializer's method fields;
    `row_columns`: further columns those functions read."""

    row_methods: dict[str, Callable[[dict], object]] = {}
    row_columns: tuple[str, ...] = ()

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

    def list(self, request, *args, **kwargs) -> Response:
        plan = self._plan()
        queryset = self.filter_queryset(self.get_queryset())
        rows = queryset.values(*plan.columns(self.row_columns + self._ordering_columns))
        page = self.paginate_queryset(rows)
        if page is None:
            return Response([plan.row(values) for values in rows])
        return self.get_paginated_response([plan.row(values) for values in page])
