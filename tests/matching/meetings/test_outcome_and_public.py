"""After the meeting (outcome → offer draft → proposals, summary), the public listing and
join requests, and the 1:1 flow through the services."""

import datetime as dt

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from matching.meetings import outcome, replies, services, slots
from matching.models import Match, Meeting, MeetingJoinRequest, SlotRequest
from offers.models import Offer
from tests import factories
from tests.matching.meetings.builders import make_meeting

pytestmark = pytest.mark.django_db


def _started(setup):
    """Move a meeting into the past (as if it happened) without the services' future check."""
    past = timezone.now() - dt.timedelta(hours=3)
    Meeting.objects.filter(pk=setup.meeting.pk).update(starts_at=past, slot_start=past)
    setup.meeting.refresh_from_db()


def test_outcome_creates_an_offer_draft_and_proposes_it_to_every_business(
        django_capture_on_commit_callbacks):
    setup = make_meeting(invite=True)
    for org in (setup.named, setup.anonymous, setup.provider):
        replies.invitation_reply(invitation_id=setup.invitation(org).pk, reply="yes",
                                 headcount=1)
    _started(setup)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        outcome.meeting_record_outcome(
            meeting_id=setup.meeting.pk, notes="Kurs i mars.",
            attended_ids=[setup.invitation(setup.named).pk, setup.invitation(setup.provider).pk],
            commitments=[outcome.CommitmentInput(
                provider_id=setup.provider.pk, what="Motorsagkurs i Rauland",
                start_date=dt.date(2027, 3, 1), price_nok=4000)], by=factories.adviser())
    offer = Offer.objects.get(provider=setup.provider, title="Motorsagkurs i Rauland")
    assert offer.status == Offer.Status.DRAFT
    assert list(offer.areas.values_list("code", flat=True)) == ["skog.motorsag"]
    matches = Match.objects.filter(offer=offer)
    assert {m.need_id for m in matches} == {n.pk for n in setup.needs}
    assert {m.status for m in matches} == {Match.Status.PROPOSED}
    assert all(m.events.count() == 2 for m in matches)  # approved, then proposed
    setup.meeting.refresh_from_db()
    assert setup.meeting.status == Meeting.Status.HELD
    subjects = sorted(m.subject for m in mail.outbox)
    assert sum(s.startswith("Oppsummering") for s in subjects) == 2  # the two who came
    proposal_mails = [m for m in mail.outbox if "Motorsagkurs i Rauland" in m.subject]
    assert len(proposal_mails) == 2  # the workflow's own proposal e-mail to each business
    summary = next(m for m in mail.outbox if m.subject.startswith("Oppsummering")
                   and setup.provider.contact_email in m.to)
    assert "Kurs i mars." in summary.body and "Hemmelig Skog" not in summary.body


def test_outcome_links_an_existing_offer_and_refuses_other_providers_offers():
    setup = make_meeting(invite=True)
    _started(setup)
    own = factories.OfferFactory(provider=setup.provider)
    stranger = factories.OfferFactory()
    with pytest.raises(ValidationError):
        outcome.meeting_record_outcome(
            meeting_id=setup.meeting.pk, notes="", attended_ids=[], commitments=[
                outcome.CommitmentInput(provider_id=setup.provider.pk, what="x",
                                        offer_id=stranger.pk)], by=factories.adviser())
    outcome.meeting_record_outcome(
        meeting_id=setup.meeting.pk, notes="", attended_ids=[], send_summary=False,
        commitments=[outcome.CommitmentInput(provider_id=setup.provider.pk, what=own.title,
                                             offer_id=own.pk)], by=factories.adviser())
    assert Match.objects.filter(offer=own, status=Match.Status.PROPOSED).count() == 2


def test_no_outcome_before_the_meeting():
    setup = make_meeting(invite=True)
    with pytest.raises(ValidationError):
        outcome.meeting_record_outcome(meeting_id=setup.meeting.pk, notes="", attended_ids=[],
                                       by=factories.adviser())


def test_one_to_one_requests_answers_and_schedule():
    setup = make_meeting(invite=True)
    second = factories.ProviderFactory(name="Bø Fagskole")
    services.meeting_add_invitees(meeting_id=setup.meeting.pk, organisation_ids=[second.pk])
    # A provider may ask only the business that agreed to be named.
    from matching.meetings.selectors import slot_partners

    assert [o.pk for o in slot_partners(setup.meeting, setup.provider)] == [setup.named.pk]
    with pytest.raises(ValidationError):
        slots.slot_request_create(meeting_id=setup.meeting.pk, requester=setup.provider,
                                  invitee_id=setup.anonymous.pk,
                                  by=factories.member_of(setup.provider))
    asks = [
        slots.slot_request_create(meeting_id=setup.meeting.pk, requester=setup.anonymous,
                                  invitee_id=setup.provider.pk,
                                  by=factories.member_of(setup.anonymous)),
        slots.slot_request_create(meeting_id=setup.meeting.pk, requester=setup.named,
                                  invitee_id=setup.provider.pk,
                                  by=factories.member_of(setup.named)),
        slots.slot_request_create(meeting_id=setup.meeting.pk, requester=setup.named,
                                  invitee_id=second.pk, by=factories.member_of(setup.named)),
    ]
    for ask in asks:
        slots.slot_request_answer(request_id=ask.pk, organisation=ask.invitee, accept=True)
    with pytest.raises(ValidationError):  # only the asked party, only once
        slots.slot_request_answer(request_id=asks[0].pk, organisation=setup.provider,
                                  accept=False)
    result = slots.meeting_schedule_slots(meeting_id=setup.meeting.pk)
    assert (result.scheduled, result.unscheduled) == (3, 0)
    placed = {r.pk: r.slot for r in SlotRequest.objects.filter(meeting=setup.meeting)}
    assert placed[asks[0].pk] != placed[asks[1].pk]  # the provider is in one place at a time
    assert placed[asks[1].pk] != placed[asks[2].pk]  # so is the named business
    again = slots.meeting_schedule_slots(meeting_id=setup.meeting.pk)
    assert again == result
    assert {r.pk: r.slot for r in SlotRequest.objects.filter(meeting=setup.meeting)} == placed
    from matching.meetings.selectors import personal_agenda

    provider_agenda = personal_agenda(setup.meeting, setup.provider)
    assert [item.partner for item in provider_agenda].count("Fjellhytter AS") == 1
    assert "Hemmelig Skog AS" not in [item.partner for item in provider_agenda]
    assert "En bedrift i Vinje" in [item.partner for item in provider_agenda]


def test_public_listing_per_municipality_and_join_requests(client):
    public = make_meeting(invite=True, is_public=True)
    private = make_meeting(invite=True, title="Lukket møte")
    draft = make_meeting(is_public=True, title="Utkast")
    page = client.get(reverse("meetings:upcoming")).content.decode()
    assert public.meeting.title in page
    assert "Lukket møte" not in page and "Utkast" not in page
    vinje = client.get(reverse("meetings:upcoming_municipality", args=["4036"])).content.decode()
    assert public.meeting.title in vinje
    seljord = client.get(reverse("meetings:upcoming_municipality", args=["4022"]))
    assert public.meeting.title not in seljord.content.decode()
    assert client.get(reverse("meetings:upcoming_municipality", args=["9999"])).status_code == 404
    # Anyone can read a public meeting; a private or draft one is a 404 for strangers.
    assert client.get(reverse("meetings:detail", args=[public.meeting.pk])).status_code == 200
    assert client.get(reverse("meetings:detail", args=[private.meeting.pk])).status_code == 404
    assert client.get(reverse("meetings:detail", args=[draft.meeting.pk])).status_code == 404
    # An anonymous visitor cannot ask; a business can, once; the adviser decides.
    join_url = reverse("meetings:join", args=[public.meeting.pk])
    assert client.post(join_url, {"message": "Hei"}).status_code == 302
    assert not MeetingJoinRequest.objects.exists()
    business = factories.BusinessFactory(name="Ny Bedrift AS")
    client.force_login(factories.member_of(business))
    assert client.post(join_url, {"message": "Vi vil gjerne være med"}).status_code == 302
    assert client.post(join_url, {"message": "igjen"}).status_code == 400
    assert client.post(reverse("meetings:join", args=[private.meeting.pk])).status_code == 404
    join = MeetingJoinRequest.objects.get()
    client.force_login(factories.adviser())
    client.post(reverse("meetings:join_decide", args=[join.pk]), {"decision": "approve"})
    join.refresh_from_db()
    assert join.status == MeetingJoinRequest.Status.APPROVED
    assert public.meeting.invitations.filter(organisation=business).exists()
    client.force_login(factories.member_of(business))
    assert client.get(reverse("meetings:detail", args=[public.meeting.pk])).status_code == 200


def test_join_requests_and_one_to_one_requests_are_notified_with_consent():
    from portal.models import Notification
    from portal.notifications.selectors import notification_text

    adviser = factories.adviser()
    setup = make_meeting(invite=True, is_public=True)
    provider_user = factories.member_of(setup.provider)
    business = factories.BusinessFactory(name="Ny Bedrift AS")
    services.meeting_join_request_create(meeting_id=setup.meeting.pk, organisation=business,
                                         by=factories.member_of(business))
    notice = Notification.objects.get(recipient=adviser, kind="meeting_join_requested")
    assert "Ny Bedrift AS" in notification_text(notice)
    slots.slot_request_create(meeting_id=setup.meeting.pk, requester=setup.anonymous,
                              invitee_id=setup.provider.pk, by=factories.member_of(setup.anonymous))
    notice = Notification.objects.get(recipient=provider_user, kind="meeting_slot_requested")
    text = notification_text(notice)
    assert "Hemmelig Skog" not in text and "Vinje" in text
