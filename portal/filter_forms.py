"""GET filter forms validated and rendered once per process, language and set of values.

The adviser's lists filter by competence area (a hundred options), municipality and survey
round: building those choices, validating the form and writing its `<select>`s through
`_field.html` cost more CPU than the rest of such a page. What comes out depends only on the
submitted values, the language and the reference data, so it is kept in the process under
those, with the reference data's *version* (`portal.page_cache`, group "reference"), bumped
whenever an area, a municipality or a survey round is saved or deleted (the receivers below
and in `needs`; `matching` adds its settings, which the match page keeps the same way): a
change shows at once, in every worker. An entry also ages out after
`MEMO_SECONDS`, for a write that sends no signal (a bulk update).

The same memo gives the lists the areas' labels and the places' names by id
(`reference_names`, so their queries need not join those tables; `reference_codes` the
same for the API lists' codes), and the fields of forms
that show no more than their initial values (`unbound_fields_html`, `prefilled_fields_html`).
"""

from __future__ import annotations

import functools
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django import forms
from django.db.models.signals import post_delete, post_save
from django.template.loader import render_to_string
from django.urls import get_script_prefix
from django.utils.functional import SimpleLazyObject
from django.utils.hashable import make_hashable
from django.utils.safestring import SafeString
from django.utils.translation import get_language

from .page_cache import group_version, page_cache_invalidate

GROUP = "reference"
MEMO_SECONDS = 300
MEMO_SIZE = 500  # distinct (form, language, values) kept; the values come from the URL

_memo: dict[tuple, tuple[float, Any]] = {}


def reference_version() -> float:
    """When the reference data (areas, municipalities, survey rounds) last changed."""
    return group_version(GROUP)


def reference_changed(**_kwargs) -> None:
    page_cache_invalidate(GROUP)


def watch_reference_model(model) -> None:
    """Every save or delete of `model` makes the memoised filters stale."""
    name = f"{model._meta.label_lower}"
    post_save.connect(reference_changed, sender=model, dispatch_uid=f"reference-save-{name}")
    post_delete.connect(reference_changed, sender=model, dispatch_uid=f"reference-del-{name}")


def reference_memo(key: tuple, build, *, version: float | None = None):
    """`build()` kept per process under `key`, the language and the reference data's version."""
    full_key = (*key, get_language(), reference_version() if version is None else version)
    now = time.monotonic()
    hit = _memo.get(full_key)
    if hit is not None and now - hit[0] < MEMO_SECONDS:
        return hit[1]
    if len(_memo) >= MEMO_SIZE:
        _memo.clear()
    value = build()
    _memo[full_key] = (now, value)
    return value


def per_language(build: Callable[[], Any]) -> Callable[[], Any]:
    """`build()` kept per process for each language and URL prefix: a page's fixed words,
    its choices' labels and its links, which change only with a deploy (a new process)."""
    kept: dict[tuple, Any] = {}

    @functools.wraps(build)
    def wrapper() -> Any:
        key = (get_language(), get_script_prefix())
        if key not in kept:
            if len(kept) >= 16:
                kept.clear()
            kept[key] = build()
        return kept[key]

    return wrapper


@dataclass(frozen=True)
class ReferenceNames:
    """Competence areas' labels in the reader's language and municipalities' names, by id."""

    areas: dict[int, str]
    municipalities: dict[int, str]


def reference_names(*, version: float | None = None) -> ReferenceNames:
    """The labels a list prints for an area or a place, kept like the filters: a list's query
    then needs no join to either table (fewer joins, a fraction of the planning time).
    `version`: the reference data's, if the caller read it already (one read of the cache)."""
    def build() -> ReferenceNames:
        from .models import CompetenceArea, Municipality

        language = (get_language() or "nb")[:2]
        column = f"label_{language}" if language in ("nb", "nn", "en") else "label_nb"
        return ReferenceNames(
            areas={pk: label or fallback for pk, label, fallback in
                   CompetenceArea.objects.values_list("pk", column, "label_nb")},
            municipalities=dict(Municipality.objects.values_list("pk", "name")))

    return reference_memo(("reference-names",), build, version=version)


@dataclass(frozen=True)
class ReferenceCodes:
    """Competence areas' and municipalities' public codes, by id."""

    areas: dict[int, str]
    municipalities: dict[int, str]


def reference_codes(*, version: float | None = None) -> ReferenceCodes:
    """The codes an API list writes for an area or a place, kept like the names: the list's
    query reads the ids and needs no join to either table. `version`: as `reference_names`."""
    def build() -> ReferenceCodes:
        from .models import CompetenceArea, Municipality

        return ReferenceCodes(
            areas=dict(CompetenceArea.objects.values_list("pk", "code")),
            municipalities=dict(Municipality.objects.values_list("pk", "code")))

    return reference_memo(("reference-codes",), build, version=version)


@dataclass(frozen=True)
class FilterState:
    """What a filter form yields for one set of values: its cleaned data ({} when invalid)
    and its fields as `_field.html` writes them. `form` is built only if something asks for
    it (tests read its errors)."""

    cleaned: dict
    html: SafeString
    form: Any


def filter_state(form_class: type[forms.Form], data, *,
                 version: float | None = None) -> FilterState:
    """The validated and rendered filter form for `data` (a QueryDict, or None: unbound).
    `version`: the reference data's, if the caller read it already (`reference_names`)."""
    values = None if not data else tuple(
        (name, tuple(data.getlist(name))) for name in form_class.base_fields if name in data)

    def build() -> tuple[dict, SafeString]:
        form = form_class(data or None)
        cleaned = dict(form.cleaned_data) if form.is_valid() else {}
        return cleaned, render_to_string("_filter_fields.html", {"form": form})

    key = (form_class.__module__, form_class.__qualname__, values)
    cleaned, html = reference_memo(key, build, version=version)
    return FilterState(cleaned=dict(cleaned), html=html,
                       form=SimpleLazyObject(lambda: _validated(form_class, data)))


def _validated(form_class, data):
    form = form_class(data or None)
    form.is_valid()
    return form


# --- the fields of an unbound form: the same for everyone reading the language --------------

_unbound: dict[tuple, dict[str, SafeString]] = {}
_prefilled: dict[tuple, dict[str, SafeString]] = {}


def unbound_fields_html(form_class: type[forms.Form], *names: str) -> dict[str, SafeString]:
    """`names` of a fresh `form_class()` as `_field.html` writes them, once per process and
    language: an empty comment box or a fixed list of reasons never changes (a form with
    choices from the database belongs in `filter_state`)."""
    key = (form_class.__module__, form_class.__qualname__, names, get_language())
    fields = _unbound.get(key)
    if fields is None:
        form = form_class()
        fields = _unbound[key] = {
            name: render_to_string("_field.html", {"field": form[name]}) for name in names}
    return fields


def prefilled_fields_html(form: forms.BaseForm, *names: str, choices_key: Any = None,
                          version: float | None = None) -> dict[str, SafeString]:
    """`names` of `form` as `_field.html` writes them. An unbound form shows nothing but its
    initial values (an adviser's note, a survey step's answers): written once per process,
    language, values, disabled fields and reference data. A bound form (with its errors) is
    written as it is. `choices_key` (hashable) stands for choices that come from elsewhere
    than the reference data (a list of offers). `version`: the reference data's, if the
    caller read it already."""
    if form.is_bound:
        return {name: render_to_string("_field.html", {"field": form[name]}) for name in names}
    values = make_hashable(tuple(form[name].value() for name in names))
    # A field disabled for some readers (a plain member's contact details) writes other
    # markup; a choice list may come from the reference data.
    disabled = tuple(name for name in names if form.fields[name].disabled)
    key = (type(form).__module__, type(form).__qualname__, form.prefix, names, get_language(),
           values, disabled, reference_version() if version is None else version, choices_key)
    fields = _prefilled.get(key)
    if fields is None:
        if len(_prefilled) >= MEMO_SIZE:
            _prefilled.clear()
        fields = _prefilled[key] = {
            name: render_to_string("_field.html", {"field": form[name]}) for name in names}
    return fields
