"""The shared domain's tasks: a health ping, and telling advisers about organisation claims."""

import os
import socket

from celery import shared_task
from django.db import DatabaseError


@shared_task
def ping() -> dict:
    return {"pong": True, "hostname": socket.gethostname(), "pid": os.getpid()}


@shared_task(autoretry_for=(DatabaseError,), retry_backoff=True, max_retries=5)
def organisation_claim_notify(organisation_id: int) -> int:
    from .notices import organisation_claim_notify as notify

    return notify(organisation_id=organisation_id)
