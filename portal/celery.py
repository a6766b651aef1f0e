"""The Celery application, and the one way to queue work: `enqueue_on_commit`.

Configuration comes from Django's `CELERY_*` settings.
"""

from __future__ import annotations

import logging
import os
import smtplib
from functools import partial
from typing import Any

from celery import Celery
from django.db import transaction
from kombu.exceptions import OperationalError as BrokerError
from redis.exceptions import ConnectionError as RedisConnectionError

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")

app = Celery("portal")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


logger = logging.getLogger(__name__)

# What a broker outage looks like from `apply_async`: kombu wraps connection failures in its
# OperationalError; a socket error can surface unwrapped. Anything else is a bug and raises.
BROKER_OUTAGES = (BrokerError, ConnectionError, TimeoutError)

# Options for every task that sends e-mail: `@shared_task(**MAIL_TASK)`. A mail server that
# refuses or drops the connection is retried with backoff (about 1, 2, 4 … minutes, six times);
# the task is acknowledged only once it has run, so a worker crash does not lose the message.
# `run_inline_when_broker_down`: nothing sweeps up a lost e-mail later (unlike matching), so
# with the broker down the message is sent from the web process instead.
MAIL_TASK: dict[str, Any] = {
    "autoretry_for": (smtplib.SMTPException, ConnectionError, TimeoutError),
    "retry_backoff": 60,
    "retry_backoff_max": 30 * 60,
    "max_retries": 6,
    "acks_late": True,
    "run_inline_when_broker_down": True,
}


def enqueue(task, *args, countdown: float | None = None, **kwargs) -> bool:
    """Queue a task now (to run no sooner than `countdown` seconds from now, if given); if the
    broker cannot be reached, log and return False instead of failing. Prefer
    `enqueue_on_commit` inside a request or a service. (`countdown` is this function's option,
    never passed to the task.)
    """
    try:
        options = {} if countdown is None else {"countdown": countdown}
        task.apply_async(args=args, kwargs=kwargs, **options)
    except BROKER_OUTAGES as exc:
        logger.warning("broker unreachable, %s not queued: %s", task.name, exc)
        return False
    except RuntimeError as exc:
        # With Redis down, the result backend (subscribing for the task's result) gives up
        # with a RuntimeError wrapping the connection error (tests/faults). Drop the broken
        # backend so the next call, once Redis is back, builds a fresh one.
        if not isinstance(exc.__cause__, (*BROKER_OUTAGES, RedisConnectionError)):
            raise
        app._local.__dict__.pop("backend", None)
        logger.warning("result store unreachable, %s not queued: %s", task.name, exc)
        return False
    return True


def enqueue_on_commit(task, *args, countdown: float | None = None, **kwargs) -> None:
    """Queue `task(*args, **kwargs)` once the current transaction commits (to run no sooner
    than `countdown` seconds after that, if given: a retry that should wait).

    On commit, so a worker never sees a row the request has not saved yet and a rolled-back
    change queues nothing (outside a transaction it is queued at once). The caller's change is
    already committed when this runs, and nothing here undoes it:
    - broker down: matching tasks are logged and the periodic sweep catches up; mail tasks
      (`MAIL_TASK`) run in this process instead;
    - a mail task that fails in this process (no broker, or the fallback) is logged, never an
      error page; other tasks run eagerly (no broker) raise, so a bug shows in tests.
    Arguments must be JSON-serialisable (ids, not objects).
    """
    transaction.on_commit(partial(_enqueue_committed, task, args, kwargs, countdown))


def _enqueue_committed(task, args: tuple, kwargs: dict, countdown: float | None) -> None:
    best_effort = getattr(task, "run_inline_when_broker_down", False)
    try:
        if enqueue(task, *args, countdown=countdown, **kwargs) or not best_effort:
            return
        logger.warning("sending %s inline: the broker is unreachable", task.name)
        task.apply(args=args, kwargs=kwargs, throw=True)
    except Exception:
        if not best_effort:
            raise
        # Eager mode (no broker configured) or the inline fallback: the change it reports is
        # saved; a mail outage must not become an error page.
        logger.exception("%s%r failed", task.name, args)
