import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from offers import services
from offers.models import Offer
from offers.signals import offer_archived, offer_changed, offer_published
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def received():
    """A test receiver on the three domain signals (matching is not involved)."""
    log: list[tuple[str, int]] = []

    def make(name):
        def receiver(sender, offer_id, **kwargs):
            assert sender is Offer
            log.append((name, offer_id))
        return receiver

    receivers = {s: make(n) for s, n in ((offer_published, "published"),
                                         (offer_changed, "changed"),
                                         (offer_archived, "archived"))}
    for signal, receiver in receivers.items():
        signal.connect(receiver, weak=False)
    yield log
    for signal, receiver in receivers.items():
        signal.disconnect(receiver)


def _data(**over):
    start = dt.date.today() + dt.timedelta(days=60)
    data = {"title": "Sveisekurs MIG/MAG", "description": "Grunnkurs i sveising.",
            "level": "course", "hours": 40, "format": "local",
            "municipality": factories.municipality("4026"), "start_date": start,
            "end_date": start + dt.timedelta(days=4),
            "application_deadline": start - dt.timedelta(days=10), "price_nok": 12000,
            "min_participants": 4, "max_participants": 10, "language": "nb"}
    data.update(over)
    return data


def test_provider_lifecycle_create_publish_edit_duplicate_archive_sends_signals(received):
    provider = factories.ProviderFactory()
    offer = services.offer_create(provider=provider, data=_data(),
                                  areas=[factories.area("industri.sveising")])
    assert offer.status == Offer.Status.DRAFT and received == []
    services.offer_publish(offer=offer)
    assert received == [("published", offer.pk)]
    services.offer_update(offer=offer, data={"price_nok": 9000})
    assert received[-1] == ("changed", offer.pk)
    copy = services.offer_duplicate(offer=offer, by=factories.member_of(offer.provider))
    assert copy.status == Offer.Status.DRAFT and copy.external_id == ""
    assert list(copy.areas.values_list("code", flat=True)) == ["industri.sveising"]
    services.offer_archive(offer=offer)
    assert received[-1] == ("archived", offer.pk)
    offer.refresh_from_db()
    assert offer.status == Offer.Status.ARCHIVED and offer.price_nok == 9000
    assert len(received) == 3  # the draft copy sent nothing


@pytest.mark.parametrize("over, field", [
    ({"end_date": dt.date.today()}, "end_date"),
    ({"price_nok": -1}, "price_nok"),
    ({"min_participants": 12, "max_participants": 3}, "max_participants"),
    ({"hours": None}, "hours"),
    ({"level": "higher_education", "hours": None}, "credits"),
    ({"application_deadline": dt.date.today() + dt.timedelta(days=300)}, "application_deadline"),
])
def test_invalid_offer_is_refused_with_field_error(over, field):
    with pytest.raises(ValidationError) as exc:
        services.offer_create(provider=factories.ProviderFactory(), data=_data(**over),
                              areas=[factories.area("industri.sveising")])
    assert field in exc.value.message_dict
    assert not Offer.objects.exists()


def test_offer_needs_at_least_one_area():
    with pytest.raises(ValidationError) as exc:
        services.offer_create(provider=factories.ProviderFactory(), data=_data(), areas=[])
    assert "areas" in exc.value.message_dict


def test_provider_creates_and_publishes_through_the_pages(provider_client, provider, received):
    post = {"title": "Motorsagkurs", "level": "course", "hours": "16", "format": "local",
            "municipality": factories.municipality("4022").pk, "language": "nb",
            "areas": [factories.area("skog.motorsag").pk], "start_date": "2027-05-01",
            "end_date": "2027-05-02", "price_nok": "4500"}
    response = provider_client.post(reverse("offers:create"), post)
    assert response.status_code == 302
    offer = Offer.objects.get(provider=provider)
    assert offer.status == Offer.Status.DRAFT
    page = provider_client.get(reverse("offers:provider_home") + "?status=draft")
    assert f'data-offer-id="{offer.pk}"'.encode() in page.content
    confirm = provider_client.get(reverse("offers:action", args=[offer.pk, "publish"]))
    assert confirm.status_code == 200
    publish_url = reverse("offers:action", args=[offer.pk, "publish"])
    assert provider_client.post(publish_url).status_code == 302
    offer.refresh_from_db()
    assert offer.status == Offer.Status.PUBLISHED and received == [("published", offer.pk)]
    response = provider_client.post(reverse("offers:action", args=[offer.pk, "duplicate"]))
    assert Offer.objects.filter(provider=provider).count() == 2
    provider_client.post(reverse("offers:action", args=[offer.pk, "archive"]))
    offer.refresh_from_db()
    assert offer.status == Offer.Status.ARCHIVED



def test_provider_list_rows_link_to_their_own_offer(provider_client, provider):
    """Each row's links are built from one reversed link per kind: every one must carry the
    row's own id, and the row shows the offer's format and place."""
    draft = factories.OfferFactory(provider=provider, status=Offer.Status.DRAFT,
                                   external_id="K-17")
    published = factories.OfferFactory(provider=provider, format="online", municipality=None)
    html = provider_client.get(reverse("offers:provider_home") + "?status=draft").content.decode()
    row = html.split(f'data-offer-id="{draft.pk}"')[1].split("</tr>")[0]
    for url in (reverse("offers:edit", args=[draft.pk]),
                *(reverse("offers:action", args=[draft.pk, a])
                  for a in ("publish", "duplicate", "archive"))):
        assert f'href="{url}"' in row, url
    assert "K-17" in row and f"{draft.get_format_display()}, Seljord" in row
    html = provider_client.get(reverse("offers:provider_home")).content.decode()
    row = html.split(f'data-offer-id="{published.pk}"')[1].split("</tr>")[0]
    assert f'href="{reverse("offers:detail", args=[published.pk])}"' in row
    assert "publish/" not in row and f"<td>{published.get_format_display()}</td>" in row
    assert reverse("offers:action", args=[published.pk, "archive"]) in row
    archived = factories.OfferFactory(provider=provider, status=Offer.Status.ARCHIVED,
                                      title="Gammelt <kurs>", start_date=None)
    html = provider_client.get(reverse("offers:provider_home") + "?status=archived").content
    row = html.decode().split(f'data-offer-id="{archived.pk}"')[1].split("</tr>")[0]
    assert "Gammelt &lt;kurs&gt;" in row and "<td>–</td>" in row
    assert reverse("offers:action", args=[archived.pk, "publish"]) in row
    assert reverse("offers:action", args=[archived.pk, "archive"]) not in row

def test_form_shows_field_error_for_end_before_start(provider_client):
    post = {"title": "X", "level": "course", "hours": "16", "format": "online", "language": "nb",
            "areas": [factories.area("hms").pk], "start_date": "2027-05-03",
            "end_date": "2027-05-01"}
    response = provider_client.post(reverse("offers:create"), post)
    assert response.status_code == 200
    assert "end_date" in response.context["form"].errors
    assert b'aria-describedby="id_end_date_error"' in response.content
    assert not Offer.objects.exists()


def _provider_urls(pk):
    return [reverse("offers:edit", args=[pk])] + [
        reverse("offers:action", args=[pk, a]) for a in ("publish", "archive", "duplicate",
                                                         "unpublish")
    ]


def test_providers_cannot_touch_each_others_offers(provider_client):
    other = factories.OfferFactory(status=Offer.Status.DRAFT)
    for url in _provider_urls(other.pk):
        assert provider_client.get(url).status_code == 404, url
        assert provider_client.post(url, {"title": "hacked"}).status_code == 404, url
    other.refresh_from_db()
    assert other.status == Offer.Status.DRAFT and other.title != "hacked"
    assert Offer.objects.count() == 1
    home = provider_client.get(reverse("offers:provider_home") + "?status=draft")
    assert f'data-offer-id="{other.pk}"'.encode() not in home.content


def test_business_and_anonymous_cannot_reach_provider_pages(client, business_client):
    offer = factories.OfferFactory(status=Offer.Status.DRAFT)
    urls = _provider_urls(offer.pk) + [
        reverse("offers:provider_home"), reverse("offers:create"), reverse("offers:import"),
        reverse("offers:import_template", args=["csv"]),
    ]
    for url in urls:
        assert business_client.get(url).status_code == 403, url
    business_client.logout()
    for url in urls + [reverse("offers:import_confirm")]:
        response = client.get(url)
        assert response.status_code in (302, 405), url
        if response.status_code == 302:
            assert reverse("account_login") in response["Location"]


def test_anonymous_sees_published_offer_but_not_draft(client):
    published = factories.OfferFactory()
    draft = factories.OfferFactory(status=Offer.Status.DRAFT, title="Hemmelig utkast")
    archived = factories.OfferFactory(status=Offer.Status.ARCHIVED)
    assert client.get(reverse("offers:detail", args=[published.pk])).status_code == 200
    assert client.get(reverse("offers:detail", args=[draft.pk])).status_code == 404
    assert client.get(reverse("offers:detail", args=[archived.pk])).status_code == 404
    page = client.get(reverse("offers:catalogue"))
    assert page.status_code == 200
    assert b"Hemmelig utkast" not in page.content


def test_business_member_sees_adviser_hint_on_detail(business_client):
    offer = factories.OfferFactory()
    response = business_client.get(reverse("offers:detail", args=[offer.pk]))
    assert b'id="adviser-hint"' in response.content
