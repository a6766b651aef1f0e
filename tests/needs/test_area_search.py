import pytest
from django.urls import reverse

from needs.selectors import area_search

pytestmark = pytest.mark.django_db


def codes(query, language="nb"):
    return [a.code for a in area_search(query, language)]


def test_synonym_finds_the_chainsaw_course():
    assert codes("motorsag")[0] == "skog.motorsag"


def test_case_and_norwegian_letters_do_not_matter():
    assert "bygg.tomrer" in codes("TØMRER")
    assert "bygg.tomrer" in codes("tomrer")
    assert "helse.helsefagarbeider" in codes("Helsefag")


def test_english_labels_are_searched_too():
    assert "skog.motorsag" in codes("chainsaw", "en")


def test_nonsense_finds_nothing():
    assert codes("xyzzy") == []


def test_endpoint_returns_grouped_options(business_client):
    page = business_client.get(reverse("needs:area_search"), {"area_q": "motorsag"},
                               HTTP_HX_REQUEST="true")
    html = page.content.decode()
    assert page.status_code == 200
    assert "<optgroup" in html and 'data-code="skog.motorsag"' in html
    assert "<html" not in html


def test_endpoint_is_not_for_providers_without_a_role(client, django_user_model):
    from tests.factories import UserFactory

    client.force_login(UserFactory())
    assert client.get(reverse("needs:area_search"), {"area_q": "sag"}).status_code == 404
