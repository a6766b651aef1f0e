"""Celery tasks for webhooks: thin, by id, safe to run twice (the delivery is claimed)."""

from __future__ import annotations

from celery import shared_task

from ..celery import MAIL_TASK, enqueue
from .delivery import deliveries_due, webhook_delivery_attempt, webhook_disabled_notify


@shared_task(acks_late=True, ignore_result=True)
def webhook_deliver(delivery_id: int) -> None:
    webhook_delivery_attempt(delivery_id=delivery_id)


@shared_task(ignore_result=True)
def webhook_sweep() -> int:
    """Every minute (celery beat): queue each due delivery — retries, and first attempts a
    dead broker kept from being queued."""
    due = deliveries_due()
    for delivery_id in due:
        enqueue(webhook_deliver, delivery_id)
    return len(due)


@shared_task(**MAIL_TASK)
def webhook_disabled_mail(endpoint_id: int) -> int:
    return webhook_disabled_notify(endpoint_id=endpoint_id)
