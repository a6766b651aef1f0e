"""`{% proposal_cards matches %}`: a business's proposals, one card each, built in Python.

Each card had an include, two `{% url %}`, two `{% csrf_token %}`, a `blocktranslate` and a loop
over eight decline reasons; that was most of the page's CPU. The words and the reasons'
markup are made once per page, the names put in (escaped) per card.
"""

from __future__ import annotations

from html import escape

from django import template
from django.template.defaultfilters import floatformat
from django.template.defaulttags import CsrfTokenNode
from django.urls import reverse
from django.utils.html import format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language, gettext

from matching.models import BUSINESS_STATUS_LABELS, Match
from matching.templatetags.match_rows import _short_date
from portal.choices import Format

register = template.Library()

REASON = ('<li class="choice"><input type="radio" name="reason" value="{0}" '
          'id="reason-PK-{0}" required>\n'
          '              <label for="reason-PK-{0}">{1}</label></li>')


# language -> what `_page_parts` builds: fixed words and the fixed list of decline reasons
# (`services.DECLINE_REASONS`), the same on every card of every business.
_parts_memo: dict[str | None, tuple] = {}


def _page_parts(decline_form) -> tuple:
    """The words and the reasons' markup escaped once per process and language; each card
    puts in its own pk (the `PK` of the reasons' ids) and its values, escaped with the
    standard library."""
    language = get_language()
    parts = _parts_memo.get(language)
    if parts is None:
        reasons = format_html_join("\n          ", REASON, (
            (value, label) for value, label in decline_form.fields["reason"].choices))
        words = {key: escape(str(text)) for key, text in {
            "need": gettext("For your need"), "provider": gettext("Provider"),
            "format": gettext("Format"), "start": gettext("Start"),
            "price": gettext("Price per participant"), "more": gettext("More information"),
            "why_suggest": gettext("Why we suggest it"), "decline": gettext("Decline"),
            "why_decline": gettext("Why do you decline?"), "note": decline_form["note"].label,
            "optional": gettext("optional"), "decline_button": gettext("Decline the proposal"),
            "declined": gettext("You declined"),
        }.items()}
        # The translation as blocktranslate puts it in (not escaped), the title escaped per
        # card.
        accept = gettext('Accept <span class="visually-hidden">%(title)s</span>')
        labels = {value: str(BUSINESS_STATUS_LABELS.get(value, label))
                  for value, label in Match.Status.choices}
        formats = {value: str(label) for value, label in Format.choices}
        parts = _parts_memo[language] = (reasons, words, accept, labels, formats)
    return parts


@register.simple_tag(takes_context=True)
def proposal_cards(context, matches, decline_form) -> SafeString:
    """The cards of `matches` (`selectors.ProposalRow`s, with `.explanation` and
    `.offer_link` set)."""
    csrf = CsrfTokenNode().render(context)  # what {% csrf_token %} writes, once for all forms
    reasons, w, accept, labels, formats = _page_parts(decline_form)
    base_url = reverse("matching:proposal_accept", kwargs={"pk": 0})[:-len("0/accept/")]
    cards = []
    for match in matches:
        pk = match.pk
        title = escape(match.offer_title)
        heading = (f'<a href="{escape(match.offer_link)}">{title}</a>' if match.offer_link
                   else title)
        place = escape(formats.get(match.offer_format, match.offer_format))
        if match.offer_place is not None:
            place += f", {escape(match.offer_place)}"
        price = (escape(floatformat(match.offer_price_nok, "0g")) + " kr"
                 if match.offer_price_nok is not None else "–")
        url = match.offer_url
        more = (f'<dt>{w["more"]}</dt><dd><a href="{escape(url)}" rel="noopener">'
                f"{escape(url)}</a></dd>" if url else "")
        explanation = (f'<p class="explanation"><strong>{w["why_suggest"]}:</strong> '
                       f"{escape(match.explanation)}</p>" if match.explanation else "")
        answer = ""
        if match.status == "proposed":
            # Only the ids change: the labels were escaped, so no `"reason-PK-` is theirs.
            own_reasons = reasons.replace('"reason-PK-', f'"reason-{pk}-')
            answer = (
                '<div class="actions">\n'
                f'      <form method="post" action="{base_url}{pk}/accept/" class="inline-form">\n'
                f"        {csrf}\n"
                '        <button type="submit" data-action="accept">'
                f"{accept % {'title': title}}</button>\n"
                "      </form>\n"
                "    </div>\n"
                '    <details class="decline">\n'
                f'      <summary>{w["decline"]}</summary>\n'
                f'      <form method="post" action="{base_url}{pk}/decline/">\n'
                f"        {csrf}\n"
                "        <fieldset>\n"
                f'          <legend>{w["why_decline"]}</legend>\n'
                '          <ul class="choices">\n'
                f"          {own_reasons}\n"
                "          </ul>\n"
                "        </fieldset>\n"
                '        <div class="field">\n'
                f'          <label for="note-{pk}">{w["note"]} <span class="meta">'
                f'({w["optional"]})</span></label>\n'
                f'          <textarea name="note" id="note-{pk}" rows="3" maxlength="1000">'
                "</textarea>\n"
                "        </div>\n"
                '        <button type="submit" class="button-secondary" data-action="decline">'
                f'{w["decline_button"]}</button>\n'
                "      </form>\n"
                "    </details>")
        elif match.status == "declined" and match.response_reason:
            answer = f'<p class="meta">{w["declined"]}.</p>'
        status = escape(match.status)
        cards.append(
            f'<li class="card" id="proposal-{pk}" data-match="{pk}">\n'
            f"    <h2>{heading}</h2>\n"
            f'    <p><span class="badge status-{status}" data-status="{status}">'
            f"{escape(labels.get(match.status, match.status))}</span></p>\n"
            '    <dl class="facts">\n'
            f'      <dt>{w["need"]}</dt><dd>{escape(match.need_name)}</dd>\n'
            f'      <dt>{w["provider"]}</dt><dd>{escape(match.provider_name)}</dd>\n'
            f'      <dt>{w["format"]}</dt><dd>{place}</dd>\n'
            f'      <dt>{w["start"]}</dt><dd>{escape(_short_date(match.offer_start_date))}</dd>\n'
            f'      <dt>{w["price"]}</dt><dd>{price}</dd>\n'
            f"      {more}\n"
            "    </dl>\n"
            f"    {explanation}\n"
            f"    {answer}\n"
            "  </li>")
    return mark_safe("\n".join(cards))  # every value in the cards was escaped above
