"""The public offer page's text and facts, and a catalogue row's facts, are written in Python
(`offers.templatetags.public_offer`): byte for byte the markup the templates wrote, with every
value escaped, in each language."""

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.urls import reverse

from portal.models import CompetenceArea
from tests import factories

pytestmark = pytest.mark.django_db

START, END, DEADLINE = dt.date(2031, 1, 30), dt.date(2031, 2, 1), dt.date(2031, 1, 15)


def _body(html: str) -> str:
    """From the link back to the catalogue to the end of the page's content."""
    return html[html.index('<p><a href="/offers/">'):html.index("</main>")]


@pytest.fixture
def rich():
    """Everything filled in, with markup in the text, an area with no nynorsk or English label
    (the bokmål one shows), and numbers that ask for grouping."""
    provider = factories.ProviderFactory(name="Kurs & Co <AS>", contact_email="kurs@example.no")
    area = CompetenceArea.objects.get(code="bygg")
    area.label_nn = area.label_en = ""
    area.save()
    return factories.OfferFactory(
        provider=provider, title='Sveis & <b>stål</b> "TIG"',
        areas=["bygg.murer", "bygg", "helse"],
        description="Linje én\nlinje to & <script>x</script>\n\nNytt avsnitt.",
        level="higher_education", credits=Decimal("7.5"), hours=1200, start_date=START,
        end_date=END, application_deadline=DEADLINE, min_participants=4,
        max_participants=1500, url="https://ex.no/k?a=1&b=2", on_demand=True,
        price_nok=Decimal("12500.50"), language="en")


@pytest.fixture
def bare():
    """Online, free, by agreement, no description, deadline, minimum, contact or link."""
    provider = factories.ProviderFactory(name="Vinje kurssenter", contact_email="")
    return factories.OfferFactory(
        provider=provider, title="Nettkurs", format="online", municipality=None,
        description="", price_nok=0, min_participants=None, max_participants=12,
        start_date=None, end_date=None, application_deadline=None, url="",
        language="other", credits=Decimal("0"), hours=None, areas=[])


# What templates/offers/detail.html and _offer_facts.html wrote for these offers (an
# empty condition left its indent; the include its file's last line break).
RICH_NN = (
    '<p><a href="/offers/">Tilbake til katalogen</a></p>\n'
    "<h1>Sveis &amp; &lt;b&gt;stål&lt;/b&gt; &quot;TIG&quot;</h1>\n"
    '<p class="lead">Kurs &amp; Co &lt;AS&gt;</p>\n'
    '<div class="offer-description"><p>Linje én<br>linje to &amp; &lt;script&gt;x&lt;/script&gt;'
    "</p>\n\n<p>Nytt avsnitt.</p></div>\n"
    '<dl class="offer-facts">\n'
    "  <dt>Nivå</dt><dd>Universitet eller høgskule, 7,5 studiepoeng, 1200 timar</dd>\n"
    "  <dt>Form</dt><dd>Lokalt i kommunen, Seljord</dd>\n"
    "  <dt>Når</dt><dd>30. januar 2031 – 1. februar 2031 "
    '<span class="badge">Kan køyrast ved nok påmelde</span></dd>\n'
    "  <dt>Pris</dt><dd>12\xa0501 kr</dd>\n"
    "</dl>\n\n"
    '<dl class="offer-facts">\n'
    "  <dt>Fagområde</dt><dd>Bygg og anlegg, Mur og flis, Helse og omsorg</dd>\n"
    "  <dt>Søknadsfrist</dt><dd>15. januar 2031</dd>\n"
    "  <dt>Deltakarar</dt><dd>min. 4 maks. 1500</dd>\n"
    "  <dt>Språk</dt><dd>Engelsk</dd>\n"
    '  <dt>Kontakt</dt><dd><a href="mailto:kurs@example.no">kurs@example.no</a></dd>\n'
    "</dl>\n"
    '<p><a class="button" href="https://ex.no/k?a=1&amp;b=2" rel="noopener external">'
    "Les meir og søk hos tilbydaren</a></p>\n\n\n  ")
RICH_EN_LINES = (
    "  <dt>Level</dt><dd>University or university college, 7.5 credits, 1200 hours</dd>\n",
    "  <dt>Price</dt><dd>12,501 kr</dd>\n",
    "  <dt>Competence areas</dt><dd>Bygg og anlegg, Masonry and tiling, Health and care</dd>\n",
    "  <dt>Application deadline</dt><dd>15 January 2031</dd>\n",
    # A {% translate %} is written as it is, not escaped.
    'rel="noopener external">Read more and apply at the provider\'s site</a></p>',
)
BARE_EN = (
    '<p><a href="/offers/">Back to the catalogue</a></p>\n'
    "<h1>Nettkurs</h1>\n"
    '<p class="lead">Vinje kurssenter</p>\n\n'
    '<dl class="offer-facts">\n'
    "  <dt>Level</dt><dd>Course or certificate</dd>\n"
    "  <dt>Format</dt><dd>Online</dd>\n"
    "  <dt>When</dt><dd>By agreement</dd>\n"
    "  <dt>Price</dt><dd>Free of charge</dd>\n"
    "</dl>\n\n"
    '<dl class="offer-facts">\n'
    "  <dt>Competence areas</dt><dd></dd>\n"
    "  \n"
    "  <dt>Participants</dt><dd> max. 12</dd>\n"
    "  <dt>Language</dt><dd>Other</dd>\n"
    "  \n"
    "</dl>\n\n\n\n  ")


def _page(client, offer, language: str) -> str:
    response = client.get(reverse("offers:detail", args=[offer.pk]),
                          HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 200
    return response.content.decode()


def test_offer_page_writes_the_templates_markup_in_each_language(client, rich, bare):
    assert _body(_page(client, rich, "nn")) == RICH_NN
    english = _page(client, rich, "en")
    for line in RICH_EN_LINES:
        assert line in _body(english)
    assert _body(_page(client, bare, "en")) == BARE_EN
    assert "<dt>Nivå</dt><dd>Kurs eller sertifikat</dd>" in _page(client, bare, "nb")
    assert "<title>Sveis &amp; &lt;b&gt;stål&lt;/b&gt; &quot;TIG&quot; – " in english


def test_catalogue_rows_and_the_offer_page_write_the_same_facts(client, rich, bare):
    facts = re.compile(r'<dl class="offer-facts">\n  <dt>Nivå.*?</dl>\n', re.S)
    catalogue = client.get(reverse("offers:catalogue"), {"sort": "title"},
                           HTTP_ACCEPT_LANGUAGE="nn").content.decode()
    rows = facts.findall(catalogue)
    assert len(rows) == 2
    for offer in (bare, rich):  # by title
        assert facts.search(_page(client, offer, "nn")).group(0) == rows.pop(0)
    assert ('            <dl class="offer-facts">\n  <dt>Nivå</dt><dd>Kurs eller sertifikat</dd>'
            in catalogue)
