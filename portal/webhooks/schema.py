"""The webhooks as OpenAPI 3.1 `webhooks` (drf-spectacular's OpenApiWebhook), one per event.

Each message is `{"type", "timestamp", "data"}` with the Standard Webhooks headers; a receiver
answers 2xx to acknowledge, 410 to be switched off, anything else to get a retry.
"""

from __future__ import annotations

from drf_spectacular.utils import OpenApiExample, OpenApiWebhook, extend_schema, inline_serializer
from rest_framework import serializers

from .events import EVENT_TYPES

_org = {"orgnr": serializers.CharField(), "name": serializers.CharField()}

_DATA = {
    "need": inline_serializer("WebhookNeedData", {
        "id": serializers.IntegerField(), "external_ref": serializers.CharField(),
        "status": serializers.CharField(), "organisation": inline_serializer(
            "WebhookOrganisation", _org), "area": serializers.CharField(),
        "title": serializers.CharField(), "participants": serializers.IntegerField(),
        "level": serializers.CharField(), "round": serializers.CharField(allow_null=True),
        "submitted_at": serializers.DateTimeField(allow_null=True)}),
    "match": inline_serializer("WebhookMatchData", {
        "id": serializers.IntegerField(), "status": serializers.CharField(),
        "score": serializers.FloatField(), "reason": serializers.CharField(),
        "organisation": inline_serializer("WebhookMatchOrganisation", _org),
        "need": serializers.DictField(), "offer": serializers.DictField()}),
    "offer": inline_serializer("WebhookOfferData", {
        "id": serializers.IntegerField(), "external_id": serializers.CharField(),
        "title": serializers.CharField(), "status": serializers.CharField(),
        "provider": inline_serializer("WebhookProvider", _org),
        "areas": serializers.ListField(child=serializers.CharField()),
        "level": serializers.CharField(), "format": serializers.CharField(),
        "start_date": serializers.DateField(allow_null=True),
        "municipality": serializers.CharField(allow_null=True)}),
    "cohort": inline_serializer("WebhookCohortRequestData", {
        "request_id": serializers.IntegerField(), "status": serializers.CharField(),
        "message": serializers.CharField(), "response": serializers.CharField(),
        "offer_id": serializers.IntegerField(allow_null=True),
        "provider": inline_serializer("WebhookCohortProvider", _org),
        "cohort": serializers.DictField(help_text="Anonymised: area, level, participants, "
                                                  "business_count, window, municipality.")}),
}

HEADERS_NOTE = (
    "Headers: `webhook-id` (the same on every retry of a message), `webhook-timestamp` (Unix "
    "seconds) and `webhook-signature`: space-separated `v1,<base64 HMAC-SHA256>` of "
    "`{id}.{timestamp}.{body}` with the endpoint's secret (two signatures while a rotated "
    "secret overlaps). Answer 2xx within 15 s; 410 switches the endpoint off; anything else "
    "is retried after 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 14 h, 20 h and 24 h."
)


def _webhook(event_type: str) -> OpenApiWebhook:
    kind = event_type.split(".")[0]
    name = "".join(part.title() for part in event_type.split("."))
    return OpenApiWebhook(name=event_type, decorator=extend_schema(
        summary=str(EVENT_TYPES[event_type]),
        description=f"`{event_type}`. {HEADERS_NOTE}",
        request=inline_serializer(f"Webhook{name}", {
            "type": serializers.ChoiceField(choices=[event_type]),
            "timestamp": serializers.DateTimeField(),
            "data": _DATA[kind]}),
        examples=[OpenApiExample(event_type, value={
            "type": event_type, "timestamp": "2027-03-01T08:00:00+00:00",
            "data": {"id": 42}})],
        responses={200: None, 410: None},
    ))


WEBHOOKS = {event_type: _webhook(event_type) for event_type in EVENT_TYPES}
for _event_type, _hook in WEBHOOKS.items():
    globals()[_event_type.replace(".", "_").upper()] = _hook
