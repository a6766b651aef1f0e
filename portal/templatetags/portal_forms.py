"""Form rendering helpers for templates/_field.html."""

from __future__ import annotations

from django import template
from django.forms.utils import flatatt
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

register = template.Library()


@register.filter
def choice_items(field) -> SafeString:
    """The `<li>` of every checkbox or radio button of a field, written in Python.

    The same markup as rendering each choice's `tag` in the template, without three templates
    per choice: a list of sixty providers cost more than the rest of its page."""
    items = []
    for choice in field.subwidgets:
        data = choice.data
        attrs = dict(data["attrs"])
        item_id = attrs.get("id", "")
        items.append(format_html(
            '<li class="choice"><input type="{}" name="{}" value="{}"{}> '
            '<label for="{}" class="checkbox-label">{}</label></li>',
            data["type"], data["name"], "" if data["value"] is None else str(data["value"]),
            flatatt(attrs), item_id, data["label"],
        ))
    return mark_safe("".join(items))  # every piece was escaped by format_html
