"""`{% cohort_page_body %}`: the content of the adviser's cohort page, written in Python.

Fifty template nodes (translations, links, includes, the CSRF fields), sixty member rows and
the fields of two forms were most of the page's CPU. The markup is the template's, byte for
byte; every value is escaped with the standard library (what django.utils.html.escape does),
the form fields come rendered (`_field.html`) from the view.
"""

from __future__ import annotations

from html import escape

from django import template
from django.template.defaulttags import CsrfTokenNode
from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext, gettext_noop

from matching.models import Cohort, CohortRequest
from matching.templatetags.cohort_parts import _counts, _facts, _words
from matching.templatetags.match_rows import fitting_offer_items, number, status_badge
from needs.models import SurveyResponse
from portal.filter_forms import per_language

register = template.Library()

BODY = """
<p><a href="{list_url}">{back}</a></p>
<h1>{cohort_word}: {area}</h1>
<p>
  {status}
  {opportunity}
  {retired}
</p>
<p class="lead">{counts}. <span class="meta">{threshold} {only_allowed}</span></p>
{facts}


<p class="actions"><a class="btn" id="cohort-meeting" href="{meeting_url}?cohort={pk}">\
{plan_meeting}</a></p>

<div class="table-wrap">
<table id="cohort-needs">
  <caption>{needs_caption}</caption>
  <thead><tr>
    <th scope="col">{business}</th>
    <th scope="col">{need}</th>
    <th scope="col">{municipality}</th>
    <th scope="col">{participants}</th>
    <th scope="col">{consent}</th>
  </tr></thead>
  <tbody>
  {member_rows}
  </tbody>
</table>
</div>

<h2>{fitting_offers}</h2>
{offers}

<section aria-labelledby="status-heading">
  <h2 id="status-heading">{status_heading}</h2>
  <form method="post" action="{detail_url}" id="cohort-status-form">
    {csrf}
    {status_field}{note_field}
    <button type="submit">{save}</button>
  </form>
</section>

<section aria-labelledby="send-heading">
  <h2 id="send-heading">{send_heading}</h2>
  <p>{send_intro}</p>
  <form method="post" action="{send_url}" id="cohort-send-form">
    {csrf}
    {providers_field}{message_field}
    <button type="submit">{send}</button>
  </form>
  {requests}
</section>
"""
OFFERS = '\n<ul id="fitting-offers">\n  {}\n</ul>\n'
NO_OFFERS = "\n<p>{}</p>\n"
REQUESTS = ('\n  <div class="table-wrap">\n  <table id="cohort-requests">\n'
            "    <caption>{}</caption>\n"
            '    <thead><tr><th scope="col">{}</th><th scope="col">{}</th>'
            '<th scope="col">{}</th></tr></thead>\n'
            "    <tbody>\n    {}\n    </tbody>\n  </table>\n  </div>\n  ")

# The fixed words, escaped, and the page's links: kept per language (`per_language`).
# gettext_noop: `make messages` finds them here (they left the template).
_WORDS = {
    "back": gettext_noop("Back to the cohorts"),
    "cohort_word": gettext_noop("Cohort"),
    "opportunity": gettext_noop("Opportunity"),
    "retired": gettext_noop("No longer current"),
    "threshold": gettext_noop("Threshold %(threshold)s."),
    "only_allowed": gettext_noop("Providers see only the businesses that allowed it."),
    "plan_meeting": gettext_noop("Plan a meeting with these businesses"),
    "needs_caption": gettext_noop("Needs in the cohort"),
    "business": gettext_noop("Business"),
    "need": gettext_noop("Need"),
    "municipality": gettext_noop("Municipality"),
    "participants": gettext_noop("Participants"),
    "consent": gettext_noop("Consent"),
    "fitting_offers": gettext_noop("Fitting offers"),
    "no_offers": gettext_noop("No published offer fits this cohort yet."),
    "status_heading": gettext_noop("Status and note"),
    "save": gettext_noop("Save"),
    "send_heading": gettext_noop("Send to providers"),
    "send_intro": gettext_noop(
        "Providers see the area, level, place, time and numbers. Business names only "
        "where the business has agreed to be named."),
    "send": gettext_noop("Send"),
    "sent_to": gettext_noop("Sent to"),
    "provider": gettext_noop("Provider"),
    "answer": gettext_noop("Answer"),
    "message": gettext_noop("Message"),
    "statistics_only": gettext_noop("Statistics only"),
    "plan_request": gettext_noop("Plan a meeting"),
}


@per_language
def _fixed_parts() -> dict[str, str]:
    fixed = {name: escape(gettext(text)) for name, text in _WORDS.items()}
    fixed |= {
        "list_url": escape(reverse("matching:cohort_list")),
        "meeting_url": escape(reverse("meetings:create")),
        # The links of a cohort: the pk goes where the 0 stands.
        "detail_url": escape(reverse("matching:cohort_detail", kwargs={"pk": 0})[:-2]),
        "send_url": escape(reverse("matching:cohort_send", kwargs={"pk": 0})[:-7]),
        "consents": {value: escape(str(label))
                     for value, label in SurveyResponse.Consent.choices},
        "cohort_statuses": {value: status_badge(value, label)
                            for value, label in Cohort.Status.choices},
        "request_statuses": {value: status_badge(value, label)
                             for value, label in CohortRequest.Status.choices},
    }
    return fixed


@register.simple_tag(takes_context=True)
def cohort_page_body(context) -> SafeString:
    """The page's content: the cohort (`with_level_label` run on it), `summary`, `members`,
    `offers`, `requests`, the fields `status_fields` and `send_fields`, `names` (the kept
    reference data) and `area_label`, all from the view's context."""
    fixed = _fixed_parts()
    cohort, names = context["cohort"], context["names"]
    pk = int(cohort.pk)
    csrf = CsrfTokenNode().render(context)  # the token `{% csrf_token %}` writes
    status = fixed["cohort_statuses"].get(cohort.status) or status_badge(
        cohort.status, cohort.status)
    offers = context["offers"]
    status_fields, send_fields = context["status_fields"], context["send_fields"]
    place = (names.municipalities.get(cohort.anchor_municipality_id, "")
             if cohort.anchor_municipality_id else "")
    body = BODY.format_map(fixed | {
        "area": escape(context["area_label"]),
        "status": f"{status}\n",
        "opportunity": ('<span class="badge badge-opportunity" data-opportunity="true">'
                        f'{fixed["opportunity"]}</span>') if cohort.is_opportunity else "",
        "retired": (f'<span class="badge">{fixed["retired"]}</span>'
                    if not cohort.is_current else ""),
        "counts": _counts(context["summary"]),
        "threshold": fixed["threshold"] % {"threshold": escape(number(cohort.threshold))},
        "facts": _facts(cohort, _words(), area=context["area_label"], place=place),
        "pk": pk,
        "member_rows": _member_rows(context["members"], names, fixed),
        "offers": (OFFERS.format(fitting_offer_items(offers)) if offers
                   else NO_OFFERS.format(fixed["no_offers"])),
        "detail_url": f"{fixed['detail_url']}{pk}/",
        "send_url": f"{fixed['send_url']}{pk}/send/",
        "csrf": csrf,
        "status_field": status_fields["status"], "note_field": status_fields["adviser_note"],
        "providers_field": send_fields["providers"], "message_field": send_fields["message"],
        "requests": _requests(context["requests"], fixed),
    })
    return mark_safe(body)  # every value was escaped above; the fields are `_field.html`'s


def _member_rows(members, names, fixed: dict) -> str:
    """A row per member need (often sixty): business, need, place, participants, consent.
    `members` are `cohort_page.MEMBER_FIELDS` rows; the area's label and the place's name
    come from the kept reference data."""
    consents, statistics_only = fixed["consents"], fixed["statistics_only"]
    rows = []
    for row in members:
        # As Need.__str__: the title, else the area and the number of participants.
        need = row["title"] or f"{names.areas.get(row['area_id'], '')} ({row['participants']})"
        consent = (consents.get(row["response__consent"]) or escape(row["response__consent"])
                   if row["response_id"] else statistics_only)
        place = names.municipalities.get(row["organisation__municipality_id"]) or "–"
        rows.append(f'<tr data-need="{int(row["pk"])}">\n'
                    f'      <th scope="row">{escape(row["organisation__name"])}</th>\n'
                    f"      <td>{escape(need)}</td>\n"
                    f"      <td>{escape(place)}</td>\n"
                    f'      <td>{number(row["participants"])}</td>\n'
                    f"      <td>{consent}</td>\n"
                    "    </tr>")
    return "\n  ".join(rows)


def _requests(requests, fixed: dict) -> str:
    """Who the cohort was sent to, their answer, and a meeting link once one is interested
    (`cohort_page.REQUEST_FIELDS` rows); nothing before it was sent."""
    if not requests:
        return ""
    plan = fixed["meeting_url"]
    rows = []
    for req in requests:
        pk, status = int(req["pk"]), req["status"]
        badge = fixed["request_statuses"].get(status) or status_badge(status, status)
        meeting = (f' <a href="{plan}?request={pk}">{fixed["plan_request"]}</a>'
                   if status == CohortRequest.Status.INTERESTED else "")
        rows.append(f'<tr data-request="{pk}"><th scope="row">{escape(req["provider__name"])}'
                    f'</th><td>{badge}</td><td>{escape(req["response"] or "–")}{meeting}'
                    "</td></tr>")
    return REQUESTS.format(fixed["sent_to"], fixed["provider"], fixed["answer"],
                           fixed["message"], "\n    ".join(rows))
