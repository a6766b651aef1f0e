"""Abbreviations of working life find their area's offers; dates follow each language."""

from __future__ import annotations

import datetime

import pytest
from django.conf import settings
from django.urls import reverse

from offers.search import abbreviation_areas, offer_search_refresh, search_words
from offers.selectors import catalogue_search
from tests import factories

pytestmark = pytest.mark.django_db


def _published(**fields):
    offer = factories.OfferFactory(**fields)
    offer_search_refresh(offer_ids=[offer.pk])
    return offer


@pytest.fixture
def hygiene_and_welding():
    hygiene = _published(title="Hygienekurs for serveringssteder",
                         description="Internkontroll og allergener.",
                         areas=["reiseliv.matsikkerhet"])
    welding = _published(title="Sveisekurs MIG/MAG",
                         description="Ikke for nybegynnere; materialer og metoder.",
                         areas=["industri.sveising"])
    return hygiene, welding


def test_hyphenated_abbreviations_stay_one_word():
    assert search_words("IK-Mat kurs") == ["ik-mat", "kurs"]


@pytest.mark.parametrize("query", ["IK-Mat", "ik-mat", "IKMAT"])
def test_ik_mat_finds_food_hygiene_and_not_welding(hygiene_and_welding, query):
    hygiene, welding = hygiene_and_welding
    found = set(catalogue_search({"q": query}).values_list("pk", flat=True))
    assert hygiene.pk in found and welding.pk not in found


@pytest.mark.parametrize("word,area", [("hms", "hms"), ("fse", "energi.fse"),
                                       ("adr", "transport.adr"), ("hlr", "helse.forstehjelp"),
                                       ("ysk", "transport.yrkessjafor")])
def test_common_abbreviations_are_area_synonyms(word, area):
    ids = abbreviation_areas([word])[word]
    assert factories.area(area).pk in ids


def test_an_abbreviation_for_a_main_area_includes_its_sub_areas():
    ids = abbreviation_areas(["hms"])["hms"]
    assert factories.area("hms.verneombud").pk in ids


def test_abbreviation_search_on_the_catalogue_page(client, hygiene_and_welding):
    hygiene, welding = hygiene_and_welding
    html = client.get(reverse("offers:catalogue"), {"q": "IK-Mat"}).content.decode()
    assert hygiene.title in html and welding.title not in html


@pytest.mark.parametrize("language,text", [("nb", "11. januar 2027"), ("nn", "11. januar 2027"),
                                           ("en", "11 January 2027")])
def test_offer_dates_follow_the_language(client, language, text):
    offer = _published(start_date=datetime.date(2027, 1, 11), end_date=datetime.date(2027, 1, 11))
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    html = client.get(reverse("offers:detail", kwargs={"pk": offer.pk})).content.decode()
    assert text in html
    assert "11. January" not in html
