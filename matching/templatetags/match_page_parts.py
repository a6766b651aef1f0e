"""The adviser's match page (`matching/match_detail.html`) written in Python, part by part:
`{% match_summary %}` (title, status, score, explanation), `{% match_facts %}` (the need and
the offer), `{% match_actions %}` (the buttons and the decline form), `{% match_note %}` and
`{% match_history %}`. Each reads the context `matching.views.match._render_match` gives.

The page's forty translations, a dozen filters, two loops and an include were most of its
CPU. Here the fixed words are looked up once per process and language, and every value that
comes from the data is escaped (the standard library's `escape`, what Django's calls); the
fixed words and our translations are written as the template wrote them, unescaped.
"""

from __future__ import annotations

from functools import lru_cache
from html import escape

from django import template
from django.template.defaultfilters import date as date_filter
from django.template.defaultfilters import linebreaksbr
from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe
from django.utils.timezone import template_localtime
from django.utils.translation import get_language, gettext, gettext_noop

from matching.engine import bands
from matching.models import Match
from matching.templatetags.match_rows import _short_date, decimal, number
from needs.models import Need
from needs.templatetags.business_needs import time_window
from offers.models import Offer
from portal.filter_forms import per_language

register = template.Library()


def _decimal(value, places: str) -> str:
    return decimal(value, places, get_language())


@lru_cache(maxsize=4096)
def _time_window(start, end, language: str | None) -> str:
    # A few hundred distinct windows: each written once per process and language.
    return time_window(start, end)


def _labels(model, name: str) -> dict:
    """What `get_<name>_display()` shows for each value, in the active language."""
    return {value: str(label) for value, label in model._meta.get_field(name).flatchoices}


def _url(name: str) -> tuple[str, str]:
    """What the URL named `name` is made of on either side of the match's id."""
    before, after = reverse(name, kwargs={"pk": 0}).rsplit("/0/", 1)
    return f"{before}/", f"/{after}"


@per_language
def _words() -> dict:
    """The page's fixed words, the choices' labels and the links, in the reader's language,
    once per process (translations do not change under a running process)."""
    # gettext_noop: `make messages` finds the words here.
    words = {key: gettext(text) for key, text in (
        ("back", gettext_noop("Back to the matches")),
        ("status", gettext_noop("Status")),
        ("retired", gettext_noop("No longer in the top list")),
        ("interest", gettext_noop("The business registered interest in this offer")),
        ("declined", gettext_noop("The business's reason for declining")),
        ("score", gettext_noop("Score")),
        ("fits", gettext_noop("What fits")),
        ("misfits", gettext_noop("What does not fit")),
        ("need", gettext_noop("The need")),
        ("business", gettext_noop("Business")),
        ("area", gettext_noop("Competence area")),
        ("need_name", gettext_noop("Need")),
        ("participants", gettext_noop("Participants")),
        ("level", gettext_noop("Level")),
        ("unknown_level", gettext_noop("Don't know")),
        ("window", gettext_noop("Window")),
        ("contact", gettext_noop("Contact")),
        ("offer", gettext_noop("The offer")),
        ("title", gettext_noop("Title")),
        ("provider", gettext_noop("Provider")),
        ("format", gettext_noop("Format")),
        ("start", gettext_noop("Start")),
        ("price", gettext_noop("Price per participant")),
        ("next", gettext_noop("Next step")),
        ("record_decline", gettext_noop("Record that the business declined")),
        ("decline_note", gettext_noop("Comment for the history (optional)")),
        ("decline_button", gettext_noop("Declined by the business")),
        ("closed", gettext_noop("This match is closed.")),
        ("note", gettext_noop("Adviser note")),
        ("save_note", gettext_noop("Save note")),
        ("history", gettext_noop("History")),
        ("system", gettext_noop("the system")),
        ("nothing", gettext_noop("Nothing has happened yet.")))}
    strong, possible = _decimal(bands.STRONG, "0"), _decimal(bands.POSSIBLE, "0")
    words["legend"] = gettext(
        "Strong match: %(strong)s or more · possible: %(possible)s–%(strong)s · weak: "
        "below %(possible)s (no real overlap in topic).") % {"strong": strong,
                                                             "possible": possible}
    words["home"] = reverse("matching:adviser_home")
    words["transition_url"] = _url("matching:match_transition")
    words["note_url"] = _url("matching:match_note")
    words["status_labels"] = _labels(Match, "status")
    words["need_levels"] = _labels(Need, "level")
    words["offer_levels"] = _labels(Offer, "level")
    words["offer_formats"] = _labels(Offer, "format")
    return words


def _display(labels: dict, value) -> str:
    """`get_<field>_display()` escaped: the value's label, else the value."""
    return escape(str(labels.get(value, value)))


def _csrf_input(context) -> str:
    """What `{% csrf_token %}` writes: the same masked token on every form of the page."""
    token = context.get("csrf_token")
    if not token or str(token) == "NOTPROVIDED":
        return ""
    return f'<input type="hidden" name="csrfmiddlewaretoken" value="{escape(str(token))}">'


@register.simple_tag(takes_context=True)
def match_summary(context) -> SafeString:
    """From "Back to the matches" to the explanation of the score."""
    words, match = _words(), context["match"]
    status = escape(match.status)
    parts = [f'<p><a href="{words["home"]}">{words["back"]}</a></p>\n'
             f"<h1>{escape(match.need.organisation.name)} × {escape(match.offer.title)}</h1>\n"
             f'<p>{words["status"]}: <span class="badge status-{status}" '
             f'data-status="{status}">{_display(words["status_labels"], match.status)}</span>\n  ']
    if not match.is_current:
        parts.append(f'<span class="badge">{words["retired"]}</span>')
    parts.append("</p>\n")
    interest = context["interest"]
    if interest:
        when = template_localtime(interest["created_at"])
        parts.append(f'<p class="explanation" id="registered-interest"><strong>'
                     f'{words["interest"]}</strong> <time datetime="{date_filter(when, "c")}">'
                     f'{escape(date_filter(when, "SHORT_DATE_FORMAT"))}</time>.</p>')
    parts.append("\n")
    if match.response_reason:
        parts.append(f'<p class="explanation" id="decline-reason"><strong>{words["declined"]}:'
                     f"</strong> {escape(match.decline_reason_display())}</p>")
    band = escape(context["band"])
    raw, shown = _decimal(match.score, "0u"), _decimal(match.score, "0")
    parts.append(
        f'\n\n<h2>{words["score"]}</h2>\n<p class="score-line">\n'
        f'  <meter id="score-meter" min="0" max="100" low="40" high="70" optimum="100" '
        f'value="{raw}">{shown}</meter>\n'
        f'  <span class="score" data-score="{raw}">{shown} / 100</span>\n'
        f'  <span class="badge badge-{band}" id="score-band" data-band="{band}">'
        f'{escape(context["band_label"])}</span>\n</p>\n'
        f'<p class="help" id="band-legend">{words["legend"]}</p>\n')
    explanation = context["explanation_parts"]
    fits, misfits = explanation["fits"], explanation["misfits"]
    if fits or misfits:
        parts.append('\n<dl class="explanation facts" id="explanation">\n  ')
        if fits:
            parts.append(f'<dt>{words["fits"]}</dt><dd id="explanation-fits">'
                         f'{" · ".join(escape(str(fit)) for fit in fits)}</dd>')
        parts.append("\n  ")
        if misfits:
            parts.append(f'<dt>{words["misfits"]}</dt><dd id="explanation-misfits">'
                         f'{" · ".join(escape(str(misfit)) for misfit in misfits)}</dd>')
        parts.append("\n</dl>\n")
    elif context["explanation"]:
        parts.append(f'<p class="explanation" id="explanation">'
                     f'{escape(context["explanation"])}</p>')
    return mark_safe("".join(parts))  # every value from the data was escaped above


@register.simple_tag(takes_context=True)
def match_facts(context) -> SafeString:
    """The two cards: the need with its business, the offer with its provider."""
    words, match = _words(), context["match"]
    need, offer = match.need, match.offer
    business = need.organisation
    description = (f"<p>{linebreaksbr(need.description, autoescape=True)}</p>"
                   if need.description else "")
    title = escape(offer.title)
    if context["offer_url"]:
        title = f'<a href="{escape(context["offer_url"])}">{title}</a>'
    place = context["offer_place"]
    start = _short_date(offer.start_date)  # "–" for none, as the template's default
    level = words["need_levels"].get(need.level, need.level)
    price = "–" if offer.price_nok is None else f"{_decimal(offer.price_nok, '0g')} kr"
    return mark_safe(  # every value from the data was escaped
        '<div class="two-up">\n<section aria-labelledby="need-heading" class="card">\n'
        f'  <h2 id="need-heading">{words["need"]}</h2>\n  <dl class="facts">\n'
        f'    <dt>{words["business"]}</dt><dd>{escape(business.name)} '
        f'({escape(context["business_place"] or "–")})</dd>\n'
        f'    <dt>{words["area"]}</dt><dd>{escape(context["need_area_label"])}</dd>\n'
        f'    <dt>{words["need_name"]}</dt><dd>{escape(context["need_name"])}</dd>\n'
        f'    <dt>{words["participants"]}</dt><dd>{number(need.participants)}</dd>\n'
        f'    <dt>{words["level"]}</dt>'
        f'<dd>{escape(level) if level else words["unknown_level"]}</dd>\n'
        f'    <dt>{words["window"]}</dt>'
        f"<dd>{_time_window(need.earliest_start, need.latest_start, get_language())}\n</dd>\n"
        f'    <dt>{words["contact"]}</dt><dd>{escape(business.contact_name)} '
        f"{escape(business.contact_email)}</dd>\n  </dl>\n  {description}\n</section>\n"
        '<section aria-labelledby="offer-heading" class="card">\n'
        f'  <h2 id="offer-heading">{words["offer"]}</h2>\n  <dl class="facts">\n'
        f'    <dt>{words["title"]}</dt><dd>{title}</dd>\n'
        f'    <dt>{words["provider"]}</dt><dd>{escape(offer.provider.name)}</dd>\n'
        f'    <dt>{words["level"]}</dt><dd>{_display(words["offer_levels"], offer.level)}</dd>\n'
        f'    <dt>{words["format"]}</dt><dd>{_display(words["offer_formats"], offer.format)}'
        f'{", " + escape(place) if place else ""}</dd>\n'
        f'    <dt>{words["start"]}</dt><dd>{escape(start)}</dd>\n'
        f'    <dt>{words["price"]}</dt><dd>{price}</dd>\n  </dl>\n</section>\n</div>')


BUTTON = ('\n        <button type="submit" name="action" value="{action}" data-action="{action}"'
          "{secondary}>\n          {label}\n        </button>\n      ")


@register.simple_tag(takes_context=True)
def match_actions(context) -> SafeString:
    """"Next step": the allowed actions' buttons with a comment box, and the decline form."""
    words, match = _words(), context["match"]
    csrf, fields = _csrf_input(context), context["action_fields"]
    before, after = words["transition_url"]
    url = f"{before}{match.pk}{after}"
    parts = [f'<section aria-labelledby="actions-heading">\n'
             f'  <h2 id="actions-heading">{words["next"]}</h2>\n  ']
    if context["actions"]:
        buttons = "".join(BUTTON.format(
            action=escape(action), label=escape(str(label)),
            secondary=' class="button-secondary"' if action == "dismiss" else "")
            for action, label in context["action_buttons"])
        parts.append(f'\n  <form method="post" action="{url}" id="transition-form">\n'
                     f"    {csrf}\n    {fields['note']}\n"
                     f'    <div class="actions">\n      {buttons}\n    </div>\n  </form>\n  ')
    parts.append("\n  ")
    if context["can_decline"]:
        parts.append(
            '\n  <details class="decline">\n'
            f'    <summary>{words["record_decline"]}</summary>\n'
            f'    <form method="post" action="{url}" id="adviser-decline-form">\n'
            f"      {csrf}\n"
            '      <input type="hidden" name="action" value="decline">\n'
            f"      {fields['reason']}\n"
            f'      <div class="field"><label for="decline-note">{words["decline_note"]}'
            "</label>\n"
            '        <textarea name="note" id="decline-note" rows="2" maxlength="2000">'
            "</textarea></div>\n"
            '      <button type="submit" class="button-secondary" data-action="decline">'
            f'{words["decline_button"]}</button>\n    </form>\n  </details>\n  ')
    parts.append("\n  ")
    if not context["actions"] and not context["can_decline"]:
        parts.append(f'\n  <p>{words["closed"]}</p>\n  ')
    parts.append("\n</section>")
    return mark_safe("".join(parts))  # the fields are Django's output, the rest escaped


@register.simple_tag(takes_context=True)
def match_note(context) -> SafeString:
    """The adviser's note and its form."""
    words, match = _words(), context["match"]
    before, after = words["note_url"]
    url = f"{before}{match.pk}{after}"
    return mark_safe(  # the field is Django's output, the token escaped
        '<section aria-labelledby="note-heading">\n'
        f'  <h2 id="note-heading">{words["note"]}</h2>\n'
        f'  <form method="post" action="{url}" id="note-form">\n'
        f"    {_csrf_input(context)}\n    {context['note_fields']['adviser_note']}\n"
        f'    <button type="submit" class="button-secondary">{words["save_note"]}</button>\n'
        "  </form>\n</section>")


EVENT = ('\n      <li><time datetime="{iso}">{when}</time>:\n'
         "        {actor} – {before} → {after}{note}</li>\n    ")


@register.simple_tag(takes_context=True)
def match_history(context) -> SafeString:
    """The match's events, oldest first (`match_page.match_history`)."""
    words, events = _words(), context["events"]
    if not events:
        return mark_safe(  # fixed words only
            '<section aria-labelledby="history-heading">\n'
            f'  <h2 id="history-heading">{words["history"]}</h2>\n'
            f'  \n  <p>{words["nothing"]}</p>\n  \n</section>')
    items = []
    for event in events:
        when = template_localtime(event["created_at"])
        items.append(EVENT.format(
            iso=escape(date_filter(when, "c")),
            when=escape(date_filter(when, "SHORT_DATETIME_FORMAT")),
            actor=escape(event["actor"]) if event["actor"] else words["system"],
            before=escape(event["from_label"]), after=escape(event["to_label"]),
            note=f": {escape(event['note'])}" if event["note"] else ""))
    return mark_safe(  # every value from the data was escaped above
        '<section aria-labelledby="history-heading">\n'
        f'  <h2 id="history-heading">{words["history"]}</h2>\n'
        f'  \n  <ol class="history" id="history">\n    {"".join(items)}\n  </ol>\n  \n'
        "</section>")
