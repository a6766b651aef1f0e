"""The cohort page keeps its fitting offers and its providers' checkboxes per process, under
the catalogue's version: a change to an offer or an organisation must show at once."""

import re

import pytest
from django.urls import reverse

from matching.models import Cohort
from offers.models import Offer
from portal.models import CompetenceArea
from tests.factories import CohortFactory, OfferFactory, ProviderFactory

pytestmark = pytest.mark.django_db


def _page(client, cohort):
    return client.get(reverse("matching:cohort_detail", args=[cohort.pk]))


def test_new_and_closed_offers_show_at_once(adviser_client):
    cohort = CohortFactory()
    first = OfferFactory(title="Første motorsagkurs")
    assert "Første motorsagkurs" in _page(adviser_client, cohort).content.decode()
    OfferFactory(title="Andre motorsagkurs")
    html = _page(adviser_client, cohort).content.decode()
    assert "Første motorsagkurs" in html and "Andre motorsagkurs" in html
    first.status = Offer.Status.DRAFT
    first.save()
    html = _page(adviser_client, cohort).content.decode()
    assert "Første motorsagkurs" not in html and "Andre motorsagkurs" in html


def test_fitting_offers_follow_the_cohorts_area(adviser_client):
    cohort = CohortFactory()
    OfferFactory(title="Motorsagkurs i Seljord")
    assert "Motorsagkurs i Seljord" in _page(adviser_client, cohort).content.decode()
    other = CompetenceArea.objects.filter(parent__isnull=True).exclude(
        code=cohort.area.top_code).first()
    Cohort.objects.filter(pk=cohort.pk).update(area=other)
    assert "Motorsagkurs i Seljord" not in _page(adviser_client, cohort).content.decode()


def test_provider_checkboxes_show_a_new_or_renamed_provider_at_once(adviser_client):
    cohort = CohortFactory()
    offer = OfferFactory(provider=ProviderFactory(name="Kurs AS"))
    html = _page(adviser_client, cohort).content.decode()
    # Ticked: it has a fitting offer.
    assert re.search(rf'value="{offer.provider_id}"[^>]* checked', html)
    assert "Kurs AS" in html
    later = ProviderFactory(name="Nye Kurs AS")
    provider = offer.provider
    provider.name = "Omdøpt Kurs AS"
    provider.save()
    html = _page(adviser_client, cohort).content.decode()
    assert "Omdøpt Kurs AS" in html and "Nye Kurs AS" in html
    assert re.search(rf'value="{later.pk}"[^>]*>', html)
    assert not re.search(rf'value="{later.pk}"[^>]* checked', html)


def test_status_form_shows_the_saved_note(adviser_client):
    cohort = CohortFactory()
    adviser_client.post(reverse("matching:cohort_detail", args=[cohort.pk]),
                        {"status": "reviewed", "adviser_note": "Ring Kurs AS"})
    html = _page(adviser_client, cohort).content.decode()
    assert "Ring Kurs AS</textarea>" in html
    adviser_client.post(reverse("matching:cohort_detail", args=[cohort.pk]),
                        {"status": "reviewed", "adviser_note": "Avtalt møte"})
    html = _page(adviser_client, cohort).content.decode()
    assert "Avtalt møte</textarea>" in html and "Ring Kurs AS" not in html


def test_member_rows_show_the_place_and_a_renamed_area_at_once(adviser_client):
    from tests.factories import NeedFactory

    cohort = CohortFactory()
    need = NeedFactory(title="")
    cohort.memberships.create(need=need)
    html = _page(adviser_client, cohort).content.decode()
    row = html[html.index(f'<tr data-need="{need.pk}">'):]
    row = row[:row.index("</tr>")]
    assert f"<td>{need.organisation.municipality.name}</td>" in row
    assert f"<td>{need.area.label_nb} ({need.participants})</td>" in row
    need.area.label_nb = "Nytt navn på området"
    need.area.save()
    html = _page(adviser_client, cohort).content.decode()
    row = html[html.index(f'<tr data-need="{need.pk}">'):]
    assert f"<td>Nytt navn på området ({need.participants})</td>" in row[:row.index("</tr>")]


def test_fitting_offers_are_written_in_each_readers_language(adviser_client):
    cohort = CohortFactory()
    OfferFactory(title="Motorsag på bestilling", on_demand=True)
    nb = _page(adviser_client, cohort).content.decode()
    adviser_client.cookies["django_language"] = "en"
    en = adviser_client.get(reverse("matching:cohort_detail", args=[cohort.pk]),
                            HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Motorsag på bestilling" in nb and "Motorsag på bestilling" in en
    assert "(on demand, min. 6)" in en and "(on demand" not in nb


def _mixed_cohort():
    """Four needs: named (two of one business), anonymous, statistics, no survey answer."""
    from needs.models import SurveyResponse
    from tests.factories import BusinessFactory, NeedFactory, municipality

    cohort = CohortFactory(participants=20, business_count=4)
    named = BusinessFactory(municipality=municipality("4022"))
    hidden = BusinessFactory(municipality=municipality("4036"))
    for business, consent, sizes in ((named, "named", (3, 2)), (hidden, "anonymous", (4,)),
                                     (BusinessFactory(), "statistics", (5,))):
        response = SurveyResponse.objects.create(
            organisation=business, consent=consent, status=SurveyResponse.Status.SUBMITTED)
        for size in sizes:
            cohort.memberships.create(need=NeedFactory(
                organisation=business, response=response, participants=size))
    cohort.memberships.create(need=NeedFactory(response=None, participants=6))
    return cohort


def test_counts_read_from_the_members_match_the_providers_summary(adviser_client):
    from matching.selectors import cohort_provider_summary

    cohort = _mixed_cohort()
    response = _page(adviser_client, cohort)
    shown, full = response.context["summary"], cohort_provider_summary(cohort)
    assert (shown.participants, shown.business_count, shown.need_count,
            shown.anonymous_businesses) == (9, 2, 3, 1)
    assert (shown.participants, shown.business_count, shown.total_participants,
            shown.total_businesses) == (full.participants, full.business_count,
                                        full.total_participants, full.total_businesses)
    assert 'data-participants="20" data-shown-participants="9"' in response.content.decode()


def test_a_scoped_adviser_sees_the_whole_cohorts_counts(client):
    from tests.factories import scoped_adviser

    cohort = _mixed_cohort()
    client.force_login(scoped_adviser("4022"))
    response = _page(client, cohort)
    assert response.status_code == 200
    summary = response.context["summary"]
    assert (summary.participants, summary.business_count) == (9, 2)  # not only 4022's
    assert len(response.context["members"]) < 5
