"""A health task: proves a worker is consuming from the broker."""

import os
import socket

from celery import shared_task


@shared_task
def ping() -> dict:
    return {"pong": True, "hostname": socket.gethostname(), "pid": os.getpid()}


# Registered here because the worker autodiscovers `<app>.tasks` modules only.
from portal.webhooks.tasks import webhook_deliver, webhook_sweep  # noqa: E402,F401
