"""The API lists' query parameters as django-filter FilterSets (with DjangoFilterBackend), so
each is validated — a bad value is a 400 whose JSON names the parameter — and documented in
the OpenAPI schema with its type, range and choices.

The rows themselves come from the selectors the pages use (`select`), asked with the clean
values: the visibility and search rules stay in one place. The view's own queryset is that
selector's answer without filters; querysets are lazy, so it is never run.
"""

from __future__ import annotations

import copy
from typing import ClassVar

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.forms.utils import ErrorDict
from django.http import QueryDict
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django_filters import rest_framework as filters
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from .models import CompetenceArea, Municipality

# Widgets whose value is the parameter of their name (`data.get(name)`), None when missing.
READS_ITS_NAME_ONLY = (forms.Widget.value_from_datadict,
                       forms.widgets.ChoiceWidget.value_from_datadict)


class SelectorFilterSet(filters.FilterSet):
    """Validates and documents; `select` gets the set values only (no empty ones).

    django-filter deep-copies every filter (and the querysets in them) for each request and
    builds a new form class from the copies, only to validate the parameters; here the
    filtering is `select`'s, so the filters are only read, and one form class per language
    serves every request (a form copies its fields when it is made)."""

    # Parameters `select` turns into ids from the kept reference data (`reference_memo`, e.g.
    # an area and its sub-areas): SQL compiled with them depends on the data's version.
    reference_params: ClassVar[tuple[str, ...]] = ()
    _form_classes: ClassVar[dict[tuple[type, str], type[forms.Form]]] = {}
    _shared_field_sets: ClassVar[dict[type[forms.Form], dict[str, forms.Field] | None]] = {}

    def __init__(self, data=None, queryset=None, *, request=None, prefix=None):
        self.is_bound = data is not None
        self.data = data or QueryDict()
        self.queryset = queryset if queryset is not None else \
            self._meta.model._default_manager.all()
        self.request = request
        self.form_prefix = prefix
        self.filters = self.base_filters  # shared: never bound to one request

    def get_form_class(self) -> type[forms.Form]:
        key = (type(self), get_language() or "")
        form_class = self._form_classes.get(key)
        if form_class is None:
            own = copy.deepcopy(self.base_filters)
            for filter_ in own.values():
                filter_.model = self._meta.model
            form_class = type(f"{type(self).__name__}Form", (self._meta.form,),
                              {name: filter_.field for name, filter_ in own.items()})
            self._form_classes[key] = form_class
        return form_class

    def _shared_fields(self) -> dict[str, forms.Field] | None:
        """The form's fields, to clean the given parameters with, or None when this FilterSet
        needs a whole form: a form with its own `clean`, a disabled field, a widget that
        reads more than the parameter of its name, a field that is not empty when its
        parameter is missing. Read once per process and language."""
        form_class = self.get_form_class()
        if form_class not in self._shared_field_sets:
            fields: dict | None = dict(form_class.base_fields)
            own_clean = form_class.clean is not forms.Form.clean or any(
                hasattr(form_class, f"clean_{name}") for name in fields)
            for field in fields.values():
                plain_widget = type(field.widget).value_from_datadict in READS_ITS_NAME_ONLY \
                    and not getattr(field.widget, "allow_multiple_selected", False)
                try:
                    missing = field.clean(None)
                except ValidationError:
                    missing = "required"
                if own_clean or field.disabled or not plain_widget or missing not in (None, ""):
                    fields = None
                    break
            self._shared_field_sets[form_class] = fields
        return self._shared_field_sets[form_class]

    def _params_without_form(self) -> dict | None:
        """The set parameters cleaned by the shared fields, as the form would clean them;
        None if one is invalid (the form then writes the errors) or a form is needed. Saves
        making a form (a deep copy of every field) on each request."""
        fields = self._shared_fields() if self.form_prefix is None else None
        if fields is None:
            return None
        params = {}
        for name, field in fields.items():
            if name not in self.data:
                continue  # missing: empty, as checked in `_shared_fields`
            try:
                value = field.clean(field.widget.value_from_datadict(self.data, {}, name))
            except ValidationError:
                return None
            if value not in (None, ""):
                params[name] = value
        return params

    def is_valid(self) -> bool:
        if self.is_bound:
            self._params = self._params_without_form()
            if self._params is not None:
                return True
        return super().is_valid()

    @property
    def errors(self):
        if getattr(self, "_params", None) is not None:
            return ErrorDict()
        return self.form.errors

    def clean_params(self) -> dict:
        """The set parameters' clean values (after `is_valid`): what `select` is given."""
        params = getattr(self, "_params", None)
        if params is None:
            params = {k: v for k, v in self.form.cleaned_data.items() if v not in (None, "")}
        return dict(params)

    def filter_queryset(self, queryset: QuerySet) -> QuerySet:
        return self.select(queryset, self.clean_params())

    def select(self, queryset: QuerySet, params: dict) -> QuerySet:  # pragma: no cover
        raise NotImplementedError


class CodeField(forms.ModelChoiceField):
    """A reference object by its public code; an unknown code says which one."""

    def __init__(self, *, unknown: str, **kwargs):
        self.unknown = unknown
        super().__init__(to_field_name="code", **kwargs)

    def to_python(self, value):
        try:
            if "\x00" in str(value):  # no such code, and no database can hold it
                raise ValidationError("NUL")
            return super().to_python(value)
        except ValidationError:
            # The message is shared with the write serializers (DRF's `{value}` style); the
            # value goes in as a parameter, so a `%` in it is only text.
            raise ValidationError(str(self.unknown).format(value="%(value)s"),
                                  code="invalid_choice", params={"value": value}) from None


class CodeFilter(filters.Filter):
    field_class = CodeField


@extend_schema_field({"type": "string", "pattern": r"^\d{4}$", "example": "4036",
                     "description": "A municipality by its official four-digit code."})
class MunicipalityFilter(CodeFilter):
    def __init__(self, **kwargs):
        super().__init__(queryset=Municipality.objects.all(),
                         unknown=_("Unknown municipality code {value}."), **kwargs)


@extend_schema_field({"type": "string", "example": "skog.motorsag",
                     "description": "A competence area by its code; a main area (`skog`) "
                                    "includes its sub-areas (`skog.motorsag`)."})
class AreaFilter(CodeFilter):
    def __init__(self, *, queryset: QuerySet | None = None, **kwargs):
        super().__init__(queryset=queryset if queryset is not None
                         else CompetenceArea.objects.all(),
                         unknown=_("Unknown competence area code {value}."), **kwargs)


class IntegerFilter(filters.Filter):
    """A whole number (django-filter's NumberFilter takes decimals)."""

    field_class = forms.IntegerField


def integer_filter(*, minimum: int, maximum: int, description: str) -> IntegerFilter:
    found = IntegerFilter(min_value=minimum, max_value=maximum)
    return extend_schema_field({"type": "integer", "minimum": minimum, "maximum": maximum,
                                "description": description})(found)


def text_filter(*, max_length: int, description) -> filters.CharFilter:
    return extend_schema_field({"type": "string", "maxLength": max_length,
                                "description": str(description)})(
        filters.CharFilter(max_length=max_length))


class StrictBooleanField(forms.Field):
    """`true`/`false` (or `1`/`0`, as DRF reads them); anything else is an error, where
    Django's boolean fields would quietly read it as one or the other."""

    default_error_messages = {"invalid": _("Give true or false.")}

    def to_python(self, value):
        if value in (None, ""):
            return None
        text = str(value).strip()
        if text in serializers.BooleanField.TRUE_VALUES:
            return True
        if text in serializers.BooleanField.FALSE_VALUES:
            return False
        raise ValidationError(self.error_messages["invalid"], code="invalid")


class BooleanFilter(filters.Filter):
    field_class = StrictBooleanField


def boolean_filter(description: str) -> BooleanFilter:
    return extend_schema_field({"type": "boolean", "description": description})(
        BooleanFilter())


def code(value) -> str:
    """A validated reference object back to the code the selectors take."""
    return getattr(value, "code", value)
