"""The offer form as providers met it: every error in the first round, hours required only
where the rule says so (and said once), areas picked from grouped checkboxes near the top,
publishing never ticked by default."""

from __future__ import annotations

import pytest
from django.urls import reverse

from offers.models import Offer
from tests import factories

pytestmark = pytest.mark.django_db


def test_cross_field_errors_show_with_field_errors_in_the_first_round(provider_client):
    post = {"title": "", "level": "course", "format": "online", "language": "nb",
            "areas": [factories.area("hms").pk], "start_date": "2027-05-03",
            "end_date": "2027-05-01", "min_participants": "12", "max_participants": "6",
            "price_nok": "abc"}
    response = provider_client.post(reverse("offers:create"), post)
    errors = response.context["form"].errors
    assert {"title", "end_date", "max_participants", "hours", "price_nok"} <= set(errors)
    html = response.content.decode()
    assert 'id="error-summary"' in html and 'href="#id_end_date"' in html
    assert not Offer.objects.exists()


def test_hours_and_credits_are_not_labelled_optional(provider_client):
    html = provider_client.get(reverse("offers:create")).content.decode()
    hours_label = html.split('for="id_hours"')[1].split("</label>")[0]
    assert "valgfritt" not in hours_label
    assert "Påkrevd for kurs eller sertifikat" in html or "Required for a course" in html


def test_areas_are_grouped_checkboxes_right_after_the_description(provider_client):
    html = provider_client.get(reverse("offers:create")).content.decode()
    assert "Ctrl" not in html
    motorsag = factories.area("skog.motorsag")
    assert f'id="id_areas_{motorsag.pk}"' in html and f'for="id_areas_{motorsag.pk}"' in html
    assert html.index('id="id_description"') < html.index('id="id_areas_group"') < html.index(
        'id="id_level"')
    assert "data-area-search" in html


def test_an_offer_saves_with_areas_from_the_picker(provider_client, provider):
    post = {"title": "Motorsag grunnkurs", "level": "course", "hours": "16", "format": "local",
            "municipality": factories.municipality("4022").pk, "language": "nb",
            "areas": [factories.area("skog.motorsag").pk, factories.area("hms").pk]}
    response = provider_client.post(reverse("offers:create"), post)
    assert response.status_code == 302
    offer = Offer.objects.get(provider=provider)
    assert set(offer.areas.values_list("code", flat=True)) == {"skog.motorsag", "hms"}
    edit = provider_client.get(reverse("offers:edit", args=[offer.pk])).content.decode()
    box = edit.split(f'id="id_areas_{factories.area("hms").pk}"')[0].rsplit("<input", 1)[1]
    assert "checked" in edit.split(f'id="id_areas_{factories.area("hms").pk}"')[1].split(">")[0] \
        or "checked" in box


def test_import_page_ticks_nothing_by_default(provider_client):
    html = provider_client.get(reverse("offers:import")).content.decode()
    publish = html.split('name="publish"')[1].split(">")[0]
    assert "checked" not in publish


def test_offer_table_action_cells_are_plain_table_cells(provider_client, provider):
    factories.OfferFactory(provider=provider)
    html = provider_client.get(reverse("offers:provider_home")).content.decode()
    assert '<td class="row-actions">' in html
    assert '<td class="actions">' not in html  # a flex box in a cell broke the row's alignment
