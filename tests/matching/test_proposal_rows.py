"""A business's proposal cards are written from plain values: the need's name, the offer's
place and the provider as the models would print them."""

import re

import pytest
from django.urls import reverse

from matching.models import Match
from tests.factories import MatchFactory, NeedFactory, OfferFactory

pytestmark = pytest.mark.django_db


def _card(html: str, pk: int) -> str:
    card = html[html.index(f'id="proposal-{pk}"'):]
    return card[:card.index("</li>")]


def test_card_names_an_untitled_need_by_its_area_and_shows_the_place(business_client, business):
    need = NeedFactory(organisation=business, title="", participants=4)
    offer = OfferFactory(provider__name="Skogkurs & Co")
    match = MatchFactory(need=need, offer=offer, status=Match.Status.PROPOSED)
    card = _card(business_client.get(reverse("matching:business_proposals")).content.decode(),
                 match.pk)
    assert f"<dd>{need.area.label} (4)</dd>" in card
    assert f", {offer.municipality.name}</dd>" in card
    assert "<dd>Skogkurs &amp; Co</dd>" in card
    assert f'href="{reverse("offers:detail", args=[offer.pk])}"' in card


def test_card_of_an_offer_without_a_place_shows_only_its_format(business_client, business):
    offer = OfferFactory(municipality=None, format="online")
    match = MatchFactory(need=NeedFactory(organisation=business, title="Truckførerbevis"),
                         offer=offer, status=Match.Status.ACCEPTED)
    response = business_client.get(reverse("matching:business_proposals"))
    card = _card(response.content.decode(), match.pk)
    assert "<dd>Truckførerbevis</dd>" in card
    need_name, provider, place = re.findall(r"<dd>(.*?)</dd>", card)[:3]
    assert (need_name, provider) == ("Truckførerbevis", offer.provider.name)
    assert "," not in place  # the format alone
    assert [m.pk for m in response.context["matches"]] == [match.pk]


def test_card_words_follow_each_readers_language(business_client, business):
    match = MatchFactory(need=NeedFactory(organisation=business), status=Match.Status.PROPOSED)
    url = reverse("matching:business_proposals")
    nb = business_client.get(url).content.decode()
    business_client.cookies["django_language"] = "en"
    en = business_client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    nb, en = (html[html.index(f'id="proposal-{match.pk}"'):] for html in (nb, en))
    nb, en = (card[:card.index("</details>")] for card in (nb, en))
    assert "Price per participant" in en and "Decline the proposal" in en
    assert "Price per participant" not in nb and "Decline the proposal" not in nb
