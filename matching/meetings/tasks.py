"""Celery tasks of the meeting place: thin, by id, queued on commit by the services."""

from __future__ import annotations

import datetime as dt

from celery import shared_task
from django.db import InterfaceError, OperationalError
from django.utils import timezone

from portal.celery import MAIL_TASK, enqueue_on_commit

from .mail import MailKind, send_invitation_mail
from .models import Invitation, Meeting

RETRYING = {"autoretry_for": (OperationalError, InterfaceError), "retry_backoff": True,
            "retry_backoff_max": 300, "max_retries": 5, "acks_late": True}


@shared_task(**MAIL_TASK)
def send_meeting_mail(kind: str, invitation_id: int) -> int:
    """One e-mail to one invitee, so a retry after an SMTP error resends only that one."""
    return int(send_invitation_mail(kind=kind, invitation_id=invitation_id))


def queue_meeting_mail(kind: str, invitation_ids: list[int]) -> None:
    for invitation_id in invitation_ids:
        enqueue_on_commit(send_meeting_mail, kind, invitation_id)


def reminders_due(now: dt.datetime) -> list[int]:
    """Meetings that start before the end of tomorrow, Oslo time, and are not reminded yet."""
    tomorrow = timezone.localtime(now).date() + dt.timedelta(days=1)
    tomorrow_ends = timezone.make_aware(dt.datetime.combine(tomorrow, dt.time.max))
    return list(Meeting.objects.reminder_due(now, tomorrow_ends).values_list("pk", flat=True))


@shared_task(**RETRYING)
def send_meeting_reminders() -> int:
    """Celery beat, hourly: the day before, everyone who did not say no is reminded once.
    The conditional update claims the meeting, so two beat runs never remind twice.
    Returns the number of reminders queued."""
    queued = 0
    for meeting_id in reminders_due(timezone.now()):
        if not Meeting.objects.filter(pk=meeting_id, reminder_sent_at__isnull=True).update(
                reminder_sent_at=timezone.now()):
            continue
        ids = list(Invitation.objects.filter(meeting_id=meeting_id).exclude(
            reply=Invitation.Reply.NO).values_list("pk", flat=True))
        queue_meeting_mail(MailKind.REMINDER, ids)
        queued += len(ids)
    return queued
