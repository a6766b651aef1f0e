"""Writes for meetings: create, change, invite, cancel, join requests.

Every service validates, runs in one transaction and returns the object. E-mails (invitations,
updated calendar entries, cancellations) are queued as Celery tasks on commit, so a rollback
never tells anyone about a meeting that does not exist, and a broker outage never undoes the
change. In-portal notifications (`portal.notifications`) are written in the same transactions:
advisers hear of join requests here, participants of 1:1 requests in `slots.py`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from needs.models import Need
from portal.models import Organisation, User
from portal.notifications.recipients import advisers_for
from portal.notifications.services import notification_send_many

from .mail import MailKind, organisation_language
from .models import Invitation, Meeting, MeetingJoinRequest

# Fields an adviser edits through the meeting form.
EDITABLE_FIELDS = (
    "title", "purpose", "agenda", "starts_at", "duration_minutes", "municipality", "address",
    "online_url", "capacity", "is_public", "slot_start", "slot_minutes", "slot_count", "tables",
)
# A change to one of these is news for the invitees: a new calendar entry (SEQUENCE + 1).
CALENDAR_FIELDS = ("title", "starts_at", "duration_minutes", "municipality", "address",
                   "online_url", "agenda", "purpose")


def _queue_mail(kind: str, invitation_ids: list[int]) -> None:
    """One mail task per invitee, queued on commit (`portal.celery.enqueue_on_commit`)."""
    from .tasks import queue_meeting_mail

    queue_meeting_mail(kind, list(invitation_ids))


def meeting_validate(*, data: dict[str, Any]) -> None:
    errors: dict[str, list[str]] = {}

    def add(field: str, message: str) -> None:
        errors.setdefault(field, []).append(message)

    if not (data.get("title") or "").strip():
        add("title", _("Give the meeting a title."))
    starts_at = data.get("starts_at")
    duration = data.get("duration_minutes") or 0
    if starts_at is None:
        add("starts_at", _("Give the date and time."))
    elif starts_at < timezone.now():
        add("starts_at", _("The meeting must start in the future."))
    if not data.get("municipality") and not (data.get("online_url") or "").strip():
        add("municipality", _("Give a place, an online link, or both."))
    if (data.get("address") or "").strip() and not data.get("municipality"):
        add("municipality", _("Choose the municipality of the address."))
    capacity = data.get("capacity")
    if capacity is not None and capacity < 1:
        add("capacity", _("The capacity must be at least one person."))
    slot_count = data.get("slot_count") or 0
    slot_start = data.get("slot_start")
    if slot_count:
        if slot_start is None:
            add("slot_start", _("Give the time the 1:1 meetings start."))
        elif starts_at is not None:
            slots_end = slot_start + dt.timedelta(minutes=slot_count * (data.get("slot_minutes")
                                                                        or 15))
            if slot_start < starts_at or slots_end > starts_at + dt.timedelta(minutes=duration):
                add("slot_start", _("The 1:1 meetings must fit inside the meeting's time."))
    if errors:
        raise ValidationError(errors)


def _invitees(ids: Iterable[int]) -> list[Organisation]:
    ids = sorted({int(pk) for pk in ids})
    orgs = list(Organisation.objects.filter(
        pk__in=ids, kind__in=[Organisation.Kind.BUSINESS, Organisation.Kind.PROVIDER]))
    if len(orgs) != len(ids):
        raise ValidationError({"invitees": _("Only businesses and providers can be invited.")})
    return orgs


def _create_invitations(meeting: Meeting, organisations: Iterable[Organisation]) -> list[int]:
    existing = set(meeting.invitations.values_list("organisation_id", flat=True))
    created = []
    for org in organisations:
        if org.pk in existing:
            continue
        invitation = Invitation.objects.create(meeting=meeting, organisation=org,
                                               language=organisation_language(org))
        created.append(invitation.pk)
    return created


@transaction.atomic
def meeting_create(
    *, data: dict[str, Any], invitee_ids: Iterable[int] = (), need_ids: Iterable[int] = (),
    cohort_id: int | None = None, cohort_request_id: int | None = None,
    by: User | None = None,  # None: the demo meeting `seed_demo_meetings` creates
) -> Meeting:
    """A draft meeting with its invitees; nobody is told until `meeting_invite`."""
    meeting_validate(data=data)
    meeting = Meeting(cohort_id=cohort_id, cohort_request_id=cohort_request_id,
                      created_by=by)
    for name in EDITABLE_FIELDS:
        if name in data:
            setattr(meeting, name, data[name])
    meeting.save()
    needs = list(Need.objects.filter(pk__in=list(need_ids)).values_list("pk", flat=True))
    meeting.needs.set(needs)
    _create_invitations(meeting, _invitees(invitee_ids))
    return meeting


def _locked(meeting_id: int) -> Meeting:
    meeting = Meeting.objects.select_for_update().filter(pk=meeting_id).first()
    if meeting is None:
        raise ValidationError(_("This meeting no longer exists."), code="missing")
    return meeting


@transaction.atomic
def meeting_update(*, meeting_id: int, data: dict[str, Any]) -> Meeting:
    """Change the meeting; if invitations are out and the calendar entry changed, every invitee
    gets the updated entry (same UID, SEQUENCE + 1)."""
    meeting = _locked(meeting_id)
    if meeting.status in (Meeting.Status.CANCELLED, Meeting.Status.HELD):
        raise ValidationError(_("A cancelled or held meeting cannot be changed."))
    merged = {name: getattr(meeting, name) for name in EDITABLE_FIELDS} | data
    meeting_validate(data=merged)
    changed = [name for name in CALENDAR_FIELDS if merged[name] != getattr(meeting, name)]
    for name in EDITABLE_FIELDS:
        setattr(meeting, name, merged[name])
    if changed and meeting.status == Meeting.Status.INVITED:
        meeting.sequence += 1
        if "starts_at" in changed:
            meeting.reminder_sent_at = None  # a new day: remind again the day before
        _queue_mail(MailKind.UPDATE, list(
            meeting.invitations.filter(sent_at__isnull=False).values_list("pk", flat=True)))
    meeting.save()
    return meeting


@transaction.atomic
def meeting_invite(*, meeting_id: int) -> int:
    """Send the invitations not yet sent; the first call moves the meeting out of draft.
    Returns how many were queued."""
    meeting = _locked(meeting_id)
    if meeting.status == Meeting.Status.DRAFT:
        meeting_validate(data={name: getattr(meeting, name) for name in EDITABLE_FIELDS})
        if not meeting.invitations.exists():
            raise ValidationError(_("Invite at least one business or provider first."))
        meeting.status = Meeting.Status.INVITED
        meeting.save(update_fields=["status", "updated_at"])
    elif meeting.status != Meeting.Status.INVITED:
        raise ValidationError(_("A cancelled or held meeting cannot send invitations."))
    ids = list(meeting.invitations.filter(sent_at__isnull=True).values_list("pk", flat=True))
    _queue_mail(MailKind.INVITATION, ids)
    return len(ids)


@transaction.atomic
def meeting_add_invitees(*, meeting_id: int, organisation_ids: Iterable[int]) -> int:
    """More invitees; once invitations are out they are sent at once."""
    meeting = _locked(meeting_id)
    if meeting.status not in (Meeting.Status.DRAFT, Meeting.Status.INVITED):
        raise ValidationError(_("A cancelled or held meeting cannot get new invitees."))
    created = _create_invitations(meeting, _invitees(organisation_ids))
    if meeting.status == Meeting.Status.INVITED:
        _queue_mail(MailKind.INVITATION, created)
    return len(created)


@transaction.atomic
def meeting_cancel(*, meeting_id: int) -> Meeting:
    """Cancelled: every invitee who got the invitation gets a METHOD:CANCEL calendar entry."""
    meeting = _locked(meeting_id)
    if not meeting.can_move_to(Meeting.Status.CANCELLED):
        raise ValidationError(_("This meeting cannot be cancelled."))
    was_invited = meeting.status == Meeting.Status.INVITED
    meeting.status = Meeting.Status.CANCELLED
    meeting.sequence += 1
    meeting.save(update_fields=["status", "sequence", "updated_at"])
    if was_invited:
        _queue_mail(MailKind.CANCEL, list(
            meeting.invitations.filter(sent_at__isnull=False).values_list("pk", flat=True)))
    return meeting


# --- join requests from the public listing ---------------------------------------------------


@transaction.atomic
def meeting_join_request_create(*, meeting_id: int, organisation: Organisation, by: User,
                                message: str = "") -> MeetingJoinRequest:
    meeting = Meeting.objects.filter(pk=meeting_id).first()
    if meeting is None or not meeting.is_public or meeting.status != Meeting.Status.INVITED:
        raise ValidationError(_("This meeting does not take requests to join."))
    if organisation.kind != Organisation.Kind.BUSINESS:
        raise ValidationError(_("Only businesses can ask to join."))
    if meeting.invitations.filter(organisation=organisation).exists():
        raise ValidationError(_("Your business is already invited."))
    if meeting.join_requests.filter(organisation=organisation,
                                    status=MeetingJoinRequest.Status.PENDING).exists():
        raise ValidationError(_("You have already asked to join; the adviser will answer."))
    join = MeetingJoinRequest.objects.create(
        meeting=meeting, organisation=organisation, message=(message or "").strip()[:500],
        user=by)
    notification_send_many(
        recipients=advisers_for(organisation), kind="meeting_join_requested",
        params={"business": organisation.name, "meeting": meeting.title},
        link=reverse("meetings:manage", args=[meeting.pk]), exclude=by)
    return join


@transaction.atomic
def meeting_join_request_decide(*, request_id: int, approve: bool,
                                by: User) -> MeetingJoinRequest:
    """The adviser decides; approving invites the business (and sends its invitation)."""
    new_status = (MeetingJoinRequest.Status.APPROVED if approve
                  else MeetingJoinRequest.Status.REJECTED)
    # The claim: of two clicks only one changes the pending row.
    changed = MeetingJoinRequest.objects.filter(
        pk=request_id, status=MeetingJoinRequest.Status.PENDING,
    ).update(status=new_status, decided_at=timezone.now(),
             decided_by=by)
    if not changed:
        raise ValidationError(_("This request has already been decided."))
    join = MeetingJoinRequest.objects.select_related("meeting").get(pk=request_id)
    if approve:
        meeting_add_invitees(meeting_id=join.meeting_id, organisation_ids=[join.organisation_id])
    return join
