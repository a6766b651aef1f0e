"""`{% provider_offer_rows offers %}`: the rows of a provider's "Our offers" table.

Twenty-five rows of five cells and up to four links through the template engine cost more CPU
than the rest of the page (a `{% url %}` per link, a lookup, a filter and an escape per
cell); here each row is one `format_html`, with the markup the template wrote. `offers` are
the plain rows of `selectors.offers_for_provider`.
"""

from __future__ import annotations

import functools

from django import template
from django.template.defaultfilters import date
from django.urls import get_script_prefix, reverse
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext

from portal.choices import Format

from ..models import Offer

register = template.Library()

ROW = ('<tr data-offer-id="{}">\n'
       '        <th scope="row"><a href="{}">{}</a></th>\n'
       "        <td>{}</td>\n        <td>{}{}</td>\n        <td>{}</td>\n"
       '        <td class="row-actions">\n          {}\n'
       '          <a href="{}">{}</a>\n          {}\n        </td>\n      </tr>')
LINK = '<a href="{}">{}</a>'
_ID_SLOT = 2_147_483_647  # an id no offer has: each link reversed once, the row's id put in


@functools.cache
def _links(script_prefix: str) -> tuple[str, str, dict[str, str]]:
    """The edit, view and action links with `_ID_SLOT` for the id: reversed once per process
    (and script prefix)."""
    return (reverse("offers:edit", args=[_ID_SLOT]), reverse("offers:detail", args=[_ID_SLOT]),
            {name: reverse("offers:action", args=[_ID_SLOT, name])
             for name in ("publish", "duplicate", "archive")})


@register.simple_tag
def provider_offer_rows(offers) -> SafeString:
    slot = str(_ID_SLOT)
    edit, view, action = _links(get_script_prefix())
    labels = {"publish": gettext("Publish"), "view": gettext("View"),
              "duplicate": gettext("Duplicate"), "archive": gettext("Archive")}
    formats = dict(Format.choices)
    rows = []
    for offer in offers:
        pk = str(offer["pk"])
        status = offer["status"]
        if status != Offer.Status.PUBLISHED:
            first = format_html(LINK, action["publish"].replace(slot, pk), labels["publish"])
        else:
            first = format_html(LINK, view.replace(slot, pk), labels["view"])
        archive = "" if status == Offer.Status.ARCHIVED else format_html(
            LINK, action["archive"].replace(slot, pk), labels["archive"])
        place = offer["municipality__name"]
        rows.append(format_html(
            ROW, pk, edit.replace(slot, pk), offer["title"],
            date(offer["start_date"], "SHORT_DATE_FORMAT") or "–",
            formats.get(offer["format"], offer["format"]), f", {place}" if place else "",
            offer["external_id"] or "–", first, action["duplicate"].replace(slot, pk),
            labels["duplicate"], archive))
    return mark_safe("\n".join(rows))  # each row is format_html output
