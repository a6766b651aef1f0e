"""`{% adviser_nav "queue" %}`: the adviser's sub-menu (`matching/_adviser_nav.html`).

Seven links and their labels are the same for every adviser reading a language: the menu is
rendered once per process, language and current page (seven `{% url %}` and `{% translate %}`
on every page of the queue, the cohorts and the settings were a tenth of such a page's own
time).
"""

from __future__ import annotations

from django import template
from django.template.loader import render_to_string
from django.urls import get_script_prefix, get_urlconf
from django.utils.safestring import SafeString
from django.utils.translation import get_language

register = template.Library()

_rendered: dict[tuple, SafeString] = {}


@register.simple_tag
def adviser_nav(current: str) -> SafeString:
    """The sub-menu with `current` ("queue", "cohorts", …) marked as the page shown."""
    key = (get_language(), get_script_prefix(), get_urlconf(), current)
    html = _rendered.get(key)
    if html is None:
        html = _rendered[key] = render_to_string("matching/_adviser_nav.html",
                                                 {"current": current})
    return html
