"""What every e-mail of the portal shares: absolute links and the recipient's language.

The apps' mail tasks compose their message with `mail_send_localised`, which writes it once per
language among the recipients. Sending raises on SMTP errors on purpose: the task retries.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.utils import translation

from .models import Organisation, User

LANGUAGE_CODES = {code for code, _name in settings.LANGUAGES}


def absolute_url(path: str) -> str:
    """`SITE_URL` + path: a link that a mail client can open (a bare path cannot be clicked)."""
    return settings.SITE_URL.rstrip("/") + path


def language_or_default(language: str | None) -> str:
    return language if language in LANGUAGE_CODES else settings.LANGUAGE_CODE


def languages_of(addresses: Iterable[str], *, fallback: str = "") -> dict[str, list[str]]:
    """Groups addresses by the language their user chose. An address with no user, or a user
    who never chose, gets `fallback` (e.g. the language a survey was answered in), else bokmål.
    """
    addresses = sorted({a for a in addresses if a})
    chosen = dict(
        User.objects.filter(email__in=[a.lower() for a in addresses])
        .exclude(language="").values_list("email", "language")
    )
    groups: dict[str, list[str]] = {}
    for address in addresses:
        language = language_or_default(chosen.get(address.lower()) or fallback)
        groups.setdefault(language, []).append(address)
    return groups


def organisation_addresses(organisation: Organisation) -> list[str]:
    """Its contact address, or, when it has none, the addresses of its active members."""
    if organisation.contact_email:
        return [organisation.contact_email]
    return sorted(
        organisation.memberships.filter(user__is_active=True)
        .values_list("user__email", flat=True)
    )


def mail_send_localised(
    *, to: Iterable[str], compose: Callable[[], tuple[str, str]], fallback_language: str = "",
) -> int:
    """Sends `compose()`'s (subject, body), rendered in each recipient's language.

    Returns the number of messages sent (0 when there is nobody to send to)."""
    sent = 0
    for language, addresses in languages_of(to, fallback=fallback_language).items():
        with translation.override(language):
            subject, body = compose()
            html = html_alternative(body)
        sent += send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, addresses,
                          html_message=html)
    return sent


def html_alternative(body: str) -> str:
    """The HTML part of an e-mail written as plain text: the same words, paragraphs kept and
    links clickable, so every message has both parts."""
    return render_to_string("portal/email/plain_as_html.html", {
        "body": body, "site_name": settings.SITE_NAME,
        "language": translation.get_language() or settings.LANGUAGE_CODE})
