"""Webhooks to the Standard Webhooks specification, for every app: `webhook_emit` inside the
transaction that makes a change; delivery, retries and the endpoint pages live here too."""

from .events import EVENT_TYPES
from .services import webhook_emit

__all__ = ["EVENT_TYPES", "webhook_emit"]
