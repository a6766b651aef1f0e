"""`{% offer_facts offer %}` (a catalogue row's facts) and `{% offer_page_body offer %}` (the
public offer page's text and facts), written in Python with the markup the templates wrote.

Every offer page the cache has not seen yet is rendered (a thousand offers in three
languages), and its two dozen `{% translate %}`s, lookups, filters and an include cost more
CPU than the rest of a miss; the catalogue prints the same facts for each of its 25 rows.
Every value is escaped here (`conditional_escape`, or Django's own `linebreaks` with
autoescape); the labels are our own `gettext` strings, written as they are, as
`{% translate %}` writes them (unescaped: "provider's" stays as it is in English).
"""

from __future__ import annotations

import functools

from django import template
from django.template.defaultfilters import date, floatformat
from django.urls import get_script_prefix, reverse
from django.utils.formats import localize
from django.utils.html import conditional_escape, linebreaks
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext, gettext_noop

from portal.choices import Format, Level
from portal.filter_forms import per_language

from ..models import Offer
from ..selectors import OfferPage

register = template.Library()

# The pages' fixed words by name (`gettext_noop`: makemessages still finds them here).
_ = gettext_noop
WORDS = {
    "level": _("Level"), "credits": _("credits"), "hours": _("hours"),
    "format": _("Format"), "when": _("When"), "by_agreement": _("By agreement"),
    "on_demand": _("Can run on demand"), "price": _("Price"), "free": _("Free of charge"),
    "ask": _("Ask the provider"), "back": _("Back to the catalogue"),
    "areas": _("Competence areas"), "deadline": _("Application deadline"),
    "participants": _("Participants"), "min": _("min."), "max": _("max."),
    "language": _("Language"), "contact": _("Contact"),
    "apply": _("Read more and apply at the provider's site"),
}
CHOICES = {"levels": Level.choices, "formats": Format.choices,
           "languages": Offer.Language.choices}


@per_language
def _words() -> dict:
    """The fixed words and the choices' labels (escaped, as `get_FOO_display()` prints
    them) in the reader's language, translated once per process (`per_language`)."""
    words: dict = {key: gettext(msgid) for key, msgid in WORDS.items()}
    for name, choices in CHOICES.items():
        words[name] = {value: conditional_escape(label) for value, label in choices}
    return words


def _display(choices: dict, value: str) -> str:
    """As `get_FOO_display()`: the label, or the stored value if it has none."""
    return choices.get(value) or conditional_escape(value)


def _number(value) -> str:
    """A number as `{{ value }}` prints it."""
    return conditional_escape(localize(value))


def offer_facts_html(offer: Offer | OfferPage, place: str | None) -> str:
    """The `<dl>` of level, format, dates and price (and the line break its include left);
    `place`: the offer's municipality's name, if it has one."""
    esc, words = conditional_escape, _words()
    level = _display(words["levels"], offer.level)
    if offer.credits:
        level += f', {esc(floatformat(offer.credits, "-1"))} {words["credits"]}'
    if offer.hours:
        level += f', {_number(offer.hours)} {words["hours"]}'
    where = _display(words["formats"], offer.format) + (f", {esc(place)}" if place else "")
    if offer.start_date:
        when = esc(date(offer.start_date, "DATE_FORMAT"))
        if offer.end_date and offer.end_date != offer.start_date:
            when += f' – {esc(date(offer.end_date, "DATE_FORMAT"))}'
    else:
        when = words["by_agreement"]
    if offer.on_demand:
        when += f' <span class="badge">{words["on_demand"]}</span>'
    if offer.price_nok == 0:
        price = words["free"]
    elif offer.price_nok is not None:
        price = f'{esc(floatformat(offer.price_nok, "0g"))} kr'
    else:
        price = words["ask"]
    return (f'<dl class="offer-facts">\n'
            f'  <dt>{words["level"]}</dt><dd>{level}</dd>\n'
            f'  <dt>{words["format"]}</dt><dd>{where}</dd>\n'
            f'  <dt>{words["when"]}</dt><dd>{when}</dd>\n'
            f'  <dt>{words["price"]}</dt><dd>{price}</dd>\n'
            f"</dl>\n")


@register.simple_tag
def offer_facts(offer: Offer) -> SafeString:
    """A catalogue row's facts (its offer comes with its municipality)."""
    place = offer.municipality.name if offer.municipality_id else None
    return mark_safe(offer_facts_html(offer, place))  # every value escaped above


@register.simple_tag
def offer_page_body(offer: OfferPage) -> SafeString:
    """The offer page from the link back to the catalogue to the provider's link."""
    esc, words = conditional_escape, _words()
    description = (f'<div class="offer-description">{linebreaks(offer.description, True)}'
                   "</div>" if offer.description else "")
    deadline = (f'<dt>{words["deadline"]}</dt>'
                f'<dd>{esc(date(offer.application_deadline, "DATE_FORMAT"))}</dd>'
                if offer.application_deadline else "")
    participants = ""
    if offer.min_participants or offer.max_participants:
        least = (f'{words["min"]} {_number(offer.min_participants)}'
                 if offer.min_participants else "")
        most = (f' {words["max"]} {_number(offer.max_participants)}'
                if offer.max_participants else "")
        participants = f'<dt>{words["participants"]}</dt><dd>{least}{most}</dd>'
    email = esc(offer.contact_email)
    contact = (f'<dt>{words["contact"]}</dt><dd><a href="mailto:{email}">{email}</a></dd>'
               if email else "")
    link = (f'<p><a class="button" href="{esc(offer.url)}" rel="noopener external">'
            f'{words["apply"]}</a></p>' if offer.url else "")
    html = (
        f'<p><a href="{_catalogue_url(get_script_prefix())}">{words["back"]}</a></p>\n'
        f"<h1>{esc(offer.title)}</h1>\n"
        f'<p class="lead">{esc(offer.provider_name)}</p>\n'
        f"{description}\n"
        f"{offer_facts_html(offer, offer.place)}\n"
        f'<dl class="offer-facts">\n'
        f'  <dt>{words["areas"]}</dt><dd>{", ".join(esc(label) for label in offer.areas)}</dd>\n'
        f"  {deadline}\n"
        f"  {participants}\n"
        f'  <dt>{words["language"]}</dt>'
        f'<dd>{_display(words["languages"], offer.language)}</dd>\n'
        f"  {contact}\n"
        f"</dl>\n"
        f"{link}")
    return mark_safe(html)  # every value escaped above; the words are our own strings


@functools.cache
def _catalogue_url(script_prefix: str) -> str:
    return conditional_escape(reverse("offers:catalogue"))
