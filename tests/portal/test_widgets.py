"""FastSelect must produce exactly what Django's template-rendered Select produces."""

import pytest
from django import forms
from django.test.html import parse_html

from portal.widgets import FastSelect, FastTextarea

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


def _choice_items_through_django(field) -> str:
    """The choice list as Django's own subwidgets give it (what `choice_items` replaces)."""
    from django.forms.utils import flatatt
    from django.utils.html import format_html

    return "".join(
        format_html('<li class="choice"><input type="{}" name="{}" value="{}"{}> '
                    '<label for="{}" class="checkbox-label">{}</label></li>',
                    c.data["type"], c.data["name"],
                    "" if c.data["value"] is None else str(c.data["value"]),
                    flatatt(dict(c.data["attrs"])), c.data["attrs"].get("id", ""),
                    c.data["label"])
        for c in field.subwidgets)


class _ChoicesForm(forms.Form):
    many = forms.MultipleChoiceField(choices=CHOICES[1:] + [("a&b", "A & <b>")],
                                     widget=forms.CheckboxSelectMultiple, required=False)
    one = forms.ChoiceField(choices=[("x", "X"), ("y", "Y")], widget=forms.RadioSelect)
    styled = forms.MultipleChoiceField(
        choices=[("1", "En"), ("2", "To")], required=False,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "pick", "data-x": 'q"'}))


@pytest.mark.parametrize("data", [None, {"many": ["skog", "bygg.tomrer", "a&b"], "one": "y",
                                         "styled": ["2"]}, {"one": "nope"}])
def test_choice_items_matches_djangos_subwidgets(data):
    from portal.templatetags.portal_forms import choice_items

    form = _ChoicesForm(data, prefix="p")
    if data:
        form.is_valid()
    for name in ("many", "one", "styled"):
        assert str(choice_items(form[name])) == _choice_items_through_django(form[name])


@pytest.mark.parametrize("value", [None, "", 'Ring <kl. 9> & "om" mars', "Linje 1\nLinje 2"])
@pytest.mark.parametrize("attrs", [None, {"id": "id_note", "maxlength": 300, "required": True,
                                          "disabled": False, "aria-describedby": "x y"}])
def test_fast_textarea_writes_what_django_textarea_writes(value, attrs):
    fast = FastTextarea(attrs={"rows": 3}).render("note", value, attrs)
    django = forms.Textarea(attrs={"rows": 3}).render("note", value, attrs)
    assert fast == django  # byte for byte: the same attribute order and the same escaping
