"""1:1 meetings: requests between participants, their answers, and the schedule.

The schedule itself is computed by the pure `scheduling.schedule`; this module feeds it the
accepted requests and stores the result in one transaction.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.models import Organisation, User
from portal.notifications.recipients import organisation_users
from portal.notifications.services import notification_send_many

from . import scheduling
from .models import Invitation, Meeting, SlotRequest


def _open_meeting(meeting_id: int) -> Meeting:
    meeting = Meeting.objects.filter(pk=meeting_id).first()
    if meeting is None or meeting.status != Meeting.Status.INVITED:
        raise ValidationError(_("1:1 meetings can only be arranged for a coming meeting."))
    if not meeting.slot_count:
        raise ValidationError(_("This meeting has no time set aside for 1:1 meetings."))
    return meeting


@transaction.atomic
def slot_request_create(*, meeting_id: int, requester: Organisation, invitee_id: int,
                        by: User, message: str = "") -> SlotRequest:
    from .selectors import slot_partners

    meeting = _open_meeting(meeting_id)
    if not meeting.invitations.filter(organisation=requester).exclude(
            reply=Invitation.Reply.NO).exists():
        raise ValidationError(_("Only participants can ask for 1:1 meetings."))
    partner = next((org for org in slot_partners(meeting, requester) if org.pk == invitee_id),
                   None)
    if partner is None:
        raise ValidationError({"invitee": _("Choose someone from the list.")})
    request = SlotRequest.objects.create(
        meeting=meeting, requester=requester, invitee=partner, message=(message or "")[:300],
        created_by=by)
    # Named as the meeting page names it: an unnamed business stays "a business in …".
    from .selectors import named_business_ids, slot_display_name

    shown = slot_display_name(meeting, requester, viewer_id=partner.pk,
                              named=named_business_ids(meeting))
    notification_send_many(
        recipients=organisation_users(partner), kind="meeting_slot_requested",
        params={"partner": shown, "meeting": meeting.title},
        link=reverse("meetings:detail", args=[meeting.pk]), exclude=by)
    return request


@transaction.atomic
def slot_request_answer(*, request_id: int, organisation: Organisation,
                        accept: bool) -> SlotRequest:
    """The asked party accepts or declines; only a pending request can be answered."""
    status = SlotRequest.Status.ACCEPTED if accept else SlotRequest.Status.DECLINED
    changed = SlotRequest.objects.filter(
        pk=request_id, invitee=organisation, status=SlotRequest.Status.PENDING,
        meeting__status=Meeting.Status.INVITED,
    ).update(status=status, decided_at=timezone.now())
    if not changed:
        raise ValidationError(_("This request cannot be answered any more."))
    return SlotRequest.objects.get(pk=request_id)


@dataclass
class ScheduleResult:
    scheduled: int
    unscheduled: int


@transaction.atomic
def meeting_schedule_slots(*, meeting_id: int) -> ScheduleResult:
    """Schedule every accepted request again (deterministic: the same requests give the same
    agenda). Businesses are the left side, providers the right."""
    meeting = Meeting.objects.select_for_update().filter(pk=meeting_id).first()
    if meeting is None or meeting.status != Meeting.Status.INVITED:
        raise ValidationError(_("Only a coming meeting can be scheduled."))
    accepted = list(meeting.slot_requests.filter(status=SlotRequest.Status.ACCEPTED)
                    .select_related("requester", "invitee").order_by("pk"))
    pairs = []
    for req in accepted:
        business, provider = ((req.requester, req.invitee)
                              if req.requester.kind == Organisation.Kind.BUSINESS
                              else (req.invitee, req.requester))
        pairs.append(scheduling.SlotPair(id=req.pk, left=business.pk, right=provider.pk))
    result = scheduling.schedule(pairs, slot_count=meeting.slot_count, tables=meeting.tables)
    meeting.slot_requests.update(slot=None, table=None)
    for req in accepted:
        if req.pk in result.slot_of:
            SlotRequest.objects.filter(pk=req.pk).update(slot=result.slot_of[req.pk],
                                                         table=result.table_of[req.pk])
    Meeting.objects.filter(pk=meeting.pk).update(scheduled_at=timezone.now())
    return ScheduleResult(scheduled=len(result.slot_of), unscheduled=len(result.unscheduled))
