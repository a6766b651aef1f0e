"""Who is told: "the advisers" means the advisers whose municipality scope covers the case
(an adviser without a scope hears about everything), and the person who did the thing never
gets a notice about their own action — checked for every sender of notices."""

from __future__ import annotations

import pytest
from django.core import mail

from matching import services as matching_services
from matching.interest import offer_interest_register
from matching.models import CohortNeed, CohortRequest, Match
from needs import services as needs_services
from portal.models import Membership, Notification, Organisation
from portal.notifications import adviser_users
from tests import factories

pytestmark = pytest.mark.django_db

SELJORD, VINJE = "4022", "4036"


@pytest.fixture
def run_on_commit(django_capture_on_commit_callbacks):
    def run(fn, *args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return fn(*args, **kwargs)
    return run


def scoped_adviser(*codes: str):
    user = factories.adviser()
    membership = Membership.objects.get(user=user, organisation__kind=Organisation.Kind.COUNTY)
    membership.municipalities.set([factories.municipality(code) for code in codes])
    return user


@pytest.fixture
def advisers(db):
    """A county adviser (no scope), Seljord's own adviser and Vinje's own adviser."""
    return {"county": factories.adviser(), "seljord": scoped_adviser(SELJORD),
            "vinje": scoped_adviser(VINJE)}


def told(kind: str) -> set[int]:
    return set(Notification.objects.filter(kind=kind).values_list("recipient_id", flat=True))


def business_in(code: str, **kwargs):
    return factories.BusinessFactory(municipality=factories.municipality(code), **kwargs)


def with_adviser_rights(user):
    """Makes a business or provider member an (unscoped) adviser as well: the one person who
    would otherwise be among the recipients of a notice about their own action."""
    county = Organisation.objects.filter(kind=Organisation.Kind.COUNTY).first() or \
        factories.CountyFactory()
    factories.MembershipFactory(user=user, organisation=county)
    return factories.with_totp(user)


# --- scope -------------------------------------------------------------------------------


def test_adviser_users_follows_the_scope(advisers):
    county, seljord, vinje = advisers["county"], advisers["seljord"], advisers["vinje"]
    both = scoped_adviser(SELJORD, VINJE)
    assert set(adviser_users(municipalities=[SELJORD])) == {county, seljord, both}
    # No municipality (a business that never gave one): only the advisers without a scope.
    assert set(adviser_users(municipalities=[])) == {county}
    # Several municipalities (a cohort): everyone whose scope covers one of them, once each.
    many = list(adviser_users(municipalities=[SELJORD, VINJE]))
    assert sorted(u.pk for u in many) == sorted({county.pk, seljord.pk, vinje.pk, both.pk})


def test_a_submitted_need_reaches_the_advisers_of_its_municipality_only(run_on_commit,
                                                                        advisers):
    business = business_in(SELJORD)
    need = factories.NeedFactory(organisation=business, status="draft")
    run_on_commit(needs_services.need_submit, need=need, by=factories.member_of(business))
    assert told("need_submitted") == {advisers["county"].pk, advisers["seljord"].pk}


def test_a_need_created_and_submitted_at_once_is_notified_too(run_on_commit, advisers):
    """The API's `?submit=1` creates a submitted need without passing `need_submit`."""
    business = business_in(VINJE)
    member = factories.member_of(business)
    from tests.needs.test_services import need_data

    run_on_commit(needs_services.need_create, organisation=business, data=need_data(), by=member,
                  submit=True)
    assert told("need_submitted") == {advisers["county"].pk, advisers["vinje"].pk}


def test_a_proposal_answer_reaches_the_advisers_of_the_business(run_on_commit, advisers):
    business = business_in(VINJE)
    member = factories.member_of(business)
    match = factories.MatchFactory(need=factories.NeedFactory(organisation=business),
                                   status=Match.Status.PROPOSED)
    run_on_commit(matching_services.match_decline, match_id=match.pk, reason="timing",
                  by=member)
    assert told("proposal_answered") == {advisers["county"].pk, advisers["vinje"].pk}


def test_a_cohort_answer_reaches_the_advisers_of_any_member_municipality(run_on_commit,
                                                                         advisers):
    cohort = factories.CohortFactory()
    CohortNeed.objects.create(cohort=cohort,
                              need=factories.NeedFactory(organisation=business_in(SELJORD)))
    provider = factories.ProviderFactory()
    request = CohortRequest.objects.create(cohort=cohort, provider=provider)
    run_on_commit(matching_services.cohort_request_respond, request_id=request.pk,
                  status="interested", by=factories.member_of(provider))
    assert told("cohort_request_answered") == {advisers["county"].pk, advisers["seljord"].pk}


def test_interest_in_an_offer_reaches_the_advisers_of_the_business(run_on_commit, advisers):
    business = business_in(SELJORD)
    run_on_commit(offer_interest_register, organisation=business,
                  offer=factories.OfferFactory(), by=factories.member_of(business))
    assert told("interest_registered") == {advisers["county"].pk, advisers["seljord"].pk}


def test_a_meeting_join_request_reaches_the_advisers_of_the_business(run_on_commit, advisers):
    from matching.meetings import services as meeting_services
    from tests.matching.meetings.builders import make_meeting

    setup = make_meeting(invite=True, is_public=True)
    business = business_in(VINJE)
    run_on_commit(meeting_services.meeting_join_request_create, meeting_id=setup.meeting.pk,
                  organisation=business, by=factories.member_of(business))
    assert told("meeting_join_requested") == {advisers["county"].pk, advisers["vinje"].pk}


def test_a_claim_reaches_the_advisers_of_its_municipality(run_on_commit, advisers):
    from portal import services as portal_services

    business = business_in(SELJORD)  # registered once, nobody acts for it now
    mail.outbox.clear()
    run_on_commit(portal_services.organisation_claim, user=factories.UserFactory(),
                  organisation=business)
    expected = {advisers["county"], advisers["seljord"]}
    assert told("claim_submitted") == {user.pk for user in expected}
    addresses = {address for message in mail.outbox for address in message.to}
    assert addresses == {user.email for user in expected}


# --- the actor is never told about their own action --------------------------------------


def test_whoever_submits_or_changes_a_need_is_not_told(run_on_commit, advisers):
    business = business_in(SELJORD)
    member = with_adviser_rights(factories.member_of(business))
    need = factories.NeedFactory(organisation=business, status="draft")
    run_on_commit(needs_services.need_submit, need=need, by=member)
    run_on_commit(needs_services.need_update, need=need, data={"participants": 2}, by=member)
    assert Notification.objects.filter(kind="need_submitted").count() == 4  # 2 advisers × 2
    assert not Notification.objects.filter(recipient=member).exists()


def test_whoever_submits_the_survey_is_not_told_about_its_needs(run_on_commit, advisers):
    from needs.models import SurveyResponse

    business = business_in(SELJORD)
    member = with_adviser_rights(factories.member_of(business))
    response = SurveyResponse.objects.create(
        organisation=business, round=factories.SurveyRoundFactory(), overall_need="large",
        consent=SurveyResponse.Consent.NAMED)
    factories.NeedFactory(organisation=business, response=response, status="draft")
    run_on_commit(needs_services.survey_response_submit, response=response, by=member)
    assert told("need_submitted") == {advisers["county"].pk, advisers["seljord"].pk}


def test_whoever_answers_a_proposal_is_not_told(run_on_commit, advisers):
    business = business_in(SELJORD)
    member = with_adviser_rights(factories.member_of(business))
    match = factories.MatchFactory(need=factories.NeedFactory(organisation=business),
                                   status=Match.Status.PROPOSED)
    run_on_commit(matching_services.match_accept, match_id=match.pk, by=member)
    assert told("proposal_answered") == {advisers["county"].pk, advisers["seljord"].pk}


def test_whoever_answers_a_cohort_request_is_not_told(run_on_commit, advisers):
    provider = factories.ProviderFactory()
    member = with_adviser_rights(factories.member_of(provider))
    request = CohortRequest.objects.create(cohort=factories.CohortFactory(), provider=provider)
    run_on_commit(matching_services.cohort_request_respond, request_id=request.pk,
                  status="declined", by=member)
    assert told("cohort_request_answered") == {advisers["county"].pk}


def test_whoever_enrols_a_business_is_not_told_that_its_need_is_covered(run_on_commit):
    business = business_in(SELJORD)
    other_member = factories.member_of(business)
    acting = with_adviser_rights(factories.member_of(business))
    match = factories.MatchFactory(need=factories.NeedFactory(organisation=business,
                                                              status="in_brokering"),
                                   status=Match.Status.ACCEPTED)
    run_on_commit(matching_services.match_enroll, match_id=match.pk, by=acting)
    assert told("need_covered") == {other_member.pk}


def test_whoever_registers_interest_is_not_told(run_on_commit, advisers):
    business = business_in(SELJORD)
    member = with_adviser_rights(factories.member_of(business))
    run_on_commit(offer_interest_register, organisation=business,
                  offer=factories.OfferFactory(), by=member)
    assert told("interest_registered") == {advisers["county"].pk, advisers["seljord"].pk}


def test_whoever_asks_to_join_a_meeting_is_not_told(run_on_commit, advisers):
    from matching.meetings import services as meeting_services
    from tests.matching.meetings.builders import make_meeting

    setup = make_meeting(invite=True, is_public=True)
    business = business_in(VINJE)
    member = with_adviser_rights(factories.member_of(business))
    run_on_commit(meeting_services.meeting_join_request_create, meeting_id=setup.meeting.pk,
                  organisation=business, by=member)
    assert told("meeting_join_requested") == {advisers["county"].pk, advisers["vinje"].pk}


def test_whoever_asks_to_join_an_organisation_is_not_told(run_on_commit):
    from portal import services as portal_services

    business = business_in(SELJORD)
    admin = factories.member_of(business)
    newcomer = factories.UserFactory()
    run_on_commit(portal_services.join_request_create, user=newcomer, organisation=business)
    assert told("join_requested") == {admin.pk}


def test_whoever_claims_an_organisation_is_not_told_about_it(run_on_commit, advisers):
    from portal import services as portal_services

    claimant = with_adviser_rights(factories.UserFactory())
    mail.outbox.clear()
    organisation = run_on_commit(
        portal_services.organisation_register, user=claimant, orgnr="974760673",
        kind="business", name="Seljord Sag AS", municipality=factories.municipality(SELJORD))
    assert organisation.claim == Organisation.Claim.PENDING
    assert told("claim_submitted") == {advisers["county"].pk, advisers["seljord"].pk}
    addresses = {address for message in mail.outbox for address in message.to}
    assert claimant.email not in addresses and advisers["county"].email in addresses
