"""`{% business_need_rows needs status %}`: the rows of one status group on "Our needs".

The same markup the template wrote per row (three `{% url %}`, an `{% include %}` of the time
window and a dozen lookups), written in Python: per row that cost more than the row's query.
"""

from __future__ import annotations

import functools

from django import template
from django.template.defaultfilters import date
from django.urls import get_script_prefix, reverse
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext

from needs.models import Need

from .need_rows import number

register = template.Library()

EDITABLE = {Need.Status.DRAFT, Need.Status.SUBMITTED, Need.Status.IN_BROKERING}
CLOSED = {Need.Status.WITHDRAWN, Need.Status.COVERED}

ROW = ('<tr data-need="{}">\n'
       '            <th scope="row"><a href="{}">{}</a></th>\n'
       "            <td>{}</td>\n            <td>{}</td>\n            <td>{}</td>\n"
       "            <td>{}</td>\n"
       '            <td class="row-actions">\n{}            </td>\n'
       "          </tr>")
ACTION = ('                <a href="{}">{}<span class="visually-hidden"> {}</span></a>\n')


def time_window(start, end) -> str:
    """What templates/needs/_time_window.html writes (not escaped: dates and our own text)."""
    if start and end:
        return f'{date(start, "SHORT_DATE_FORMAT")} – {date(end, "SHORT_DATE_FORMAT")}'
    if start:
        return gettext("from %(date)s") % {"date": date(start, "SHORT_DATE_FORMAT")}
    if end:
        return gettext("by %(date)s") % {"date": date(end, "SHORT_DATE_FORMAT")}
    return gettext("No preferred time")


@functools.cache
def _link_prefixes(script_prefix: str) -> tuple[str, str, str]:
    """What the detail, edit and withdraw links start with, before the need's id: reversed
    once per process (and script prefix), the id put in per row."""
    return (reverse("needs:need_detail", kwargs={"pk": 0})[:-len("0/")],
            reverse("needs:need_edit", kwargs={"pk": 0})[:-len("0/edit/")],
            reverse("needs:need_withdraw", kwargs={"pk": 0})[:-len("0/withdraw/")])


@register.simple_tag
def business_need_rows(needs: list[Need], status: str) -> SafeString:
    detail, edit, withdraw = _link_prefixes(get_script_prefix())
    edit_label, withdraw_label = gettext("Edit"), gettext("Withdraw")
    rows = []
    for need in needs:
        name = str(need)
        actions = []
        if status in EDITABLE:
            actions.append(format_html(ACTION, f"{edit}{need.pk}/edit/", edit_label, name))
        if status not in CLOSED:
            actions.append(format_html(ACTION, f"{withdraw}{need.pk}/withdraw/",
                                       withdraw_label, name))
        rows.append(format_html(
            ROW, need.pk, f"{detail}{need.pk}/", name, need.area.label,
            number(need.participants),
            time_window(need.earliest_start, need.latest_start),
            (need.round.name if need.round_id else "") or "–",
            mark_safe("".join(actions))))  # each action is format_html output
    return mark_safe("\n".join(rows))  # each row is format_html output
