"""Invitations: e-mails in the recipient's language with the calendar entry, reply links
(signature, expiry, replay), portal replies, updates, cancellations, reminders."""

import datetime as dt

import icalendar
import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from matching.meetings import replies, services, tasks
from matching.models import Invitation, Meeting
from tests import factories
from tests.matching.meetings.builders import make_meeting

pytestmark = pytest.mark.django_db


def _invite(django_capture_on_commit_callbacks, **overrides):
    setup = make_meeting(**overrides)
    with django_capture_on_commit_callbacks(execute=True):
        services.meeting_invite(meeting_id=setup.meeting.pk)
    setup.meeting.refresh_from_db()
    return setup


def _mail_to(address):
    return [m for m in mail.outbox if address in m.to]


def _token_url(invitation, answer="yes"):
    return reverse("meetings:token_reply", args=[replies.reply_token(invitation)]) + \
        f"?svar={answer}"


def test_each_invitee_gets_an_invitation_in_its_language_with_the_calendar_entry(
        django_capture_on_commit_callbacks):
    setup = _invite(django_capture_on_commit_callbacks)
    assert setup.meeting.status == Meeting.Status.INVITED
    assert len(mail.outbox) == 3
    nynorsk = _mail_to(setup.anonymous.contact_email)[0]
    assert nynorsk.subject.startswith("Invitasjon") and "Hei" in nynorsk.body
    bokmal = _mail_to(setup.named.contact_email)[0]
    assert "Du er invitert" in bokmal.body
    name, content, mimetype = bokmal.attachments[0]
    assert name.endswith(".ics") and mimetype.startswith("text/calendar; method=REQUEST")
    # Plain text and HTML, as every e-mail of the portal; the reply links are clickable.
    [(html, html_type)] = bokmal.alternatives
    assert html_type == "text/html" and 'lang="nb"' in html and '<a href="http' in html
    calendar = icalendar.Calendar.from_ical(content)
    event = next(iter(calendar.walk("VEVENT")))
    assert str(event["DTSTART"].params["TZID"]) == "Europe/Oslo"
    assert event.decoded("DTSTART").hour == 10
    assert all(inv.sent_at for inv in setup.meeting.invitations.all())


def test_providers_see_unnamed_businesses_only_as_counts(django_capture_on_commit_callbacks,
                                                         client):
    setup = _invite(django_capture_on_commit_callbacks)
    provider_mail = _mail_to(setup.provider.contact_email)[0]
    assert "Hemmelig Skog" not in provider_mail.body
    assert "Fjellhytter AS" in provider_mail.body
    assert "1 bedrift i Vinje, 12 deltakere" in provider_mail.body
    # ... and the other business does not see it named either.
    assert "Hemmelig Skog" not in _mail_to(setup.named.contact_email)[0].body
    # The meeting page: once both businesses said yes, the provider sees a count, not a name.
    for org, count in ((setup.named, 2), (setup.anonymous, 3)):
        replies.invitation_reply(invitation_id=setup.invitation(org).pk, reply="yes",
                                 headcount=count)
    client.force_login(factories.member_of(setup.provider))
    page = client.get(reverse("meetings:detail", args=[setup.meeting.pk])).content.decode()
    assert "Hemmelig Skog" not in page
    assert "Fjellhytter AS" in page
    assert "1 bedrift i Vinje, 3 deltakere" in page


def test_a_business_sees_its_own_name_and_the_adviser_sees_all(
        django_capture_on_commit_callbacks, client):
    setup = _invite(django_capture_on_commit_callbacks)
    replies.invitation_reply(invitation_id=setup.invitation(setup.anonymous).pk, reply="yes",
                             headcount=2)
    client.force_login(factories.member_of(setup.anonymous))
    page = client.get(reverse("meetings:detail", args=[setup.meeting.pk])).content.decode()
    assert "Hemmelig Skog" in page
    client.force_login(factories.adviser())
    page = client.get(reverse("meetings:manage", args=[setup.meeting.pk])).content.decode()
    assert "Hemmelig Skog" in page


def test_reply_link_get_changes_nothing_and_post_records_the_reply(
        django_capture_on_commit_callbacks, client):
    setup = _invite(django_capture_on_commit_callbacks)
    invitation = setup.invitation(setup.named)
    url = _token_url(invitation)
    response = client.get(url)
    assert response.status_code == 200
    invitation.refresh_from_db()
    assert invitation.reply == Invitation.Reply.PENDING
    response = client.post(url, {"reply": "yes", "headcount": "3"})
    assert response.status_code == 200
    invitation.refresh_from_db()
    assert (invitation.reply, invitation.headcount) == ("yes", 3)
    # The same link again: refused (replayed), and nothing changes.
    replay = client.post(url, {"reply": "no", "headcount": "0"})
    assert replay.status_code == 410
    assert b'data-code="used"' in replay.content
    invitation.refresh_from_db()
    assert invitation.reply == "yes"
    # The fresh link on the confirmation page works once more.
    change = response.context["change_link"]
    assert client.post(change, {"reply": "maybe", "headcount": "1"}).status_code == 200
    invitation.refresh_from_db()
    assert invitation.reply == "maybe"


def test_tampered_expired_and_closed_links_are_refused(django_capture_on_commit_callbacks,
                                                       client, settings):
    setup = _invite(django_capture_on_commit_callbacks)
    invitation = setup.invitation(setup.named)
    token = replies.reply_token(invitation)
    tampered = reverse("meetings:token_reply", args=[token[:-2] + "xx"])
    assert client.get(tampered).status_code == 400
    assert client.post(tampered, {"reply": "yes", "headcount": "1"}).status_code == 400
    settings.MEETING_REPLY_LINK_DAYS = -1  # every link is older than its limit
    response = client.get(reverse("meetings:token_reply", args=[token]))
    assert response.status_code == 410 and b'data-code="expired"' in response.content
    settings.MEETING_REPLY_LINK_DAYS = 60
    services.meeting_cancel(meeting_id=setup.meeting.pk)
    response = client.post(reverse("meetings:token_reply", args=[token]),
                           {"reply": "yes", "headcount": "1"})
    assert response.status_code == 410 and b'data-code="closed"' in response.content
    invitation.refresh_from_db()
    assert invitation.reply == Invitation.Reply.PENDING


def test_a_link_signed_for_something_else_is_refused(django_capture_on_commit_callbacks,
                                                     client):
    from django.core import signing

    setup = _invite(django_capture_on_commit_callbacks)
    invitation = setup.invitation(setup.named)
    other_salt = signing.dumps({"i": invitation.pk, "n": invitation.token_nonce}, salt="other")
    assert client.get(reverse("meetings:token_reply", args=[other_salt])).status_code == 400


def test_capacity_is_respected(django_capture_on_commit_callbacks):
    setup = _invite(django_capture_on_commit_callbacks, capacity=5)
    replies.invitation_reply(invitation_id=setup.invitation(setup.named).pk, reply="yes",
                             headcount=4)
    with pytest.raises(ValidationError) as refused:
        replies.invitation_reply(invitation_id=setup.invitation(setup.anonymous).pk,
                                 reply="yes", headcount=2)
    assert "1" in refused.value.message_dict["headcount"][0]
    replies.invitation_reply(invitation_id=setup.invitation(setup.anonymous).pk,
                             reply="yes", headcount=1)


def test_portal_reply_and_strangers_get_a_404(django_capture_on_commit_callbacks, client):
    setup = _invite(django_capture_on_commit_callbacks)
    client.force_login(factories.member_of(setup.named))
    response = client.post(reverse("meetings:reply", args=[setup.meeting.pk]),
                           {"reply": "maybe", "headcount": "2"})
    assert response.status_code == 302
    assert setup.invitation(setup.named).reply == "maybe"
    client.force_login(factories.member_of(factories.BusinessFactory()))
    assert client.get(reverse("meetings:detail", args=[setup.meeting.pk])).status_code == 404
    assert client.post(reverse("meetings:reply", args=[setup.meeting.pk]),
                       {"reply": "yes"}).status_code == 404


def test_changes_send_updated_entries_and_cancelling_sends_a_cancellation(
        django_capture_on_commit_callbacks):
    setup = _invite(django_capture_on_commit_callbacks)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.meeting_update(meeting_id=setup.meeting.pk, data={"address": "Vinje rådhus"})
    assert len(mail.outbox) == 3
    calendar = icalendar.Calendar.from_ical(mail.outbox[0].attachments[0][1])
    event = next(iter(calendar.walk("VEVENT")))
    assert int(event["SEQUENCE"]) == 1 and "Vinje rådhus" in str(event["LOCATION"])
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.meeting_update(meeting_id=setup.meeting.pk, data={"capacity": 40})
    assert mail.outbox == [], "a change invitees need not know about sends nothing"
    with django_capture_on_commit_callbacks(execute=True):
        services.meeting_cancel(meeting_id=setup.meeting.pk)
    assert len(mail.outbox) == 3
    name, content, mimetype = mail.outbox[0].attachments[0]
    assert "method=CANCEL" in mimetype
    assert str(icalendar.Calendar.from_ical(content)["METHOD"]) == "CANCEL"


def test_reminder_the_day_before_once_and_not_to_those_who_said_no(
        django_capture_on_commit_callbacks):
    tomorrow = (timezone.localtime() + dt.timedelta(days=1)).replace(
        hour=10, minute=0, second=0, microsecond=0)
    setup = _invite(django_capture_on_commit_callbacks, starts_at=tomorrow,
                    slot_start=tomorrow + dt.timedelta(minutes=60))
    later = _invite(django_capture_on_commit_callbacks)  # ten days ahead: not yet
    replies.invitation_reply(invitation_id=setup.invitation(setup.provider).pk, reply="no")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.send_meeting_reminders() == 2
    assert {address for m in mail.outbox for address in m.to} == {
        setup.named.contact_email, setup.anonymous.contact_email}
    assert all(m.attachments for m in mail.outbox)
    assert tasks.send_meeting_reminders() == 0, "a second beat run reminds nobody again"
    later.meeting.refresh_from_db()
    assert later.meeting.reminder_sent_at is None


def test_the_reminder_is_a_celery_beat_entry():
    from django_celery_beat.models import PeriodicTask

    task = PeriodicTask.objects.get(task="matching.meetings.tasks.send_meeting_reminders")
    assert task.enabled and task.crontab.timezone.key == "Europe/Oslo"


def test_no_page_or_e_mail_a_provider_or_other_business_gets_names_the_hidden_business(
        django_capture_on_commit_callbacks, client):
    """Consent across the board: invitation, update, reminder, summary e-mails and every page
    the provider and the named business open (meeting, agenda, calendar file, my meetings)."""
    from matching.meetings import outcome, slots

    tomorrow = (timezone.localtime() + dt.timedelta(days=1)).replace(
        hour=10, minute=0, second=0, microsecond=0)
    setup = _invite(django_capture_on_commit_callbacks, starts_at=tomorrow,
                    slot_start=tomorrow + dt.timedelta(minutes=60))
    for org in (setup.named, setup.anonymous, setup.provider):
        replies.invitation_reply(invitation_id=setup.invitation(org).pk, reply="yes",
                                 headcount=1)
    ask = slots.slot_request_create(meeting_id=setup.meeting.pk, requester=setup.anonymous,
                                    invitee_id=setup.provider.pk,
                                    by=factories.member_of(setup.anonymous))
    slots.slot_request_answer(request_id=ask.pk, organisation=setup.provider, accept=True)
    slots.meeting_schedule_slots(meeting_id=setup.meeting.pk)
    with django_capture_on_commit_callbacks(execute=True):
        services.meeting_update(meeting_id=setup.meeting.pk, data={"address": "Rådhuset"})
        tasks.send_meeting_reminders()
    from matching.models import Meeting as M

    past = timezone.now() - dt.timedelta(hours=2)
    M.objects.filter(pk=setup.meeting.pk).update(starts_at=past, slot_start=past)
    with django_capture_on_commit_callbacks(execute=True):
        outcome.meeting_record_outcome(
            meeting_id=setup.meeting.pk, notes="Bra møte",
            attended_ids=list(setup.meeting.invitations.values_list("pk", flat=True)),
            by=factories.adviser())
    others = {setup.provider.contact_email, setup.named.contact_email}
    bodies = [m.body for m in mail.outbox if set(m.to) & others]
    assert len(bodies) >= 8  # invitation, update, reminder, summary to each of the two
    assert all("Hemmelig Skog" not in body for body in bodies)
    assert any("1 bedrift i Vinje" in body for body in bodies)
    for org in (setup.provider, setup.named):
        client.force_login(factories.member_of(org))
        for name in ("detail", "agenda", "ics"):
            page = client.get(reverse(f"meetings:{name}", args=[setup.meeting.pk]))
            assert page.status_code == 200
            assert "Hemmelig Skog" not in page.content.decode(), (org, name)
        assert "Hemmelig Skog" not in client.get(reverse("meetings:mine")).content.decode()
