import pytest
from django.urls import reverse

from matching.models import CohortRequest, Match
from matching.selectors import cohort_provider_summary
from needs.models import Need, SurveyResponse
from tests.factories import BusinessFactory, CohortFactory, MatchFactory, NeedFactory

pytestmark = pytest.mark.django_db
S = Match.Status


@pytest.fixture
def my_need(business):
    return NeedFactory(organisation=business)


def test_business_sees_only_sent_proposals_of_its_own_needs(business_client, my_need):
    proposed = MatchFactory(need=my_need, status=S.PROPOSED)
    accepted = MatchFactory(need=my_need, status=S.ACCEPTED)
    MatchFactory(need=my_need, status=S.SUGGESTED)
    MatchFactory(need=my_need, status=S.APPROVED)
    MatchFactory(status=S.PROPOSED)  # another business
    response = business_client.get(reverse("matching:business_proposals"))
    assert response.status_code == 200
    assert {m.pk for m in response.context["matches"]} == {proposed.pk, accepted.pk}
    html = response.content.decode()
    assert f'id="proposal-{proposed.pk}"' in html
    assert 'data-action="accept"' in html


def test_business_accepts_a_proposal(business_client, my_need, business_user):
    match = MatchFactory(need=my_need, status=S.PROPOSED)
    response = business_client.post(reverse("matching:proposal_accept", args=[match.pk]))
    assert response.status_code == 302
    match.refresh_from_db()
    assert match.status == S.ACCEPTED
    assert match.events.get().actor == business_user
    my_need.refresh_from_db()
    assert my_need.status == Need.Status.IN_BROKERING


def test_decline_requires_a_reason(business_client, my_need):
    match = MatchFactory(need=my_need, status=S.PROPOSED)
    url = reverse("matching:proposal_decline", args=[match.pk])
    response = business_client.post(url, {"note": "Nei"})
    assert response.status_code == 400
    assert "reason" in response.context["form"].errors
    match.refresh_from_db()
    assert match.status == S.PROPOSED
    response = business_client.post(url, {"reason": "distance", "note": "For langt"})
    assert response.status_code == 302
    match.refresh_from_db()
    assert match.status == S.DECLINED
    assert match.response_reason == "distance: For langt"


def test_decline_page_renders(business_client, my_need):
    match = MatchFactory(need=my_need, status=S.PROPOSED)
    response = business_client.get(reverse("matching:proposal_decline", args=[match.pk]))
    assert response.status_code == 200
    assert 'id="decline-form"' in response.content.decode()


def test_accepting_twice_changes_nothing_more(business_client, my_need):
    match = MatchFactory(need=my_need, status=S.PROPOSED)
    url = reverse("matching:proposal_accept", args=[match.pk])
    business_client.post(url)
    business_client.post(url)
    assert match.events.count() == 1


# --- providers ------------------------------------------------------------------------------


def _member_need(cohort, consent: str | None, name: str, participants: int) -> Need:
    org = BusinessFactory(name=name, contact_name=f"Kontakt {name}")
    response = None
    if consent is not None:
        response = SurveyResponse.objects.create(organisation=org, consent=consent,
                                                 status=SurveyResponse.Status.SUBMITTED)
    need = NeedFactory(organisation=org, response=response, participants=participants)
    cohort.memberships.create(need=need)
    return need


@pytest.fixture
def consent_cohort():
    cohort = CohortFactory(participants=15, business_count=4)
    _member_need(cohort, SurveyResponse.Consent.NAMED, "Navngitt Skog AS", 4)
    _member_need(cohort, SurveyResponse.Consent.ANONYMOUS, "Anonym Hogst AS", 3)
    _member_need(cohort, SurveyResponse.Consent.STATISTICS, "Statistikk Tre AS", 5)
    _member_need(cohort, None, "Uten Svar AS", 3)
    return cohort


def test_provider_summary_respects_each_consent_level(consent_cohort):
    summary = cohort_provider_summary(consent_cohort)
    assert summary.participants == 7  # statistics-only and unknown consent left out
    assert summary.business_count == 2
    assert [b.name for b in summary.named] == ["Navngitt Skog AS"]
    assert summary.named[0].contact_name == "Kontakt Navngitt Skog AS"
    assert summary.anonymous_businesses == 1


def test_provider_pages_show_names_only_with_named_consent(
    provider_client, provider, consent_cohort
):
    request = CohortRequest.objects.create(cohort=consent_cohort, provider=provider,
                                           message="Kan de halde kurs i Seljord?")
    for url in (reverse("matching:provider_cohorts"),
                reverse("matching:provider_request", args=[request.pk])):
        response = provider_client.get(url)
        assert response.status_code == 200
        html = response.content.decode()
        assert "Navngitt Skog AS" in html
        assert "Kontakt Navngitt Skog AS" in html
        assert "Anonym Hogst AS" not in html and "Kontakt Anonym Hogst AS" not in html
        assert "Statistikk Tre AS" not in html and "Uten Svar AS" not in html
        assert 'data-shown-participants="7"' in html


def test_provider_answers_a_request(provider_client, provider, consent_cohort):
    request = CohortRequest.objects.create(cohort=consent_cohort, provider=provider)
    url = reverse("matching:provider_request", args=[request.pk])
    response = provider_client.post(url, {"response": "Kanskje"})
    assert response.status_code == 400
    assert "status" in response.context["form"].errors
    response = provider_client.post(url, {"status": "interested", "response": "Vi kan i mars"})
    assert response.status_code == 302
    request.refresh_from_db()
    assert (request.status, request.response) == ("interested", "Vi kan i mars")
