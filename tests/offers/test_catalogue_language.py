"""The catalogue's PostgreSQL full-text search understands nynorsk and compounds: the same
normalisation as the matching engine (portal/language), applied before to_tsvector and to the
query words."""

import pytest

from offers.search import offer_search_refresh
from offers.selectors import catalogue_search
from tests import factories

pytestmark = [pytest.mark.django_db, pytest.mark.services]


def offer(title, areas=("industri",), description=""):
    o = factories.OfferFactory(title=title, description=description, areas=list(areas))
    offer_search_refresh(offer_ids=[o.pk])  # the factory bypasses the services
    return o


def titles(q):
    return {o.title for o in catalogue_search({"q": q})}


def test_a_nynorsk_word_form_finds_the_bokmal_title(postgres_only):
    offer("Vedlikehold av vannkraftverk", areas=["energi.kraftverk"])
    offer("Lederutvikling i hjemmetjenesten", areas=["helse"])
    offer("Sveisekurs MIG/MAG")
    assert titles("vedlikehald") == {"Vedlikehold av vannkraftverk"}
    assert titles("vasskraftverk") == {"Vedlikehold av vannkraftverk"}
    assert titles("leiar heimetenesta") == {"Lederutvikling i hjemmetjenesten"}


def test_a_bokmal_word_form_finds_the_nynorsk_title(postgres_only):
    offer("Kurs for sjukepleiarar i heimetenesta", areas=["helse.sykepleie"])
    offer("Tryggleik på byggjeplassen", areas=["hms"])
    offer("Sveisekurs MIG/MAG")
    assert titles("sykepleier") == {"Kurs for sjukepleiarar i heimetenesta"}
    assert titles("hjemmetjenesten") == {"Kurs for sjukepleiarar i heimetenesta"}
    assert titles("sikkerhet byggeplass") == {"Tryggleik på byggjeplassen"}


def test_a_simple_word_finds_the_compound_and_the_compound_the_simple_words(postgres_only):
    offer("Truckførerkurs T1–T4", areas=["transport.truck"])
    offer("Brannvernlederkurs", areas=["hms"])
    offer("Kurs for leder av brannvern", areas=["hms.hms-leder"])
    offer("Sveisekurs MIG/MAG")
    assert titles("truckfører") == {"Truckførerkurs T1–T4"}
    assert titles("leder") == {"Brannvernlederkurs", "Kurs for leder av brannvern"}
    assert titles("brannvernleder") == {"Brannvernlederkurs", "Kurs for leder av brannvern"}
    assert titles("brannvernleiar") == {"Brannvernlederkurs", "Kurs for leder av brannvern"}
