"""The Celery application. Configuration comes from Django's `CELERY_*` settings."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")

app = Celery("portal")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


def enqueue(task, *args, **kwargs) -> bool:
    """Queue a task; if the broker cannot be reached, log and return False instead of failing.

    Callers run this on transaction commit: the user's change is already saved, and the
    periodic sweep picks up whatever a dead broker made us miss.
    """
    import logging

    try:
        task.apply_async(args=args, kwargs=kwargs)
    except Exception as exc:  # noqa: BLE001 - kombu, redis and socket errors all mean "not queued"
        logging.getLogger(__name__).warning("broker unreachable, %s not queued: %s",
                                            task.name, exc)
        return False
    return True
