"""The portal's tasks: a health ping, notification e-mails (at once, and the daily digest)."""

import os
import socket

from celery import shared_task

from portal.celery import MAIL_TASK


@shared_task
def ping() -> dict:
    return {"pong": True, "hostname": socket.gethostname(), "pid": os.getpid()}


# Registered here because the worker autodiscovers `<app>.tasks` modules only.
from portal.webhooks.tasks import webhook_deliver, webhook_sweep  # noqa: E402,F401


@shared_task(**MAIL_TASK)
def notification_email_task(notification_id: int) -> int:
    from portal.notifications import notification_email_send

    return notification_email_send(notification_id=notification_id)


@shared_task(acks_late=True)
def notification_digest_task() -> int:
    from portal.notifications import notification_digest_send

    return notification_digest_send()

