"""`{% proposal_cards matches %}`: a business's proposals, one card each, built in Python.

Each card had an include, two `{% url %}`, two `{% csrf_token %}`, a `blocktranslate` and a loop
over eight decline reasons; that was most of the page's CPU. The words and the reasons'
markup are made once per page, the names put in (escaped) per card.
"""

from __future__ import annotations

from django import template
from django.template.defaultfilters import floatformat
from django.template.defaulttags import CsrfTokenNode
from django.urls import reverse
from django.utils.html import conditional_escape, format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext

from matching.templatetags.match_rows import _short_date, status_badge

register = template.Library()

CARD = ('<li class="card" id="proposal-{pk}" data-match="{pk}">\n'
        "    <h2>{title}</h2>\n"
        "    <p>{status}</p>\n"
        '    <dl class="facts">\n'
        "      <dt>{need_word}</dt><dd>{need}</dd>\n"
        "      <dt>{provider_word}</dt><dd>{provider}</dd>\n"
        "      <dt>{format_word}</dt><dd>{format}</dd>\n"
        "      <dt>{start_word}</dt><dd>{start}</dd>\n"
        "      <dt>{price_word}</dt><dd>{price}</dd>\n"
        "      {more}\n"
        "    </dl>\n"
        "    {explanation}\n"
        "    {answer}\n"
        "  </li>")
ANSWER = ('<div class="actions">\n'
          '      <form method="post" action="{accept_url}" class="inline-form">\n'
          "        {csrf}\n"
          '        <button type="submit" data-action="accept">{accept}</button>\n'
          "      </form>\n"
          "    </div>\n"
          '    <details class="decline">\n'
          "      <summary>{decline_word}</summary>\n"
          '      <form method="post" action="{decline_url}">\n'
          "        {csrf}\n"
          "        <fieldset>\n"
          "          <legend>{why}</legend>\n"
          '          <ul class="choices">\n'
          "          {reasons}\n"
          "          </ul>\n"
          "        </fieldset>\n"
          '        <div class="field">\n'
          '          <label for="note-{pk}">{note_label} <span class="meta">({optional})</span>'
          "</label>\n"
          '          <textarea name="note" id="note-{pk}" rows="3" maxlength="1000"></textarea>\n'
          "        </div>\n"
          '        <button type="submit" class="button-secondary" data-action="decline">'
          "{decline_button}</button>\n"
          "      </form>\n"
          "    </details>")
REASON = ('<li class="choice"><input type="radio" name="reason" value="{0}" '
          'id="reason-PK-{0}" required>\n'
          '              <label for="reason-PK-{0}">{1}</label></li>')


@register.simple_tag(takes_context=True)
def proposal_cards(context, matches, decline_form) -> SafeString:
    """The cards of `matches` (each with `.explanation` and `.offer_link` attached)."""
    csrf = CsrfTokenNode().render(context)  # what {% csrf_token %} writes, once for all forms
    # The reasons' markup once per page; each card puts its pk in place of the `PK` of the ids.
    reasons = format_html_join("\n          ", REASON, (
        (value, label) for value, label in decline_form.fields["reason"].choices))
    words = {
        "need_word": gettext("For your need"), "provider_word": gettext("Provider"),
        "format_word": gettext("Format"), "start_word": gettext("Start"),
        "price_word": gettext("Price per participant"),
    }
    more_word, why_word = gettext("More information"), gettext("Why we suggest it")
    answer_words = {
        "csrf": csrf, "decline_word": gettext("Decline"), "why": gettext("Why do you decline?"),
        "note_label": decline_form["note"].label, "optional": gettext("optional"),
        "decline_button": gettext("Decline the proposal"),
    }
    accept = gettext('Accept <span class="visually-hidden">%(title)s</span>')
    declined = format_html('<p class="meta">{}.</p>', gettext("You declined"))
    accept_url = reverse("matching:proposal_accept", kwargs={"pk": 0})[:-len("0/accept/")]
    cards = []
    for match in matches:
        offer = match.offer
        title = (format_html('<a href="{}">{}</a>', match.offer_link, offer.title)
                 if match.offer_link else offer.title)
        place = offer.get_format_display()
        if offer.municipality:
            place = format_html("{}, {}", place, offer.municipality.name)
        answer = ""
        if match.status == "proposed":
            answer = format_html(
                ANSWER, pk=match.pk, accept_url=f"{accept_url}{match.pk}/accept/",
                decline_url=f"{accept_url}{match.pk}/decline/",
                # The translation as blocktranslate puts it in (not escaped), the title escaped.
                accept=mark_safe(accept % {"title": conditional_escape(offer.title)}),
                # Only the ids change: the labels were escaped, so no `"reason-PK-` is theirs.
                reasons=mark_safe(reasons.replace('"reason-PK-', f'"reason-{match.pk}-')),
                **answer_words)
        elif match.status == "declined" and match.response_reason:
            answer = declined
        cards.append(format_html(
            CARD, pk=match.pk, title=title,
            status=status_badge(match.status, match.business_status_display()),
            need=str(match.need), provider=offer.provider.name, format=place,
            start=_short_date(offer.start_date),
            price=(floatformat(offer.price_nok, "0g") + " kr"
                   if offer.price_nok is not None else "–"),
            more=format_html('<dt>{}</dt><dd><a href="{}" rel="noopener">{}</a></dd>',
                             more_word, offer.url, offer.url) if offer.url else "",
            explanation=format_html(
                '<p class="explanation"><strong>{}:</strong> {}</p>', why_word,
                match.explanation) if match.explanation else "",
            answer=answer, **words))
    return format_html_join("\n", "{}", ((card,) for card in cards))
