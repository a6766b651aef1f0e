"""Celery tasks of the needs app: thin, they load by id and call a service."""

from __future__ import annotations

import logging

from celery import shared_task

from portal.celery import BROKER_OUTAGES

from .services import survey_receipt_send

logger = logging.getLogger(__name__)


@shared_task(autoretry_for=(ConnectionError,), retry_backoff=True, max_retries=5)
def send_survey_receipt(response_id: int) -> int:
    return survey_receipt_send(response_id=response_id)


def queue_survey_receipt(response_id: int) -> None:
    """Queues the receipt; if the broker is down the business still gets it, sent inline.

    Called on commit, so the submission itself has already succeeded either way."""
    try:
        send_survey_receipt.delay(response_id)
    except BROKER_OUTAGES:
        logger.warning("broker unreachable; sending survey receipt %s inline", response_id)
        try:
            survey_receipt_send(response_id=response_id)
        except Exception:  # the answer is saved; a lost receipt must not turn into a 500
            logger.exception("survey receipt %s could not be sent", response_id)
