"""`{% survey_call_to_action organisation %}`: the survey's start/continue box, for any page;
`{% survey_progress steps response in_form %}`: the survey's progress bar.

A template tag keeps the dependency direction: the portal's dashboard template can show the
survey's state without `portal` importing `needs`.
"""

from __future__ import annotations

from django import template
from django.urls import reverse
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext

from needs.selectors import survey_state

register = template.Library()


@register.inclusion_tag("needs/_survey_call_to_action.html")
def survey_call_to_action(organisation) -> dict:
    return {"state": survey_state(organisation)}


@register.simple_tag
def survey_progress(steps: list[dict], response, in_form: bool = False) -> SafeString:
    """The survey's progress bar (the markup templates/needs/_progress.html wrote) in Python:
    five steps of conditions, a link each and a `{% translate %}` cost a tenth of a step."""
    done = conditional_escape(gettext("done"))
    items = []
    for step in steps:
        number, title = step["number"], conditional_escape(step["title"])
        text = f"{number}. {title}"
        if step["reachable"] and not step["current"] and in_form:
            text = (f'<button type="submit" form="survey-form" name="action" '
                    f'value="goto-{number}" class="link-button">{text}</button>')
        elif step["reachable"] and not step["current"]:
            url = reverse("needs:survey_step", kwargs={"rid": response.pk, "step": number})
            text = f'<a href="{conditional_escape(url)}">{text}</a>'
        if step["done"]:
            text += f'<span class="visually-hidden"> ({done})</span>'
        attributes = (' aria-current="step"' if step["current"] else "") + (
            ' class="done"' if step["done"] else "")
        items.append(f'\n    <li{attributes} data-step="{number}">\n      {text}\n    </li>\n  ')
    label = conditional_escape(gettext("Survey steps"))
    return mark_safe(  # every text above was escaped
        f'<nav aria-label="{label}">\n<ol class="progress" data-steps="{len(steps)}">\n  '
        + "".join(items) + "\n</ol>\n</nav>\n")
