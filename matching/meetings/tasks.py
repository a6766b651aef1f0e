"""Celery tasks of the meeting place: thin, by id, queued on commit by the services."""

from __future__ import annotations

import datetime as dt

from celery import shared_task
from django.db import InterfaceError, OperationalError
from django.utils import timezone

from .mail import MailKind, send_invitation_mail
from .models import Invitation, Meeting

RETRYING = {"autoretry_for": (OperationalError, InterfaceError), "retry_backoff": True,
            "retry_backoff_max": 300, "max_retries": 5, "acks_late": True}


@shared_task(**RETRYING)
def send_meeting_mail(kind: str, invitation_ids: list[int]) -> int:
    return sum(send_invitation_mail(kind=kind, invitation_id=pk) for pk in invitation_ids)


def reminders_due(now: dt.datetime) -> list[int]:
    """Meetings that start before the end of tomorrow, Oslo time, and are not reminded yet."""
    tomorrow = timezone.localtime(now).date() + dt.timedelta(days=1)
    tomorrow_ends = timezone.make_aware(dt.datetime.combine(tomorrow, dt.time.max))
    return list(Meeting.objects.reminder_due(now, tomorrow_ends).values_list("pk", flat=True))


@shared_task(**RETRYING)
def send_meeting_reminders() -> int:
    """Celery beat, hourly: the day before, everyone who did not say no is reminded once.
    The conditional update claims the meeting, so two beat runs never remind twice."""
    sent = 0
    for meeting_id in reminders_due(timezone.now()):
        if not Meeting.objects.filter(pk=meeting_id, reminder_sent_at__isnull=True).update(
                reminder_sent_at=timezone.now()):
            continue
        ids = Invitation.objects.filter(meeting_id=meeting_id).exclude(
            reply=Invitation.Reply.NO).values_list("pk", flat=True)
        sent += sum(send_invitation_mail(kind=MailKind.REMINDER, invitation_id=pk) for pk in ids)
    return sent
