"""Form widgets shared by the apps."""

from __future__ import annotations

import html
import unicodedata

from django import forms
from django.forms.utils import flatatt
from django.utils.functional import Promise
from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe


def _escape(value) -> str:
    """`conditional_escape` without its lazy-aware wrapper (a third of its cost, per option):
    safe text as it is, anything else through the same `html.escape` Django's `escape` uses."""
    if isinstance(value, Promise):
        value = str(value)
    if hasattr(value, "__html__"):
        return value.__html__()
    return html.escape(str(value))


class FastSelect(forms.Select):
    """A `<select>` whose options are written in Python rather than one template per option.

    Same markup and attributes as Django's Select; on the public catalogue, whose filters hold
    a hundred options, the per-option templates cost more than the search itself."""

    def render(self, name, value, attrs=None, renderer=None):
        # The base widget's context only: ChoiceWidget's would build a dict per option
        # (`optgroups`), which costs more than writing the option itself.
        widget = forms.Widget.get_context(self, name, value, attrs)["widget"]
        if self.allow_multiple_selected:
            widget["attrs"]["multiple"] = True
        chosen = set(widget["value"])
        parts = [format_html('<select name="{}"{}>', widget["name"], flatatt(widget["attrs"]))]
        has_selected = False
        for group_value, group_label in self.choices:
            if isinstance(group_label, list | tuple):
                group, options = group_value, group_label
                parts.append(format_html('<optgroup label="{}">', group))
            else:
                group, options = None, [(group_value, group_label)]
            for option_value, label in options:
                text = "" if option_value is None else str(option_value)
                selected = text in chosen and (self.allow_multiple_selected or not has_selected)
                has_selected |= selected
                parts.append(f'<option value="{_escape(text)}"{" selected" if selected else ""}>'
                             f"{_escape(label)}</option>")
            if group is not None:
                parts.append("</optgroup>")
        parts.append("</select>")
        return mark_safe("".join(parts))  # every piece above was escaped


class FastTextarea(forms.Textarea):
    """A `<textarea>` written in Python: Django's Textarea markup without its two templates
    (the widget's and the attributes'), a quarter of a millisecond per text box."""

    def render(self, name, value, attrs=None, renderer=None):
        widget = forms.Widget.get_context(self, name, value, attrs)["widget"]
        # In the order given, as attrs.html writes them (flatatt would sort them).
        attributes = "".join(
            f" {escape(key)}" if val is True else f' {escape(key)}="{escape(str(val))}"'
            for key, val in widget["attrs"].items() if val is not False)
        return mark_safe(  # every attribute was escaped above, the text by format_html
            f'<textarea name="{escape(widget["name"])}"{attributes}>\n'
            + format_html("{}", widget["value"] or "") + "</textarea>")


# --- the competence-area picker, one component for the survey and the offer form ---------

_FOLD = str.maketrans({"æ": "ae", "ø": "o", "å": "a", "ä": "a", "ö": "o", "ü": "u"})


def fold(text: str) -> str:
    """Lower-case, Norwegian letters spelled out and accents dropped, so "Tømrer", "tomrer"
    and "TØMRER" compare equal (static/js/portal.js folds what is typed the same way)."""
    text = text.casefold().translate(_FOLD)
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


def area_words(area) -> str:
    """What the picker's search looks in: code, the labels in bokmål, nynorsk and English, and
    the synonyms (IK-Mat, HMS …), folded."""
    return " ".join(fold(part) for part in (
        area.code, area.label_nb, area.label_nn, area.label_en, *area.synonyms.split(";"))
        if part.strip())


class AreaPicker(forms.CheckboxSelectMultiple):
    """The competence-area picker of the survey (one area: radio buttons) and the offer form
    (several: checkboxes): the areas grouped by main area, with a search box that filters them
    in any of the three languages or by synonym (static/js/portal.js). No Ctrl-click; every
    choice is reached by Tab or the arrow keys and chosen with Space; without JavaScript the
    search box is hidden and every area shows."""

    template_name = "portal/_area_picker.html"

    def __init__(self, attrs=None, *, multiple: bool = True) -> None:
        super().__init__(attrs)
        self.multiple = multiple
        self.allow_multiple_selected = multiple
        self.input_type = "checkbox" if multiple else "radio"

    def value_from_datadict(self, data, files, name):
        if self.multiple:
            return super().value_from_datadict(data, files, name)
        return data.get(name)

    def value_omitted_from_data(self, data, files, name) -> bool:
        return False if self.multiple else name not in data

    def format_value(self, value):
        if value is None or value == "":
            return []
        values = value if isinstance(value, (list, tuple, set)) else [value]
        return [str(v) for v in values if v not in (None, "")]

    def render(self, name, value, attrs=None, renderer=None):
        # The project's templates/ folder, not the form renderer's widget directories.
        from django.template.loader import render_to_string

        return mark_safe(render_to_string(self.template_name,
                                          self.get_context(name, value, attrs)))

    def get_context(self, name, value, attrs):
        from portal.models import CompetenceArea

        context = super().get_context(name, value, attrs)
        chosen = set(self.format_value(value))
        areas = list(CompetenceArea.objects.filter(is_active=True).order_by("sort_order", "code"))
        base_id = (attrs or {}).get("id") or f"id_{name}"
        children: dict[int, list] = {}
        for area in areas:
            if area.parent_id is not None:
                children.setdefault(area.parent_id, []).append(area)
        context["groups"] = [
            {"top": self._option(top, chosen, base_id),
             "children": [self._option(a, chosen, base_id) for a in children.get(top.pk, [])]}
            for top in areas if top.parent_id is None]
        context["picker_id"] = base_id
        context["input_type"] = self.input_type
        return context

    @staticmethod
    def _option(area, chosen: set[str], base_id: str) -> dict:
        return {"value": area.pk, "label": area.label, "code": area.code,
                "id": f"{base_id}_{area.pk}", "checked": str(area.pk) in chosen,
                "words": area_words(area)}
