"""`{% survey_call_to_action organisation %}`: the survey's start/continue box, for any page.

A template tag keeps the dependency direction: the portal's dashboard template can show the
survey's state without `portal` importing `needs`.
"""

from __future__ import annotations

from django import template

from needs.selectors import survey_state

register = template.Library()


@register.inclusion_tag("needs/_survey_call_to_action.html")
def survey_call_to_action(organisation) -> dict:
    return {"state": survey_state(organisation)}
