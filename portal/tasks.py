"""The shared domain's tasks: a health ping, and telling advisers about organisation claims."""

import os
import socket

from celery import shared_task

from .celery import MAIL_TASK


@shared_task
def ping() -> dict:
    return {"pong": True, "hostname": socket.gethostname(), "pid": os.getpid()}


@shared_task(**MAIL_TASK)
def send_claim_notice_email(organisation_id: int) -> int:
    from .emails import claim_notice_email_send

    return claim_notice_email_send(organisation_id=organisation_id)
