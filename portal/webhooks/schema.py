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

# What a message's `data` looks like, per kind (the example of each event; `status` is set
# to the event's own).
_SAMPLES = {
    "need": {"id": 42, "external_ref": "BEHOV-2027-7", "status": "submitted",
             "organisation": {"orgnr": "923609016", "name": "Vinje Skog AS"},
             "area": "skog.motorsag", "title": "Motorsagkurs for skogsarbeidere",
             "participants": 4, "level": "course", "round": "Kompetansebarometer 2027",
             "submitted_at": "2027-02-03T08:15:00+00:00"},
    "match": {"id": 311, "status": "proposed", "score": 86.5, "reason": "",
              "organisation": {"orgnr": "923609016", "name": "Vinje Skog AS"},
              "need": {"id": 42, "external_ref": "BEHOV-2027-7"},
              "offer": {"id": 7, "external_id": "MOTORSAG-2027-1",
                        "title": "Motorsagkurs – grunnkurs", "provider_orgnr": "974543389"}},
    "offer": {"id": 7, "external_id": "SVEIS-2027-1", "title": "Sveisekurs – MIG/MAG",
              "status": "published",
              "provider": {"orgnr": "974543389", "name": "Tinn Læringssenter"},
              "areas": ["industri.sveising"], "level": "course", "format": "local",
              "start_date": "2027-03-01", "municipality": "4026"},
    "cohort": {"request_id": 12, "status": "sent", "message": "Elleve deltakere i Vinje.",
               "response": "", "offer_id": None,
               "provider": {"orgnr": "974543389", "name": "Tinn Læringssenter"},
               "cohort": {"id": 5, "area": "skog.motorsag", "level": "course",
                          "participants": 11, "business_count": 3, "online": False,
                          "window_start": "2027-03-01", "window_end": "2027-06-30",
                          "municipality": "4036"}},
}
_STATUS = {"need.withdrawn": "withdrawn", "match.accepted": "accepted",
           "match.declined": "declined", "offer.archived": "archived",
           "offer.unpublished": "draft", "cohort.answered": "interested"}

HEADERS_NOTE = (
    "Headers: `webhook-id` (the same on every retry of a message), `webhook-timestamp` (Unix "
    "seconds) and `webhook-signature`: space-separated `v1,<base64 HMAC-SHA256>` of "
    "`{id}.{timestamp}.{body}` with the endpoint's secret (two signatures while a rotated "
    "secret overlaps). Answer 2xx within 15 s; 410 switches the endpoint off; anything else "
    "is retried after 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 14 h, 20 h and 24 h."
)


def _sample(event_type: str) -> dict:
    data = dict(_SAMPLES[event_type.split(".")[0]])
    data["status"] = _STATUS.get(event_type, data["status"])
    if event_type == "match.declined":
        data["reason"] = "distance"
    if event_type == "cohort.answered":
        data["response"] = "Vi kan holde kurset i Rauland i april."
    return data


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
            "data": _sample(event_type)})],
        responses={200: None, 410: None},
    ))


WEBHOOKS = {event_type: _webhook(event_type) for event_type in EVENT_TYPES}
for _event_type, _hook in WEBHOOKS.items():
    globals()[_event_type.replace(".", "_").upper()] = _hook
