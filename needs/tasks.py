"""Celery tasks of the needs app: thin, they load by id and call a service.

Services queue these with `portal.celery.enqueue_on_commit`; the services are imported inside
the task bodies, so `needs.services` may import this module at the top without a circle.
"""

from __future__ import annotations

from celery import shared_task

from portal.celery import MAIL_TASK


@shared_task(**MAIL_TASK)
def send_survey_receipt(response_id: int) -> int:
    from .services.receipt import survey_receipt_send

    return survey_receipt_send(response_id=response_id)
