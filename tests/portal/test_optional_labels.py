"""A field that may be left empty says so once: the field template adds "(optional)", so no
label of an optional field may carry it too ("(valgfritt) (valgfritt)")."""

from __future__ import annotations

import importlib
import inspect

import pytest
from django import forms
from django.utils import translation

FORM_MODULES = ["portal.forms", "needs.forms", "offers.forms", "matching.forms",
                "matching.meetings.forms"]


def _fields():
    for module_name in FORM_MODULES:
        module = importlib.import_module(module_name)
        for name, cls in inspect.getmembers(module, inspect.isclass):
            if issubclass(cls, forms.BaseForm) and cls.__module__ == module_name:
                for field_name, field in cls.base_fields.items():
                    yield f"{module_name}.{name}.{field_name}", field


@pytest.mark.parametrize("language", ["nb", "nn", "en"])
def test_no_optional_field_says_optional_in_its_label(language):
    marks = {"nb": "valgfritt", "nn": "valfritt", "en": "optional"}
    with translation.override(language):
        doubled = [name for name, field in _fields()
                   if not field.required and marks[language] in str(field.label or "").lower()]
    assert doubled == []
