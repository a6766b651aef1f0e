"""The barometer as a PDF report: the adviser's exact figures, and the public page's protected
ones, with the same tables, summaries and charts."""

from __future__ import annotations

import io
import re

import pytest
from django.urls import reverse
from django.utils import translation
from pypdf import PdfReader

from tests import factories


def pdf_text(response) -> str:
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF-")
    reader = PdfReader(io.BytesIO(response.content))
    return "\n".join(page.extract_text() for page in reader.pages)


CELL = r"(?:–[123]?|\d+(?:[ \u00a0]\d{3})*(?:,\d+)?(?: %)?)"


def row(text: str, label: str) -> list[str]:
    """The cells of the first table row labelled `label` (a line of only figures after it)."""
    for line in text.splitlines():
        if re.fullmatch(re.escape(label) + f"(?: {CELL})+", line):
            return re.findall(CELL, line[len(label):])
    raise AssertionError(f"no row for {label} in:\n{text}")


def test_the_adviser_gets_the_exact_figures_as_pdf(client, hand_data):
    client.force_login(factories.adviser())
    text = pdf_text(client.get(reverse("matching:barometer_pdf"),
                               {"round": hand_data.r2026.pk}))
    assert "Kompetansebarometer" in text
    assert "2026" in text
    assert "Nøyaktige tall for rådgivere: ikke for publisering" in text  # bokmål by default
    # Seljord: 3 needs, 9 participants, 2 businesses (exact, though fewer than 3 businesses)
    assert row(text, "Seljord")[:3] == ["3", "9", "2"]
    assert "Behov etter kommune" in text  # the table titles and their summaries
    assert "har flest behov" in text


def test_the_public_pdf_is_protected_like_the_page(client, hand_data):
    response = client.get(reverse("barometer:pdf"), {"round": hand_data.r2026.pk})
    text = pdf_text(response)
    assert "Kompetansebarometer" in text
    assert "ikke for publisering" not in text
    # Seljord rests on 2 businesses: withheld (with its footnote mark), as on the page and
    # in the open data.
    assert row(text, "Seljord")[:3] == ["–1", "–1", "–1"]
    assert "skjult: tallet bygger på færre enn 3 bedrifter" in text
    page = client.get(reverse("barometer:public"), {"round": hand_data.r2026.pk})
    seljord = re.search(r'<tr data-code="4022">(.*?)</tr>', page.content.decode(), re.S)
    assert seljord.group(1).count('data-withheld="few"') >= 3
    for name in ("Seljord Skog AS", "Seljord Bygg AS", "Vinje Hotell AS", "Vinje Tre AS"):
        assert name not in text


@pytest.mark.parametrize("language, words", [("nb", "Hele regionen"),
                                             ("nn", "Heile regionen"),
                                             ("en", "Whole region")])
def test_the_pdf_is_in_the_visitors_language(client, hand_data, language, words):
    with translation.override(language):
        url = reverse("barometer:pdf")
    client.cookies["kp_language"] = language
    text = pdf_text(client.get(url, {"round": hand_data.r2026.pk}))
    assert words in text


def test_a_scoped_adviser_pdf_shows_only_their_municipalities(client, hand_data):
    from django.core.management import call_command

    from portal.models import User

    call_command("createadviser", "kommune@seljord.no", "--municipality", "4022",
                 stdout=io.StringIO())
    client.force_login(factories.with_totp(User.objects.get(email="kommune@seljord.no")))
    text = pdf_text(client.get(reverse("matching:barometer_pdf"),
                               {"round": hand_data.r2026.pk}))
    assert "Seljord" in text
    assert "Vinje" not in text


def test_the_pdf_needs_an_adviser_and_valid_filters(client, hand_data):
    response = client.get(reverse("matching:barometer_pdf"))
    assert response.status_code == 302  # to the login
    client.force_login(factories.adviser())
    assert client.get(reverse("matching:barometer_pdf"), {"round": "x"}).status_code == 400
    assert client.get(reverse("barometer:pdf"), {"municipality": "9999"}).status_code == 400


def test_both_pages_link_to_their_pdf(client, hand_data):
    assert reverse("barometer:pdf") in client.get(reverse("barometer:public")).content.decode()
    client.force_login(factories.adviser())
    assert reverse("matching:barometer_pdf") in client.get(
        reverse("matching:barometer")).content.decode()
