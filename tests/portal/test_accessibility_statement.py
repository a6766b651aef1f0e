"""The accessibility statement: a page in nb/nn/en, linked from every page's footer."""

import pytest
from django.conf import settings
from django.urls import reverse

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("language,heading,standard", [
    ("nb", "Tilgjengelighetserklæring", "WCAG) 2.1 på nivå AA"),
    ("nn", "Tilgjengeerklæring", "WCAG) 2.1 på nivå AA"),
    ("en", "Accessibility statement", "WCAG) 2.1 at level AA"),
])
def test_statement_names_standard_testing_deviations_and_contact(client, language, heading,
                                                                 standard):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    html = client.get(reverse("portal:accessibility")).content.decode()
    assert f"<h1>{heading}</h1>" in html and standard in html
    assert "axe-core" in html
    assert reverse("api-docs") in html and "Swagger UI" in html  # the known deviation
    assert f"mailto:{settings.ACCESSIBILITY_CONTACT_EMAIL}" in html
    assert "uutilsynet.no" in html


@pytest.mark.parametrize("url_name", ["portal:home", "offers:catalogue", "account_login"])
def test_every_footer_links_the_statement(client, url_name):
    html = client.get(reverse(url_name)).content.decode()
    assert f'href="{reverse("portal:accessibility")}"' in html
