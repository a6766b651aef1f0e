"""`{% match_queue_rows page_obj %}` and `{% cohort_list_rows page_obj %}`: the rows of the
adviser's match queue and cohort list, built in Python (and the counts by status above the
queue, `{% status_count_items %}`, and the score's components on the match page,
`{% component_rows components %}`).

Twenty-five rows with an include, a `{% url %}`, a `blocktranslate` and a dozen variables each
were most of the queue's CPU; each row is now one `format_html` with the markup the template
wrote, the translations looked up once per page.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from functools import lru_cache
from html import escape

from django import template
from django.template.defaultfilters import date as date_filter
from django.template.defaultfilters import floatformat
from django.urls import reverse
from django.utils.formats import localize
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language, gettext

from matching.models import Cohort, Match
from portal.filter_forms import reference_names

register = template.Library()

ROW = ('<tr data-match="{pk}">\n'
       '      <td class="select-cell"><input type="checkbox" name="match" value="{pk}" '
       'id="select-{pk}"><label for="select-{pk}" class="visually-hidden">{select}</label></td>\n'
       '      <td class="score">{score}</td>\n'
       '      <th scope="row"><a href="{url}">{business}</a><br><span class="meta">{need}</span>'
       "</th>\n"
       '      <td>{offer}<br><span class="meta">{provider}</span></td>\n'
       "      <td>{municipality}</td>\n"
       "      <td>{status}{reason}</td>\n"
       "    </tr>")
STATUS = '<span class="badge status-{}" data-status="{}">{}</span>'
REASON = '<br><span class="meta decline-reason">{}: {}</span>'


def number(value: int) -> str:
    """As the template prints an integer: localized (a thousands separator) when it needs it."""
    return str(value) if -1000 < value < 1000 else localize(value)


def status_badge(value: str, label: str) -> SafeString:
    """`matching/_status.html` in Python."""
    return format_html(STATUS, value, value, label)


@register.simple_tag
def match_queue_rows(page) -> SafeString:
    # The label's words once per page; the names are put in (escaped) per row.
    select = gettext("Select %(business)s × %(offer)s")
    reason_word = gettext("Reason")
    detail = reverse("matching:match_detail", kwargs={"pk": 0})[:-2]
    rows = []
    badges = _match_badges()
    for match in page:  # `matching.selectors.QueueRow`s
        reason = (format_html(REASON, reason_word, match.decline_reason)
                  if match.decline_reason else "")
        # `str.format` with each value escaped (the standard library's `escape`, as Django's
        # calls it): what `format_html` does, at a third of the cost (twenty-five rows of
        # eleven values).
        rows.append(ROW.format(
            pk=match.pk,
            select=escape(select % {"business": match.organisation_name,
                                    "offer": match.offer_title}),
            score=_whole(match.score), url=f"{detail}{match.pk}/",
            business=escape(match.organisation_name), need=escape(match.need_name),
            offer=escape(match.offer_title), provider=escape(match.provider_name),
            municipality=escape(match.municipality_name or "–"),
            status=badges.get(match.status) or status_badge(match.status, match.status),
            reason=reason))
    return mark_safe("\n    ".join(rows))  # every value in a row was escaped


STATUS_COUNT = ('\n    <li><a href="?status={value}" data-status="{value}"><span class="badge '
                'status-{value}" data-status="{value}">{label}</span> <span class="count" '
                'data-count="{raw}">{count}</span></a></li>\n  ')


@register.simple_tag
def status_count_items(status_counts) -> SafeString:
    """The `<li>` of each (status, label, count) above the queue, as the template's loop
    wrote them (seven items of five variables each)."""
    return mark_safe("".join(  # the status and its label escaped, the counts are numbers
        STATUS_COUNT.format(value=escape(value), label=escape(str(label)), raw=int(count),
                            count=number(count))
        for value, label, count in status_counts))


_badges: dict[str, dict[str, SafeString]] = {}


def _match_badges() -> dict[str, SafeString]:
    """Each status's badge in the reader's language, written once per process."""
    language = get_language()
    badges = _badges.get(language)
    if badges is None:
        badges = _badges[language] = {value: status_badge(value, str(label))
                                      for value, label in Match.Status.choices}
    return badges


def _whole(score: float) -> str:
    """`floatformat:0`: rounded half up, as the template printed a score."""
    return str(Decimal(repr(score)).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def _short_date(value) -> str:
    return _short_date_in(value, get_language()) if value else "–"


@lru_cache(maxsize=4096)
def _short_date_in(value, language: str | None) -> str:
    # The same few hundred window dates on every list: formatted once per process and
    # language (the format depends on nothing else).
    return date_filter(value, "SHORT_DATE_FORMAT")


@register.simple_tag
def cohort_list_rows(page) -> SafeString:
    # Each value escaped and each date formatted once per page: a format_html of twelve values
    # per row was most of the cost.
    opportunity = format_html('<span class="badge badge-opportunity" data-opportunity="true">'
                              "{}</span>", gettext("Opportunity"))
    retired = format_html('<span class="badge">{}</span>', gettext("No longer current"))
    online = escape(gettext("Online"))
    badges = {value: status_badge(value, label) for value, label in Cohort.Status.choices}
    detail = reverse("matching:cohort_detail", kwargs={"pk": 0})[:-2]
    names = reference_names()  # areas' labels in the reader's language, places' names
    dates: dict = {}
    rows = []
    for cohort in page:  # `.values()` rows (`COHORT_ROW_FIELDS`)
        pk, start, end = cohort["pk"], cohort["window_start"], cohort["window_end"]
        where = online if cohort["online"] else escape(
            names.municipalities.get(cohort["anchor_municipality_id"]) or "–")
        if start not in dates:
            dates[start] = escape(_short_date(start))
        if end not in dates:
            dates[end] = escape(_short_date(end))
        status = badges.get(cohort["status"]) or status_badge(cohort["status"], cohort["status"])
        # The area's label as CompetenceArea.label gives it: the reader's language, else bokmål.
        label = escape(names.areas.get(cohort["area_id"], ""))
        rows.append(
            f'<tr data-cohort="{pk}">\n'
            f'      <th scope="row"><a href="{detail}{pk}/">{label}</a>'
            f"\n        {opportunity if cohort['is_opportunity'] else ''}\n"
            f"        {'' if cohort['is_current'] else retired}</th>\n"
            f"      <td>{where}</td>\n"
            f"      <td>{dates[start]} – {dates[end]}</td>\n"
            f"      <td>{number(cohort['participants'])} / {number(cohort['threshold'])}</td>\n"
            f"      <td>{number(cohort['business_count'])}</td>\n"
            f"      <td>{status}</td>\n"
            "    </tr>")
    return mark_safe("\n    ".join(rows))  # every name and date in the rows was escaped above


# id(rows) -> (rows, language, their items): the rows are kept per process by
# `selectors.cohort_fitting_offer_rows`, so the same tuple comes back until the catalogue
# changes; holding it here keeps its id from being reused meanwhile.
_fitting_items: dict[int, tuple] = {}


@register.simple_tag
def fitting_offer_items(offers) -> SafeString:
    """The `<li>` of each offer that fits a cohort (often dozens): title, provider, and for a
    course on demand its minimum. `offers` are `.values()` rows; a tuple of them (kept
    between requests, never changed) is written once per language."""
    language = get_language()
    if isinstance(offers, tuple):
        hit = _fitting_items.get(id(offers))
        if hit is not None and hit[0] is offers and hit[1] == language:
            return hit[2]
    items = _fitting_offer_items(offers)
    if isinstance(offers, tuple):
        if len(_fitting_items) >= 500:
            _fitting_items.clear()
        _fitting_items[id(offers)] = (offers, language, items)
    return items


def _fitting_offer_items(offers) -> SafeString:
    on_demand = gettext("on demand")
    minimum = gettext("min. %(n)s")
    items = []
    for offer in offers:
        extra = ""
        if offer["on_demand"]:
            extra = f" ({on_demand}" + (
                ", " + minimum % {"n": number(offer["min_participants"])}
                if offer["min_participants"] else "") + ")"
        # The standard library's escape (what Django's does, without its lazy wrapper).
        items.append(f"<li>{escape(offer['title'])} – "
                     f"{escape(offer['provider__name'])}{escape(extra)}</li>")
    return mark_safe("".join(items))  # every title, name and word was escaped above


COMPONENT_ROW = ('\n    <tr data-component="{}">\n      <th scope="row">{}</th>\n'
                 "      <td>{}</td>\n      <td>{}</td>\n      <td>{}</td>\n    </tr>\n  ")


@register.simple_tag
def component_rows(components) -> SafeString:
    """The rows of "How the score is made up", as the template's loop wrote them."""
    language = get_language()
    return mark_safe("".join(  # the name and label escaped, the rest are numbers
        COMPONENT_ROW.format(escape(row["name"]), escape(str(row["label"])),
                             number(row["value"]), decimal(row["weight"], 2, language),
                             decimal(row["points"], 1, language))
        for row in components))


@lru_cache(maxsize=8192)
def decimal(value, places, language: str | None) -> str:
    """`value|floatformat:places` in `language`: the match page's scores, weights and points
    take a few thousand values, each formatted once per process (the format depends on
    nothing else)."""
    return floatformat(value, places)
