"""allauth's e-mails (verification, password reset, second factor …) have an HTML part in the
portal's e-mail layout, as the portal's own e-mails do, in the reader's language."""

from __future__ import annotations

from pathlib import Path

import allauth
import pytest
from django.conf import settings
from django.core import mail
from django.template.loader import get_template
from django.urls import reverse

from tests import factories

pytestmark = pytest.mark.django_db

SITE = "https://kompetanse.example.no"
PASSWORD = "Langt-passord-2026"


@pytest.fixture(autouse=True)
def _site(settings):
    settings.SITE_URL = SITE


def _html(message) -> str:
    [(html, mimetype)] = message.alternatives
    assert mimetype == "text/html"
    return html


def _sign_up(client, language: str, email: str = "ny@example.no"):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    client.post(reverse("account_signup"), {"email": email, "password1": PASSWORD,
                                            "password2": PASSWORD})
    return mail.outbox[-1]


@pytest.mark.parametrize(("language", "greeting", "line"), [
    ("nb", "Hei fra Kompetanseportalen!", "For å bekrefte at dette stemmer"),
    ("nn", "Hei frå Kompetanseportalen!", "For å stadfeste at dette stemmer"),
    ("en", "Hello from Kompetanseportalen!", "To confirm this is correct"),
])
def test_the_verification_email_has_an_html_part_in_the_readers_language(client, language,
                                                                         greeting, line):
    message = _sign_up(client, language)
    html = _html(message)
    assert greeting in message.body and line in message.body
    assert greeting in html and line in html
    assert f'lang="{language}"' in html
    # The link is clickable, absolute, and the same as in the text part.
    link = next(word for word in message.body.split() if "/accounts/confirm-email/" in word)
    assert f'href="{link}"' in html
    # The body names the portal's public address, not the test server's host.
    assert "testserver" not in message.body and "kompetanse.example.no" in message.body


def test_the_html_part_escapes_what_it_quotes():
    from django.template.loader import render_to_string

    html = render_to_string("account/email/email_changed_message.html", {
        "site_name": "Kompetanseportalen", "from_email": "<b>gammel</b>@example.no",
        "to_email": "ny@example.no"})
    assert "<b>" not in html and "&lt;b&gt;gammel" in html


def test_the_password_reset_email_has_an_html_part(client):
    user = factories.UserFactory(email="glemt@example.no")
    user.set_password(PASSWORD)
    user.save()
    client.post(reverse("account_reset_password"), {"email": "glemt@example.no"})
    [message] = mail.outbox
    html = _html(message)
    link = next(word for word in message.body.split() if "/accounts/password/reset/key/" in word)
    assert f'href="{link}"' in html and "Kompetanseportalen" in html


def test_every_allauth_text_message_has_an_html_sibling():
    root = Path(allauth.__file__).parent / "templates"
    texts = sorted(path for app in ("account", "mfa")  # the allauth apps installed
                   for path in root.glob(f"{app}/email/*_message.txt")
                   if not path.name.startswith("base_"))
    assert texts
    for text in texts:
        name = str(text.relative_to(root)).removesuffix(".txt") + ".html"
        template = get_template(name)
        assert Path(template.origin.name).is_relative_to(settings.BASE_DIR / "templates"), name
