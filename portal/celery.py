"""The Celery application. Configuration comes from Django's `CELERY_*` settings."""

import logging
import os

from celery import Celery
from kombu.exceptions import OperationalError as BrokerError

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")

app = Celery("portal")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


logger = logging.getLogger(__name__)

# What a broker outage looks like from `apply_async`: kombu wraps connection failures in its
# OperationalError; a socket error can surface unwrapped. Anything else is a bug and raises.
BROKER_OUTAGES = (BrokerError, ConnectionError, TimeoutError)


def enqueue(task, *args, **kwargs) -> bool:
    """Queue a task; if the broker cannot be reached, log and return False instead of failing.

    Callers run this on transaction commit: the user's change is already saved, and the
    periodic sweep picks up whatever a dead broker made us miss.
    """
    try:
        task.apply_async(args=args, kwargs=kwargs)
    except BROKER_OUTAGES as exc:
        logger.warning("broker unreachable, %s not queued: %s", task.name, exc)
        return False
    return True
