"""A cohort's facts, its counts and what a provider may see of it, written in Python.

`matching/_cohort_facts.html`, `_cohort_counts.html` and `_provider_summary.html` call these
tags, so the cohort pages, the provider's request and the e-mail keep one markup; the
provider's list of requests calls the functions once per card instead of three nested
includes (most of that page's CPU).
"""

from __future__ import annotations

from html import escape

from django import template
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language, gettext, ngettext

from matching.templatetags.match_rows import _short_date, number, status_badge
from needs.models import SurveyResponse

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


@register.simple_tag
def cohort_facts(cohort) -> SafeString:
    """Area, level, place and window (`with_level_label` must have run on the cohort)."""
    if cohort.online:
        where = gettext("Online")
    else:
        anchor = cohort.anchor_municipality if cohort.anchor_municipality_id else None
        where = (anchor.name if anchor else "") or "–"
    return format_html(
        FACTS, area_word=gettext("Competence area"), area=cohort.area.label,
        level_word=gettext("Level"),
        level=cohort.level_label if cohort.level else gettext("Mixed or not given"),
        where_word=gettext("Where"), online="true" if cohort.online else "false",
        where=where,
        start_word=gettext("Start between"),
        start=_short_date(cohort.window_start), end=_short_date(cohort.window_end))


@register.simple_tag
def cohort_counts(summary) -> SafeString:
    """“26 participants from 7 businesses, of which 21 from 5 … that can be shown”."""
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
    return format_html(COUNTS, summary.total_participants, summary.participants, text)


@register.simple_tag
def provider_summary(summary) -> SafeString:
    """The counts, the businesses that agreed to be named, and how many did not."""
    parts = [format_html("\n<p>{}</p>\n", cohort_counts(summary))]
    if summary.named:
        parts.append(format_html(
            NAMED_TABLE, gettext("Businesses that agreed to be contacted"),
            gettext("Business"), gettext("Contact person"),
            gettext("Participants"), _named_rows(summary.named)))
    if summary.anonymous_businesses:
        n = summary.anonymous_businesses
        parts.append(format_html('<p class="meta">{}</p>', ngettext(
            "%(n)s business has not given its name yet.",
            "%(n)s businesses have not given their names yet.", n) % {"n": number(n)}))
    return _joined("", parts)


@register.simple_tag
def provider_request_cards(requests) -> SafeString:
    """The cards of a provider's cohort requests (each with `.summary` attached)."""
    labels = {}
    detail = reverse("matching:provider_request", kwargs={"pk": 0})[:-2]
    cards = []
    for req in requests:
        label = labels.get(req.status)
        if label is None:
            label = labels[req.status] = str(req.get_status_display())
        cards.append(format_html(
            '<li class="card" data-request="{pk}">\n'
            '    <h2><a href="{url}">{area}</a></h2>\n'
            "    <p>{status}</p>\n"
            "    {facts}\n"
            "    {summary}\n"
            "  </li>",
            pk=req.pk, url=f"{detail}{req.pk}/", area=req.cohort.area.label,
            status=status_badge(req.status, label), facts=cohort_facts(req.cohort),
            summary=provider_summary(req.summary)))
    return _joined("\n", cards)


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


def _joined(separator: str, pieces: list[SafeString]) -> SafeString:
    """Pieces that are format_html output already, one after the other."""
    return format_html_join(separator, "{}", ((piece,) for piece in pieces))


@register.simple_tag
def cohort_member_rows(members) -> SafeString:
    """The adviser's table of a cohort's needs (often sixty): business, need, place, numbers,
    consent. `members` are `.values(*COHORT_MEMBER_FIELDS)` rows; escaped with the standard
    library (what django.utils.html.escape does) rather than an instance and a format_html
    per row."""
    language = (get_language() or "nb")[:2]
    area_label = f"area__label_{language}" if language in ("nb", "nn", "en") else "area__label_nb"
    consents = {value: str(label) for value, label in SurveyResponse.Consent.choices}
    statistics_only = escape(gettext("Statistics only"))
    rows = []
    for row in members:
        # As Need.__str__: the title, else the area and the number of participants.
        need = row["title"] or (f"{row[area_label] or row['area__label_nb']} "
                                f"({row['participants']})")
        consent = (escape(consents.get(row["response__consent"], row["response__consent"]))
                   if row["response_id"] else statistics_only)
        rows.append(f'<tr data-need="{row["pk"]}">\n'
                    f'      <th scope="row">{escape(row["organisation__name"])}</th>\n'
                    f"      <td>{escape(need)}</td>\n"
                    f'      <td>{escape(row["organisation__municipality__name"] or "–")}</td>\n'
                    f'      <td>{number(row["participants"])}</td>\n'
                    f"      <td>{consent}</td>\n"
                    "    </tr>")
    return mark_safe("\n  ".join(rows))  # every value in the rows was escaped above


@register.simple_tag
def cohort_request_rows(requests) -> SafeString:
    """Who the cohort was sent to, their answer, and a meeting link once one is interested."""
    plan = reverse("meetings:create")
    plan_word = gettext("Plan a meeting")
    labels = {}
    rows = []
    for req in requests:
        label = labels.get(req.status)
        if label is None:
            label = labels[req.status] = str(req.get_status_display())
        meeting = (format_html(' <a href="{}?request={}">{}</a>', plan, req.pk, plan_word)
                   if req.status == "interested" else "")
        rows.append(format_html(
            '<tr data-request="{}"><th scope="row">{}</th><td>{}</td><td>{}{}</td></tr>',
            req.pk, req.provider.name, status_badge(req.status, label), req.response or "–",
            meeting))
    return _joined("\n    ", rows)
