"""The adviser's everyday work: the business's decline reason reaches the adviser, cohort
counts never look contradictory, and bulk approve/dismiss from the queue."""

from __future__ import annotations

import pytest
from django.urls import reverse

from matching import services
from matching.models import Match, MatchEvent
from tests import factories
from tests.matching.test_pages_business_provider import consent_cohort  # noqa: F401

pytestmark = pytest.mark.django_db


def _declined(note: str = "") -> Match:
    match = factories.MatchFactory(status=Match.Status.PROPOSED)
    return services.match_decline(match_id=match.pk, reason="timing", note=note,
                                  by=factories.adviser())


def test_decline_reason_is_shown_on_the_match_and_in_the_queue(adviser_client):
    match = _declined(note="Vi har høysesong til mai")
    detail = adviser_client.get(reverse("matching:match_detail", args=[match.pk]))
    html = detail.content.decode()
    assert 'id="decline-reason"' in html
    assert "Tidspunktet passer ikke for oss – Vi har høysesong til mai" in html
    assert "timing:" not in html
    queue = adviser_client.get(reverse("matching:adviser_home"), {"status": "declined"})
    assert "Tidspunktet passer ikke for oss" in queue.content.decode()


def test_match_page_says_optional_once(adviser_client):
    match = factories.MatchFactory()
    html = adviser_client.get(reverse("matching:match_detail", args=[match.pk])).content.decode()
    assert "(valgfritt) (valgfritt)" not in html
    assert "(valgfritt)</span> <span" not in html


def test_cohort_page_and_provider_page_state_both_counts(adviser_client, consent_cohort,  # noqa: F811
                                                         provider):
    from django.test import Client

    from matching.models import CohortRequest

    provider_client = Client()
    provider_client.force_login(factories.member_of(provider))

    expected = "15 deltakere fra 4 bedrifter, hvorav 7 fra 2 bedrifter som kan vises"
    html = adviser_client.get(reverse("matching:cohort_detail", args=[consent_cohort.pk]))
    assert expected in html.content.decode()
    request = CohortRequest.objects.create(cohort=consent_cohort, provider=provider)
    html = provider_client.get(reverse("matching:provider_request", args=[request.pk]))
    assert expected in html.content.decode()


def test_bulk_approve_changes_only_legal_matches_and_writes_history(adviser_client,
                                                                   adviser_user):
    suggested = factories.MatchFactory.create_batch(2)
    declined = _declined()
    back = reverse("matching:adviser_home") + "?min_score=10"
    response = adviser_client.post(reverse("matching:match_bulk"), {
        "action": "approve", "note": "Passer godt",
        "match": [m.pk for m in suggested] + [declined.pk], "next": back})
    assert response.status_code == 302 and response.url == back
    for match in suggested:
        match.refresh_from_db()
        assert match.status == Match.Status.APPROVED
        event = MatchEvent.objects.get(match=match)
        assert (event.from_status, event.to_status, event.actor, event.note) == (
            "suggested", "approved", adviser_user, "Passer godt")
    declined.refresh_from_db()
    assert declined.status == Match.Status.DECLINED
    assert not MatchEvent.objects.filter(match=declined, to_status="approved").exists()


def test_bulk_dismiss_needs_one_reason_for_all(adviser_client):
    matches = factories.MatchFactory.create_batch(3)
    ids = [m.pk for m in matches]
    adviser_client.post(reverse("matching:match_bulk"), {"action": "dismiss", "match": ids})
    assert set(Match.objects.filter(pk__in=ids).values_list("status", flat=True)) == {
        "suggested"}
    adviser_client.post(reverse("matching:match_bulk"), {
        "action": "dismiss", "match": ids, "note": "Feil nivå for alle"})
    assert set(Match.objects.filter(pk__in=ids).values_list("status", flat=True)) == {
        "dismissed"}
    assert MatchEvent.objects.filter(match_id__in=ids, note="Feil nivå for alle").count() == 3


def test_bulk_rejects_an_unknown_action_and_foreign_redirects(adviser_client):
    match = factories.MatchFactory()
    response = adviser_client.post(reverse("matching:match_bulk"), {
        "action": "enroll", "match": [match.pk], "next": "https://evil.example/"})
    assert response.status_code == 302 and response.url == reverse("matching:adviser_home")
    match.refresh_from_db()
    assert match.status == Match.Status.SUGGESTED


def test_only_advisers_use_bulk_actions(business_client, provider_client):
    match = factories.MatchFactory()
    for client in (business_client, provider_client):
        response = client.post(reverse("matching:match_bulk"), {
            "action": "approve", "match": [match.pk]})
        assert response.status_code in (403, 404)
    match.refresh_from_db()
    assert match.status == Match.Status.SUGGESTED


def test_queue_has_a_labelled_checkbox_per_match(adviser_client):
    match = factories.MatchFactory()
    html = adviser_client.get(reverse("matching:adviser_home")).content.decode()
    assert f'id="select-{match.pk}"' in html and f'for="select-{match.pk}"' in html
    assert 'id="bulk-form"' in html
