"""Writes for webhooks: endpoints (create, change, rotate the secret, delete) and events.

`webhook_emit` is called by the apps inside the transaction that makes the change: the message
and one delivery per subscribed endpoint are rows in that transaction (the outbox), and the
first attempts are queued only once it commits. A dead broker leaves the deliveries due; the
sweep (every minute) sends them when it is back.
"""

from __future__ import annotations

import datetime as dt
import json
import secrets
from typing import Any

from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ..celery import enqueue_on_commit
from ..models import Organisation, User, WebhookDelivery, WebhookEndpoint, WebhookMessage
from .events import EVENT_TYPES, endpoints_for
from .signing import secret_generate
from .targets import TargetRefused, target_check

# How long the old secret keeps signing after a rotation, so receivers can switch over.
ROTATION_OVERLAP = dt.timedelta(hours=24)
MAX_ENDPOINTS_PER_ORGANISATION = 20


def _validate(*, url: str, events: list[str]) -> dict[str, str]:
    errors: dict[str, str] = {}
    try:
        target_check(url)
    except TargetRefused as exc:
        errors["url"] = str(exc)
    unknown = [e for e in events if e not in EVENT_TYPES]
    if not events:
        errors["events"] = _("Choose at least one event.")
    elif unknown:
        errors["events"] = _("Unknown event: %(events)s.") % {"events": ", ".join(unknown)}
    return errors


@transaction.atomic
def webhook_endpoint_create(
    *, organisation: Organisation, url: str, events: list[str], by: User,
    description: str = "",
) -> tuple[WebhookEndpoint, str]:
    """The endpoint and its secret (shown to the user once)."""
    errors = _validate(url=url, events=events)
    if organisation.webhook_endpoints.count() >= MAX_ENDPOINTS_PER_ORGANISATION:
        errors["url"] = _("An organisation can have at most %(max)s endpoints.") % {
            "max": MAX_ENDPOINTS_PER_ORGANISATION}
    if errors:
        raise ValidationError(errors)
    secret = secret_generate()
    endpoint = WebhookEndpoint.objects.create(
        organisation=organisation, url=url, events=sorted(set(events)),
        description=description.strip()[:200], secret=secret, created_by=by)
    return endpoint, secret


@transaction.atomic
def webhook_endpoint_update(
    *, endpoint: WebhookEndpoint, url: str, events: list[str], description: str = "",
    is_active: bool = True,
) -> WebhookEndpoint:
    errors = _validate(url=url, events=events)
    if errors:
        raise ValidationError(errors)
    endpoint.url, endpoint.events = url, sorted(set(events))
    endpoint.description = description.strip()[:200]
    if is_active and not endpoint.is_active:
        endpoint.disabled_reason = ""
    endpoint.is_active = is_active
    endpoint.save()
    return endpoint


@transaction.atomic
def webhook_endpoint_rotate_secret(
    *, endpoint: WebhookEndpoint, now: dt.datetime | None = None
) -> str:
    """A new secret; the old one goes on signing alongside it for `ROTATION_OVERLAP`."""
    now = now or timezone.now()
    endpoint = WebhookEndpoint.objects.select_for_update().get(pk=endpoint.pk)
    endpoint.previous_secret = endpoint.secret
    endpoint.previous_secret_until = now + ROTATION_OVERLAP
    endpoint.secret = secret_generate()
    endpoint.save(update_fields=["secret", "previous_secret", "previous_secret_until",
                                 "updated_at"])
    return endpoint.secret


def webhook_endpoint_delete(*, endpoint: WebhookEndpoint) -> None:
    endpoint.delete()


def endpoint_signing_secrets(endpoint: WebhookEndpoint, now: dt.datetime) -> list[str]:
    keys = [endpoint.secret]
    if endpoint.previous_secret and endpoint.previous_secret_until and (
            endpoint.previous_secret_until > now):
        keys.append(endpoint.previous_secret)
    return keys


def webhook_emit(
    *, event_type: str, data: dict[str, Any], organisation: Organisation | None = None,
    public: bool = False,
) -> WebhookMessage | None:
    """Records the event for every endpoint that subscribed and may see it; None if none did.

    `data` must hold only what every such receiver may see: the organisation's own endpoints,
    the county's, and (if `public`) anyone's.
    """
    if event_type not in EVENT_TYPES:
        raise ValueError(f"unknown webhook event {event_type}")
    endpoints = endpoints_for(event_type=event_type, organisation=organisation, public=public)
    if not endpoints:
        return None
    from .tasks import webhook_deliver  # tasks import the delivery code, which imports this

    now = timezone.now()
    payload = {"type": event_type, "timestamp": now.isoformat(), "data": data}
    # Round-trip through the JSON encoder now, so dates and decimals are stored as sent.
    payload = DjangoJSONEncoder().encode(payload)
    with transaction.atomic():
        message = WebhookMessage.objects.create(
            msg_id="msg_" + secrets.token_urlsafe(18), event_type=event_type,
            payload=json.loads(payload), organisation=organisation,
            public=public)
        deliveries = WebhookDelivery.objects.bulk_create([
            WebhookDelivery(message=message, endpoint=e, next_attempt_at=now)
            for e in endpoints])
        for delivery in deliveries:
            # Broker down: logged, and the delivery stays due for the sweep.
            enqueue_on_commit(webhook_deliver, delivery.pk)
    return message
