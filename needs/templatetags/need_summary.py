"""`{% need_summary need %}`: a need's details as a `<dl>`, on its page and the survey's review.

The same markup templates/needs/_need_summary.html wrote (with the time window's include),
written in Python: its fifteen `{% translate %}`s, lookups and filters cost more per need
than the need's query.
"""

from __future__ import annotations

from django import template
from django.template.defaultfilters import floatformat, linebreaksbr
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext

from needs.models import Need

from .business_needs import time_window
from .need_rows import number

register = template.Library()


def _term(label: str, value: str) -> str:
    """One `<dt>`/`<dd>` pair; `value` must be escaped already."""
    return f"<dt>{conditional_escape(label)}</dt><dd>{value}</dd>"


@register.simple_tag
def need_summary(need: Need) -> SafeString:
    esc = conditional_escape
    area = need.area
    area_text = (f"{esc(area.parent.label)} › " if area.parent_id else "") + esc(area.label)
    participants = number(need.participants)
    if need.to_train or need.to_recruit:
        participants += " (" + gettext("%(t)s current staff, %(r)s to recruit") % {
            "t": number(need.to_train or 0), "r": number(need.to_recruit or 0)} + ")"
    if need.online_only:
        travel = esc(gettext("Online only"))
    elif need.max_travel_km is not None:
        travel = f"{number(need.max_travel_km)} km"
    else:
        travel = "–"
    budget = (f'{floatformat(need.budget_per_participant, "0g")} kr'
              if need.budget_per_participant is not None else "–")
    lines = [
        _term(gettext("Competence area"), area_text),
        _term(gettext("Description"), linebreaksbr(need.description, autoescape=True))
        if need.description else "",
        _term(gettext("Participants"), participants),
        # A `_("…")` argument in a template is a literal, written as it is.
        _term(gettext("Level"), esc(need.get_level_display()) or gettext("Don't know")),
        _term(gettext("Formats"), ", ".join(esc(label) for label in need.formats_display())
              or "–"),
        # The include of the time window left its file's last line break.
        _term(gettext("Time window"),
              esc(time_window(need.earliest_start, need.latest_start)) + "\n"),
        _term(gettext("Travel"), travel),
        _term(gettext("Budget per participant"), budget),
        _term(gettext("Priority"), esc(need.get_priority_display())),
        _term(gettext("Consequence if unmet"), esc(need.get_consequence_display()))
        if need.consequence else "",
        _term(gettext("Willing to share a course"),
              esc(gettext("Yes") if need.willing_to_share else gettext("No"))),
        _term(gettext("Survey round"), esc(need.round)) if need.round_id else "",
    ]
    # Line by line as the template was laid out (an empty condition left its indent).
    return mark_safe('<dl class="need-summary">\n  ' + "\n  ".join(lines) + "\n</dl>\n")
