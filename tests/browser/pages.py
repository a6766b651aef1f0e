"""Every page of the portal, in one list, for the accessibility and phone checks.

Each entry names the role that opens it, the URL name, and a builder that creates the data the
page needs (via `tests.factories`) and returns the URL kwargs. Add new pages here when they land.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from tests import factories

ANONYMOUS = "anonymous"
BUSINESS = "business"
PROVIDER = "provider"
ADVISER = "adviser"
NEWCOMER = "newcomer"  # logged in, not yet a member of any organisation


@dataclass
class Actor:
    """The logged-in person (if any) and their organisation, made fresh for each test."""

    role: str
    user: Any = None
    organisation: Any = None


def make_actor(role: str) -> Actor:
    if role == ANONYMOUS:
        return Actor(role)
    if role == BUSINESS:
        org = factories.BusinessFactory()
        return Actor(role, factories.member_of(org), org)
    if role == PROVIDER:
        org = factories.ProviderFactory()
        return Actor(role, factories.member_of(org), org)
    if role == ADVISER:
        return Actor(role, factories.adviser())
    if role == NEWCOMER:
        return Actor(role, factories.UserFactory())
    raise ValueError(role)


def no_kwargs(actor: Actor) -> dict:
    return {}


@dataclass(frozen=True)
class Page:
    id: str
    role: str
    url_name: str
    build: Callable[[Actor], dict] = no_kwargs
    query: str = ""
    # Third-party UI we do not write (Swagger UI): checked for CDN requests and console errors only.
    third_party: bool = False
    # The helper whose templates will put this page on base.html. Until the page does, its checks
    # are expected failures (xfail) that name that helper; once it does, they run for real.
    awaiting: str = ""
    marks: tuple = field(default=())

    def url(self, actor: Actor) -> str:
        from django.urls import reverse

        return reverse(self.url_name, kwargs=self.build(actor) or None) + self.query


# --- builders: create what a page needs and return its URL kwargs ------------------------


def _open_round():
    from needs.selectors import round_current

    return round_current() or factories.SurveyRoundFactory()


def own_need(actor: Actor, **fields) -> dict:
    return {"pk": factories.NeedFactory(organisation=actor.organisation, **fields).pk}


def own_draft_need(actor: Actor) -> dict:
    from needs.models import Need

    return own_need(actor, status=Need.Status.DRAFT)


def survey_step(step: int) -> Callable[[Actor], dict]:
    def build(actor: Actor) -> dict:
        from needs import services

        response = services.survey_response_start(
            organisation=actor.organisation, round=_open_round(), by=actor.user)
        return {"rid": response.pk, "step": step}

    return build


def survey_response(actor: Actor) -> dict:
    return {"rid": survey_step(1)(actor)["rid"]}


def survey_round(actor: Actor) -> dict:
    return {"pk": factories.SurveyRoundFactory().pk}


def own_organisation(actor: Actor) -> dict:
    return {"pk": actor.organisation.pk}


def with_open_round(actor: Actor) -> dict:
    _open_round()
    return {}


def with_needs(actor: Actor) -> dict:
    factories.NeedFactory.create_batch(3)
    return {}


def published_offer(actor: Actor) -> dict:
    return {"pk": factories.OfferFactory().pk}


def with_offers(actor: Actor) -> dict:
    from offers.search import offer_search_refresh

    offers = [*factories.OfferFactory.create_batch(3),
              factories.OfferFactory(title="Sveisekurs", areas=["industri.sveising"])]
    offer_search_refresh(offer_ids=[offer.pk for offer in offers])
    return {}


def own_offer(actor: Actor) -> dict:
    return {"pk": factories.OfferFactory(provider=actor.organisation).pk}


def with_own_offer(actor: Actor) -> dict:
    own_offer(actor)
    return {}


def a_match(actor: Actor) -> dict:
    return {"pk": factories.MatchFactory().pk}


def with_matches(actor: Actor) -> dict:
    factories.MatchFactory.create_batch(2)
    factories.CohortFactory()
    return {}


def a_webhook_endpoint(actor: Actor) -> dict:
    """An endpoint of the actor's organisation with one failed, logged delivery."""
    from django.utils import timezone

    from portal.models import WebhookAttempt, WebhookDelivery, WebhookEndpoint, WebhookMessage

    endpoint = WebhookEndpoint.objects.create(
        organisation=actor.organisation or actor.user.memberships.first().organisation,
        url="https://mottak.example.no/hooks",
        events=["need.submitted"], secret="whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw")
    message = WebhookMessage.objects.create(msg_id="msg_test", event_type="need.submitted",
                                            payload={"type": "need.submitted", "data": {}})
    delivery = WebhookDelivery.objects.create(message=message, endpoint=endpoint, failures=1,
                                              next_attempt_at=timezone.now())
    WebhookAttempt.objects.create(delivery=delivery, attempted_at=timezone.now(),
                                  status_code=500, duration_ms=42, response_excerpt="Feil")
    return {"pk": endpoint.pk}


def with_webhook_endpoint(actor: Actor) -> dict:
    a_webhook_endpoint(actor)
    return {}


def a_cohort(actor: Actor) -> dict:
    return {"pk": factories.CohortFactory().pk}


def proposed_match_for_business(actor: Actor) -> dict:
    from matching.models import Match

    need = factories.NeedFactory(organisation=actor.organisation)
    factories.MatchFactory(need=need, status=Match.Status.PROPOSED)
    return {}


def proposal_for_business(actor: Actor) -> dict:
    from matching.models import Match

    need = factories.NeedFactory(organisation=actor.organisation)
    return {"pk": factories.MatchFactory(need=need, status=Match.Status.PROPOSED).pk}


def survey_need(actor: Actor) -> dict:
    rid = survey_response(actor)["rid"]
    from needs.models import SurveyResponse

    response = SurveyResponse.objects.get(pk=rid)
    need = factories.NeedFactory(organisation=actor.organisation, response=response,
                                 status="draft")
    return {"rid": rid, "pk": need.pk}


def offer_to_archive(actor: Actor) -> dict:
    return {**own_offer(actor), "action": "archive"}


def cohort_request_for_provider(actor: Actor) -> dict:
    from matching.models import CohortRequest

    request = CohortRequest.objects.create(cohort=factories.CohortFactory(),
                                           provider=actor.organisation)
    return {"pk": request.pk}


def with_cohort_request(actor: Actor) -> dict:
    cohort_request_for_provider(actor)
    return {}


def pending_claim(actor: Actor) -> dict:
    from portal.models import Organisation

    org = factories.BusinessFactory(claim=Organisation.Claim.PENDING)
    factories.member_of(org)
    return {}


def a_finished_job(actor: Actor) -> dict:
    from portal.jobs import job_create, job_finish, job_start

    job = job_create(kind="rematch", by=actor.user)
    job_start(job_id=job.pk, total=3)
    job_finish(job_id=job.pk, summary={"needs": 3, "matches": 5, "cohorts": {"cohorts": 1}})
    return {"pk": job.pk}


def a_running_job(actor: Actor) -> dict:
    from portal.jobs import job_advance, job_create, job_start

    job = job_create(kind="rematch", by=actor.user)
    job_start(job_id=job.pk, total=10)
    job_advance(job_id=job.pk, steps=4)
    return {"pk": job.pk}


def with_demand(actor: Actor) -> dict:
    offer = factories.OfferFactory(provider=actor.organisation)
    factories.MatchFactory(offer=offer)
    factories.CohortFactory()
    return {}


def with_notifications(actor: Actor) -> dict:
    from portal.notifications import notification_send

    notification_send(recipient=actor.user, kind="need_covered", params={"need": "Motorsag"},
                      link="/")
    return {}


def with_barometer_data(actor: Actor) -> dict:
    """Two rounds of needs in three municipalities: enough for published and withheld cells."""
    import datetime as dt

    today = dt.date.today()
    earlier = factories.SurveyRoundFactory(year=2025, opens_on=today - dt.timedelta(days=400),
                                           closes_on=today - dt.timedelta(days=300))
    current = _open_round()
    for n, code in enumerate(["4022"] * 4 + ["4036"] * 3 + ["4026"]):
        org = factories.BusinessFactory(municipality=factories.municipality(code))
        for survey_round in (earlier, current):
            factories.NeedFactory(organisation=org, round=survey_round,
                                  area=factories.area(["skog", "bygg", "helse"][n % 3]))
    return {}


PAGES: list[Page] = [
    Page("home", ANONYMOUS, "portal:home"),
    Page("accessibility-statement", ANONYMOUS, "portal:accessibility"),
    Page("notifications", ADVISER, "portal:notifications", with_notifications),
    Page("codes", ANONYMOUS, "portal:codes"),
    Page("job-done", ADVISER, "portal:job", a_finished_job),
    Page("job-running", ADVISER, "portal:job", a_running_job),
    Page("offer-interest", BUSINESS, "matching:offer_interest", published_offer),
    Page("provider-demand", PROVIDER, "matching:provider_demand", with_demand),
    Page("login", ANONYMOUS, "account_login", awaiting="accounts"),
    Page("signup", ANONYMOUS, "account_signup", awaiting="accounts"),
    Page("password-reset", ANONYMOUS, "account_reset_password", awaiting="accounts"),
    Page("dashboard-business", BUSINESS, "portal:dashboard"),
    Page("dashboard-provider", PROVIDER, "portal:dashboard"),
    Page("dashboard-adviser", ADVISER, "portal:dashboard"),
    Page("organisation-start", NEWCOMER, "portal:organisation_start"),
    Page("account", BUSINESS, "portal:account"),
    Page("api-docs", ANONYMOUS, "api-docs", third_party=True),
    Page("two-factor", BUSINESS, "mfa_index", awaiting="accounts"),
    # organisations (accounts helper)
    Page("organisation-register", NEWCOMER, "portal:organisation_register"),
    Page("organisation-members", BUSINESS, "portal:organisation_members", own_organisation),
    Page("organisation-profile", BUSINESS, "portal:organisation_profile", own_organisation),
    Page("account-provider", PROVIDER, "portal:account"),
    Page("webhooks", ADVISER, "portal:webhook_list", with_webhook_endpoint),
    Page("webhook-detail", ADVISER, "portal:webhook_detail", a_webhook_endpoint),
    # needs: the business's side
    Page("needs-home", BUSINESS, "needs:business_home", with_open_round),
    Page("need-create", BUSINESS, "needs:need_create"),
    Page("need-detail", BUSINESS, "needs:need_detail", own_need),
    Page("need-edit", BUSINESS, "needs:need_edit", own_draft_need),
    Page("need-withdraw", BUSINESS, "needs:need_withdraw", own_need),
    Page("survey-start", BUSINESS, "needs:survey_start", with_open_round),
    *[Page(f"survey-step-{n}", BUSINESS, "needs:survey_step", survey_step(n))
      for n in range(1, 6)],
    Page("survey-need-add", BUSINESS, "needs:survey_need_add", survey_response),
    Page("survey-need-edit", BUSINESS, "needs:survey_need_edit", survey_need),
    # needs: the adviser's side
    Page("needs-adviser-list", ADVISER, "needs:adviser_list", with_needs),
    Page("rounds", ADVISER, "needs:round_list", with_open_round),
    Page("round-create", ADVISER, "needs:round_create"),
    Page("round-edit", ADVISER, "needs:round_edit", survey_round),
    Page("needs-import", ADVISER, "needs:import_upload"),
    # offers
    Page("catalogue", ANONYMOUS, "offers:catalogue", with_offers),
    Page("catalogue-filtered", ANONYMOUS, "offers:catalogue", with_offers,
         query="?q=motorsag&level=course&format=local"),
    Page("offer-detail", ANONYMOUS, "offers:detail", published_offer),
    Page("provider-home", PROVIDER, "offers:provider_home", with_own_offer),
    Page("offer-create", PROVIDER, "offers:create"),
    Page("offer-edit", PROVIDER, "offers:edit", own_offer),
    Page("offers-import", PROVIDER, "offers:import"),
    Page("offer-archive-confirm", PROVIDER, "offers:action", offer_to_archive),
    # matching
    Page("adviser-home", ADVISER, "matching:adviser_home", with_matches),
    Page("match-detail", ADVISER, "matching:match_detail", a_match),
    Page("cohorts", ADVISER, "matching:cohort_list", with_matches),
    Page("cohort-detail", ADVISER, "matching:cohort_detail", a_cohort),
    Page("gap-report", ADVISER, "matching:gap_report", with_matches),
    Page("matching-settings", ADVISER, "matching:settings"),
    Page("claims", ADVISER, "portal:claim_list", pending_claim),
    Page("business-proposals", BUSINESS, "matching:business_proposals",
         proposed_match_for_business),
    Page("proposal-decline", BUSINESS, "matching:proposal_decline", proposal_for_business),
    Page("provider-cohorts", PROVIDER, "matching:provider_cohorts", with_cohort_request),
    Page("provider-request", PROVIDER, "matching:provider_request", cohort_request_for_provider),
    # barometer
    Page("barometer", ANONYMOUS, "barometer:public", with_barometer_data),
    Page("barometer-municipality", ANONYMOUS, "barometer:public", with_barometer_data,
         query="?municipality=4036"),
    Page("barometer-dashboard", ADVISER, "matching:barometer", with_barometer_data),
]


# --- meeting place (issue 17) ------------------------------------------------------------


def _meeting(actor: Actor, **overrides):
    from matching.meetings import services
    from tests.matching.meetings.builders import make_meeting

    provider = actor.organisation if actor.role == PROVIDER else None
    setup = make_meeting(provider=provider, **overrides)
    if actor.role == BUSINESS:
        services.meeting_add_invitees(meeting_id=setup.meeting.pk,
                                      organisation_ids=[actor.organisation.pk])
    services.meeting_invite(meeting_id=setup.meeting.pk)
    return setup


def invited_meeting(actor: Actor) -> dict:
    return {"pk": _meeting(actor).meeting.pk}


def with_invitation(actor: Actor) -> dict:
    _meeting(actor)
    return {}


def public_meeting(actor: Actor) -> dict:
    return {"pk": _meeting(Actor(ANONYMOUS), is_public=True).meeting.pk}


def with_public_meeting(actor: Actor) -> dict:
    public_meeting(actor)
    return {}


def public_meeting_in_vinje(actor: Actor) -> dict:
    public_meeting(actor)
    return {"code": "4036"}


def meeting_with_agenda(actor: Actor) -> dict:
    from matching.meetings import slots

    setup = _meeting(actor)
    for business in (setup.named, setup.anonymous):
        ask = slots.slot_request_create(meeting_id=setup.meeting.pk, requester=business,
                                        invitee_id=setup.provider.pk, message="Kurs i mars",
                                        by=factories.member_of(business))
        slots.slot_request_answer(request_id=ask.pk, organisation=setup.provider, accept=True)
    slots.meeting_schedule_slots(meeting_id=setup.meeting.pk)
    return {"pk": setup.meeting.pk}


def reply_link(actor: Actor) -> dict:
    from matching.meetings.replies import reply_token

    setup = _meeting(actor)
    return {"token": reply_token(setup.invitation(setup.named))}


def meeting_for_adviser(actor: Actor) -> dict:
    return {"pk": meeting_with_agenda(actor)["pk"]}


def held_meeting(actor: Actor) -> dict:
    import datetime as dt

    from django.utils import timezone

    from matching.models import Meeting

    pk = _meeting(actor).meeting.pk
    past = timezone.now() - dt.timedelta(hours=3)
    Meeting.objects.filter(pk=pk).update(starts_at=past, slot_start=past)
    return {"pk": pk}


def with_meetings(actor: Actor) -> dict:
    _meeting(actor)
    return {}


MEETING_PAGES: list[Page] = [
    Page("meetings-upcoming", ANONYMOUS, "meetings:upcoming", with_public_meeting),
    Page("meetings-upcoming-vinje", ANONYMOUS, "meetings:upcoming_municipality",
         public_meeting_in_vinje),
    Page("meeting-public", ANONYMOUS, "meetings:detail", public_meeting),
    Page("meeting-public-business", BUSINESS, "meetings:detail", public_meeting),
    Page("meetings-mine", BUSINESS, "meetings:mine", with_invitation),
    Page("meeting-detail-business", BUSINESS, "meetings:detail", invited_meeting),
    Page("meeting-detail-provider", PROVIDER, "meetings:detail", meeting_with_agenda),
    Page("meeting-agenda", PROVIDER, "meetings:agenda", meeting_with_agenda),
    Page("meeting-reply-link", ANONYMOUS, "meetings:token_reply", reply_link),
    Page("meetings-adviser", ADVISER, "meetings:adviser_list", with_meetings),
    Page("meeting-create", ADVISER, "meetings:create", with_needs, query="?area=skog"),
    Page("meeting-manage", ADVISER, "meetings:manage", meeting_for_adviser),
    Page("meeting-edit", ADVISER, "meetings:edit", invited_meeting),
    Page("meeting-outcome", ADVISER, "meetings:outcome", held_meeting),
]
PAGES += MEETING_PAGES
