"""FastSelect must produce exactly what Django's template-rendered Select produces."""

import pytest
from django import forms
from django.test.html import parse_html

from portal.widgets import FastSelect

CHOICES = [
    ("", "Alle"),
    ("skog", "Skog & <utmark>"),
    ("Bygg", [("bygg.tomrer", "– Tømrer"), ("bygg.\"x\"", "– Sitat")]),
]


@pytest.mark.parametrize("value", [None, "", "skog", "bygg.tomrer", "bygg.\"x\"", "ukjent"])
@pytest.mark.parametrize("attrs", [None, {"id": "id_area", "aria-describedby": "h e",
                                          "required": True, "disabled": False}])
def test_fast_select_matches_django_select(value, attrs):
    fast = FastSelect(choices=CHOICES).render("area", value, attrs)
    django = forms.Select(choices=CHOICES).render("area", value, attrs)
    assert parse_html(fast) == parse_html(django)
    assert "<utmark>" not in fast  # labels are escaped


def test_catalogue_form_keeps_the_chosen_filter_selected(db):
    from offers.forms import CatalogueForm

    form = CatalogueForm({"area": "skog", "sort": "price"})
    html = str(form["area"]) + str(form["sort"])
    assert '<option value="skog" selected>' in html
    assert '<option value="price" selected>' in html
