"""Sending a delivery: one attempt, its log line, and what happens next.

Retries follow the Standard Webhooks schedule: at once, then 5 s, 5 min, 30 min, 2 h, 5 h,
10 h, 14 h, 20 h and 24 h after each failure, each stretched by up to 10 % of jitter so that
many failed deliveries do not come back at the same instant. `410 Gone` means the receiver is
gone for good: the endpoint is switched off and its organisation is told.

Every function takes `now`, so tests run the schedule with a controlled clock.
"""

from __future__ import annotations

import datetime as dt
import json
import random
import time

import requests
from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from ..celery import app as celery_app
from ..celery import enqueue_on_commit
from ..mail import absolute_url, mail_send_localised
from ..models import Membership, WebhookAttempt, WebhookDelivery, WebhookEndpoint
from .services import endpoint_signing_secrets
from .signing import signed_headers
from .targets import TargetRefused, target_check

RETRY_DELAYS: tuple[dt.timedelta, ...] = (
    dt.timedelta(seconds=5), dt.timedelta(minutes=5), dt.timedelta(minutes=30),
    dt.timedelta(hours=2), dt.timedelta(hours=5), dt.timedelta(hours=10),
    dt.timedelta(hours=14), dt.timedelta(hours=20), dt.timedelta(hours=24),
)
JITTER = 0.10
# While one worker sends, the delivery is not due for anyone else (a worker that dies
# mid-attempt leaves it to the sweep after this long).
CLAIM_FOR = dt.timedelta(minutes=2)
EXCERPT_BYTES = 500
_random = random.SystemRandom()


def retry_delay(failures: int) -> dt.timedelta | None:
    """How long to wait after the `failures`-th failed attempt; None means give up."""
    if failures > len(RETRY_DELAYS):
        return None
    return RETRY_DELAYS[failures - 1] * (1 + _random.uniform(0, JITTER))


def _claim(delivery_id: int, now: dt.datetime) -> bool:
    """Only one worker sends a delivery at a time: the conditional update picks the winner."""
    return WebhookDelivery.objects.filter(
        pk=delivery_id, status=WebhookDelivery.Status.PENDING, next_attempt_at__lte=now,
    ).update(next_attempt_at=now + CLAIM_FOR) == 1


def _post(endpoint: WebhookEndpoint, body: bytes, headers: dict) -> tuple[int | None, str, str]:
    """(status code, response excerpt, error). Never follows redirects: a redirect could
    lead to an address the target check would have refused."""
    try:
        target_check(endpoint.url)
        with requests.post(endpoint.url, data=body, headers=headers, stream=True,
                           allow_redirects=False,
                           timeout=settings.WEBHOOK_TIMEOUT_SECONDS) as response:
            excerpt = response.raw.read(EXCERPT_BYTES, decode_content=True) or b""
            return response.status_code, excerpt.decode("utf-8", "replace"), ""
    except TargetRefused as exc:
        return None, "", str(exc)
    except requests.RequestException as exc:
        return None, "", f"{type(exc).__name__}: {exc}"[:300]


def webhook_delivery_attempt(
    *, delivery_id: int, now: dt.datetime | None = None, resend: bool = False,
) -> WebhookAttempt | None:
    """One attempt if the delivery is due (or re-sent); None if there was nothing to do."""
    now = now or timezone.now()
    if not _claim(delivery_id, now):
        return None
    delivery = WebhookDelivery.objects.select_related("message", "endpoint").get(pk=delivery_id)
    endpoint = delivery.endpoint
    if not endpoint.is_active:
        WebhookDelivery.objects.filter(pk=delivery_id).update(
            status=WebhookDelivery.Status.FAILED, next_attempt_at=None)
        return None
    body = json.dumps(delivery.message.payload, ensure_ascii=False,
                      separators=(",", ":")).encode()
    headers = {"content-type": "application/json", "user-agent": "Kompetanseportalen-Webhooks/1",
               **signed_headers(endpoint_signing_secrets(endpoint, now),
                                msg_id=delivery.message.msg_id,
                                timestamp=int(now.timestamp()), body=body)}
    started = time.monotonic()
    status_code, excerpt, error = _post(endpoint, body, headers)
    duration_ms = int((time.monotonic() - started) * 1000)
    with transaction.atomic():
        attempt = WebhookAttempt.objects.create(
            delivery=delivery, attempted_at=now, status_code=status_code,
            duration_ms=duration_ms, response_excerpt=excerpt[:EXCERPT_BYTES],
            error=error, resend=resend)
        fields = {"last_attempt_at": now}
        if status_code is not None and 200 <= status_code < 300:
            fields |= {"status": WebhookDelivery.Status.SUCCEEDED, "next_attempt_at": None}
        elif status_code == 410:
            fields |= {"status": WebhookDelivery.Status.FAILED, "next_attempt_at": None,
                       "failures": delivery.failures + 1}
            _disable(endpoint, _("The receiver answered 410 Gone."))
        else:
            failures = delivery.failures + 1
            delay = retry_delay(failures)
            fields |= {"failures": failures}
            if delay is None:
                fields |= {"status": WebhookDelivery.Status.FAILED, "next_attempt_at": None}
            else:
                fields |= {"next_attempt_at": now + delay}
                _queue_retry(delivery_id, delay)
        WebhookDelivery.objects.filter(pk=delivery_id).update(**fields)
    return attempt


def _queue_retry(delivery_id: int, delay: dt.timedelta) -> None:
    """Short waits go to the broker with a countdown; long ones are left to the sweep, which
    finds every due delivery anyway (a broker holding tasks for hours is fragile). Without a
    broker, too: an eager task ignores its countdown and would retry at once, in this request.
    With the broker down, `enqueue_on_commit` logs and the sweep retries."""
    from .tasks import webhook_deliver  # tasks import this module

    if delay > dt.timedelta(minutes=5) or celery_app.conf.task_always_eager:
        return
    enqueue_on_commit(webhook_deliver, delivery_id, countdown=delay.total_seconds())


def _disable(endpoint: WebhookEndpoint, reason: str) -> None:
    WebhookEndpoint.objects.filter(pk=endpoint.pk).update(
        is_active=False, disabled_reason=reason[:300], updated_at=timezone.now())
    # Deliveries still waiting for this endpoint will not be sent.
    WebhookDelivery.objects.filter(endpoint=endpoint, status=WebhookDelivery.Status.PENDING
                                   ).update(status=WebhookDelivery.Status.FAILED,
                                            next_attempt_at=None)
    from .tasks import webhook_disabled_mail

    enqueue_on_commit(webhook_disabled_mail, endpoint.pk)


def webhook_disabled_notify(*, endpoint_id: int) -> int:
    """E-mails the endpoint's organisation admins (and who registered it) that it is off, each
    in their own language. SMTP errors propagate: the mail task retries."""
    endpoint = WebhookEndpoint.objects.select_related("organisation").get(pk=endpoint_id)
    org = endpoint.organisation
    recipients = Membership.objects.filter(
        Q(role=Membership.Role.ADMIN) | Q(user=endpoint.created_by_id),
        organisation=org, user__is_active=True).values_list("user__email", flat=True)

    def compose() -> tuple[str, str]:
        subject = _("Webhook endpoint switched off: %(url)s") % {"url": endpoint.url[:80]}
        body = _("The endpoint %(url)s of %(org)s answered “410 Gone”, so the portal has "
                 "stopped sending webhooks to it. Switch it on again on the webhooks page if "
                 "this was a mistake.\n\nReason: %(reason)s") % {
            "url": endpoint.url, "org": org.name, "reason": endpoint.disabled_reason}
        return subject, body + "\n\n" + absolute_url(
            reverse("portal:webhook_detail", args=[endpoint.pk]))

    return mail_send_localised(to=recipients, compose=compose)


def webhook_delivery_resend(*, delivery: WebhookDelivery, now: dt.datetime | None = None):
    """Send again now, from the page: a fresh retry schedule, the same message id (so a
    receiver that already has it can tell it is a duplicate)."""
    now = now or timezone.now()
    WebhookDelivery.objects.filter(pk=delivery.pk).update(
        status=WebhookDelivery.Status.PENDING, failures=0, next_attempt_at=now)
    return webhook_delivery_attempt(delivery_id=delivery.pk, now=now, resend=True)


def deliveries_due(now: dt.datetime | None = None, limit: int = 500) -> list[int]:
    now = now or timezone.now()
    return list(WebhookDelivery.objects.filter(
        status=WebhookDelivery.Status.PENDING, next_attempt_at__lte=now)
        .order_by("next_attempt_at").values_list("pk", flat=True)[:limit])
