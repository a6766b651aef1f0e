"""A cohort's facts, its counts and what a provider may see of it, written in Python.

`matching/_cohort_facts.html`, `_cohort_counts.html` and `_provider_summary.html` call these
tags, so the cohort pages, the provider's request and the e-mail keep one markup; the
provider's list of requests calls the functions once per card instead of three nested
includes (most of that page's CPU).
"""

from __future__ import annotations

from html import escape
from types import SimpleNamespace

from django import template
from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext, gettext_noop, ngettext

from matching.models import CohortRequest
from matching.templatetags.match_rows import _short_date, number, status_badge
from portal.choices import Level
from portal.filter_forms import reference_memo, reference_names, reference_version

register = template.Library()

FACTS = ('\n<dl class="facts">\n'
         "  <dt>{area_word}</dt><dd>{area}</dd>\n"
         "  <dt>{level_word}</dt><dd>{level}</dd>\n"
         '  <dt>{where_word}</dt><dd data-online="{online}">{where}</dd>\n'
         "  <dt>{start_word}</dt><dd>{start} – {end}</dd>\n"
         "</dl>")
COUNTS = ('<span class="cohort-counts" data-participants="{}" data-shown-participants="{}">'
          "{}</span>")
NAMED_TABLE = ('<div class="table-wrap">\n<table class="named-businesses">\n'
               "  <caption>{}</caption>\n"
               '  <thead><tr><th scope="col">{}</th><th scope="col">{}</th>'
               '<th scope="col">{}</th></tr></thead>\n'
               "  <tbody>\n  {}\n  </tbody>\n</table>\n</div>\n")


def _words() -> dict:
    """The facts' and the summary's fixed words, escaped once per page (a provider's list
    writes them on every card), and a place for the dates formatted so far."""
    # gettext_noop: `make messages` finds the words here.
    return {key: escape(gettext(text)) for key, text in (
        ("area", gettext_noop("Competence area")),
        ("level", gettext_noop("Level")),
        ("where", gettext_noop("Where")),
        ("start", gettext_noop("Start between")),
        ("online", gettext_noop("Online")),
        ("mixed", gettext_noop("Mixed or not given")),
        ("named", gettext_noop("Businesses that agreed to be contacted")),
        ("business", gettext_noop("Business")),
        ("contact", gettext_noop("Contact person")),
        ("participants", gettext_noop("Participants")))} | {"dates": {}}


def _date(value, words: dict) -> str:
    dates = words["dates"]
    if value not in dates:
        dates[value] = escape(_short_date(value))
    return dates[value]


def _facts(cohort, words: dict, *, area: str, place: str) -> str:
    """`cohort_facts` with the words, the area's label and the place's name given; every
    value escaped (what format_html does)."""
    where = words["online"] if cohort.online else escape(place or "–")
    return FACTS.format(
        area_word=words["area"], area=escape(area),
        level_word=words["level"],
        level=escape(str(cohort.level_label)) if cohort.level else words["mixed"],
        where_word=words["where"], online="true" if cohort.online else "false",
        where=where, start_word=words["start"],
        start=_date(cohort.window_start, words), end=_date(cohort.window_end, words))


@register.simple_tag
def cohort_facts(cohort) -> SafeString:
    """Area, level, place and window (`with_level_label` must have run on the cohort)."""
    anchor = cohort.anchor_municipality if cohort.anchor_municipality_id else None
    return mark_safe(_facts(  # every value was escaped
        cohort, _words(), area=str(cohort.area.label), place=anchor.name if anchor else ""))


def _counts(summary) -> str:
    text = ngettext(
        "%(participants)s participants from %(businesses)s business",
        "%(participants)s participants from %(businesses)s businesses",
        summary.total_businesses,
    ) % {"participants": number(summary.total_participants),
         "businesses": number(summary.total_businesses)}
    if not summary.all_shown:
        text += ", " + ngettext(
            "of which %(participants)s from %(businesses)s business that can be shown",
            "of which %(participants)s from %(businesses)s businesses that can be shown",
            summary.business_count,
        ) % {"participants": number(summary.participants),
             "businesses": number(summary.business_count)}
    return COUNTS.format(escape(str(summary.total_participants)),
                         escape(str(summary.participants)), escape(text))


@register.simple_tag
def cohort_counts(summary) -> SafeString:
    """“26 participants from 7 businesses, of which 21 from 5 … that can be shown”."""
    return mark_safe(_counts(summary))  # every value was escaped


def _summary(summary, words: dict) -> str:
    parts = [f"\n<p>{_counts(summary)}</p>\n"]
    if summary.named:
        parts.append(NAMED_TABLE.format(words["named"], words["business"], words["contact"],
                                        words["participants"], _named_rows(summary.named)))
    if summary.anonymous_businesses:
        n = summary.anonymous_businesses
        parts.append('<p class="meta">{}</p>'.format(escape(ngettext(
            "%(n)s business has not given its name yet.",
            "%(n)s businesses have not given their names yet.", n) % {"n": number(n)})))
    return "".join(parts)


@register.simple_tag
def provider_summary(summary) -> SafeString:
    """The counts, the businesses that agreed to be named, and how many did not."""
    return mark_safe(_summary(summary, _words()))  # every value was escaped


@register.simple_tag
def provider_request_cards(requests, summaries, members_version: float) -> SafeString:
    """The cards of a provider's cohort requests: `requests` are
    `selectors.provider_request_rows`, `summaries` what the provider may see of each cohort
    by id (`selectors.provider_request_summaries`, read at `members_version`). Often a
    hundred named businesses: kept per process and language under the requests' rows (their
    status, the cohorts' facts and totals), the members' version and the reference data's
    (the areas' labels and the places' names)."""
    reference = reference_version()
    key = ("provider-request-cards", tuple(tuple(row.values()) for row in requests))
    return reference_memo(key, lambda: _request_cards(
        requests, summaries, reference_names(version=reference)),
        version=(reference, members_version))


def _request_cards(requests, summaries, names) -> SafeString:
    """The words are escaped once for all cards and each value with the standard library
    (what format_html does), rather than four format_html and a dozen translations per
    card."""
    words, badges = _words(), {}
    levels = {value: str(label) for value, label in Level.choices}
    statuses = {value: str(label) for value, label in CohortRequest.Status.choices}
    detail = escape(reverse("matching:provider_request", kwargs={"pk": 0})[:-2])
    cards = []
    for req in requests:
        status = req["status"]
        badge = badges.get(status)
        if badge is None:
            badge = badges[status] = status_badge(status, statuses.get(status, status))
        area = names.areas.get(req["cohort__area_id"], "")
        place_id = req["cohort__anchor_municipality_id"]
        place = names.municipalities.get(place_id, "") if place_id else ""
        cohort = SimpleNamespace(  # what `_facts` reads of a cohort
            online=req["cohort__online"], level=req["cohort__level"],
            level_label=levels.get(req["cohort__level"], ""),
            window_start=req["cohort__window_start"], window_end=req["cohort__window_end"])
        cards.append(
            f'<li class="card" data-request="{int(req["pk"])}">\n'
            f'    <h2><a href="{detail}{int(req["pk"])}/">{escape(area)}</a></h2>\n'
            f"    <p>{badge}</p>\n"
            f"    {_facts(cohort, words, area=area, place=place)}\n"
            f"    {_summary(summaries[req['cohort_id']], words)}\n"
            "  </li>")
    return mark_safe("\n".join(cards))  # every value in the cards was escaped above


def _named_rows(named) -> SafeString:
    """A row per named business. Often a hundred on a provider's list: escaped with the standard
    library (what django.utils.html.escape does) rather than a format_html per row."""
    rows = []
    for business in named:
        contact = escape(str(business.contact_name))
        if business.contact_email:
            email = escape(str(business.contact_email))
            contact += f' – <a href="mailto:{email}">{email}</a>'
        if business.contact_phone:
            contact += f" – {escape(str(business.contact_phone))}"
        rows.append(f'<tr><th scope="row">{escape(str(business.name))}</th><td>{contact}</td>'
                    f"<td>{number(business.participants)}</td></tr>")
    return mark_safe("\n    ".join(rows))  # every value in the rows was escaped above
